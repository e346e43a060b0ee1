"""My proposals: a leader's proposals with their status and the council's latest word."""

import streamlit as st

from geo.i18n import N_, t
from geo.proposals import lifecycle, reading, workflow
from ui.common import store, user_errors
from ui.notices import Notice
from ui.proposal_view import pick_proposal, proposal_table, show_feedback, show_proposal
from ui.session import allowed_or_stop, utc_now

st.title(t("My proposals"))
actor = allowed_or_stop("propose")
db = store()
notice = Notice("my_proposals")
notice.show()

mine = reading.my_proposals(db, actor)
if mine.empty:
    st.info(t("You have no proposals yet. Start one on the “Propose” page."))
    st.stop()
st.dataframe(proposal_table(mine), hide_index=True, width="stretch")

chosen = pick_proposal(mine, "mine_selected", t("Open one of your proposals"))
if chosen is None:
    st.stop()
with user_errors():
    proposal = reading.get_proposal(db, actor, chosen)
    status = proposal["status"]
    actions = st.columns(3)
    if status in workflow.EDITABLE and actions[0].button(t("Edit on the Propose page")):
        st.session_state["next_editing"] = chosen
        st.switch_page("app_pages/propose.py")
    if lifecycle.may_open_for_feedback(actor, proposal):
        is_open = proposal.get("open_for_feedback") is True
        if actions[1].button(t("Close to feedback") if is_open else t("Open for feedback")):
            workflow.open_for_feedback(db, actor, chosen, not is_open, utc_now())
            notice.rerun_with(
                t("Residents can no longer see this draft.")
                if is_open
                else t("Signed-in residents can now read and comment on this draft.")
            )
    if lifecycle.proposer_may(actor, proposal, "in_progress") and actions[1].button(
        t("Mark as started")
    ):
        workflow.advance(db, actor, chosen, "in_progress", N_("Work started."), utc_now())
        notice.rerun_with(t("Marked as started: the map shows it as in progress."))
    if lifecycle.proposer_may(actor, proposal, "completed") and actions[1].button(
        t("Mark as completed")
    ):
        workflow.advance(db, actor, chosen, "completed", t("Completed."), utc_now())
        notice.rerun_with(t("Marked as completed. Thank you!"))
    if lifecycle.may_withdraw(actor, proposal):
        with actions[2].popover(t("Withdraw")):
            reason = st.text_input(t("Why (optional, shown in the timeline)"))
            if st.button(t("Withdraw this proposal"), type="primary"):
                workflow.withdraw(db, actor, chosen, reason, utc_now())
                notice.rerun_with(t("Withdrawn: it no longer shows on the map."))
    show_proposal(db, actor, proposal, "mine")
    show_feedback(db, actor, proposal)
