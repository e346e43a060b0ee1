"""A map to tap where one means (Have your say): the tap shows as a pin, and a tap outside
the council area is refused in words instead of being sent."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.i18n import t
from geo.mapping import maps
from geo.registry import areas
from geo.storage.db import Store
from ui.skip_links import map_skipped


def tap_point(db: Store, wards: gpd.GeoDataFrame, key: str) -> tuple[float, float] | None:
    """The (longitude, latitude) tapped inside the council area, else None.

    The last tap is read before the map is drawn (st_folium copies it into session state
    before the rerun), so its pin appears at once rather than one tap late.
    """
    tapped = (st.session_state.get(key) or {}).get("last_clicked")
    point = (tapped["lng"], tapped["lat"]) if tapped else None
    layers = [maps.ward_layer(wards)]
    if point is not None:
        layers.append(maps.tap_layer(*point))
    with map_skipped(key):
        st_folium(
            maps.add_legend(
                maps.base_map(maps.bounds_of(wards)), [maps.WARD_ENTRY, maps.TAP_ENTRY]
            ),
            key=key,
            height=320,
            use_container_width=True,
            feature_group_to_add=layers,
            returned_objects=["last_clicked"],
        )
    if point is None:
        return None
    if not areas.in_council_area(db, *point):
        st.warning(
            t(
                "That spot is outside the council area, so it will not be sent. Tap inside "
                "the dashed ward lines, or leave the map out."
            )
        )
        return None
    st.caption(t("Got it: a rough area around where you tapped."))
    return point
