"""Play gaps: where children lack a play area within walking distance, and what would help."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.council import coverage
from geo.mapping import maps
from geo.registry import areas
from ui.common import store
from ui.session import allowed_or_stop


@st.cache_data(max_entries=16, show_spinner="Measuring coverage…")
def load_coverage(database: str, version: int, distances: tuple) -> coverage.Coverage:
    """Cached per database version and distances: a write makes it measure again."""
    del database, version  # cache key only
    return coverage.coverage(store(), dict(distances))


st.title("Play gaps")
actor = allowed_or_stop("use_workspace")
db = store()
st.markdown(coverage.METHOD)
settings = st.columns(4)
distances = {
    name: settings[i].number_input(
        f"{spec.label}, metres", 10.0, 5_000.0, coverage.DEFAULT_DISTANCES[name], step=10.0
    )
    for i, (name, spec) in enumerate(coverage.LEVELS.items())
}
level = settings[3].selectbox(
    "Show gaps for",
    list(coverage.LEVELS),
    format_func=lambda k: coverage.LEVELS[k].label,
    index=1,
)
result = load_coverage(db.location, db.data_version(), tuple(sorted(distances.items())))
if result.table.empty:
    st.info(
        "No wards are loaded yet. Play gaps are measured per ward: an administrator imports "
        "ward boundaries and populations first (see README)."
    )
    st.stop()

wards = areas.area_shapes(db, "ward")
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
    st.markdown(f"**Wards by need — {coverage.LEVELS[level].label}**")
    st.dataframe(coverage.need_table(result, level), hide_index=True, width="stretch")

st.subheader("What if these proposals were built?")
candidates = coverage.what_if_candidates(db)
titles = dict(zip(candidates["id"].astype(int), candidates["title"], strict=True))
picked = st.multiselect(
    "Proposals that would create play space (new play areas, play streets)",
    list(titles),
    format_func=titles.get,
)
if picked:
    st.markdown("**Residents newly within reach, proposal by proposal**")
    st.dataframe(coverage.compare_proposals(db, picked, distances), hide_index=True)
    change = coverage.what_if(db, picked, distances)
    if change.empty:
        st.info("Together these proposals would not change any ward's coverage.")
    else:
        st.markdown("**All of them together, ward by ward**")
        st.dataframe(
            pd.DataFrame({"Ward": change["name"], **coverage.change_columns(change)}),
            hide_index=True,
            width="stretch",
        )
