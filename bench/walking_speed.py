"""Walking coverage at city scale (issue 20, item 5): the shared Helsinki extract and the
generated city of ``osm_city.py``, on DuckDB and on PostgreSQL.

Per data set and store: the graph built (the OSM file read into a ``StreetNetwork``, then
stored), loading it back, three levels of walking coverage, a what-if for five proposals,
and — on DuckDB — the same multi-source distances by scipy's sparse Dijkstra and by
networkx's ``multi_source_dijkstra_path_length`` from the same sources with the same
limit, in the same process, with the largest difference between their answers.

Each data set and store runs in a child process of its own, so its peak memory is its own:
``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the peak resident set, because it counts
every allocation — osmium's, DuckDB's and GEOS's C++ memory as well as numpy's — where
``tracemalloc`` sees only what Python's allocator hands out and would miss most of it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import geopandas as gpd
import networkx as nx
import numpy as np
import osmium
import psycopg
import shapely
from city import City
from filters import load_safeplay
from measure import ROOT, interleaved_medians, load_places, median_time
from osm_city import write_osm_city

from geo.council.coverage import (
    LEVELS,
    compute_walking,
    play_places,
    walking_coverage,
    what_if_walking,
)
from geo.geometry import LocalFrame
from geo.permissions import COMMAND_LINE
from geo.registry import areas
from geo.storage.db import Store
from geo.streets import osm_streets, storage, walking
from tests.pg_cluster import Cluster

# The shared extract sits beside the main checkout; a worktree finds it through git.
_MAIN = Path(
    subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--path-format=absolute", "--git-common-dir"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
).parent
HELSINKI = _MAIN.parent / "shared" / "data" / "osm" / "Helsinki.osm.pbf"
TARGETS = {
    "built_s": 60.0,
    "coverage_first_s": 5.0,
    "coverage_s": 5.0,
    "what_if_s": 1.0,
    "safeplay_peak_mb": 2048.0,
}
LIMIT_M = 1000.0  # the farthest level's walk: what the networkx check searches to
# OSM tags of the Helsinki extract's play spaces, as SafePlay kinds.
HELSINKI_KINDS = {"playground": "playground", "park": "park", "pitch": "games_area"}


def walking_bench(folder: Path, repeat: int, with_pg: bool, profile: bool) -> dict:
    """Every data set on DuckDB and (``with_pg``) PostgreSQL, each in its own process."""
    sets = {"helsinki": _helsinki_inputs(folder), "city": _city_inputs(folder)}
    cluster = None
    if with_pg:
        cluster = Cluster(settings=("shared_buffers=512MB", "work_mem=64MB"))
    runs = []
    load = {"before": os.getloadavg()}
    try:
        for name, inputs in sets.items():
            stores = {"DuckDB": str(folder / f"{name}.duckdb")}
            if cluster is not None:
                stores["PostgreSQL"] = _new_database(cluster, name)
            for store_name, target in stores.items():
                command = [sys.executable, __file__, "--one", str(inputs), "--store", target]
                command += ["--repeat", str(repeat)]
                command += ["--check"] if store_name == "DuckDB" else []  # networkx: once
                command += ["--profile"] if profile else []
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    runs.append({"data": name, "store": store_name, "error": done.stderr[-2000:]})
                    continue
                found = json.loads(done.stdout.strip().splitlines()[-1])
                runs.append({"data": name, "store": store_name, **found})
    finally:
        load["after"] = os.getloadavg()
        if cluster is not None:
            cluster.stop()
    return {
        "repeat": repeat,
        "runs": runs,
        "targets": TARGETS,
        "load": load,
        "cpus": os.cpu_count(),
    }


def _new_database(cluster: Cluster, name: str) -> str:
    with psycopg.connect(cluster.url(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "walk_{name}"')
    return cluster.url(f"walk_{name}")


def _city_inputs(folder: Path) -> Path:
    """The generated city written once, with the wards, places and proposals SafePlay
    holds beside it (GeoParquet, so each child reads them instead of generating again)."""
    city = write_osm_city(folder)
    city.wards.to_parquet(folder / "city-wards.parquet")
    city.places.to_parquet(folder / "city-places.parquet")
    city.proposals.to_parquet(folder / "city-proposals.parquet")
    (folder / "city.json").write_text(
        json.dumps(
            {"osm": str(city.path), "prefix": "city", "nodes": city.nodes, "ways": city.ways}
            | {"crossings": city.crossings}
        )
    )
    return folder / "city.json"


def _helsinki_inputs(folder: Path) -> Path:
    """The Helsinki extract as it is: its play spaces (leisure=playground/park/pitch) as
    SafePlay's places, and four wards, a 2 × 2 grid over the extract (it holds no ward
    boundaries), of 2,500 residents each (made up: the figure only weights the shares)."""
    found = []
    for item in (
        osmium.FileProcessor(str(HELSINKI))
        .with_areas()
        .with_filter(osmium.filter.KeyFilter("leisure"))
    ):
        kind = HELSINKI_KINDS.get(item.tags.get("leisure", ""))
        if kind is None or not (item.is_area() or item.is_node()):
            continue
        if item.is_node():
            shape = shapely.Point(item.location.lon, item.location.lat)
        else:
            shape = shapely.from_wkb(osmium.geom.WKBFactory().create_multipolygon(item))
        found.append({"kind": kind, "status": "approved", "geometry": shape})
    places = gpd.GeoDataFrame(found, geometry="geometry", crs="EPSG:4326")
    places["id"] = np.arange(1, len(places) + 1)
    x0, y0, x1, y1 = _extract_bounds(HELSINKI)
    cells = [
        shapely.box(x0 + (x1 - x0) * i / 2, y0 + (y1 - y0) * j / 2,
                    x0 + (x1 - x0) * (i + 1) / 2, y0 + (y1 - y0) * (j + 1) / 2)
        for i in range(2) for j in range(2)
    ]  # fmt: skip
    wards = gpd.GeoDataFrame(
        {"id": [1, 2, 3, 4], "name": [f"Helsinki {k}" for k in ["SW", "NW", "SE", "NE"]]}
        | {"population": [2_500] * 4},
        geometry=cells,
        crs="EPSG:4326",
    )
    # Two proposals: new playgrounds at the middle of two wards.
    proposals = gpd.GeoDataFrame(
        {"id": [1, 2], "kind": ["new_play_area"] * 2, "status": ["submitted"] * 2},
        geometry=[shapely.buffer(c.centroid, 0.0003) for c in cells[:2]],
        crs="EPSG:4326",
    )
    wards.to_parquet(folder / "helsinki-wards.parquet")
    places.to_parquet(folder / "helsinki-places.parquet")
    proposals.to_parquet(folder / "helsinki-proposals.parquet")
    (folder / "helsinki.json").write_text(json.dumps({"osm": str(HELSINKI), "prefix": "helsinki"}))
    return folder / "helsinki.json"


def _extract_bounds(path: Path) -> tuple[float, float, float, float]:
    lon, lat = [], []
    for node in osmium.FileProcessor(str(path), osmium.osm.NODE):
        lon.append(node.location.lon)
        lat.append(node.location.lat)
    return min(lon), min(lat), max(lon), max(lat)


def _one(inputs: Path, target: str, repeat: int, check: bool, profile: bool) -> dict:
    """One data set on one store (in a child process): every figure, and the peak memory."""
    spec = json.loads(inputs.read_text())
    folder = inputs.parent
    frames = {
        part: gpd.read_parquet(folder / f"{spec['prefix']}-{part}.parquet")
        for part in ("wards", "places", "proposals")
    }
    store = Store(Path(target) if "://" not in target else target)
    load_safeplay(store, City(frames["wards"], frames["places"], frames["proposals"]))
    load_places(store, frames["places"])
    proposal_ids = [int(i) for i in store.frame("SELECT id FROM initiatives ORDER BY id")["id"]]
    out: dict = {"osm_mb": Path(spec["osm"]).stat().st_size / 1e6}
    out |= {k: spec[k] for k in ("nodes", "ways", "crossings") if k in spec}

    def timed(name: str, call: Callable[[], object]) -> object:
        start, cpu = time.perf_counter(), time.process_time()
        result = call()
        out[f"{name}_s"] = time.perf_counter() - start
        out[f"{name}_cpu_s"] = time.process_time() - cpu
        out[f"{name}_peak_mb"] = _peak_mb()
        return result

    reading = timed("read", lambda: osm_streets.read_streets(Path(spec["osm"])))
    timed(
        "store",
        lambda: storage.replace_network(
            store,
            COMMAND_LINE,
            reading.network,
            source=Path(spec["osm"]).name,
            components=reading.components,
            dropped_fragments=reading.dropped_fragments,
        ),
    )
    out |= {"components": reading.components, "dropped_fragments": reading.dropped_fragments}
    out["built_s"] = out["read_s"] + out["store_s"]
    loaded = timed("load", lambda: storage.load(store))
    out |= {"graph_nodes": loaded.node_count, "graph_edges": loaded.edge_count}
    out |= {"graph_km": round(loaded.length_km, 1), "homes": len(loaded.homes)}
    out["edges_crossing"] = _edges_crossing(loaded)
    # The first question after an import reads the network back and prepares its graph;
    # the app keeps both (coverage.street_network, coverage._prepare), so later questions
    # on the same streets and boundaries start from them: timed apart.
    timed("coverage_first", lambda: walking_coverage(store))
    result = _rounds(out, "coverage", lambda: walking_coverage(store), repeat)
    out["shares"] = {
        level: {
            "walking": float(np.average(result.table[f"{level}_share"])),
            "line": float(np.average(result.table[f"{level}_line_share"])),
        }
        for level in LEVELS
    }
    out["cut_off"] = len(result.cut_off)
    chosen = proposal_ids[:5]
    # As the Play gaps page asks it: with the coverage on screen as the base; and from
    # nothing, as the command line does.
    _rounds(out, "what_if", lambda: what_if_walking(store, chosen, base=result), repeat)
    _rounds(out, "what_if_alone", lambda: what_if_walking(store, chosen), repeat)
    out["what_if_proposals"] = len(chosen)
    out["safeplay_peak_mb"] = _peak_mb()  # before the checks below add networkx's graph
    if check:
        # The same coverage without the drawn gaps (the table and cut-off list alone):
        # how much of the time the map's red squares take.
        wards, places = areas.area_shapes(store, "ward"), play_places(store)
        _rounds(
            out,
            "coverage_no_gaps",
            lambda: compute_walking(storage.load(store), wards, places, with_gaps=False),
            repeat,
        )
        out |= _against_networkx(loaded, frames["wards"], frames["places"], repeat)
    out["peak_mb"] = _peak_mb()
    if profile:  # after the timings, which the profiler would slow
        steps = {
            "read": lambda: osm_streets.read_streets(Path(spec["osm"])),
            "coverage": lambda: walking_coverage(store),
            "what-if": lambda: what_if_walking(store, chosen),
        }
        name = f"walking-profile-{spec['prefix']}-{'pg' if '://' in target else 'duckdb'}.txt"
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / name).write_text(
            "\n\n".join(f"## {step}\n{_profiled(call)}" for step, call in steps.items())
        )
    store.close()
    return out


def _profiled(call: Callable[[], object]) -> str:
    """One call under cProfile: the 30 functions with most time of their own, then the 30
    with most time in all (where a slow step spends its time, and who called it)."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(30)
    return text.getvalue()


