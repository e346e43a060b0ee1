"""Play areas and safe spaces: storing them and finding them for the map and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import NotFound
from geo.geometry import measure
from geo.i18n import t
from geo.permissions import Actor, require, rereads_actor
from geo.registry.filters import MapFilter
from geo.storage import membership
from geo.storage.db import Store, insert_rows


@dataclass(frozen=True)
class PlaceRecord:
    """One place, ready to store (geometry repaired, EPSG:4326)."""

    name: str
    kind: str
    geometry: BaseGeometry
    source: str
    source_ref: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    surface: str | None = None
    fenced: bool | None = None
    lit: bool | None = None
    wheelchair: str | None = None
    access: str | None = None
    fee: bool | None = None
    opening_hours: str | None = None
    equipment: list[str] = field(default_factory=list)
    operator: str | None = None
    description: str | None = None
    last_inspection: date | None = None
    inspection_result: str | None = None


_ARROW_TYPES: dict[str, pa.DataType] = {
    "name": pa.string(),
    "kind": pa.string(),
    "source": pa.string(),
    "source_ref": pa.string(),
    "min_age": pa.int16(),
    "max_age": pa.int16(),
    "surface": pa.string(),
    "fenced": pa.bool_(),
    "lit": pa.bool_(),
    "wheelchair": pa.string(),
    "access": pa.string(),
    "fee": pa.bool_(),
    "opening_hours": pa.string(),
    "equipment": pa.list_(pa.string()),
    "operator": pa.string(),
    "description": pa.string(),
    "last_inspection": pa.date32(),
    "inspection_result": pa.string(),
}


@rereads_actor
def add_places(store: Store, actor: Actor, records: list[PlaceRecord]) -> list[int]:
    """Store places in one transaction and compute the areas each belongs to."""
    require(actor, "manage_places")
    columns = {
        name: pa.array([getattr(r, name) for r in records], kind)
        for name, kind in _ARROW_TYPES.items()
    }
    columns["geom"] = pa.array(
        shapely.to_wkb([r.geometry for r in records]).tolist() if records else [], pa.binary()
    )
    with store.write() as cursor:
        ids = insert_rows(cursor, "places", "place_ids", pa.table(columns))
        membership.assign_places(cursor, ids)
    return ids


def known_source_refs(store: Store, source: str) -> set[str]:
    """Ids already imported from a source, so re-running an import adds nothing twice."""
    rows = store.rows(
        "SELECT source_ref FROM places WHERE source = ? AND source_ref IS NOT NULL", [source]
    )
    return {row[0] for row in rows}


_WARD_NAMES = (
    "(SELECT string_agg(a.name, ', ' ORDER BY a.name) FROM place_areas pa "
    "JOIN areas a ON a.id = pa.area_id WHERE pa.place_id = p.id AND a.level = 'ward')"
)


# The conditions every place query shares; values are always parameters.
_WHERE = """
    WHERE (len(CAST($areas AS INTEGER[])) = 0 OR p.id IN (
              SELECT place_id FROM place_areas
              WHERE list_contains(CAST($areas AS INTEGER[]), area_id)))
      AND (len(CAST($kinds AS TEXT[])) = 0 OR list_contains($kinds, p.kind))
      AND coalesce(p.min_age, 0) <= $max_age
      AND coalesce(p.max_age, 99) >= $min_age
      AND (CAST($wheelchair AS TEXT[]) IS NULL OR list_contains($wheelchair, p.wheelchair))
      AND (CAST($minx AS FLOAT8) IS NULL
           OR ST_Intersects(p.geom, ST_MakeEnvelope($minx, $miny, $maxx, $maxy)))
"""


def find_places(store: Store, filters: MapFilter) -> gpd.GeoDataFrame:
    """Places matching the filters, with their ward names, for the map, table and exports."""
    return store.geoframe(
        f"""
        SELECT p.id, p.name, p.kind, p.min_age, p.max_age, p.surface, p.fenced, p.lit,
               p.wheelchair, p.access, p.fee, p.opening_hours, p.equipment, p.operator,
               p.last_inspection, p.inspection_result, p.source, p.source_ref,
               {_WARD_NAMES} AS wards, ST_AsWKB(p.geom) AS wkb
        FROM places p
        {_WHERE}
        ORDER BY p.name, p.id
        """,  # noqa: S608 - a constant subquery; every value is a parameter
        _filter_params(filters),
    )


def count_places(store: Store, filters: MapFilter) -> pd.DataFrame:
    """Places matching the filters counted per ward (the map's overview at city scale)."""
    return store.frame(
        f"""
        SELECT a.id, a.name, count(*) AS count, {membership.WARD_LABEL_POINT}
        FROM places p JOIN place_areas pa ON pa.place_id = p.id
        JOIN areas a ON a.id = pa.area_id AND a.level = 'ward'
        {_WHERE}
        GROUP BY a.id, a.name ORDER BY a.name
        """,  # noqa: S608 - constant conditions; every value is a parameter
        _filter_params(filters),
    )


def _filter_params(filters: MapFilter) -> dict[str, Any]:
    return {
        "areas": list(filters.area_ids),
        "kinds": list(filters.place_kinds),
        "min_age": filters.min_age,
        "max_age": filters.max_age,
        "wheelchair": filters.wheelchair_values(),
        **dict(zip(("minx", "miny", "maxx", "maxy"), filters.bbox or (None,) * 4, strict=True)),
    }


def get_place(store: Store, place_id: int) -> dict[str, Any]:
    """Everything known about one place, with its size where it is an area."""
    frame = store.geoframe(
        f"SELECT {store.columns('places', 'p')}, {_WARD_NAMES} AS wards, ST_AsWKB(p.geom) AS wkb "  # noqa: S608
        "FROM places p WHERE p.id = ?",
        [place_id],
    )
    if frame.empty:
        raise NotFound(t("there is no place number {number}", number=place_id))
    place = frame.iloc[0].to_dict()
    place.update(measure(place["geometry"]))
    return place
