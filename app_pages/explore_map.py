"""Explore: the public map of play areas and initiatives, with filters, details and tables."""

from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo.escape import for_markdown
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


@st.cache_data(max_entries=64, show_spinner=False)
def load_view(
    database: str, data_version: int, filters: MapFilter, zoom: int | None = None
) -> explore.ExploreView:
    """Filtered data, cached per database until a write moves its data version."""
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

st.title("Play areas and initiatives")
if view.is_demo:
    st.info("**Demo data.** Millbrook is a fictional town generated for trying SafePlay.")
if all_wards.empty:
    st.warning("No boundaries are loaded yet. An administrator can import them (see README).")

shown = st.columns(3)
shown[0].metric("Play areas shown", f"{view.total_places:,}")
shown[1].metric("Initiatives shown", len(view.initiatives))
shown[2].metric("Wards", len(chosen_wards) or len(all_wards))

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

map_column, details_column = st.columns([3, 2], gap="medium")
with map_column:
    with st.popover("Filter the map", icon=":material/filter_list:", key="explore_filters"):
        st.multiselect("Wards", list(ward_ids), key="explore_wards", placeholder="All wards")
        st.multiselect(
            "Kind of play area",
            list(PLACE_KINDS),
            format_func=PLACE_KINDS.get,
            key="explore_kinds",
            placeholder="All kinds",
        )
        st.slider(
            "Suitable for ages",
            0,
            18,
            FILTER_DEFAULTS["explore_ages"],
            key="explore_ages",
            help="Places with no stated ages stay in.",
        )
        st.radio(
            "Wheelchair access",
            ["any", "partly", "fully"],
            format_func={
                "any": "Any",
                "partly": "At least partly",
                "fully": "Fully accessible",
            }.get,
            key="explore_wheelchair",
            horizontal=True,
        )
        st.multiselect(
            "Initiative status",
            list(PUBLIC_STATUSES),
            default=FILTER_DEFAULTS["explore_statuses"],
            format_func=INITIATIVE_STATUSES.get,
            key="explore_statuses",
        )
        st.multiselect(
            "Kind of initiative",
            list(INITIATIVE_KINDS),
            format_func=INITIATIVE_KINDS.get,
            key="explore_initiative_kinds",
            placeholder="All kinds",
        )
    if view.summarised:
        st.caption(
            f"{view.total_places:,} play areas: shown as totals per ward. Zoom in to see each."
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
    st.header("Details")
    selected = st.selectbox(
        "Choose a play area or initiative (or click one on the map)",
        list(names),
        format_func=names.get,
        index=None,
        key=box.key,
        placeholder="Nothing selected",
    )
    with user_errors():
        if selected and selected[0] == "place":
            place = places.get_place(db, selected[1])
            st.markdown(f"#### {for_markdown(place['name'])}")
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
                st.caption("Open concerns")
                text_table(facts.concern_table(open_now))
            st.page_link(
                "app_pages/report_concern.py",
                label="Report a concern here",
                query_params={"place": str(selected[1])},
                icon="⚠️",
            )
        elif selected:
            initiative = initiatives.get_public_initiative(db, selected[1])
            st.markdown(f"#### {for_markdown(initiative['title'])}")
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
            st.caption("Timeline")
            text_table(facts.timeline_table(initiative["timeline"]))
        else:
            st.caption("Select something to see everything known about it.")

st.header("As a table")
# The tables wait until asked for: the data grid's scripts are the heaviest a first visit
# would load, and fetching them while the map is drawn slowed the map by about 0.4 s
# (bench/README.md, public map). The switch keeps its place for the rest of the visit.
if st.toggle("Show the play areas and initiatives as a table", key="explore_tables"):
    place_tab, initiative_tab = st.tabs(
        [f"Play areas ({len(view.places)})", f"Initiatives ({len(view.initiatives)})"]
    )
    # An empty table says why in words rather than drawing an empty grid (whose script is also
    # the heaviest a first visit would load: bench/README.md, browser).
    with place_tab:
        if not view.places.empty:
            st.dataframe(facts.place_table(view.places), hide_index=True, width="stretch")
        elif view.summarised:
            st.caption(
                "The map shows play areas as totals per ward. Zoom in to list those in view."
            )
        else:
            st.caption("No play areas match these filters.")
    with initiative_tab:
        if not view.initiatives.empty:
            st.dataframe(facts.initiative_table(view.initiatives), hide_index=True, width="stretch")
        else:
            st.caption("No initiatives match these filters.")
