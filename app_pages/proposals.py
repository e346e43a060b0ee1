"""Proposals: what neighbours propose, open for support and comments."""

import streamlit as st

from geo.i18n import t
from geo.ids import parse_id
from geo.proposals import reading
from ui.common import store, user_errors
from ui.proposal_view import pick_proposal, proposal_table, show_feedback, show_proposal
from ui.session import current_actor

st.title(t("Proposals"))
actor = current_actor()
db = store()
st.caption(
    t(
        "Proposals under review and drafts their proposers opened for feedback. Support the "
        "ones you want and say what would make them better. Decided proposals are on the map."
    )
)
listed = reading.open_proposals(db, actor)
if listed.empty:
    st.info(t("Nothing is open for feedback just now."))
else:
    st.dataframe(proposal_table(listed), hide_index=True, width="stretch")
chosen = pick_proposal(listed, "open_selected", t("Open a proposal"))
if chosen is None and "id" in st.query_params:  # a link to a decided proposal from elsewhere
    chosen = parse_id(st.query_params["id"])
    if chosen is None:
        st.error(t("There is no proposal with that number."))
if chosen is not None:
    with user_errors():
        proposal = reading.get_proposal(db, actor, chosen)
        show_proposal(db, actor, proposal, "open")
        show_feedback(db, actor, proposal)
