"""OpenStreetMap's way of describing play areas, and reading ``.osm.pbf`` extracts.

The tag mapping also serves ordinary files whose columns use OSM keys (exports from
Overpass, council registers modelled on OSM), so one set of rules reads them all.
In OSM, play equipment is mapped as separate nodes (``playground=swing``) inside the
``leisure=playground`` area; the reader gathers them into the area's equipment list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from geo.io.readers import RawTable, read_gdal

# (tag, value) -> our place kind; the first match wins.
_KIND_RULES: tuple[tuple[str, str, str], ...] = (
    ("leisure", "playground", "playground"),
    ("leisure", "adventure_playground", "adventure_playground"),
    ("playground", "adventure", "adventure_playground"),
    ("leisure", "splash_pad", "water_play"),
    ("leisure", "water_park", "water_play"),
    ("sport", "skateboard", "skate_park"),
    ("leisure", "skatepark", "skate_park"),
    ("leisure", "pitch", "games_area"),
    ("leisure", "park", "park"),
    ("highway", "living_street", "play_street"),
    ("amenity", "youth_centre", "youth_space"),
    ("amenity", "school", "school_yard"),
)
IMPORTED_LEISURE = {"playground", "park", "splash_pad", "water_park", "adventure_playground"}
_TAG_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
_YES = {"yes", "y", "true", "1", "designated"}
_NO = {"no", "n", "false", "0"}


def place_kind(tags: Mapping[str, Any], default: str) -> str:
    for key, value, kind in _KIND_RULES:
        if str(tags.get(key, "")).strip().lower() == value:
            return kind
    return default


def place_attributes(tags: Mapping[str, Any]) -> dict[str, Any]:
    """PlaceRecord fields from OSM-style tags (keys compared case-insensitively)."""
    lower = {str(k).lower(): v for k, v in tags.items() if _given(v)}
    wheelchair = _wheelchair(lower.get("wheelchair", lower.get("accessible")))
    return {
        "min_age": _age(lower.get("min_age")),
        "max_age": _age(lower.get("max_age")),
        "surface": _text(lower.get("surface")),
        "access": _text(lower.get("access")),
        "lit": _flag(lower.get("lit")),
        "fee": _flag(lower.get("fee")),
        "fenced": _fenced(lower),
        "wheelchair": wheelchair,
        "opening_hours": _text(lower.get("opening_hours")),
        "operator": _text(lower.get("operator")),
        "description": _text(lower.get("description")),
    }


def parse_other_tags(text: Any) -> dict[str, str]:
    """GDAL's ``other_tags`` column (``"k"=>"v","k2"=>"v2"``) as a dict."""
    if not isinstance(text, str):
        return {}
    return {k.replace('\\"', '"'): v.replace('\\"', '"') for k, v in _TAG_PAIR.findall(text)}


def read_osm_playgrounds(path: Path) -> RawTable:
    """Play places (points and areas) from an ``.osm.pbf``, with equipment gathered in."""
    frames = []
    equipment_points = []
    for layer in ("points", "multipolygons"):
        table = read_gdal(path, layer=layer)
        attrs = table.attributes
        tags = [
            {**parse_other_tags(row.get("other_tags")), **_core_tags(row)}
            for row in attrs.to_dict("records")
        ]
        for index, tag in enumerate(tags):
            geometry = table.geometries[index]
            if tag.get("leisure") in IMPORTED_LEISURE or tag.get("sport") == "skateboard":
                ref = f"{'node' if layer == 'points' else 'way'}/{_osm_id(attrs, index)}"
                frames.append((tag, geometry, table.geometry_problems.get(index), ref))
            elif layer == "points" and "playground" in tag and geometry is not None:
                equipment_points.append((geometry, tag["playground"]))
    rows = []
    geometries = []
    problems = {}
    for index, (tag, geometry, problem, ref) in enumerate(frames):
        inside = sorted(
            {
                kind.replace("_", " ")
                for point, kind in equipment_points
                if geometry is not None
                and geometry.geom_type != "Point"
                and geometry.contains(point)
            }
        )
        rows.append({**tag, "osm_ref": ref, "equipment": inside})
        geometries.append(geometry)
        if problem:
            problems[index] = problem
    attributes = pd.DataFrame(rows) if rows else pd.DataFrame(columns=["name", "osm_ref"])
    return RawTable(attributes, geometries, problems, ["OpenStreetMap extract"])


def _core_tags(row: dict[str, Any]) -> dict[str, str]:
    skip = {"osm_id", "osm_way_id", "other_tags"}
    return {k: str(v) for k, v in row.items() if k not in skip and _given(v)}


def _osm_id(attributes: pd.DataFrame, index: int) -> str:
    for column in ("osm_id", "osm_way_id"):
        if column in attributes and _given(attributes[column].iloc[index]):
            return str(attributes[column].iloc[index])
    return str(index)


def _given(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and value != value:  # NaN
        return False
    return str(value).strip() != ""


def _text(value: Any) -> str | None:
    return str(value).strip() if _given(value) else None


def _flag(value: Any) -> bool | None:
    text = (_text(value) or "").lower()
    return True if text in _YES else False if text in _NO else None


def _wheelchair(value: Any) -> str | None:
    text = (_text(value) or "").lower()
    if text in _YES:
        return "yes"
    if text in ("limited", "partial", "partly"):
        return "limited"
    return "no" if text in _NO else None


def _fenced(tags: Mapping[str, Any]) -> bool | None:
    if "fenced" in tags:
        return _flag(tags["fenced"])
    barrier = _text(tags.get("barrier"))
    return True if barrier in ("fence", "wall", "hedge") else None


def _age(value: Any) -> int | None:
    match = re.match(r"^\s*(\d{1,2})", str(value)) if _given(value) else None
    return int(match.group(1)) if match else None