def _rounds(out: dict, name: str, call: Callable[[], object], repeat: int) -> object:
    """The median wall time of ``repeat`` calls, and the CPU seconds one call takes (all
    threads): on a machine shared with others the wall time also measures their load."""
    cpu = time.process_time()
    out[f"{name}_s"], result = median_time(call, repeat)
    out[f"{name}_cpu_s"] = (time.process_time() - cpu) / repeat
    out[f"{name}_peak_mb"] = _peak_mb()
    return result


def _edges_crossing(network) -> dict[str, int]:
    """Per barrier kind, how many graph edges cross one: in the generated city exactly its
    bridges and footbridges (one segment of each), so the reader kept those and dropped
    every other street that met the river, the railway or the motorway."""
    ends = np.stack(
        [
            np.column_stack([network.lon[network.u], network.lat[network.u]]),
            np.column_stack([network.lon[network.v], network.lat[network.v]]),
        ],
        1,
    )
    tree = shapely.STRtree(shapely.linestrings(ends))
    barriers = network.barriers
    crossing: dict[str, set] = {}
    for kind, shape in zip(barriers["kind"], barriers.geometry, strict=True):
        hits = tree.query(shapely.boundary(shape) if shape.area else shape, "intersects")
        crossing.setdefault(str(kind), set()).update(hits.tolist())
    return {kind: len(hits) for kind, hits in sorted(crossing.items())}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def _against_networkx(
    network, wards: gpd.GeoDataFrame, places: gpd.GeoDataFrame, repeat: int
) -> dict:
    """The neighbourhood level's walking distances to every node, from every way into its
    play areas: ``WalkingGraph.node_distances`` (scipy, what coverage runs) against networkx's
    ``multi_source_dijkstra_path_length`` on the same graph, timed in the same process.

    Walking analysis starts a walk part-way along an edge (a gate beside a street), with a
    step from the gate to it; networkx gets the same as nodes: each source a node splitting
    its edge, joined by its step to a "door" node, and the search starts at the doors.
    """
    frame = LocalFrame(shapely.union_all(wards.geometry.to_numpy()).centroid)
    graph = walking.WalkingGraph(network, frame)
    shapes = frame.to_metres(places.geometry.to_numpy())
    every = graph.sources(shapes)
    chosen = np.isin(places["kind"].to_numpy(), LEVELS["neighbourhood"].kinds)
    points = every.points.take(np.isin(every.place, np.flatnonzero(chosen)))
    n, k = graph.node_count, len(points.edge)
    start = time.perf_counter()
    nx_graph = nx.Graph()
    nx_graph.add_nodes_from(range(n + 2 * k))
    # Of two edges between the same nodes the shorter, as WalkingGraph keeps: added longest
    # first, so the shortest is the one networkx keeps.
    order = np.argsort(-graph.length_m)
    nx_graph.add_weighted_edges_from(
        zip(
            graph.u[order].tolist(),
            graph.v[order].tolist(),
            graph.length_m[order].tolist(),
            strict=True,
        )
    )
    a, b = graph.u[points.edge], graph.v[points.edge]
    along = points.fraction * graph.length_m[points.edge]
    split = np.arange(n, n + k)
    doors = split + k
    for ends, metres in (
        (a, along),
        (b, graph.length_m[points.edge] - along),
        (doors, points.offset_m),
    ):
        nx_graph.add_weighted_edges_from(
            zip(split.tolist(), ends.tolist(), metres.tolist(), strict=True)
        )
    networkx_build_s = time.perf_counter() - start

    def by_networkx() -> np.ndarray:
        found = nx.multi_source_dijkstra_path_length(nx_graph, set(doors.tolist()), LIMIT_M)
        out = np.full(n + 2 * k, np.inf)
        out[np.fromiter(found.keys(), int)] = np.fromiter(found.values(), float)
        return out[:n]

    times, answers = interleaved_medians(
        {"scipy": lambda: graph.node_distances(points, LIMIT_M), "networkx": by_networkx},
        max(1, min(repeat, 3)),
    )
    ours, theirs = answers["scipy"], answers["networkx"]
    reached = np.isfinite(ours)
    return {
        "sources": k,
        "reached_nodes": int(reached.sum()),
        "same_reached": bool(np.array_equal(reached, np.isfinite(theirs))),
        "max_difference_m": float(np.max(np.abs(ours[reached] - theirs[reached]), initial=0)),
        "networkx_build_s": networkx_build_s,
        "scipy_s": times["scipy"],
        "networkx_s": times["networkx"],
        "scipy_over_networkx": times["scipy"] / times["networkx"],
    }


