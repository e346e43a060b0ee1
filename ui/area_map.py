"""The map on which a person marks an area: a shape drawn with leaflet.draw, or a point
clicked as a circle's centre.

The council workspace filters by such an area and My account follows one; both draw the
same map and take the same things from it, so a fix to one (a drawing read one run late,
a click taken twice) is a fix to both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import shapely
import streamlit as st
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from geo.mapping import maps
from ui.common import user_errors
from ui.skip_links import map_skipped

SHAPE = "shape"
RADIUS = "radius"


def area_map(
    wards: gpd.GeoDataFrame,
    mode: str,
    key: str,
    *,
    legend: Sequence[maps.LegendEntry],
    layers: Sequence[folium.FeatureGroup] = (),
    outline: BaseGeometry | None = None,
    height: int = 520,
) -> dict[str, Any] | None:
    """The ward lines and ``layers``, the chosen area dashed, and the drawing tools in
    shape mode; returns what st_folium returns (the drawings and the last click)."""
    shown = [maps.ward_layer(wards), *layers]
    if outline is not None:
        shown.append(maps.outline_layer(outline, "Chosen area"))
    fmap = maps.add_legend(maps.base_map(maps.bounds_of(wards)), legend)
    if mode == SHAPE:
        fmap = maps.add_draw_tools(fmap, shapes_only=True)
    with map_skipped(f"{key}_{mode}"):
        return st_folium(
            fmap,
            key=f"{key}_{mode}",
            height=height,
            use_container_width=True,
            feature_group_to_add=shown,
            returned_objects=["all_drawings", "last_clicked"],
        )


def take_from_map(
    returned: dict[str, Any] | None, mode: str, shape_key: str, centre_key: str
) -> None:
    """Keep a newly drawn shape (as WKT, in ``shape_key``) or a newly clicked centre (lon,
    lat, in ``centre_key``) in session state and rerun with it."""
    returned = returned or {}
    drawings = returned.get("all_drawings") or []
    if mode == SHAPE and drawings:
        with user_errors():
            wkt = shapely.geometry.shape(drawings[-1]["geometry"]).wkt
            if wkt != st.session_state.get(shape_key):
                st.session_state[shape_key] = wkt
                st.rerun()
    clicked = returned.get("last_clicked")
    if mode == RADIUS and clicked:
        centre = (round(clicked["lng"], 6), round(clicked["lat"], 6))
        if centre != st.session_state.get(centre_key):
            st.session_state[centre_key] = centre
            st.rerun()
