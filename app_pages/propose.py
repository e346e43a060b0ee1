"""Propose: a leader draws a proposal, describes it, sees the checks, saves or submits it."""

from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from geo.errors import SafePlayError
from geo.escape import for_markdown
from geo.i18n import t
from geo.mapping import maps
from geo.proposals import lifecycle, reading, workflow
from geo.proposals.checks import check_proposal
from geo.proposals.form import MAX_BUDGET, MAX_SUMMARY, MAX_TITLE, ProposalForm, lines
from geo.vocabulary import INITIATIVE_KINDS
from ui.common import store, user_errors
from ui.map_context import public_view
from ui.notices import Notice
from ui.proposal_view import show_checks
from ui.session import allowed_or_stop, utc_now
from ui.skip_links import map_skipped

st.title(t("Propose"))
actor = allowed_or_stop("propose")
db = store()
problem, notice = Notice("propose_error"), Notice("propose")
problem.show(st.error)
notice.show()

mine = reading.my_proposals(db, actor)
editable = mine[mine["status"].isin(workflow.EDITABLE)]
choices = {None: t("A new proposal")} | {
    int(row.id): t(
        "{number} · {title} ({status})",
        number=row.id,
        title=row.title,
        status=lifecycle.in_a_sentence(row.status),
    )
    for row in editable.itertuples()
}
if "next_editing" in st.session_state:  # set by the last save, before the box exists
    st.session_state["editing"] = st.session_state.pop("next_editing")
if st.session_state.get("editing") not in choices:
    st.session_state.pop("editing", None)
editing = st.selectbox(t("Work on"), list(choices), format_func=choices.get, key="editing")
existing = reading.get_proposal(db, actor, editing) if editing else None
if existing is not None and existing["status"] == "changes_requested":
    st.warning(
        t("The council asked for changes: {reason}", reason=for_markdown(existing["latest_reason"]))
        + "  \n"
        + t("Edit the proposal and submit it again; the reviewer will see what you changed.")
    )

kind = st.selectbox(
    t("Kind"),
    list(INITIATIVE_KINDS),
    format_func=INITIATIVE_KINDS.get,
    index=list(INITIATIVE_KINDS).index(existing["kind"]) if existing else 0,
    key=f"kind_{editing}",
    help=t(
        "A new play area is drawn as a shape, a walking route as a line, an event or "
        "workshop as a point where it happens."
    ),
)

map_column, checks_column = st.columns([3, 2], gap="medium")
with map_column:
    st.caption(
        t(
            "Use the tools on the left of the map: ⬠ shape, ▭ rectangle, ╱ line, 📍 point. "
            "Only the last thing you draw is used."
        )
    )
    overview = public_view(db)
    wards = overview.wards
    bounds = maps.framing(existing["geometry"]) if existing else maps.bounds_of(wards)
    # What exists already, so a drawing that overlaps it is seen while drawing; the
    # proposal being edited is drawn once, as itself.
    others = overview.initiatives[overview.initiatives["id"] != editing]
    layers = maps.build_layers(wards, overview.places, others, overview.place_counts).all()
    own = [maps.DRAWING_ENTRY]
    if existing:
        layers.append(maps.proposal_layer(existing["geometry"], existing["title"], "draft"))
        own.append(maps.SAVED_ENTRY)
    with map_skipped(f"draw_{editing}"):
        drawn = st_folium(
            maps.add_legend(
                maps.add_draw_tools(maps.base_map(bounds)), overview.legend(own=tuple(own))
            ),
            key=f"draw_{editing}",
            height=520,
            use_container_width=True,
            feature_group_to_add=layers,
            returned_objects=["all_drawings"],
        )
drawings = (drawn or {}).get("all_drawings") or []
drawing = drawings[-1] if drawings else (existing["geometry"] if existing else None)
checks = check_proposal(db, drawing, kind, exclude_id=editing)
with checks_column:
    st.header(t("Checks"))
    if existing and not drawings:
        st.caption(t("Checking the shape saved with this proposal. Draw to replace it."))
    show_checks(checks)


def _value(name: str, default=None):
    return existing[name] if existing and existing.get(name) is not None else default


with st.form(f"proposal_{editing}"):
    title = st.text_input(t("Title"), value=_value("title", ""), max_chars=MAX_TITLE)
    summary = st.text_area(
        t("Summary: what, why, and how children will be kept safe"),
        value=_value("summary", ""),
        max_chars=MAX_SUMMARY,
    )
    ages = st.slider(
        t("Who it is for (ages)"),
        0,
        18,
        (int(_value("min_age", 0)), int(_value("max_age", 18))),
    )
    partners = st.text_area(
        t("Partners (one per line: schools, NGOs, health services, parent groups, council teams)"),
        value="\n".join(_value("partners", [])),
    )
    goals = st.text_area(
        t("Goals (one per line; small steps are easier to check)"),
        value="\n".join(_value("goals", [])),
    )
    budget_column, start_column, end_column = st.columns(3)
    budget = budget_column.number_input(
        t("Budget in £ (optional)"),
        min_value=0.0,
        max_value=float(MAX_BUDGET),
        value=float(_value("budget")) if _value("budget") is not None else None,
        step=100.0,
    )
    start = start_column.date_input(t("Start (optional)"), value=_value("start_date"))
    end = end_column.date_input(t("End (optional)"), value=_value("end_date"))
    save_column, submit_column = st.columns(2)
    save = save_column.form_submit_button(t("Save draft"))
    submit = submit_column.form_submit_button(t("Save and submit for review"), type="primary")

if save or submit:
    form = ProposalForm(
        title=title,
        summary=summary,
        kind=kind,
        partners=lines(partners),
        goals=lines(goals),
        min_age=ages[0],
        max_age=ages[1],
        budget=budget,
        start_date=start if isinstance(start, date) else None,
        end_date=end if isinstance(end, date) else None,
    )
    with user_errors():
        saved = workflow.save_draft(db, actor, form, drawing, utc_now(), editing)
        st.session_state["next_editing"] = saved
        notice.keep(t("Draft {number} saved. Come back to it any time.", number=saved))
        if submit:
            try:
                workflow.submit(db, actor, saved, utc_now())
            except SafePlayError as error:
                notice.keep(None)
                problem.keep(
                    t(
                        "Draft {number} is saved, but it cannot be submitted yet: {error}",
                        number=saved,
                        error=error,
                    )
                )
            else:
                st.session_state["next_editing"] = None
                notice.keep(
                    t(
                        "Proposal {number} was submitted. A council officer will review it; "
                        "follow it on “My proposals”.",
                        number=saved,
                    )
                )
        st.rerun()
