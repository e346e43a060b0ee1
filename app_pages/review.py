"""Review: the council's queue of proposals, oldest first, and the decision with a reason.

The decision's widgets are keyed by the proposal and its version, so an error (no reason)
keeps the chosen decision and the typed reason, and another proposal never inherits them.
Recording takes two presses: the second confirms what the page says will happen.
"""

import streamlit as st

from geo.i18n import N_, Words, t
from geo.moderation import MAX_REASON_CHARS, clean_reason
from geo.proposals import lifecycle, reading, workflow
from geo.registry import areas
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES
from ui import confirm
from ui.common import store, user_errors
from ui.notices import Notice
from ui.proposal_view import (
    pick_proposal,
    proposal_table,
    show_checks,
    show_feedback,
    show_proposal,
    show_versions,
)
from ui.session import allowed_or_stop, utc_now

st.title(t("Review proposals"))
actor = allowed_or_stop("review_proposals")
db = store()
decided = Notice("review")  # the last decision's confirmation, where the reviewer looks
# What each decision does, in the words of the button, of the confirmation and of the
# notice after it. Whole sentences per decision: a decision's name is not glued into another
# sentence, since languages inflect and capitalise it differently.
CHOICES = Words(
    {
        "approved": N_("Approve"),
        "rejected": N_("Reject"),
        "changes_requested": N_("Ask for changes"),
    }
)
OUTCOMES = Words(
    {
        "approved": N_(
            "Approve «{title}»: it becomes an approved initiative, and the proposer and "
            "the public will read your reason."
        ),
        "rejected": N_(
            "Reject «{title}»: this ends the proposal, and the proposer and the public "
            "will read your reason."
        ),
        "changes_requested": N_(
            "Ask for changes to «{title}»: it goes back to the proposer to "
            "revise, and the proposer and the public will read your reason."
        ),
    }
)
CONFIRMS = Words(
    {
        "approved": N_("Confirm: approve"),
        "rejected": N_("Confirm: reject"),
        "changes_requested": N_("Confirm: ask for changes"),
    }
)
RECORDED = Words(
    {
        "approved": N_("Proposal {number}: approved."),
        "rejected": N_("Proposal {number}: rejected."),
        "changes_requested": N_("Proposal {number}: changes requested."),
    }
)


wards = areas.list_areas(db, "ward")
ward_ids = dict(zip(wards["name"], wards["id"], strict=True))
filters = st.columns(3)
chosen_wards = filters[0].multiselect(t("Wards"), list(ward_ids), placeholder=t("All my wards"))
kinds = filters[1].multiselect(
    t("Kinds"),
    list(INITIATIVE_KINDS),
    format_func=INITIATIVE_KINDS.get,
    placeholder=t("All kinds"),
)
statuses = filters[2].multiselect(
    t("Status"),
    ["submitted", "changes_requested"],
    default=["submitted"],
    format_func=INITIATIVE_STATUSES.get,
)
queue = reading.review_queue(
    db,
    actor,
    utc_now(),
    statuses=tuple(statuses),
    ward_ids=tuple(int(ward_ids[w]) for w in chosen_wards),
    kinds=tuple(kinds),
)
st.metric(t("Waiting"), len(queue))
if queue.empty:
    decided.show()
    st.info(t("Nothing waits for review with these filters."))
    st.stop()
st.dataframe(proposal_table(queue), hide_index=True, width="stretch")
queued = [int(i) for i in queue["id"]]
if "review_next" in st.session_state:  # set after a decision: open the next one
    st.session_state["review_selected"] = st.session_state.pop("review_next")
chosen = pick_proposal(queue, "review_selected", t("Open a proposal to review"))
if chosen is None:
    decided.show()
    st.stop()

with user_errors():
    proposal = reading.get_proposal(db, actor, chosen)
    show_proposal(db, actor, proposal, "review")
    checks_column, versions_column = st.columns(2)
    with checks_column:
        st.markdown("### " + t("Checks"))
        show_checks(reading.check_saved(db, chosen))
    with versions_column:
        st.markdown("### " + t("Versions"))
        show_versions(proposal)
    if proposal["is_owner"] and proposal["status"] == "submitted":
        st.info(t("You proposed this one: another council officer decides on it."))
    if lifecycle.may_review(actor, proposal):
        st.markdown("### " + t("Decision"))
        decided.show()
        version = proposal["versions"][-1]["version"] if proposal["versions"] else 0
        keys = (f"review_decision_{chosen}_v{version}", f"review_reason_{chosen}_v{version}")
        # Nothing is preselected: a decision is always one the reviewer chose.
        decision = st.radio(
            t("Decision"),
            lifecycle.DECISIONS,
            format_func=CHOICES.get,
            horizontal=True,
            index=None,
            key=keys[0],
        )
        reason = st.text_area(
            t("Reason (the proposer and the public read it)"),
            max_chars=MAX_REASON_CHARS,
            key=keys[1],
        )
        shown = (chosen, version, decision, reason.strip())
        if st.button(t("Record decision"), type="primary", key=f"review_record_{chosen}"):
            if decision is None:
                st.error(t("Choose a decision first: approve, reject or ask for changes."))
            else:
                with user_errors():
                    clean_reason(reason, required=True)
                    confirm.arm("review", shown)
        # Only a chosen decision is ever armed; with none chosen the step is dropped unseen.
        outcome = OUTCOMES.get(decision, "").format(title=proposal["title"])
        action = CONFIRMS.get(decision, "")
        if confirm.confirmed("review", shown, outcome, action):
            with user_errors():
                workflow.review(db, actor, chosen, decision, reason, utc_now())
                decided.keep(RECORDED[decision].format(number=chosen))
                for key in keys:
                    st.session_state.pop(key, None)
                later = queued[queued.index(chosen) + 1 :] + queued[: queued.index(chosen)]
                waiting = set(queue.loc[queue["status"] == "submitted", "id"].astype(int))
                following = next((i for i in later if i in waiting), None)
                st.session_state["review_next"] = following
                if following is None:
                    st.query_params.pop("id", None)
                st.rerun()
    else:
        decided.show()
    # A reviewer judges the proposal; supporting it is for the public.
    show_feedback(db, actor, proposal)
