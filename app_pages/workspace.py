"""Council workspace: filter everything by area and facets, see it as map, table and counts,
and export exactly what is shown."""

import tempfile
from pathlib import Path

import streamlit as st

from geo import i18n
from geo.council import matching
from geo.escape import for_markdown
from geo.i18n import N_, Words, t, tn
from geo.io import exports
from geo.mapping import maps
from geo.registry import areas
from ui.area_map import area_map, take_from_map
from ui.common import store, user_errors
from ui.proposal_view import proposal_table
from ui.session import allowed_or_stop
from ui.workspace_filter import (
    current_selection,
    filter_widgets,
    remember,
    seed_from_address,
)

# The levels of area an officer filters by, named (the stored level is a key).
LEVEL_NAMES = Words(
    {
        "ward": N_("Ward"),
        "neighbourhood": N_("Neighbourhood"),
        "district": N_("District"),
        "borough": N_("Borough"),
        "council": N_("Council"),
    }
)
FORMAT_NAMES = Words(
    {"geojson": N_("GeoJSON"), "csv": N_("CSV (spreadsheet)"), "gpkg": N_("GeoPackage (QGIS)")}
)

st.title(t("Council workspace"))
actor = allowed_or_stop("use_workspace")
db = store()
all_areas = areas.list_areas(db, None)
area_names = {
    int(row.id): t("{level}: {name}", level=LEVEL_NAMES.get(row.level, row.level), name=row.name)
    for row in all_areas.itertuples()
}
wards = areas.area_shapes(db, "ward")

seed_from_address(set(area_names))
mode = filter_widgets(area_names)
selection = current_selection()
matched = shown = None
# Radius or shape mode before the centre is clicked or the shape drawn: the caption above
# the map says what to do; that is not an error.
not_yet = (mode == "radius" and selection.centre is None) or (
    mode == "shape" and selection.shape() is None
)
with user_errors():
    if not not_yet:
        matched = matching.match(db, actor, selection)
        remember(selection)
        # At city scale a filter can match tens of thousands: list and draw the newest,
        # count and export them all, and show the rest on the map as totals per ward.
        shown = matching.details(db, matched.head(matching.SHOWN_LIMIT))
summarised = matched is not None and len(matched) > matching.SHOWN_LIMIT

map_column, result_column = st.columns([3, 2], gap="medium")
with map_column:
    if mode == "shape":
        st.caption(t("Draw a shape with ⬠ or ▭; the last one drawn is the filter."))
    elif mode == "radius":
        st.caption(t("Click the map to put the centre of the circle."))
    if summarised:
        st.caption(
            tn(
                "{n} initiative: shown as totals per ward.",
                "{n} initiatives: shown as totals per ward.",
                len(matched),
            )
        )
    layers = []
    if summarised:
        per_ward = matching.count_per_ward(db, actor, matched)
        layers.append(
            maps.ward_count_layer(per_ward, t("initiatives"), t("Initiatives"), "#1864ab")
        )
    elif shown is not None:
        layers.append(maps.initiative_layer(shown))
    outline = selection.shape() if mode == "shape" else selection.circle()
    returned = area_map(
        wards, mode, "ws_map", legend=maps.workspace_legend(), layers=layers, outline=outline
    )
take_from_map(returned, mode, "ws_shape", "ws_centre")

with result_column:
    if matched is not None:
        counts = st.columns(3)
        counts[0].metric(t("Initiatives"), len(matched))
        running = matched["status"].isin(["approved", "in_progress"])
        counts[1].metric(t("Approved or running"), int(running.sum()))
        counts[2].metric(t("Waiting for review"), int((matched["status"] == "submitted").sum()))
        st.caption(t("Copy the page address to share or bookmark this filter."))
        st.markdown("**" + t("Export exactly this set") + "**")
        fmt = st.radio(
            t("Format"),
            exports.FORMATS,
            horizontal=True,
            key="ws_format",
            format_func=FORMAT_NAMES.get,
        )
        # A prepared file belongs to the filter and format it was written for: once either
        # changes it is dropped, so the download on screen is always this set's.
        wanted = (fmt, tuple(sorted(selection.to_query().items())))
        if st.session_state.get("ws_file", (None,) * 4)[3] != wanted:
            st.session_state.pop("ws_file", None)
        if st.button(t("Prepare the file"), key="ws_prepare"):
            bar = st.progress(0.0, text=t("Writing…"))
            with tempfile.TemporaryDirectory() as scratch, user_errors():
                target = Path(scratch) / f"initiatives.{fmt}"
                everything = matching.details(db, matched)
                exports.write(everything, fmt, target, progress=lambda done: bar.progress(done))
                st.session_state["ws_file"] = (
                    target.read_bytes(),
                    target.name,
                    len(everything),
                    wanted,
                )
            bar.empty()
        prepared = st.session_state.get("ws_file")
        if prepared:
            st.download_button(
                tn(
                    "Download {file} ({n} row)",
                    "Download {file} ({n} rows)",
                    prepared[2],
                    file=for_markdown(prepared[1]),
                ),
                prepared[0],
                file_name=prepared[1],
                key=f"ws_download_{hash(wanted)}",
            )
if shown is not None:
    if summarised:
        st.caption(
            t(
                "The newest {shown} of {total} are listed; the export holds all of them.",
                shown=i18n.number(matching.SHOWN_LIMIT),
                total=i18n.number(len(matched)),
            )
        )
    st.dataframe(proposal_table(shown), hide_index=True, width="stretch")
