"""Partners: the organisations that take part, and what each takes part in."""

import pandas as pd
import streamlit as st

from geo.accountability import partners
from geo.escape import for_markdown
from geo.i18n import t
from geo.permissions import allowed
from geo.registry import areas
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES, label
from geo.wording import number, text
from ui.common import store, user_errors
from ui.session import current_actor, utc_now

st.title(t("Partners"))
actor = current_actor()
db = store()
listed = partners.directory(db)
if listed.empty:
    st.info(
        t(
            "No partner organisations are listed yet. Schools, charities and residents' groups "
            "named on initiatives appear here once the council adds them."
        )
    )
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("Name"): listed["name"],
                t("Kind"): [label(partners.PARTNER_KINDS, k) for k in listed["kind"]],
                t("Wards"): [text(w, t("Not tied to a ward")) for w in listed["wards"]],
                t("Initiatives"): [number(n) for n in listed["initiatives"]],
                t("Contact"): [text(c, t("No public contact")) for c in listed["contact"]],
                t("About"): [text(d) for d in listed["description"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    names = dict(zip(listed["id"].astype(int), listed["name"], strict=True))
    chosen = st.selectbox(t("Open a partner"), list(names), format_func=names.get, index=None)
    if chosen is not None:
        st.markdown("### " + for_markdown(t("{name} takes part in", name=names[chosen])))
        with user_errors():
            taking_part = partners.partner_initiatives(db, chosen)
            if taking_part.empty:
                st.caption(t("No public initiative names this partner yet."))
            else:
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("No."): taking_part["id"],
                            t("Title"): taking_part["title"],
                            t("Status"): [
                                label(INITIATIVE_STATUSES, s) for s in taking_part["status"]
                            ],
                            t("Kind"): [label(INITIATIVE_KINDS, k) for k in taking_part["kind"]],
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )

if allowed(actor, "manage_partners"):
    st.header(t("Add or update a partner"))
    wards = areas.list_areas(db, "ward")
    ward_ids = dict(zip(wards["name"], wards["id"], strict=True))
    with st.form("partner", clear_on_submit=True):
        name = st.text_input(t("Name (as initiatives list it)"), max_chars=120)
        kind = st.selectbox(
            t("Kind"), list(partners.PARTNER_KINDS), format_func=partners.PARTNER_KINDS.get
        )
        description = st.text_area(t("Public description"), max_chars=1000)
        contact = st.text_input(t("Public contact (only if the partner wants one)"), max_chars=200)
        in_wards = st.multiselect(t("Wards"), list(ward_ids))
        member = st.text_input(t("Add a member account (login) who may report progress"))
        if st.form_submit_button(t("Save partner")):
            with user_errors():
                partner_id = partners.save_partner(
                    db,
                    actor,
                    name,
                    kind,
                    description,
                    contact,
                    tuple(int(ward_ids[w]) for w in in_wards),
                    utc_now(),
                )
                if member.strip():
                    partners.add_member(db, actor, partner_id, member, utc_now())
                st.success(t("Partner saved."))