def walking_report(results: dict, command: str) -> str:
    """The tables bench/README.md quotes: one row per data set and store."""
    lines = [
        f"Walking coverage (`{command}`), median of {results['repeat']} rounds; peak memory "
        "is the child process's ru_maxrss after SafePlay's steps (with the networkx check: "
        + ", ".join(
            f"{r['data']} {r['peak_mb']:,.0f} MB" for r in results["runs"] if "sources" in r
        )
        + ").",
        "",
        "| Data | Store | Graph (nodes / edges / km) | Read | Stored | Built ≤ 60 s "
        "| Load | 3 levels ≤ 5 s, first | again | What-if ≤ 1 s | Peak ≤ 2 GB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        if "error" in run:
            lines.append(
                f"| {run['data']} | {run['store']} | failed: see walking.json | | | | | | | | |"
            )
            continue
        lines.append(
            f"| {run['data']} | {run['store']} | {run['graph_nodes']:,} / {run['graph_edges']:,}"
            f" / {run['graph_km']:,} | {run['read_s']:.2f} s | {run['store_s']:.2f} s "
            f"| {_met(run, 'built_s')} | {run['load_s']:.2f} s "
            f"| {_met(run, 'coverage_first_s')} | {_met(run, 'coverage_s')}"
            f" | {_met(run, 'what_if_s')} | {_met(run, 'safeplay_peak_mb')} |"
        )
    lines += [
        "",
        "CPU seconds of one call (every thread), beside the wall time above: "
        + "; ".join(
            f"{run['data']} on {run['store']}: read {run['read_cpu_s']:.1f}, stored "
            f"{run['store_cpu_s']:.1f}, coverage {run['coverage_cpu_s']:.1f}, "
            f"what-if {run['what_if_cpu_s']:.1f} (without the coverage as its base: "
            f"{run['what_if_alone_s']:.2f} s, {run['what_if_alone_cpu_s']:.1f} CPU s)"
            for run in results["runs"]
            if "error" not in run
        )
        + ". Coverage without the drawn gaps (table and cut-off list only, DuckDB): "
        + "; ".join(
            f"{run['data']} {run['coverage_no_gaps_s']:.2f} s "
            f"({run['coverage_no_gaps_cpu_s']:.1f} CPU s)"
            for run in results["runs"]
            if "coverage_no_gaps_s" in run
        )
        + f". Load average {results['load']['before'][0]:.1f} before, "
        f"{results['load']['after'][0]:.1f} after, on {results['cpus']} cores.",
    ]
    lines += [
        "",
        "| Data | Sources (ways into NEAP-kind places) | Nodes within 1,000 m "
        "| SafePlay (scipy) | networkx | scipy ÷ networkx "
        "| Same nodes reached | Max difference |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        if "scipy_s" in run:
            lines.append(
                f"| {run['data']} | {run['sources']:,} | {run['reached_nodes']:,} "
                f"| {run['scipy_s'] * 1000:.0f} ms | {run['networkx_s'] * 1000:.0f} ms "
                f"| {run['scipy_over_networkx']:.3f} | {'yes' if run['same_reached'] else 'NO'} "
                f"| {run['max_difference_m']:.2e} m |"
            )
    return "\n".join(lines)


def _met(run: dict, key: str) -> str:
    """A figure with its unit, and "(missed)" when it is over the issue's target."""
    value = run[key]
    shown = f"{value:,.0f} MB" if key.endswith("_mb") else f"{value:.2f} s"
    return shown + ("" if value <= TARGETS[key] else " (missed)")


def main() -> None:
    """The child: one data set on one store, its figures as one JSON line on stdout."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", type=Path, required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    found = _one(args.one, args.store, args.repeat, args.check, args.profile)
    print(json.dumps(found, default=str))


if __name__ == "__main__":
    main()
