"""What needs me now: a leader's initiatives that are due a check-in or have overdue milestones."""

import pandas as pd
import streamlit as st

from geo.accountability import progress
from geo.i18n import t, tn
from geo.wording import day, number
from ui.common import store
from ui.session import allowed_or_stop, utc_now

st.title(t("What needs me now"))
actor = allowed_or_stop("track_progress")
urgent = progress.needs_me(store(), actor, utc_now())
if urgent.empty:
    st.success(t("Nothing is waiting for you: every check-in is on time and no milestone is late."))
    st.stop()
st.dataframe(
    pd.DataFrame(
        {
            t("No."): urgent["id"],
            t("Initiative"): urgent["title"],
            t("Overdue milestones"): [number(n) for n in urgent["overdue"]],
            t("Check-in due"): [t("Yes, overdue") if stale else "" for stale in urgent["stale"]],
            t("Last check-in"): [day(d, t("No check-in yet")) for d in urgent["last_checkin"]],
            t("Check-in every"): [
                tn("{n} day", "{n} days", number(n)) for n in urgent["cadence_days"]
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(t("Open one on “Initiatives under way” to post a check-in or complete a milestone."))
