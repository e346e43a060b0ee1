"""The council workspace's filter widgets, kept in step with the page's address.

The address is the filter's home: a bookmarked or shared link (or a ward clicked on
"Wards at a glance") fills the widgets, and every change writes the address back. Drawn
shapes and clicked centres come from the map (``ui/area_map.py``) and live in session
state between reruns.
"""

from __future__ import annotations

import streamlit as st

from geo.council.selection import ATTENTION, DATE_FIELDS, Selection
from geo.errors import InvalidInput
from geo.escape import for_markdown
from geo.i18n import N_, Words, t
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES

MODES = Words(
    {
        "all": N_("Whole council"),
        "areas": N_("Wards or other areas"),
        "shape": N_("A shape drawn on the map"),
        "radius": N_("Distance from a point"),
    }
)


def seed_from_address(area_ids: set[int]) -> None:
    """Fill the widgets from the address when it holds a filter we did not write ourselves."""
    address = dict(st.query_params)
    if address == st.session_state.get("ws_written"):
        return
    try:
        start = Selection.from_query(address)
    except InvalidInput as error:
        st.error(
            t(
                "The address holds a filter that cannot be used: {problem}. Showing everything.",
                problem=for_markdown(error),
            )
        )
        start = Selection()
    st.session_state.update(
        ws_mode=start.mode,
        ws_areas=[i for i in start.area_ids if i in area_ids],
        ws_shape=start.shape_wkt,
        ws_centre=start.centre,
        ws_radius=float(start.radius_m or 400),
        ws_status=list(start.statuses),
        ws_kind=list(start.kinds),
        ws_partner=start.partner,
        ws_ages=(start.min_age, start.max_age),
        ws_date_field=start.date_field,
        ws_from=start.date_from,
        ws_to=start.date_to,
        ws_text=start.text,
        ws_attention=start.attention,
    )
    st.session_state["ws_written"] = address


def filter_widgets(area_names: dict[int, str]) -> str:
    """Draw the filter's widgets; return the chosen area mode."""
    mode = st.radio(t("Area"), list(MODES), format_func=MODES.get, horizontal=True, key="ws_mode")
    if mode == "areas":
        st.multiselect(t("Areas"), list(area_names), format_func=area_names.get, key="ws_areas")
    if mode == "radius":
        st.number_input(t("Radius (metres)"), 10.0, 50_000.0, step=50.0, key="ws_radius")
    facets = st.columns(4)
    facets[0].multiselect(
        t("Status"),
        list(INITIATIVE_STATUSES),
        format_func=INITIATIVE_STATUSES.get,
        key="ws_status",
    )
    facets[1].multiselect(
        t("Kind"),
        list(INITIATIVE_KINDS),
        format_func=INITIATIVE_KINDS.get,
        key="ws_kind",
        placeholder=t("All kinds"),
    )
    facets[2].text_input(t("Partner"), key="ws_partner", max_chars=200)
    facets[3].text_input(t("Text (title, summary, proposer)"), key="ws_text", max_chars=200)
    dates = st.columns([2, 1, 1, 2, 2])
    dates[0].selectbox(
        t("Date"), list(DATE_FIELDS), format_func=DATE_FIELDS.get, key="ws_date_field"
    )
    dates[1].date_input(t("From"), value=None, key="ws_from")
    dates[2].date_input(t("To"), value=None, key="ws_to")
    dates[3].slider(t("For ages"), 0, 18, key="ws_ages")
    dates[4].selectbox(
        t("Needs attention"), list(ATTENTION), format_func=ATTENTION.get, key="ws_attention"
    )
    return mode


def current_selection() -> Selection:
    state = st.session_state
    return Selection(
        mode=state["ws_mode"],
        area_ids=tuple(state.get("ws_areas") or ()),
        shape_wkt=state.get("ws_shape"),
        centre=state.get("ws_centre"),
        radius_m=state.get("ws_radius"),
        statuses=tuple(state["ws_status"]),
        kinds=tuple(state["ws_kind"]),
        partner=state["ws_partner"],
        min_age=state["ws_ages"][0],
        max_age=state["ws_ages"][1],
        date_field=state["ws_date_field"],
        date_from=state["ws_from"],
        date_to=state["ws_to"],
        text=state["ws_text"],
        attention=state["ws_attention"],
    )


def remember(selection: Selection) -> None:
    """Write the filter into the address (bookmarkable, shareable)."""
    query = selection.to_query()
    st.query_params.from_dict(query)
    st.session_state["ws_written"] = query
