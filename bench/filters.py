"""The three workspace filters (ward, drawn polygon, radius): SafePlay's ``matching.match``
on its DuckDB store and on its PostgreSQL store, against plain PostGIS and geopandas on the
same generated city, and everything the workspace page reads for one filter.

SafePlay on PostgreSQL lives in its own database on plain PostGIS's server, so the two
differ only in what SafePlay's SQL asks of the same PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import shapely
from city import STATUSES as ALL_STATUSES  # every status the city uses
from city import make_city
from measure import add_wards, interleaved_medians
from postgis import PostGIS

from geo.council import matching
from geo.council.selection import Selection
from geo.geometry import LocalFrame
from geo.permissions import COMMAND_LINE
from geo.storage import membership
from geo.storage.db import Store, insert_rows


def load_safeplay(store: Store, city) -> None:
    add_wards(store, city)
    n = len(city.initiatives)
    rows = pa.table(
        {
            "title": pa.array([f"Initiative {i}" for i in range(n)]),
            "summary": pa.array(["Generated for benchmarks."] * n),
            "kind": pa.array(city.initiatives["kind"].tolist()),
            "status": pa.array(city.initiatives["status"].tolist()),
            "proposer": pa.array(["Bench"] * n),
            "geom": pa.array(
                shapely.to_wkb(city.initiatives.geometry.to_numpy()).tolist(), pa.binary()
            ),
        }
    )
    with store.write() as cursor:
        insert_rows(cursor, "initiatives", "initiative_ids", rows)
        membership.assign_initiatives(cursor, None)


def filters_at(size: int, folder: Path, pg: PostGIS | None, repeat: int) -> list[dict]:
    city = make_city(size)
    path = folder / f"city-{size}.duckdb"
    store = Store(path)
    load_safeplay(store, city)
    store.close()
    store = Store(path)  # opened afresh, as the app server opens its database
    on_pg = None
    if pg is not None:
        pg.load(city)
        on_pg = Store(pg.safeplay_url())
        load_safeplay(on_pg, city)
        on_pg.cursor().execute("ANALYZE")  # as plain PostGIS's load does
    ward = city.wards.iloc[len(city.wards) // 2]
    ward_db_id = store.value("SELECT id FROM areas WHERE code = ?", [str(ward.id)])
    cx, cy = ward.geometry.centroid.x, ward.geometry.centroid.y
    drawn = shapely.Polygon(
        [
            (cx - 0.03, cy - 0.012),
            (cx + 0.025, cy - 0.02),
            (cx + 0.03, cy + 0.015),
            (cx - 0.02, cy + 0.02),
        ]
    )
    corner = shapely.get_coordinates(ward.geometry)[0]
    radius = 800.0
    frame = LocalFrame(shapely.Point(*corner))
    local = gpd.GeoDataFrame(
        city.initiatives[["id"]], geometry=frame.to_metres(city.initiatives.geometry.to_numpy())
    )
    local.sindex  # build the index before timing, as PostGIS and DuckDB have theirs  # noqa: B018
    city.initiatives.sindex  # noqa: B018
    cases = {
        "ward": (
            Selection(mode="areas", area_ids=(ward_db_id,), statuses=ALL_STATUSES),
            (
                "SELECT i.id, i.status FROM initiatives i JOIN wards w "
                "ON ST_Intersects(i.geom, w.geom) WHERE w.id = %s",
                [int(ward.id)],
            ),
            lambda: gpd.sjoin(
                city.initiatives, city.wards[city.wards["id"] == ward.id], predicate="intersects"
            ),
        ),
        "drawn polygon": (
            Selection(mode="shape", shape_wkt=drawn.wkt, statuses=ALL_STATUSES),
            (
                "SELECT id, status FROM initiatives "
                "WHERE ST_Intersects(geom, ST_GeomFromText(%s, 4326))",
                [drawn.wkt],
            ),
            lambda: gpd.sjoin(
                city.initiatives,
                gpd.GeoDataFrame(geometry=[drawn], crs=4326),
                predicate="intersects",
            ),
        ),
        "radius 800 m": (
            Selection(mode="radius", centre=tuple(corner), radius_m=radius, statuses=ALL_STATUSES),
            (
                "WITH c AS (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS pt) "
                "SELECT id, status, ST_Distance(geom::geography, c.pt::geography) "
                "FROM initiatives, c WHERE ST_DWithin(geom, c.pt, %s) "
                "AND ST_DWithin(geom::geography, c.pt::geography, %s)",
                [corner[0], corner[1], radius / 60_000, radius],
            ),
            lambda: gpd.sjoin(
                local,
                gpd.GeoDataFrame(geometry=[shapely.Point(0, 0).buffer(radius)]),
                predicate="intersects",
            ),
        ),
    }
    results = []
    for name, (selection, (sql, params), theirs) in cases.items():
        calls = {
            "safeplay_s": lambda s=selection: matching.match(store, COMMAND_LINE, s),
            "geopandas_s": theirs,
        }
        if pg is not None:
            calls["postgis_s"] = lambda s=sql, p=params: pg.query(s, p)
        if on_pg is not None:
            calls["safeplay_pg_s"] = lambda s=selection: matching.match(on_pg, COMMAND_LINE, s)
        seconds, found = interleaved_medians(calls, repeat)
        pages = {"page_s": lambda s=selection: workspace_data(store, s)}
        if on_pg is not None:
            pages["page_pg_s"] = lambda s=selection: workspace_data(on_pg, s)
        page_seconds, _ = interleaved_medians(pages, repeat)
        row = {
            "size": size,
            "filter": name,
            "rows": len(found["safeplay_s"]),
            "geopandas_rows": len(found["geopandas_s"]),
            **seconds,
            **page_seconds,
        }
        if pg is not None:
            row["postgis_rows"] = len(found["postgis_s"])
        if on_pg is not None:
            row["safeplay_pg_rows"] = len(found["safeplay_pg_s"])
            # the same initiatives in the same order, not only as many
            row["same_answer"] = (
                found["safeplay_s"]["id"].tolist() == found["safeplay_pg_s"]["id"].tolist()
            )
        results.append(row)
    store.close()
    if on_pg is not None:
        on_pg.close()
    return results


def workspace_data(store: Store, selection: Selection) -> None:
    """What the council workspace reads for one filter: the matches, full rows for the
    newest it lists, and per-ward totals when there are more than it draws."""
    matched = matching.match(store, COMMAND_LINE, selection)
    matching.details(store, matched.head(matching.SHOWN_LIMIT))
    if len(matched) > matching.SHOWN_LIMIT:
        matching.count_per_ward(store, COMMAND_LINE, matched)
