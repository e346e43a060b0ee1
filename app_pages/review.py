"""Review: the council's queue of proposals, oldest first, and the decision with a reason."""

import streamlit as st

from geo import areas, lifecycle, proposals
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES
from ui.common import store, user_errors
from ui.proposal_view import (
    pick_proposal,
    proposal_table,
    show_checks,
    show_feedback,
    show_proposal,
    show_versions,
)
from ui.session import allowed_or_stop, utc_now

st.title("Review proposals")
actor = allowed_or_stop("review_proposals")
db = store()
notice = st.session_state.pop("review_notice", None)
if notice:
    st.success(notice)

wards = areas.list_areas(db, "ward")
ward_ids = dict(zip(wards["name"], wards["id"], strict=True))
filters = st.columns(3)
chosen_wards = filters[0].multiselect("Wards", list(ward_ids), placeholder="All my wards")
kinds = filters[1].multiselect(
    "Kinds", list(INITIATIVE_KINDS), format_func=INITIATIVE_KINDS.get, placeholder="All kinds"
)
statuses = filters[2].multiselect(
    "Status",
    ["submitted", "changes_requested"],
    default=["submitted"],
    format_func=INITIATIVE_STATUSES.get,
)
queue = proposals.review_queue(
    db,
    actor,
    utc_now(),
    statuses=tuple(statuses),
    ward_ids=tuple(int(ward_ids[w]) for w in chosen_wards),
    kinds=tuple(kinds),
)
st.metric("Waiting", len(queue))
if queue.empty:
    st.info("Nothing waits for review with these filters.")
    st.stop()
st.dataframe(proposal_table(queue), hide_index=True, width="stretch")
chosen = pick_proposal(queue, "review_selected", "Open a proposal to review")
if chosen is None:
    st.stop()

with user_errors():
    proposal = proposals.get_proposal(db, actor, chosen)
    show_proposal(db, actor, proposal, "review")
    checks_column, versions_column = st.columns(2)
    with checks_column:
        st.markdown("#### Checks")
        show_checks(proposals.check_saved(db, chosen))
    with versions_column:
        st.markdown("#### Versions")
        show_versions(proposal)
    if proposal["status"] == "submitted":
        st.markdown("#### Decision")
        with st.form("decision", clear_on_submit=True):
            decision = st.radio(
                "Decision",
                lifecycle.DECISIONS,
                format_func={
                    "approved": "Approve",
                    "rejected": "Reject",
                    "changes_requested": "Ask for changes",
                }.get,
                horizontal=True,
            )
            reason = st.text_area(
                "Reason (the proposer and the public read it)",
                max_chars=lifecycle.MAX_REASON_CHARS,
            )
            if st.form_submit_button("Record decision", type="primary"):
                proposals.review(db, actor, chosen, decision, reason, utc_now())
                st.session_state["review_notice"] = (
                    f"Proposal {chosen}: {INITIATIVE_STATUSES[decision].lower()}."
                )
                st.session_state.pop("review_selected", None)
                st.query_params.pop("id", None)
                st.rerun()
    show_feedback(db, actor, proposal)
