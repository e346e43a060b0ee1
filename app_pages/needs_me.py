"""What needs me now: a leader's initiatives that are due a check-in or have overdue milestones."""

import pandas as pd
import streamlit as st

from geo.accountability import progress
from geo.wording import count, day, number
from ui.common import store
from ui.session import allowed_or_stop, utc_now

st.title("What needs me now")
actor = allowed_or_stop("track_progress")
urgent = progress.needs_me(store(), actor, utc_now())
if urgent.empty:
    st.success("Nothing is waiting for you: every check-in is on time and no milestone is late.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        {
            "No.": urgent["id"],
            "Initiative": urgent["title"],
            "Overdue milestones": [number(n) for n in urgent["overdue"]],
            "Check-in due": ["Yes, overdue" if stale else "" for stale in urgent["stale"]],
            "Last check-in": [day(d, "No check-in yet") for d in urgent["last_checkin"]],
            "Check-in every": [count(n, "day") for n in urgent["cadence_days"]],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption("Open one on “Initiatives under way” to post a check-in or complete a milestone.")
