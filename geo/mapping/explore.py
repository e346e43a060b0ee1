"""What the public "Explore" page shows: the filtered sets, what the map frames and
rings, and the feature a click landed on.

Kept apart from the page so it is tested without Streamlit; the facts and tables shown
beside the map are ``geo.mapping.facts``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.i18n import t
from geo.mapping import maps
from geo.registry import areas, initiatives, places
from geo.registry.filters import MapFilter
from geo.storage.db import Store
from geo.vocabulary import PLACE_KINDS

Feature = tuple[str, int]  # ("place" | "initiative", id)


# More play areas than this are summarised per ward until the reader zooms in to
# DETAIL_ZOOM; then only those in view are sent. A city of 100,000 play areas would
# otherwise send 20 MB and take seconds to build (bench/README.md).
DETAIL_LIMIT = 2_000
DETAIL_ZOOM = 15


@dataclass(frozen=True)
class ExploreView:
    wards: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    initiatives: gpd.GeoDataFrame
    is_demo: bool
    place_counts: pd.DataFrame | None = None  # per ward, when places are summarised
    total_places: int = 0
    city_scale: bool = False  # more play areas than DETAIL_LIMIT: the view decides

    @property
    def summarised(self) -> bool:
        return self.place_counts is not None

    def bounds(self) -> tuple[float, float, float, float]:
        """What the map frames: the wards, else whatever is shown, else the world."""
        return maps.bounds_of(self.wards, self.places, self.initiatives)

    def choices(self) -> dict[Feature, str]:
        """Every shown feature with the label a person picks it by, places first."""
        labelled = {
            ("place", int(i)): t("Play area · {name}", name=name)
            for i, name in zip(self.places["id"], self.places["name"], strict=True)
        }
        labelled.update(
            (("initiative", int(i)), t("Initiative · {title}", title=title))
            for i, title in zip(self.initiatives["id"], self.initiatives["title"], strict=True)
        )
        return labelled

    def geometry_of(self, feature: Feature) -> BaseGeometry | None:
        """The shape of a shown feature (None when the filters hide it)."""
        frame = self.places if feature[0] == "place" else self.initiatives
        match = frame[frame["id"] == feature[1]]
        return None if match.empty else match.geometry.iloc[0]

    def focus(
        self, selected: Feature | None, ward_ids: tuple[int, ...], *, picked_on_map: bool = False
    ) -> maps.Focus:
        """Where the map should look: a feature picked from the list is framed and ringed;
        one clicked on the map is only ringed (it is in view already); otherwise the chosen
        wards are framed, and clearing the ward filter frames the whole town again."""
        shape = self.geometry_of(selected) if selected is not None else None
        if shape is not None:
            key = f"{selected[0]}:{selected[1]}"
            return maps.Focus(key, None if picked_on_map else maps.framing(shape, 120.0), shape)
        chosen = self.wards[self.wards["id"].isin(ward_ids)]
        if not chosen.empty:
            key = "wards:" + ",".join(str(i) for i in sorted(ward_ids))
            return maps.Focus(key, tuple(float(v) for v in chosen.total_bounds))
        return maps.Focus("", self.bounds(), only_after="wards:")

    def legend(
        self, own: tuple[maps.LegendEntry, ...] = (maps.PICKED_ENTRY,)
    ) -> list[maps.LegendEntry]:
        """The key of the map: ward lines, each kind of play area shown, clusters (or the
        per-ward totals of a large city), initiatives by status, then the page's ``own``
        symbols (what was picked on Explore, the drawing on Propose)."""
        counts = [maps.LegendEntry("ring", "#d9480f", t("Number of play areas in a ward"))]
        return [
            maps.WARD_ENTRY,
            *maps.place_entries(kinds_shown(self.places)),
            *(counts if self.city_scale else []),
            maps.CLUSTER_ENTRY,
            *maps.initiative_entries(),
            *own,
        ]

    def feature_at(self, lon: float, lat: float) -> Feature | None:
        """The feature a map click landed on; initiatives are drawn on top, so they win."""
        hit = maps.feature_at(self.initiatives, lon, lat)
        if hit is not None:
            return ("initiative", hit)
        hit = maps.feature_at(self.places, lon, lat)
        return ("place", hit) if hit is not None else None


def explore(store: Store, filters: MapFilter, zoom: int | None = None) -> ExploreView:
    """What the map shows for ``filters``: every play area while there are few; at city
    scale, counts per ward until ``zoom`` reaches ``DETAIL_ZOOM``, then the play areas in
    ``filters.bbox`` (the reader's view)."""
    wards = areas.area_shapes(store, "ward")
    everywhere = replace(filters, bbox=None)
    counts = places.count_places(store, everywhere)
    total = int(counts["count"].sum()) if not counts.empty else 0
    summarised = total > DETAIL_LIMIT and (zoom is None or zoom < DETAIL_ZOOM or not filters.bbox)
    shown = (
        # An empty frame with the usual columns: nothing lies at the degenerate box (0, 0).
        places.find_places(store, replace(filters, bbox=(0.0, 0.0, 0.0, 0.0)))
        if summarised
        else places.find_places(store, filters if total > DETAIL_LIMIT else everywhere)
    )
    return ExploreView(
        wards=wards,
        places=shown,
        initiatives=initiatives.find_initiatives(store, everywhere),
        is_demo=bool((wards["source"] == "demo").any()) if not wards.empty else False,
        place_counts=counts if summarised else None,
        total_places=total if summarised else len(shown),
        city_scale=total > DETAIL_LIMIT,
    )


def kinds_shown(frame: gpd.GeoDataFrame) -> list[str]:
    """The kinds of play area in ``frame`` in the vocabulary's order (all when it is empty,
    as at city scale before the reader zooms in)."""
    present = set(frame["kind"])
    return [k for k in PLACE_KINDS if k in present] or list(PLACE_KINDS)


@dataclass(frozen=True)
class Surroundings:
    """What lies around one shape: the wards it is in or near and the play areas close by."""

    wards: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    bounds: tuple[float, float, float, float]


def surroundings(store: Store, geometry: BaseGeometry, margin_m: float = 300.0) -> Surroundings:
    """The context a map of one proposal needs, so its shape is not drawn on blank grey:
    the play areas within ``margin_m`` of its bounds (found through the RTREE) and the
    outlines of the wards that box touches."""
    box = maps.framing(geometry, margin_m)
    wards = areas.area_shapes(store, "ward")
    if not wards.empty:
        wards = wards[wards.geometry.intersects(shapely.box(*box))]
    return Surroundings(wards, places.find_places(store, MapFilter(bbox=box)), box)
