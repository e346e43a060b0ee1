"""The Play gaps map for walking: streets coloured by the walk to play, homes out of reach,
and places cut off by a barrier.

A city ward has thousands of street segments; one GeoJSON feature each would send
megabytes to a phone. So segments are merged per distance band into one MultiLineString
(joined end to end where they meet, coordinates rounded to about a metre), and only the
chosen ward's are drawn. Bands differ by line pattern and weight as well as colour, and
the key names each band in words (WCAG 1.4.1: colour is never the only cue). Every text
from data (ward, OSM and proposal names) passes ``escape.for_map``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.escape import for_map
from geo.i18n import N_, number, t
from geo.mapping.maps import GAPS_LEGEND, LegendEntry, Swatch, _collection, _feature
from geo.streets.network import BARRIER_WORDS
from geo.streets.walking import NO_CROSSING
from geo.wording import present

# Barriers are drawn this far (degrees, about 1 km) around the places they cut off.
_NEAR = 0.01
# Rounded to 5 decimals (about 1 m): finer than a street is wide, a third fewer bytes.
_DECIMALS = 5


@dataclass(frozen=True)
class Band:
    """A range of walking distance as one line style on the map and one row of the key."""

    upto: float  # metres, as a multiple of the level's walking distance
    colour: str
    weight: int
    dash: str | None
    swatch: Swatch
    words: str  # English, marked: {near}, {reach} and {far} filled in from the level's distance


# Multiples of the level's walking distance; the last band also holds streets from which
# no play of the level can be reached at all (infinite distance).
BANDS: tuple[Band, ...] = (
    Band(0.5, "#1864ab", 5, None, "solid", N_("Within {near} on foot")),
    Band(1.0, "#0b7285", 3, "12 5", "longdash", N_("{near} to {reach} on foot (within reach)")),
    Band(2.0, "#e8590c", 3, "5 5", "dashed", N_("{reach} to {far} on foot (out of reach)")),
    Band(math.inf, "#c92a2a", 3, "1 6", "dotted", N_("Farther than {far}, or no route")),
)
OUT_OF_REACH_COLOUR = GAPS_LEGEND[1].colour  # drawn by maps.gap_layer
CUT_OFF_COLOUR = "#862e9c"
BARRIER_COLOUR = "#f08c00"


def metres(value: float) -> str:
    """A distance as a council officer writes it: "400 m", "1.2 km"."""
    return f"{number(value / 1000, 1)} km" if value >= 1000 else f"{number(round(value))} m"


def band_words(band: Band, reach_m: float) -> str:
    return t(band.words, near=metres(reach_m / 2), reach=metres(reach_m), far=metres(2 * reach_m))


def legend(reach_m: float, level_label: str) -> list[LegendEntry]:
    """The key of the walking map at one level: a line per band, then the areas and marks."""
    return [
        *(
            LegendEntry(b.swatch, b.colour, t("Street: {band}", band=band_words(b, reach_m)))
            for b in BANDS
        ),
        LegendEntry(
            "fill",
            OUT_OF_REACH_COLOUR,
            t("Homes out of walking reach of {level}", level=level_label),
        ),
        LegendEntry("ring", CUT_OFF_COLOUR, t("Near play as the crow flies, cut off on foot")),
        LegendEntry("thick", BARRIER_COLOUR, t("The barrier that cuts them off")),
    ]


def in_area(lon: np.ndarray, lat: np.ndarray, area: BaseGeometry) -> np.ndarray:
    """Which points lie in ``area`` (on its boundary counts)."""
    shapely.prepare(area)
    return shapely.intersects_xy(area, lon, lat)


def edge_features(edges: pd.DataFrame, walk_m: np.ndarray, reach_m: float) -> list[dict]:
    """One feature per band with its street segments merged: ``edges`` has the ends'
    ``lon_u``, ``lat_u``, ``lon_v``, ``lat_v``; ``walk_m`` the walk from each edge to the
    nearest play (its nearer end; inf when none is reachable)."""
    segments = np.stack(
        [
            edges[["lon_u", "lat_u"]].to_numpy(dtype=float),
            edges[["lon_v", "lat_v"]].to_numpy(dtype=float),
        ],
        axis=1,
    ).round(_DECIMALS)
    walk = np.asarray(walk_m, dtype=float)
    features, lower = [], 0.0
    for band in BANDS:
        upper = band.upto * reach_m
        chosen = (walk > lower) & (walk <= upper) if lower else walk <= upper
        lower = upper
        if not chosen.any():
            continue
        merged = shapely.line_merge(shapely.multilinestrings(shapely.linestrings(segments[chosen])))
        features.append(
            _feature(
                merged,
                {
                    "band": band_words(band, reach_m),
                    "colour": band.colour,
                    "weight": band.weight,
                    "dash": band.dash,
                },
            )
        )
    return features


def edge_layer(edges: pd.DataFrame, walk_m: np.ndarray, reach_m: float) -> folium.FeatureGroup:
    """Streets drawn by the walk from them to the nearest play, a few bands (see ``BANDS``)."""
    group = folium.FeatureGroup(name=t("Streets by walk to play"), control=True)
    features = edge_features(edges, walk_m, reach_m)
    if features:
        folium.GeoJson(
            _collection(features),
            name=t("Streets"),
            style_function=lambda f: {
                "color": f["properties"]["colour"],
                "weight": f["properties"]["weight"],
                "dashArray": f["properties"]["dash"],
                "opacity": 0.9,
            },
            tooltip=folium.GeoJsonTooltip(fields=["band"], aliases=[t("Street")], sticky=True),
        ).add_to(group)
    return group


def barrier_words(kind: object, name: object) -> str:
    """A barrier as a council officer reads it: "a railway — Main Line"; the walking core's
    "no crossing in the data" when the straight line crosses nothing the import knows of.
    ``kind`` is already in English words (``BARRIER_WORDS``), read here in the reader's."""
    if not present(kind):
        return t(NO_CROSSING)
    return f"{t(str(kind))} — {name}" if present(name) else t(str(kind))


