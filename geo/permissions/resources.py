"""What actions act on: owned resources (one account's) and ward-scoped ones (where they lie).

Each kind says which column names its owner, if any, and where its wards come from; the
lookups below are the one place that reads them for a check on a single thing (lists use
the same tables through ``Scope``). A thing that lies in no ward is in the scope of
whole-area accounts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Resource:
    """A kind of thing acted on: the column naming its owner (None: nobody owns one) and
    where its wards come from, in words (docs/permissions.md repeats them)."""

    owner: str | None
    wards: str


RESOURCES: dict[str, Resource] = {
    "account": Resource(None, "none: accounts are the whole council's"),
    "area": Resource(None, "itself"),
    "place": Resource(None, "the areas holding its representative point (place_areas)"),
    "initiative": Resource("owner_id", "the areas it touches (initiative_areas)"),
    "comment": Resource("author_id", "its proposal's"),
    "voice": Resource(None, "the ward it was left in, or its place's (voices.area_id)"),
    "concern": Resource(None, "its place's ward (concerns.area_id)"),
    "partner": Resource(None, "the wards it was given (partner_wards)"),
    "event": Resource("created_by", "the ward holding its point"),
    "database": Resource(None, "none: the whole file"),
}


def point_ward_ids(cursor: duckdb.DuckDBPyConnection, lon: float, lat: float) -> list[int]:
    """The ward holding a point, lowest id first (two on a shared boundary, none outside
    every ward): where an event or a voice left on the map lies."""
    rows = cursor.execute(
        "SELECT id FROM areas WHERE level = 'ward' AND ST_Intersects(geom, ST_Point(?, ?)) "
        "ORDER BY id",
        [lon, lat],
    )
    return [int(row[0]) for row in rows.fetchall()]


def place_area_ids(cursor: duckdb.DuckDBPyConnection, place_id: int) -> list[int]:
    """The areas a place lies in (one per level): what a ward-limited account is checked
    against for an inspection (``Scope.place_sql`` is the same for lists)."""
    rows = cursor.execute("SELECT area_id FROM place_areas WHERE place_id = ?", [place_id])
    return [int(row[0]) for row in rows.fetchall()]
