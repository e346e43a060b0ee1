"""SafePlay at city scale, side by side with PostgreSQL 15 + PostGIS 3 and geopandas.

Everything is measured in one process run on the same generated data: filters by ward, by a
drawn polygon crossing wards and by radius; building the public map; coverage; imports; the
browser painting the map; the app's memory. Medians of repeated runs; ratios in the table.
Run: bash bench/run.sh [--full]      (quick: 1k/10k/100k; full adds 1M)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from city import STATUSES as ALL_STATUSES  # noqa: E402  (every status the city uses)
from city import make_city  # noqa: E402

from geo.council import coverage, matching  # noqa: E402
from geo.council.selection import Selection  # noqa: E402
from geo.geometry import LocalFrame  # noqa: E402
from geo.io import imports  # noqa: E402
from geo.mapping import explore, maps  # noqa: E402
from geo.permissions import COMMAND_LINE  # noqa: E402
from geo.registry.areas import AreaRecord, add_areas  # noqa: E402
from geo.registry.filters import MapFilter  # noqa: E402
from geo.storage import membership  # noqa: E402
from geo.storage.db import Store, insert_rows  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def median_time(call, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# SafePlay -----------------------------------------------------------------------------


def add_wards(store: Store, city) -> None:
    """The city's wards, with their populations, as SafePlay areas."""
    records = [AreaRecord(r.name, str(r.id), r.geometry, int(r.population))
               for r in city.wards.itertuples()]  # fmt: skip
    add_areas(store, COMMAND_LINE, records, level="ward", source="bench")


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


def load_places(store: Store, frame: gpd.GeoDataFrame) -> None:
    n = len(frame)
    rows = pa.table(
        {
            "name": pa.array([f"Play area {i}" for i in range(n)]),
            "kind": pa.array(frame["kind"].tolist()),
            "source": pa.array(["bench"] * n),
            "geom": pa.array(shapely.to_wkb(frame.geometry.to_numpy()).tolist(), pa.binary()),
        }
    )
    with store.write() as cursor:
        insert_rows(cursor, "places", "place_ids", rows)
        membership.assign_places(cursor, None)


# PostGIS ------------------------------------------------------------------------------


