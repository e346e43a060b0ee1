"""What needs me now: a leader's initiatives that are due a check-in or have overdue milestones."""

import pandas as pd
import streamlit as st

from geo import progress
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
            "Check-in due": urgent["stale"].map({True: "yes — overdue", False: ""}),
            "Last check-in": urgent["last_checkin"].dt.strftime("%d %b %Y").fillna("none yet"),
            "Every (days)": urgent["cadence_days"],
            "Overdue milestones": urgent["overdue"],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption("Open one on “Initiatives under way” to post a check-in or complete a milestone.")
