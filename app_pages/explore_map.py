"""Explore: the public map of play areas and initiatives, with filters, details and tables."""

from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo import i18n
from geo.escape import for_markdown
from geo.i18n import t, tn
from geo.ids import parse_id
from geo.mapping import explore, facts, maps
from geo.registry import initiatives, places
from geo.registry.filters import MapFilter
from geo.safeguarding import concerns
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES, PLACE_KINDS, PUBLIC_STATUSES
from ui.choice_key import ChoiceKey
from ui.common import facts_table, store, text_table, user_errors
from ui.follow_button import follow_button
from ui.session import current_actor
from ui.skip_links import map_skipped


@st.cache_resource(max_entries=64, show_spinner=False)
def load_view(
    database: str, data_version: int, filters: MapFilter, zoom: int | None = None
) -> explore.ExploreView:
    """Filtered data, cached per database until a write moves its data version.

    A resource, not ``st.cache_data``: cached data is unpickled afresh on every read, which
    cost each run 30–60 ms for the two views before the map was sent (more at city scale).
    The view is shared between sessions, so nothing here or in ``geo.mapping`` changes it
    in place."""
    del database, data_version  # cache key only
    return explore.explore(store(), filters, zoom)


def current_view() -> tuple[int | None, tuple[float, float, float, float] | None]:
    """The zoom and bounds the reader left the map at (at city scale only the play areas
    in view are sent)."""
    previous = st.session_state.get("explore_map") or {}
    corners = previous.get("bounds") or {}
    south_west, north_east = corners.get("_southWest"), corners.get("_northEast")
    if not south_west or not north_east or south_west.get("lat") is None:
        return previous.get("zoom"), None
    box = (south_west["lng"], south_west["lat"], north_east["lng"], north_east["lat"])
    return previous.get("zoom"), tuple(round(v, 5) for v in box)


db = store()
overview = load_view(db.location, db.data_version(), MapFilter())
all_wards = overview.wards
ward_ids = dict(zip(all_wards["name"], all_wards["id"], strict=True))

# The filters sit in a popover above the map ("Filter the map"), whose contents the browser
# draws only once it is opened: their widgets' scripts (the lists to choose from, the
# slider) were otherwise fetched and run before the browser began the map's frame, and made
# a first visit about 0.3 × slower than a page with the map alone (bench/README.md, public
# map). Their values are read here first: a widget with a key keeps its value in the
# session from the moment the reader changes it.
FILTER_DEFAULTS: dict[str, object] = {
    "explore_wards": [],
    "explore_kinds": [],
    "explore_ages": (0, 18),
    "explore_wheelchair": "any",
    "explore_statuses": list(PUBLIC_STATUSES),
    "explore_initiative_kinds": [],
}


def chosen(key: str) -> Any:
    """The value the reader gave the filter ``key`` (its default before they touch it)."""
    return st.session_state.get(key, FILTER_DEFAULTS[key])


# A ward chosen before it was removed (an administrator re-imported boundaries) is dropped,
# as the list itself drops it when drawn.
chosen_wards = [name for name in chosen("explore_wards") if name in ward_ids]
ages = chosen("explore_ages")
filters = MapFilter(
    area_ids=tuple(int(ward_ids[name]) for name in chosen_wards),
    place_kinds=tuple(chosen("explore_kinds")),
    min_age=ages[0],
    max_age=ages[1],
    wheelchair=chosen("explore_wheelchair"),
    statuses=tuple(chosen("explore_statuses")),
    initiative_kinds=tuple(chosen("explore_initiative_kinds")),
)
zoom, in_view = current_view()
view = load_view(db.location, db.data_version(), replace(filters, bbox=in_view), zoom)

st.title(t("Play areas and initiatives"))
if view.is_demo:
    st.info(t("**Demo data.** Millbrook is a fictional town generated for trying SafePlay."))
if all_wards.empty:
    st.warning(t("No boundaries are loaded yet. An administrator can import them (see README)."))

# The counts are one line of text, not ``st.metric``s: a metric's scripts (its number
# formatting) were fetched and run before the browser began the map (bench/README.md).
st.markdown(
    " · ".join(
        (
            tn("**{n}** play area shown", "**{n}** play areas shown", view.total_places),
            tn("**{n}** initiative shown", "**{n}** initiatives shown", len(view.initiatives)),
            tn("**{n}** ward", "**{n}** wards", len(chosen_wards) or len(all_wards)),
        )
    )
)

names = view.choices()
box = ChoiceKey("selected_feature")
# The map's last click is read before the map is drawn, so the map rings what was clicked
# in the same run (st_folium copies its value into session state before the rerun).
point = (st.session_state.get("explore_map") or {}).get("last_object_clicked")
if point and point != st.session_state.get("handled_click"):
    st.session_state["handled_click"] = point
    hit = view.feature_at(point["lng"], point["lat"])
    if hit is not None:
        box.set(hit)
        st.session_state["clicked_feature"] = hit
for linked in ("place", "initiative"):  # a link such as /?place=12 opens that feature once
    wanted = parse_id(st.query_params.get(linked))
    if wanted is not None and st.session_state.get("explore_link") != (linked, wanted):
        st.session_state["explore_link"] = (linked, wanted)
        box.set((linked, wanted))
box.keep_only(names)
picked = box.value()
focus = view.focus(
    picked,
    filters.area_ids,
    picked_on_map=picked is not None and picked == st.session_state.get("clicked_feature"),
)


def close_finder() -> None:
    st.session_state["explore_finder"] = False