class PostGIS:
    """A throw-away PostgreSQL 15 + PostGIS 3 server on 127.0.0.1, stopped afterwards."""

    def __init__(self, folder: Path) -> None:
        import psycopg

        self.data = folder / "pg"
        self.port = _free_port()
        run = {"check": True, "capture_output": True}
        user = [] if os.getuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if user:
            shutil.chown(folder, "postgres")
        subprocess.run(
            [*user, PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust"], **run
        )
        subprocess.run(
            [
                *user,
                PG_BIN / "pg_ctl",
                "-D",
                self.data,
                "-w",
                "-l",
                self.data / "log",
                "-o",
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {folder} "
                "-c shared_buffers=512MB -c work_mem=64MB",
                "start",
            ],
            **run,
        )
        self._user = user
        self.connection = psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres", autocommit=True
        )
        self.connection.execute("CREATE EXTENSION postgis")

    def load(self, city) -> None:
        cur = self.connection.cursor()
        cur.execute("DROP TABLE IF EXISTS initiatives, wards")
        cur.execute("CREATE TABLE wards (id int PRIMARY KEY, geom geometry(Geometry, 4326))")
        cur.execute(
            "CREATE TABLE initiatives (id int PRIMARY KEY, title text, status text, "
            "geom geometry(Geometry, 4326))"
        )
        for table, frame, columns in (
            ("wards", city.wards, "id, geom"),
            ("initiatives", city.initiatives, "id, title, status, geom"),
        ):
            hexes = shapely.to_wkb(frame.geometry.to_numpy(), hex=True, include_srid=False)
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row, wkb in zip(frame.itertuples(), hexes, strict=True):
                    values = (
                        [row.id, f"Initiative {row.id}", row.status]
                        if table == "initiatives"
                        else [row.id]
                    )
                    copy.write_row([*values, f"SRID=4326;{wkb}"])
        cur.execute("CREATE INDEX ON initiatives USING gist (geom)")
        cur.execute("CREATE INDEX ON wards USING gist (geom)")
        cur.execute("ANALYZE")

    def query(self, sql: str, params: list) -> list:
        return self.connection.execute(sql, params).fetchall()

    def stop(self) -> None:
        self.connection.close()
        subprocess.run(
            [*self._user, PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The three filters ----------------------------------------------------------------------


def filters_at(size: int, folder: Path, pg: PostGIS | None, repeat: int) -> list[dict]:
    city = make_city(size)
    path = folder / f"city-{size}.duckdb"
    store = Store(path)
    load_safeplay(store, city)
    store.close()
    store = Store(path)  # opened afresh, as the app server opens its database
    if pg is not None:
        pg.load(city)
    ward = city.wards.iloc[len(city.wards) // 2]
    ward_db_id = (
        store.cursor().execute("SELECT id FROM areas WHERE code = ?", [str(ward.id)]).fetchone()[0]
    )
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
        ours_s, found = median_time(
            lambda s=selection: matching.match(store, COMMAND_LINE, s), repeat
        )
        page_s, _ = median_time(lambda s=selection: workspace_data(store, s), repeat)
        theirs_s, joined = median_time(theirs, repeat)
        row = {
            "size": size,
            "filter": name,
            "rows": len(found),
            "safeplay_s": ours_s,
            "page_s": page_s,
            "geopandas_s": theirs_s,
            "geopandas_rows": len(joined),
        }
        if pg is not None:
            pg_s, pg_rows = median_time(lambda s=sql, p=params: pg.query(s, p), repeat)
            row.update(postgis_s=pg_s, postgis_rows=len(pg_rows))
        results.append(row)
    store.close()
    return results


def workspace_data(store: Store, selection: Selection) -> None:
    """What the council workspace reads for one filter: the matches, full rows for the
    newest it lists, and per-ward totals when there are more than it draws."""
    matched = matching.match(store, COMMAND_LINE, selection)
    matching.details(store, matched.head(matching.SHOWN_LIMIT))
    if len(matched) > matching.SHOWN_LIMIT:
        matching.count_per_ward(store, COMMAND_LINE, matched)


# The map, coverage, imports ------------------------------------------------------------------


def map_at(places: int, folder: Path, repeat: int) -> list[dict]:
    """The Explore page's map pipeline (query, layers, HTML) for the first view of the whole
    city, and after zooming in to about 1.5 km across."""
    city = make_city(0, places)
    store = Store(folder / f"map-{places}.duckdb")
    add_wards(store, city)
    load_places(store, city.places)
    centre = city.places.geometry.iloc[0].centroid
    zoomed = (centre.x - 0.011, centre.y - 0.0065, centre.x + 0.011, centre.y + 0.0065)

    def build(filters: MapFilter, zoom: int | None) -> str:
        view = explore.explore(store, filters, zoom)
        fmap = maps.base_map(view.bounds())
        layers = maps.build_layers(view.wards, view.places, view.initiatives, view.place_counts)
        return maps.standalone_html(fmap, layers)

    rows = []
    for name, filters, zoom in (
        ("first view", MapFilter(), None),
        ("zoomed in", MapFilter(bbox=zoomed), 16),
    ):
        seconds, html = median_time(lambda f=filters, z=zoom: build(f, z), repeat)
        rows.append(
            {"places": places, "view": name, "build_s": seconds, "bytes": len(html.encode())}
        )
    store.close()
    return rows


# The distances the issue names (Fields in Trust's walking distances, not the straight-line
# defaults): larger circles overlap more, which is the harder case for the union.
COVERAGE_DISTANCES = {"doorstep": 100.0, "local": 400.0, "neighbourhood": 1000.0}


def coverage_compare(repeat: int) -> dict:
    city = make_city(0, 5_000)
    wards = city.wards.assign(child_population=None)
    ours_s, ours = median_time(
        lambda: coverage.compute(wards, city.places, COVERAGE_DISTANCES, with_gaps=False), repeat
    )

    def plain(quad_segs: int = 8) -> pd.DataFrame:
        frame = LocalFrame(shapely.union_all(wards.geometry.to_numpy()).centroid)
        ward_m = frame.to_metres(wards.geometry.to_numpy())
        place_m = frame.to_metres(city.places.geometry.to_numpy())
        shares = {}
        for level, spec in coverage.LEVELS.items():
            chosen = place_m[city.places["kind"].isin(spec.kinds).to_numpy()]
            buffers = shapely.buffer(chosen, COVERAGE_DISTANCES[level], quad_segs=quad_segs)
            reach = shapely.union_all(buffers)
            shares[level] = shapely.area(shapely.intersection(ward_m, reach)) / shapely.area(ward_m)
        return pd.DataFrame(shares)

    plain_s, theirs = median_time(plain, repeat)
    true_circles = plain(quad_segs=64)  # 256 sides: the reference both are judged against

    mine = pd.DataFrame({lv: ours.table[f"{lv}_share"].to_numpy() for lv in coverage.LEVELS})

    def gap(a: pd.DataFrame, b: pd.DataFrame) -> float:
        """The largest difference between two answers, in percentage points of a ward."""
        return 100 * float(np.abs(a.to_numpy() - b.to_numpy()).max())

    return {
        "safeplay_s": ours_s,
        "shapely_s": plain_s,
        "max_difference_pp": gap(mine, theirs),
        "safeplay_vs_circles_pp": gap(mine, true_circles),
        "shapely_vs_circles_pp": gap(theirs, true_circles),
    }


def import_throughput(count: int, folder: Path) -> list[dict]:
    city = make_city(0, count)
    points = city.places.copy()
    points["geometry"] = points.geometry.representative_point()
    points["name"] = [f"Play area {i}" for i in range(count)]
    geojson, csv = folder / "import.geojson", folder / "import.csv"
    points[["name", "kind", "geometry"]].to_file(geojson, driver="GeoJSON")
    pd.DataFrame(
        {"name": points["name"], "lat": points.geometry.y, "lon": points.geometry.x}
    ).to_csv(csv, index=False)
    results = []
    for path in (geojson, csv):
        store = Store(folder / f"import-{path.suffix[1:]}.duckdb")
        add_wards(store, city)
        start = time.perf_counter()
        report = imports.import_places(store, COMMAND_LINE, path)
        seconds = time.perf_counter() - start
        results.append(
            {
                "file": path.suffix[1:],
                "rows": report.imported,
                "seconds": seconds,
                "rows_per_s": report.imported / seconds,
            }
        )
        store.close()
    return results


# The browser and memory ------------------------------------------------------------------


# Visits per measurement: a page paint varies by ±0.3 s from one visit to the next here.
BROWSER_VISITS = 7


def browser_at(places: int, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _wait_healthy
    from tests.e2e.conftest import _free_port as port_for

    city = make_city(0, places)
    database = folder / f"browser-{places}.duckdb"
    store = Store(database)
    add_wards(store, city)
    load_places(store, city.places)
    store.close()
    port = port_for()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, "SAFEPLAY_DB": str(database), "SAFEPLAY_TILES": "none"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            size = {"viewport": {"width": 1400, "height": 1000}}
            returning = browser.new_context(**size)
            _painted_after(returning.new_page(), url)  # warms the server and this cache
            first_visit = statistics.median(
                _painted_after(browser.new_context(**size).new_page(), url)
                for _ in range(BROWSER_VISITS)
            )
            again = statistics.median(
                _painted_after(returning.new_page(), url) for _ in range(BROWSER_VISITS)
            )
            browser.close()
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak_kb = int(
            next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "places": places,
        "painted_s": first_visit,
        "returning_s": again,
        "peak_mb": peak_kb / 1024,
    }


def _painted_after(page, url: str) -> float:
    """Seconds from opening the Explore page until the map's first feature is drawn."""
    start = time.perf_counter()
    page.goto(url)
    page.frame_locator('iframe[title*="folium"]').locator(".leaflet-interactive").first.wait_for(
        timeout=180_000
    )
    return time.perf_counter() - start


# Report ----------------------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "—"


def _rows(row: dict) -> str:
    """SafePlay's row count, with PostGIS's and geopandas's where they differ."""
    others = {"PostGIS": row.get("postgis_rows", row["rows"]), "geopandas": row["geopandas_rows"]}
    differ = [f"{name} {n:,}" for name, n in others.items() if n != row["rows"]]
    return f"{row['rows']:,}" + (f" ({', '.join(differ)})" if differ else "")


def report(results: dict, command: str) -> str:
    lines = [
        f"Command: `{command}`. Machine: {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"PostgreSQL 15 + PostGIS 3 (Debian), geopandas {gpd.__version__}, "
        f"shapely {shapely.__version__}. Medians of {results['repeat']} runs.",
        "",
        "### Filters (all statuses; which initiatives match: id and status, and the distance "
        "for a radius)",
        "",
        "| features | filter | rows | SafePlay s | PostGIS s | geopandas s "
        "| SafePlay ÷ PostGIS | SafePlay ÷ geopandas | workspace page data s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results["filters"]:
        lines.append(
            f"| {r['size']:,} | {r['filter']} | {_rows(r)} | {r['safeplay_s']:.4f} | "
            f"{r.get('postgis_s', float('nan')):.4f} | {r['geopandas_s']:.4f} | "
            f"{ratio(r['safeplay_s'], r.get('postgis_s'))} | "
            f"{ratio(r['safeplay_s'], r['geopandas_s'])} | {r['page_s']:.4f} |"
        )
    lines += [
        "",
        "### Public map: query, layers and HTML, as the Explore page builds it",
        "",
        "| play areas | view | build s | bytes sent |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {m['places']:,} | {m['view']} | {m['build_s']:.3f} | {m['bytes']:,} |"
        for m in results["map"]
    ]
    c = results["coverage"]
    lines += [
        "",
        "### Coverage: 100 wards × 5,000 places × 100, 400 and 1,000 m",
        "",
        "| SafePlay s | plain shapely s | SafePlay ÷ shapely | largest difference (pp) "
        "| SafePlay vs true circles (pp) | shapely vs true circles (pp) |",
        "|---|---|---|---|---|---|",
        f"| {c['safeplay_s']:.3f} | {c['shapely_s']:.3f} | "
        f"{ratio(c['safeplay_s'], c['shapely_s'])} | {c['max_difference_pp']:.3f} | "
        f"{c['safeplay_vs_circles_pp']:.3f} | {c['shapely_vs_circles_pp']:.3f} |",
        "",
        "Largest difference: between the two answers, in percentage points of a ward's area, "
        "over all wards and levels. True circles: 256-sided (not timed).",
    ]
    lines += ["", "### Imports", "", "| file | rows | seconds | rows/s |", "|---|---|---|---|"]
    lines += [
        f"| {i['file']} | {i['rows']:,} | {i['seconds']:.1f} | {i['rows_per_s']:,.0f} |"
        for i in results["imports"]
    ]
    lines += [
        "",
        "### Browser: open the map page until the features are painted; app memory",
        "",
        "| play areas | painted after s (first visit) | painted after s (returning visitor) "
        "| app peak memory MB |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {b['places']:,} | {b['painted_s']:.2f} | {b['returning_s']:.2f} | {b['peak_mb']:.0f} |"
        for b in results["browser"]
    ]
    return "\n".join(lines)


def _keep(results: dict) -> None:
    """Save what is measured so far: a failure late in a long run loses nothing."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "partial.json").write_text(json.dumps(results, indent=1, default=str))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--full", action="store_true", help="add 1M features and 100k in the browser"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgis", action="store_true")
    args = parser.parse_args()
    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.full else [])
    results = {"repeat": args.repeat}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.chmod(folder, 0o777)
        pg = None if args.no_postgis else PostGIS(folder)
        try:
            results["filters"] = [
                r for size in sizes for r in filters_at(size, folder, pg, args.repeat)
            ]
        finally:
            if pg is not None:
                pg.stop()
        _keep(results)
        results["map"] = [r for n in (10_000, 100_000) for r in map_at(n, folder, args.repeat)]
        _keep(results)
        results["coverage"] = coverage_compare(args.repeat)
        results["imports"] = import_throughput(100_000 if args.full else 20_000, folder)
        results["browser"] = [
            browser_at(n, folder) for n in ((10_000, 100_000) if args.full else (10_000,))
        ]
    command = "bash bench/run.sh" + (" --full" if args.full else "")
    text = report(results, command)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / ("full.md" if args.full else "quick.md")).write_text(text + "\n", encoding="utf-8")
    (out / ("full.json" if args.full else "quick.json")).write_text(
        json.dumps(results, indent=1, default=str)
    )
    print(text)


if __name__ == "__main__":
    main()
