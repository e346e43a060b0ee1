"""SafePlay at city scale, side by side with PostgreSQL 15 + PostGIS 3 and geopandas.

Everything is measured in one process run on the same generated data: filters by ward, by a
drawn polygon crossing wards and by radius (filters.py, postgis.py); building the public map
(map_view.py); coverage (coverage_shares.py); imports (import_speed.py); the browser painting
the map and the app's memory (browser.py). Medians of repeated runs; ratios in the table
(report.py). Run: bash bench/run.sh [--full]      (quick: 1k/10k/100k; full adds 1M)
Concurrent visitors on DuckDB, PostgreSQL and replicas are their own part (visitors.py):
bash bench/run.sh --visitors
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from browser import browser_at
from checkpoint import checkpoint_cost, checkpoint_report
from coverage_shares import coverage_compare
from filters import filters_at
from import_speed import import_throughput
from map_view import map_at
from measure import ROOT
from postgis import PostGIS
from public_map import public_map_bench, public_map_report
from report import report, report_filters, visitors_report
from visitors import visitors_bench
from walking_speed import walking_bench, walking_report


def _keep(results: dict) -> None:
    """Save what is measured so far: a failure late in a long run loses nothing."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "partial.json").write_text(json.dumps(results, indent=1, default=str))


def _visitors(repeat: int) -> None:
    """The load part: minutes of steady load, so it runs apart from the quick set."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.chmod(folder, 0o777)
        results = visitors_bench(folder, repeat, _keep)
    _save("visitors", results, visitors_report(results, "bash bench/run.sh --visitors"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--full", action="store_true", help="add 1M features and 100k in the browser"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgis", action="store_true")
    parser.add_argument(
        "--filters-only",
        action="store_true",
        help="only the filters (DuckDB, SafePlay on PostgreSQL, PostGIS, geopandas)",
    )
    parser.add_argument(
        "--visitors", action="store_true", help="only the concurrent visitors' part (visitors.py)"
    )
    parser.add_argument(
        "--checkpoint",
        action="store_true",
        help="only what checkpointing every DuckDB commit costs a write (checkpoint.py)",
    )
    parser.add_argument(
        "--public-map",
        action="store_true",
        help="only the public map against the Streamlit pages in Chromium (public_map.py)",
    )
    parser.add_argument(
        "--walking",
        action="store_true",
        help="only walking coverage: Helsinki and the generated city (walking_speed.py)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="with --walking: cProfile of every step"
    )
    args = parser.parse_args()
    if args.walking:
        with tempfile.TemporaryDirectory() as scratch:
            found = walking_bench(
                Path(scratch), min(args.repeat, 3), not args.no_postgis, args.profile
            )
        _save("walking", found, walking_report(found, "bash bench/run.sh --walking"))
        return
    if args.public_map:
        with tempfile.TemporaryDirectory() as scratch:
            found = public_map_bench(Path(scratch))
        _save("public-map", found, public_map_report(found, "bash bench/run.sh --public-map"))
        return
    if args.visitors:
        _visitors(min(args.repeat, 3))
        return
    if args.checkpoint:
        with tempfile.TemporaryDirectory() as scratch:
            found = checkpoint_cost(Path(scratch), (1_000, 10_000, 100_000), args.repeat)
        _save("checkpoint", found, checkpoint_report(found, "bash bench/run.sh --checkpoint"))
        return
    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.full else [])
    results = {"repeat": args.repeat, "load": os.getloadavg()}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.chmod(folder, 0o777)
        pg = None if args.no_postgis else PostGIS()
        try:
            results["filters"] = [
                r for size in sizes for r in filters_at(size, folder, pg, args.repeat)
            ]
        finally:
            if pg is not None:
                pg.stop()
        _keep(results)
        if args.filters_only:
            _finish(results, args, report_filters(results, _command(args)))
            return
        results["map"] = [r for n in (10_000, 100_000) for r in map_at(n, folder, args.repeat)]
        _keep(results)
        results["coverage"] = coverage_compare(args.repeat)
        results["imports"] = import_throughput(100_000 if args.full else 20_000, folder)
        results["browser"] = [
            browser_at(n, folder) for n in ((10_000, 100_000) if args.full else (10_000,))
        ]
    _finish(results, args, report(results, _command(args)))


def _command(args: argparse.Namespace) -> str:
    chosen = (("--full", args.full), ("--filters-only", args.filters_only))
    return " ".join(["bash bench/run.sh", *(flag for flag, on in chosen if on)])


def _finish(results: dict, args: argparse.Namespace, text: str) -> None:
    name = ("full" if args.full else "quick") + ("-filters" if args.filters_only else "")
    _save(name, results, text)


def _save(name: str, results: dict, text: str) -> None:
    """Write the tables and the raw figures to bench/results/ and print the tables."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.md").write_text(text + "\n", encoding="utf-8")
    (out / f"{name}.json").write_text(json.dumps(results, indent=1, default=str))
    print(text)


if __name__ == "__main__":
    main()
