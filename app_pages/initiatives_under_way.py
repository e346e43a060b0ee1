"""Initiatives under way: progress, milestones, check-ins and the whole timeline of one."""

import pandas as pd
import streamlit as st

from geo.accountability import progress, recognition
from geo.escape import for_markdown
from geo.proposals import timeline
from geo.vocabulary import INITIATIVE_STATUSES, label
from geo.wording import count, day, number, percent, present
from ui.common import store, text_table, user_errors
from ui.progress_forms import reporting_forms
from ui.proposal_view import pick_proposal
from ui.session import current_actor, utc_now

st.title("Initiatives under way")
actor = current_actor()
db = store()
now = utc_now()
state = progress.tracking_state(db, now)
if state.empty:
    st.info(
        "No initiative has been approved yet. Once the council approves a proposal, its "
        "progress, milestones and check-ins are followed here."
    )
    st.stop()
listed = pd.DataFrame(
    {
        "No.": state["id"],
        "Title": state["title"],
        "Status": [label(INITIATIVE_STATUSES, s) for s in state["status"]],
        "Progress": [percent(p) for p in state["progress"]],
        "Needs a check-in": ["Yes" if stale else "" for stale in state["stale"]],
        "Overdue milestones": [number(n) for n in state["overdue"]],
        "Last check-in": [day(d, "No check-in yet") for d in state["last_checkin"]],
    }
)
st.dataframe(listed, hide_index=True, width="stretch")
chosen = pick_proposal(state.assign(supports=0, comments=0), "under_way", "Open an initiative")
if chosen is None:
    st.stop()

with user_errors():
    row = state.set_index("id").loc[chosen]
    st.markdown(f"### {for_markdown(row['title'])}")
    if present(row["progress"]):
        st.progress(int(row["progress"]) / 100, text=f"{int(row['progress'])}% done")
    if row["stale"]:
        st.warning(f"No check-in for more than {count(row['cadence_days'], 'day')}.")
    steps = progress.milestones(db, chosen, now.date())
    st.markdown("#### Milestones")
    if steps.empty:
        st.caption("No milestones yet.")
    for step in steps.itertuples():
        mark = "✅" if pd.notna(step.done_at) else ("⚠️ overdue" if step.overdue else "⬜")
        due = f" · due {pd.Timestamp(step.due_date):%d %b %Y}" if pd.notna(step.due_date) else ""
        owner = f" · {for_markdown(step.owner)}" if present(step.owner) else ""
        st.markdown(f"{mark} {for_markdown(step.title)}{owner}{due}")
        if pd.notna(step.done_at) and present(step.done_note):
            st.caption(for_markdown(step.done_note))
    if progress.may_track_here(db, actor, chosen):
        reporting_forms(db, actor, chosen, steps)
    st.markdown("#### Timeline")
    text_table(timeline.for_initiative(db, chosen))
    st.markdown("#### Thank you")
    roll = recognition.roll(db, [chosen])
    st.text(", ".join(roll["name"]) or "Everyone who took part.")