def _named(kind: object, name: object) -> tuple[str, str | None]:
    return (str(kind), str(name) if present(name) else None)


def cut_off_features(cut_off: gpd.GeoDataFrame, barriers: gpd.GeoDataFrame) -> list[dict]:
    """Cut-off places as points saying how far as the crow flies and on foot, and the
    barriers they are cut off by (those lines only, near the places), from the network's
    ``barriers`` (``kind`` a ``BARRIER_WORDS`` key, ``name``)."""
    features = []
    for row in cut_off.itertuples():
        barrier = barrier_words(row.barrier_kind, row.barrier_name)
        what = (
            t(
                "{line} as the crow flies, {walk} on foot; cut off by {barrier}",
                line=metres(row.line_m), walk=metres(row.walk_m), barrier=barrier,
            )
            if np.isfinite(row.walk_m)
            else t(
                "{line} as the crow flies, no route on foot; cut off by {barrier}",
                line=metres(row.line_m), barrier=barrier,
            )
        )  # fmt: skip
        features.append(
            _feature(
                shapely.set_precision(row.geometry, 10**-_DECIMALS),
                {
                    "what": for_map(what),
                    "role": "place",
                },
            )
        )
    if cut_off.empty or barriers.empty:
        return features
    pairs = zip(cut_off["barrier_kind"], cut_off["barrier_name"], strict=True)
    wanted = {_named(kind, name) for kind, name in pairs}
    minx, miny, maxx, maxy = cut_off.total_bounds
    around = shapely.box(minx - _NEAR, miny - _NEAR, maxx + _NEAR, maxy + _NEAR)
    for row in barriers.itertuples():
        words = BARRIER_WORDS.get(row.kind, row.kind)
        if _named(words, row.name) not in wanted:
            continue
        line = row.geometry.boundary if row.geometry.area else row.geometry
        line = shapely.intersection(line, around)
        if not line.is_empty:
            features.append(
                _feature(
                    shapely.set_precision(line, 10**-_DECIMALS),
                    {"what": for_map(barrier_words(words, row.name)), "role": "barrier"},
                )
            )
    return features


def cut_off_layer(cut_off: gpd.GeoDataFrame, barriers: gpd.GeoDataFrame) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("Cut off, and by what"), control=True)
    features = cut_off_features(cut_off, barriers)
    if features:
        folium.GeoJson(
            _collection(features),
            name=t("Cut off"),
            marker=folium.CircleMarker(radius=8, weight=3, fill=True, fill_opacity=0.2),
            style_function=lambda f: (
                {"color": BARRIER_COLOUR, "weight": 7, "opacity": 0.85}
                if f["properties"]["role"] == "barrier"
                else {"color": CUT_OFF_COLOUR, "fillColor": CUT_OFF_COLOUR, "weight": 3}
            ),
            tooltip=folium.GeoJsonTooltip(fields=["what"], aliases=[""]),
        ).add_to(group)
    return group


def payload_bytes(*groups: folium.FeatureGroup) -> int:
    """What the groups' GeoJSON weighs as sent to the browser (the data, not the script)."""
    total = 0
    for group in groups:
        for child in group._children.values():
            if isinstance(child, folium.GeoJson):
                total += len(json.dumps(child.data, separators=(",", ":")))
    return total
