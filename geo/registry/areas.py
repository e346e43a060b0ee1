"""Administrative boundaries: wards, districts, neighbourhoods and the like."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import ImportRejected, NotFound
from geo.permissions import Actor, require, rereads_actor
from geo.storage import membership
from geo.storage.db import Store, insert_rows


@dataclass(frozen=True)
class AreaRecord:
    """One boundary, ready to store (geometry already repaired, EPSG:4326)."""

    name: str
    code: str
    geometry: BaseGeometry
    population: int | None = None
    child_population: int | None = None


@rereads_actor
def add_areas(
    store: Store,
    actor: Actor,
    records: list[AreaRecord],
    level: str,
    source: str,
    replace: bool = False,
) -> list[int]:
    """Store boundaries of one level and recompute every place's and initiative's membership.

    With ``replace`` the level's existing boundaries are removed first (a council loading
    this year's wards); without it, codes that already exist are refused, so loading the
    same file twice cannot create look-alike duplicates.
    """
    require(actor, "manage_boundaries")
    codes = [record.code for record in records]
    if len(set(codes)) != len(codes):
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        raise ImportRejected(
            f"codes must be unique within level {level!r}; repeated: {', '.join(repeated[:10])}"
        )
    with store.write() as cursor:
        if replace:
            cursor.execute("DELETE FROM areas WHERE level = ?", [level])
        else:
            existing = cursor.execute(
                "SELECT code FROM areas WHERE level = ? AND list_contains(?, code)",
                [level, codes],
            ).fetchall()
            if existing:
                taken = ", ".join(sorted(row[0] for row in existing)[:10])
                raise ImportRejected(
                    f"{len(existing)} {level} code(s) already exist ({taken}); "
                    "use --replace to load new boundaries for this level"
                )
        rows = pa.table(
            {
                "level": pa.array([level] * len(records), pa.string()),
                "code": pa.array(codes, pa.string()),
                "name": pa.array([r.name for r in records], pa.string()),
                "population": pa.array([r.population for r in records], pa.int32()),
                "child_population": pa.array([r.child_population for r in records], pa.int32()),
                "source": pa.array([source] * len(records), pa.string()),
                "geom": pa.array(
                    shapely.to_wkb([r.geometry for r in records]).tolist(), pa.binary()
                ),
            }
        )
        ids = insert_rows(cursor, "areas", "area_ids", rows)
        membership.reassign_everything(cursor)
    return ids


def list_areas(store: Store, level: str | None = "ward") -> pd.DataFrame:
    """Areas of a level (all levels with ``None``), sorted by name, without geometry."""
    return store.frame(
        "SELECT id, level, code, name, population, child_population, source FROM areas "
        "WHERE CAST(? AS TEXT) IS NULL OR level = ? ORDER BY level, name",
        [level, level],
    )


def area_shapes(store: Store, level: str | None = "ward") -> gpd.GeoDataFrame:
    """Areas of a level (all levels with ``None``) with their geometry, for maps and exports."""
    return store.geoframe(
        "SELECT id, level, code, name, population, child_population, source, "
        "ST_AsWKB(geom) AS wkb FROM areas WHERE CAST(? AS TEXT) IS NULL OR level = ? "
        "ORDER BY level, name",
        [level, level],
    )


# The council's own outline when one was imported, else every boundary held: what
# "inside the council area" means for proposals, voices and every other point or shape.
_COUNCIL_AREAS = "level = 'council' OR NOT EXISTS (SELECT 1 FROM areas WHERE level = 'council')"


def council_boundary(store: Store) -> BaseGeometry | None:
    """The council's outline (None while no boundary is loaded)."""
    rows = store.rows(f"SELECT ST_AsWKB(geom) FROM areas WHERE {_COUNCIL_AREAS}")  # noqa: S608 - constant
    if not rows:
        return None
    return shapely.union_all(shapely.from_wkb([bytes(r[0]) for r in rows]))


def in_council_area(store: Store, lon: float, lat: float) -> bool:
    """Whether a point lies in the council's area; with no boundary loaded there is
    nothing to hold it against, so it does."""
    inside, held = store.row(
        f"SELECT count(*) FILTER (WHERE ST_Intersects(geom, ST_Point(?, ?))), count(*) "  # noqa: S608
        f"FROM areas WHERE {_COUNCIL_AREAS}",
        [lon, lat],
    )
    return bool(inside) or not held


def levels(store: Store) -> list[str]:
    rows = store.rows("SELECT DISTINCT level FROM areas ORDER BY level")
    return [row[0] for row in rows]


def find_area(store: Store, name_or_code: str) -> int:
    """The id of the area with this name or code (case-insensitive), for CLI filters.

    ``level:name`` (``ward:3``) picks among areas of different levels sharing a name.
    """
    level, _, key = name_or_code.rpartition(":")
    rows = store.rows(
        "SELECT id, level, name FROM areas "
        "WHERE (lower(name) = lower(?) OR lower(code) = lower(?)) "
        "AND (? = '' OR level = ?) ORDER BY level",
        [key, key, level, level],
    )
    if not rows:
        raise NotFound(f"no area is called {name_or_code!r} (see `python -m geo stats`)")
    if len(rows) > 1:
        options = "; ".join(f"{level} {name}" for _, level, name in rows)
        raise NotFound(
            f"{name_or_code!r} is ambiguous ({options}): write level:name, e.g. {rows[0][1]}:{key}"
        )
    return int(rows[0][0])


def area_stats(store: Store, level: str = "ward") -> list[tuple[str, str, int, int]]:
    """(name, code, places, initiatives) for each area of a level, by name."""
    return store.rows(
        """
        SELECT a.name, a.code,
               (SELECT count(*) FROM place_areas pa WHERE pa.area_id = a.id),
               (SELECT count(*) FROM initiative_areas ia WHERE ia.area_id = a.id)
        FROM areas a WHERE a.level = ? ORDER BY a.name
        """,
        [level],
    )
