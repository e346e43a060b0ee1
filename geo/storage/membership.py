"""Which areas each place and initiative lies in, computed on write.

Filtering by ward then becomes an indexed equality on a small table instead of a geometry
test per row; an initiative's rows also carry its status and last update, so the ward filter
reads nothing else (``follow_initiative`` keeps that copy right). A place belongs to the
area holding its representative point (one per level, so per-ward counts add up); an
initiative belongs to every area it touches (a walking route that crosses two wards
concerns both).
"""

from __future__ import annotations

import duckdb

# Where a ward's count is drawn on an overview map: a point surely inside the ward ``a``
# (for SQL that groups by ward).
WARD_LABEL_POINT = (
    "ST_X(ST_PointOnSurface(any_value(a.geom))) AS lon, "
    "ST_Y(ST_PointOnSurface(any_value(a.geom))) AS lat"
)


def assign_places(cursor: duckdb.DuckDBPyConnection, place_ids: list[int] | None) -> None:
    """Recompute area membership of the given places (``None``: of every place)."""
    params = [place_ids, place_ids]
    cursor.execute(
        "DELETE FROM place_areas WHERE place_id IN "
        "(SELECT p.id FROM places p "
        " WHERE ?::INTEGER[] IS NULL OR list_contains(?::INTEGER[], p.id))",
        params,
    )
    cursor.execute(
        "INSERT INTO place_areas (place_id, area_id) "
        # On a shared boundary the point touches two areas of a level: keep the first.
        "SELECT DISTINCT ON (p.id, a.level) p.id, a.id FROM places p JOIN areas a "
        "ON ST_Intersects(a.geom, ST_PointOnSurface(p.geom)) "
        "WHERE ?::INTEGER[] IS NULL OR list_contains(?::INTEGER[], p.id) "
        "ORDER BY p.id, a.level, a.id",
        params,
    )


def assign_initiatives(cursor: duckdb.DuckDBPyConnection, initiative_ids: list[int] | None) -> None:
    """Recompute area membership of the given initiatives (``None``: of every one)."""
    params = [initiative_ids, initiative_ids]
    cursor.execute(
        "DELETE FROM initiative_areas WHERE initiative_id IN "
        "(SELECT i.id FROM initiatives i "
        " WHERE ?::INTEGER[] IS NULL OR list_contains(?::INTEGER[], i.id))",
        params,
    )
    cursor.execute(
        "INSERT INTO initiative_areas (initiative_id, area_id, status, updated_at) "
        "SELECT i.id, a.id, i.status, i.updated_at "
        "FROM initiatives i JOIN areas a ON ST_Intersects(a.geom, i.geom) "
        "WHERE ?::INTEGER[] IS NULL OR list_contains(?::INTEGER[], i.id)",
        params,
    )


def follow_initiative(cursor: duckdb.DuckDBPyConnection, initiative_id: int) -> None:
    """Copy an initiative's status and last update onto its membership rows.

    The ward filter reads them there (migration 007) so that it need not scan every
    initiative; every write that changes either must call this in the same transaction.
    """
    cursor.execute(
        "UPDATE initiative_areas SET status = i.status, updated_at = i.updated_at "
        "FROM initiatives i WHERE i.id = initiative_areas.initiative_id AND i.id = ?",
        [initiative_id],
    )


def initiative_area_ids(cursor: duckdb.DuckDBPyConnection, initiative_id: int) -> list[int]:
    """The areas an initiative touches: what a ward-limited council account is checked against."""
    return [
        int(row[0])
        for row in cursor.execute(
            "SELECT area_id FROM initiative_areas WHERE initiative_id = ?", [initiative_id]
        ).fetchall()
    ]


def place_ward_id(cursor: duckdb.DuckDBPyConnection, place_id: int) -> int | None:
    """The ward a place lies in (where its reports and voices are routed), if any."""
    row = cursor.execute(
        "SELECT pa.area_id FROM place_areas pa JOIN areas a ON a.id = pa.area_id "
        "WHERE pa.place_id = ? AND a.level = 'ward'",
        [place_id],
    ).fetchone()
    return int(row[0]) if row else None


def reassign_everything(cursor: duckdb.DuckDBPyConnection) -> None:
    """After boundaries change, every membership may have changed."""
    assign_places(cursor, None)
    assign_initiatives(cursor, None)
