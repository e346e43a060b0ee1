"""Play gaps: where children lack a play area within walking distance, and what would help."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import i18n
from geo.council import coverage
from geo.escape import for_markdown
from geo.i18n import N_, Words, t
from geo.mapping import maps, walking_layers
from geo.registry import areas
from geo.streets import storage
from geo.wording import day
from ui import walking_gaps
from ui.common import store
from ui.session import allowed_or_stop
from ui.skip_links import map_skipped

METHODS = Words({"walking": N_("Walking along streets"), "straight": N_("Straight line")})


@st.cache_data(max_entries=16, show_spinner=False)
def load_coverage(database: str, version: int, distances: tuple) -> coverage.Coverage:
    """Cached per database version and distances: a write makes it measure again. (The
    page says "Measuring…" itself, in the reader's language: a decorator's spinner text is
    fixed when the module loads.)"""
    del database, version  # cache key only
    return coverage.coverage(store(), dict(distances), method="straight")


@st.cache_resource(max_entries=4, show_spinner=False)
def load_walking(
    database: str, version: int, bands: str, step_free: bool
) -> coverage.WalkingCoverage | None:
    """Cached per database version, standard and route kind, like the straight line; as a
    resource, not data: a city's answer (every home and street edge) is not copied on
    every rerun, and nothing on the page changes it."""
    del database, version  # cache key only
    return coverage.walking_coverage(store(), bands=bands, step_free=step_free)


@st.cache_data(max_entries=8, show_spinner=False)
def load_streets(
    database: str, version: int
) -> tuple[storage.NetworkSummary | None, object, list[str]]:
    """The imported network's summary, its barriers (to draw what cuts homes off) and the
    wards it has no street in (an extract of somewhere else must not read as "nobody can
    walk to play")."""
    del database, version  # cache key only
    network = coverage.street_network(store())
    if network is None:
        return storage.summary(store()), None, []
    missing = network.wards_without_streets(areas.area_shapes(store(), "ward"))
    return storage.summary(store()), network.barriers, missing


@st.cache_data(max_entries=16, show_spinner=False)
def load_what_if(
    database: str, version: int, picked: tuple, bands: str, step_free: bool
) -> pd.DataFrame:
    """Each proposal's walking gain, from today's walks already measured for the page."""
    base = load_walking(database, version, bands, step_free)
    return coverage.what_if_walking(
        store(), list(picked), bands=bands, step_free=step_free, base=base
    )


def pick_proposals(titles: dict[int, str]) -> list[int]:
    """The what-if's picker, the same for both methods (so a choice survives a switch)."""
    st.header(t("What if these proposals were built?"))
    return st.multiselect(
        t("Proposals that would create play space (new play areas, play streets)"),
        list(titles),
        format_func=titles.get,
    )


st.title(t("Play gaps"))
actor = allowed_or_stop("use_workspace")
db = store()
summary, barriers, streetless = load_streets(db.location, db.data_version())
method = st.radio(
    t("Method"),
    list(METHODS) if summary else ["straight"],
    format_func=METHODS.get,
    horizontal=True,
)
if summary:
    st.caption(
        for_markdown(
            t(
                "Streets imported on {day} from {source}: {nodes} junctions and bends, "
                "{km} km of walkable ways.",
                day=day(summary.imported_at),
                source=summary.source,
                nodes=i18n.number(summary.nodes),
                km=i18n.number(round(summary.length_km)),
            )
        )
    )
else:
    st.caption(
        t(
            "Straight line only: no streets have been imported. An administrator imports the "
            "council's OpenStreetMap extract with `python -m geo import-streets FILE.osm.pbf`."
        )
    )
wards = areas.area_shapes(db, "ward")
if wards.empty:
    st.info(
        t(
            "No wards are loaded yet. Play gaps are measured per ward: an administrator "
            "imports ward boundaries and populations first (see README)."
        )
    )
    st.stop()
candidates = coverage.what_if_candidates(db)
titles = dict(zip(candidates["id"].astype(int), candidates["title"], strict=True))

if method == "walking":
    settings = st.columns(3)
    bands = settings[0].selectbox(
        t("Standard"), list(coverage.BANDS), format_func=walking_gaps.standard_words
    )
    levels = coverage.BANDS[bands]
    level = settings[1].selectbox(
        t("Show gaps for"), list(levels), format_func=lambda k: levels[k].label, index=1
    )
    step_free = settings[2].toggle(
        t("Step-free routes"), help=t("Leave out steps, as with a buggy or a wheelchair.")
    )
    with st.spinner(t("Measuring walks along the streets…")):
        result = load_walking(db.location, db.data_version(), bands, step_free)
    if streetless:
        st.warning(
            for_markdown(walking_gaps.streetless_words(streetless, len(wards), summary.source))
        )
    st.markdown(walking_gaps.method_words())
    reach_m = result.walk_distances[level]
    ranked = walking_gaps.need_table(result, level)
    st.markdown(
        t(
            "**Wards by need — {level}, within {distance} m on foot**",
            level=levels[level].label,
            distance=i18n.number(round(reach_m)),
        )
    )
    st.dataframe(ranked, hide_index=True, width="stretch")

    by_need = result.as_coverage().ranked(level)
    ward_names = dict(zip(by_need["id"], by_need["name"], strict=True))
    ward_id = st.selectbox(t("Ward on the map"), list(ward_names), format_func=ward_names.get)
    ward = wards[wards["id"] == ward_id]
    cut_off = result.cut_off[
        (result.cut_off["level"] == level) & (result.cut_off["ward_id"] == ward_id)
    ]
    gaps = result.gaps[level]
    streets = result.edges[result.edges["ward_id"] == ward_id]  # this ward's only: light
    layers = [
        maps.ward_layer(ward),
        maps.gap_layer(gaps[gaps["id"] == ward_id], levels[level].label),
        walking_layers.edge_layer(streets, streets[f"{level}_walk_m"], reach_m),
        walking_layers.cut_off_layer(cut_off, barriers),
    ]
    with map_skipped(f"walking_map_{ward_id}"):
        st_folium(
            maps.add_legend(
                maps.base_map(maps.framing(ward.geometry.iloc[0], 100)),
                walking_layers.legend(reach_m, levels[level].label),
            ),
            key=f"walking_map_{ward_id}",  # a new ward is framed afresh
            height=520,
            use_container_width=True,
            feature_group_to_add=layers,
            returned_objects=[],
        )

    st.header(t("Cut off, and by what"))
    st.caption(
        t(
            "{level}: homes within {line} m of play as the crow flies but not within "
            "{distance} m on foot, and the barrier the straight line to it crosses first.",
            level=levels[level].label,
            line=i18n.number(round(result.line_distances[level])),
            distance=i18n.number(round(reach_m)),
        )
    )
    cut_table = walking_gaps.cut_off_table(result, level)
    if cut_table.empty:
        st.info(t("No home at this level is cut off: where play is near, it can be walked to."))
    else:
        st.dataframe(cut_table, hide_index=True, width="stretch")

    picked = pick_proposals(titles)
    if picked:
        with st.spinner(t("Measuring each proposal's walks…")):
            gains = load_what_if(
                db.location, db.data_version(), tuple(sorted(picked)), bands, step_free
            )
        change = walking_gaps.what_if_table(result, gains, titles)
        if change.empty:
            st.info(t("None of these proposals would bring anyone nearer play on foot."))
        else:
            st.markdown(t("**Each proposal on its own, by walking along the streets**"))
            st.dataframe(change, hide_index=True, width="stretch")
    st.stop()

st.markdown(t(coverage.METHOD))
settings = st.columns(4)
distances = {
    name: settings[i].number_input(
        t("{level}, metres", level=spec.label),
        10.0,
        5_000.0,
        coverage.DEFAULT_DISTANCES[name],
        step=10.0,
    )
    for i, (name, spec) in enumerate(coverage.LEVELS.items())
}
level = settings[3].selectbox(
    t("Show gaps for"),
    list(coverage.LEVELS),
    format_func=lambda k: coverage.LEVELS[k].label,
    index=1,
)
with st.spinner(t("Measuring coverage…")):
    result = load_coverage(db.location, db.data_version(), tuple(sorted(distances.items())))
gaps_map, ranking = st.columns([3, 2], gap="medium")
with gaps_map:
    gaps = maps.gap_layer(result.gaps[level], coverage.LEVELS[level].label)
    st_folium(
        maps.add_legend(maps.base_map(maps.bounds_of(wards)), maps.GAPS_LEGEND),
        key="gaps_map",
        height=480,
        use_container_width=True,
        feature_group_to_add=[maps.ward_layer(wards), gaps],
        returned_objects=[],
    )
with ranking:
    st.markdown(t("**Wards by need — {level}**", level=coverage.LEVELS[level].label))
    st.dataframe(coverage.need_table(result, level), hide_index=True, width="stretch")

picked = pick_proposals(titles)
if picked:
    st.markdown(t("**Residents newly within reach, proposal by proposal**"))
    st.dataframe(coverage.compare_proposals(db, picked, distances), hide_index=True)
    change = coverage.what_if(db, picked, distances)
    if change.empty:
        st.info(t("Together these proposals would not change any ward's coverage."))
    else:
        st.markdown(t("**All of them together, ward by ward**"))
        st.dataframe(
            pd.DataFrame({t("Ward"): change["name"], **coverage.change_columns(change)}),
            hide_index=True,
            width="stretch",
        )
