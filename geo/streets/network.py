"""The walkable street network of one council, as the import stores it and analysis reads it.

Fields in Trust's 100 / 400 / 1,000 m are walking distances, and a river without a bridge
or a railway without a crossing makes a walk far longer than the straight line. So the
network keeps only what people walk, as a graph whose every OSM node is a vertex and every
segment between two consecutive nodes an edge (no geometry beyond the two ends is needed),
and keeps apart what they cannot cross, as barrier lines, to say *why* a place is cut off.

One network per database (one council); a re-import replaces it whole. This module is the
contract between reading (``geo/streets/osm_streets.py``), storing
(``geo/streets/storage.py``) and walking (``geo/streets/walking.py``): plain arrays and
frames, in longitude/latitude, so each side can be tested without the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.i18n import N_

# Barrier kinds, as they are named to a council officer ("cut off by the railway"); in
# English in the walking core's results (cached for every reader), translated where shown.
BARRIER_WORDS: dict[str, str] = {
    "river": N_("a river"),
    "canal": N_("a canal"),
    "water": N_("water"),
    "railway": N_("a railway"),
    "motorway": N_("a motorway"),
    "trunk_road": N_("a trunk road without a pavement"),
    "fence": N_("a fence"),
    "wall": N_("a wall"),
}


def _empty_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"kind": pd.Series(dtype=str)}, geometry=[], crs="EPSG:4326")


def _empty_barriers() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"kind": pd.Series(dtype=str), "name": pd.Series(dtype=object)},
        geometry=[],
        crs="EPSG:4326",
    )


@dataclass(frozen=True)
class StreetNetwork:
    """A walkable graph plus what walking analysis needs around it.

    Nodes are indexed 0..n-1 by position in ``lon``/``lat``. Edges are undirected:
    ``u[i]``–``v[i]``, ``length_m[i]`` metres along the ground, ``steps[i]`` when the
    segment is a flight of steps (walkable, but not with a buggy or a wheelchair).

    ``entrances``: points where a play area may be entered (OSM ``entrance=*`` and
    ``barrier=gate`` nodes), ``kind`` "entrance" or "gate". ``homes``: where people live,
    when the extract says (building centroids; ``kind`` the building tag), else empty.
    ``residential``: residential land-use polygons (``kind`` "residential"), else empty.
    ``barriers``: lines and areas that cannot be crossed except where the graph crosses
    them (a bridge, a level crossing), with ``kind`` from ``BARRIER_WORDS`` and ``name``
    (None when OSM has none).
    """

    lon: np.ndarray
    lat: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    steps: np.ndarray
    entrances: gpd.GeoDataFrame = field(default_factory=_empty_points)
    homes: gpd.GeoDataFrame = field(default_factory=_empty_points)
    residential: gpd.GeoDataFrame = field(default_factory=_empty_points)
    barriers: gpd.GeoDataFrame = field(default_factory=_empty_barriers)

    def __post_init__(self) -> None:
        if not (len(self.lon) == len(self.lat)):
            raise ValueError("lon and lat differ in length")
        if not (len(self.u) == len(self.v) == len(self.length_m) == len(self.steps)):
            raise ValueError("edge arrays differ in length")

    @property
    def node_count(self) -> int:
        return len(self.lon)

    @property
    def edge_count(self) -> int:
        return len(self.u)

    @property
    def length_km(self) -> float:
        return float(np.sum(self.length_m)) / 1000

    def wards_without_streets(self, wards: gpd.GeoDataFrame) -> list[str]:
        """The names of ``wards`` (EPSG:4326, with ``name``) holding none of the network's
        junctions: an extract of somewhere else, or one cut short, leaves them with no
        street to walk, and every home there would read as out of reach on foot."""
        lon, lat = np.asarray(self.lon, dtype=float), np.asarray(self.lat, dtype=float)
        missing = []
        for name, shape in zip(wards["name"], wards.geometry, strict=True):
            x0, y0, x1, y1 = shape.bounds
            near = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
            if not shapely.contains_xy(shape, lon[near], lat[near]).any():
                missing.append(str(name))
        return missing