map_column, details_column = st.columns([3, 2], gap="medium")
with map_column:
    with st.popover(t("Filter the map"), icon=":material/filter_list:", key="explore_filters"):
        st.multiselect(t("Wards"), list(ward_ids), key="explore_wards", placeholder=t("All wards"))
        st.multiselect(
            t("Kind of play area"),
            list(PLACE_KINDS),
            format_func=PLACE_KINDS.get,
            key="explore_kinds",
            placeholder=t("All kinds"),
        )
        st.slider(
            t("Suitable for ages"),
            0,
            18,
            FILTER_DEFAULTS["explore_ages"],
            key="explore_ages",
            help=t("Places with no stated ages stay in."),
        )
        st.radio(
            t("Wheelchair access"),
            ["any", "partly", "fully"],
            format_func={
                "any": t("Any"),
                "partly": t("At least partly"),
                "fully": t("Fully accessible"),
            }.get,
            key="explore_wheelchair",
            horizontal=True,
        )
        st.multiselect(
            t("Initiative status"),
            list(PUBLIC_STATUSES),
            default=FILTER_DEFAULTS["explore_statuses"],
            format_func=INITIATIVE_STATUSES.get,
            key="explore_statuses",
        )
        st.multiselect(
            t("Kind of initiative"),
            list(INITIATIVE_KINDS),
            format_func=INITIATIVE_KINDS.get,
            key="explore_initiative_kinds",
            placeholder=t("All kinds"),
        )
    if view.summarised:
        st.caption(
            tn(
                "{n} play area: shown as totals per ward. Zoom in to see each.",
                "{n} play areas: shown as totals per ward. Zoom in to see each.",
                view.total_places,
            )
        )
    layers = maps.build_layers(all_wards, view.places, view.initiatives, view.place_counts)
    with map_skipped("explore_map"):
        st_folium(
            # The legend comes from the unfiltered view, so the base map (and with it the
            # reader's pan and zoom) is the same whatever the filters.
            maps.add_legend(maps.base_map(view.bounds()), overview.legend()),
            key="explore_map",
            height=560,
            use_container_width=True,
            feature_group_to_add=[*layers.all(), maps.focus_layer(focus)],
            # Only at city scale does the view change what is sent; asking for zoom and bounds
            # otherwise would rerun the page on every pan for nothing.
            returned_objects=[
                "last_object_clicked",
                *(["zoom", "bounds"] if view.city_scale else []),
            ],
        )

with details_column:
    st.header(t("Details"))
    # The list to choose from sits in a popover, drawn by the browser only when opened: a
    # select box's scripts are the heaviest of the page's widgets (about 140 kB) and were
    # fetched before the map's frame started on a first visit (bench/README.md). Choosing
    # closes it, so the details it opens are not hidden under it.
    with st.popover(
        t("Find a play area or initiative"),
        icon=":material/search:",
        key="explore_finder",
        on_change="rerun",
    ):
        selected = st.selectbox(
            t("Choose a play area or initiative (or click one on the map)"),
            list(names),
            format_func=names.get,
            index=None,
            key=box.key,
            placeholder=t("Nothing selected"),
            on_change=close_finder,
        )
    with user_errors():
        if selected and selected[0] == "place":
            place = places.get_place(db, selected[1])
            st.markdown(f"### {for_markdown(place['name'])}")
            follow_button(
                db,
                current_actor(),
                "place",
                selected[1],
                place["name"],
                f"/?place={selected[1]}",
            )
            facts_table(facts.place_facts(place))
            open_now = concerns.open_concerns(db, selected[1])
            if not open_now.empty:
                st.caption(t("Open concerns"))
                text_table(facts.concern_table(open_now))
            st.page_link(
                "app_pages/report_concern.py",
                label=t("Report a concern here"),
                query_params={"place": str(selected[1])},
                icon="⚠️",
            )
        elif selected:
            initiative = initiatives.get_public_initiative(db, selected[1])
            st.markdown(f"### {for_markdown(initiative['title'])}")
            follow_button(
                db,
                current_actor(),
                "initiative",
                selected[1],
                initiative["title"],
                f"/?initiative={selected[1]}",
            )
            st.markdown(for_markdown(initiative["summary"]))
            facts_table(facts.initiative_facts(initiative))
            st.caption(t("Timeline"))
            text_table(facts.timeline_table(initiative["timeline"]))
        else:
            st.caption(t("Select something to see everything known about it."))

st.header(t("As a table"))


# The tables wait until asked for: the data grid's scripts are the heaviest a first visit
# would load, and fetching them while the map is drawn slowed the map by about 0.4 s
# (bench/README.md, public map). The choice keeps its place for the rest of the visit.
def flip_tables() -> None:
    st.session_state["explore_tables"] = not st.session_state.get("explore_tables", False)


# A button, not a toggle: a toggle's scripts were fetched before the map's frame started.
tables_shown = st.session_state.get("explore_tables", False)
st.button(
    t("Hide the table") if tables_shown else t("Show the play areas and initiatives as a table"),
    key="explore_tables_button",
    on_click=flip_tables,
    icon=":material/table:",
)
if tables_shown:
    place_tab, initiative_tab = st.tabs(
        [
            t("Play areas ({count})", count=i18n.number(len(view.places))),
            t("Initiatives ({count})", count=i18n.number(len(view.initiatives))),
        ]
    )
    # An empty table says why in words rather than drawing an empty grid (whose script is also
    # the heaviest a first visit would load: bench/README.md, browser).
    with place_tab:
        if not view.places.empty:
            st.dataframe(facts.place_table(view.places), hide_index=True, width="stretch")
        elif view.summarised:
            st.caption(
                t("The map shows play areas as totals per ward. Zoom in to list those in view.")
            )
        else:
            st.caption(t("No play areas match these filters."))
    with initiative_tab:
        if not view.initiatives.empty:
            st.dataframe(facts.initiative_table(view.initiatives), hide_index=True, width="stretch")
        else:
            st.caption(t("No initiatives match these filters."))
