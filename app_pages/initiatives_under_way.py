"""Initiatives under way: progress, milestones, check-ins and the whole timeline of one."""

import pandas as pd
import streamlit as st

from geo import i18n
from geo.accountability import progress, recognition
from geo.escape import for_markdown
from geo.i18n import t, tn
from geo.proposals import timeline
from geo.vocabulary import INITIATIVE_STATUSES, label
from geo.wording import day, number, percent, present
from ui.common import store, text_table, user_errors
from ui.progress_forms import reporting_forms
from ui.proposal_view import pick_proposal
from ui.session import current_actor, utc_now

st.title(t("Initiatives under way"))
actor = current_actor()
db = store()
now = utc_now()
state = progress.tracking_state(db, now)
if state.empty:
    st.info(
        t(
            "No initiative has been approved yet. Once the council approves a proposal, its "
            "progress, milestones and check-ins are followed here."
        )
    )
    st.stop()
listed = pd.DataFrame(
    {
        t("No."): state["id"],
        t("Title"): state["title"],
        t("Status"): [label(INITIATIVE_STATUSES, s) for s in state["status"]],
        t("Progress"): [percent(p) for p in state["progress"]],
        t("Needs a check-in"): [t("Yes") if stale else "" for stale in state["stale"]],
        t("Overdue milestones"): [number(n) for n in state["overdue"]],
        t("Last check-in"): [day(d, t("No check-in yet")) for d in state["last_checkin"]],
    }
)
st.dataframe(listed, hide_index=True, width="stretch")
chosen = pick_proposal(state.assign(supports=0, comments=0), "under_way", t("Open an initiative"))
if chosen is None:
    st.stop()

with user_errors():
    row = state.set_index("id").loc[chosen]
    st.markdown(f"## {for_markdown(row['title'])}")
    if present(row["progress"]):
        done_share = int(row["progress"]) / 100
        st.progress(done_share, text=t("{share} done", share=i18n.percent(done_share)))
    if row["stale"]:
        st.warning(
            tn(
                "No check-in for more than {n} day.",
                "No check-in for more than {n} days.",
                number(row["cadence_days"]),
            )
        )
    steps = progress.milestones(db, chosen, now.date())
    st.markdown("### " + t("Milestones"))
    if steps.empty:
        st.caption(t("No milestones yet."))
    for step in steps.itertuples():
        mark = "✅" if pd.notna(step.done_at) else ("⚠️ " + t("overdue") if step.overdue else "⬜")
        due = (
            " · " + for_markdown(t("due {day}", day=i18n.date(pd.Timestamp(step.due_date))))
            if pd.notna(step.due_date)
            else ""
        )
        owner = f" · {for_markdown(step.owner)}" if present(step.owner) else ""
        st.markdown(f"{mark} {for_markdown(step.title)}{owner}{due}")
        if pd.notna(step.done_at) and present(step.done_note):
            st.caption(for_markdown(step.done_note))
    if progress.may_track_here(db, actor, chosen):
        reporting_forms(db, actor, chosen, steps)
    st.markdown("### " + t("Timeline"))
    text_table(timeline.for_initiative(db, chosen))
    st.markdown("### " + t("Thank you"))
    roll = recognition.roll(db, [chosen])
    st.text(", ".join(roll["name"]) or t("Everyone who took part."))
