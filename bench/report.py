"""The results as the Markdown tables bench/README.md quotes."""

from __future__ import annotations

import os
import platform

import duckdb
import geopandas as gpd
import shapely


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "—"


def _rows(row: dict) -> str:
    """SafePlay's row count, with the others' where they differ (and a word when SafePlay's
    two stores found as many but not the same initiatives in the same order)."""
    others = {
        "SafePlay-PG": row.get("safeplay_pg_rows", row["rows"]),
        "PostGIS": row.get("postgis_rows", row["rows"]),
        "geopandas": row["geopandas_rows"],
    }
    differ = [f"{name} {n:,}" for name, n in others.items() if n != row["rows"]]
    if row.get("same_answer") is False and others["SafePlay-PG"] == row["rows"]:
        differ.append("SafePlay-PG other ids or order")
    return f"{row['rows']:,}" + (f" ({', '.join(differ)})" if differ else "")


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def _header(results: dict, command: str) -> list[str]:
    load = results.get("load")
    loaded = (
        f" Load average when it started: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1 / 5 / 15 min)."
        if load
        else ""
    )
    return [
        f"Command: `{command}`. Machine: {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"PostgreSQL 15 + PostGIS 3 (Debian), geopandas {gpd.__version__}, "
        f"shapely {shapely.__version__}. Medians of {results['repeat']} runs.{loaded}",
    ]


def _filters(results: dict) -> list[str]:
    lines = [
        "### Filters (all statuses; which initiatives match: id and status, and the distance "
        "for a radius)",
        "",
        "| features | filter | rows | SafePlay DuckDB s | SafePlay-PG s | PostGIS s "
        "| geopandas s | DuckDB ÷ PostGIS | SafePlay-PG ÷ PostGIS | DuckDB ÷ geopandas "
        "| page data DuckDB s | page data PG s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results["filters"]:
        lines.append(
            f"| {r['size']:,} | {r['filter']} | {_rows(r)} | {r['safeplay_s']:.4f} | "
            f"{_seconds(r.get('safeplay_pg_s'))} | {_seconds(r.get('postgis_s'))} | "
            f"{r['geopandas_s']:.4f} | {ratio(r['safeplay_s'], r.get('postgis_s'))} | "
            f"{ratio(r.get('safeplay_pg_s'), r.get('postgis_s'))} | "
            f"{ratio(r['safeplay_s'], r['geopandas_s'])} | {r['page_s']:.4f} | "
            f"{_seconds(r.get('page_pg_s'))} |"
        )
    return lines


def report_filters(results: dict, command: str) -> str:
    """The filters' table alone (``run.py --filters-only``)."""
    return "\n".join([*_header(results, command), "", *_filters(results)])


def report(results: dict, command: str) -> str:
    lines = [*_header(results, command), "", *_filters(results)]
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


_CONFIGURATIONS = {
    "duckdb": "1 process, DuckDB",
    "postgres": "1 process, PostgreSQL",
    "replicas": "3 replicas, PostgreSQL, nginx",
    "pinned_1": "1 replica pinned to core 0",
    "pinned_2": "2 replicas pinned to cores 0 and 1",
}


def visitors_report(results: dict, command: str) -> str:
    """The visitors' tables: one row per step, and the pinned scaling at equal p95."""
    from visitors import visitors_at

    c = results["calibration"]
    lines = [
        f"Command: `{command}`. Machine: {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}. Demo town. Each step: warm-up, then "
        f"{results['window_s']:.0f} s measured; medians of {results['repeat']} steps. "
        f"Think time {results['think_s'][0]}–{results['think_s'][1]} s; "
        f"{results['filters_per_visit']} filter changes per visit.",
        "",
        f"Calibration (idle server, medians of 7): Chromium paints the map "
        f"{c['chromium_painted_s']:.2f} s after opening the page (returning visitor); the "
        f"protocol client receives the map {c['protocol_delivered_s']:.2f} s after opening; "
        f"painted = delivered + {c['paint_s']:.2f} s.",
        "",
        "| configuration | visitors | reruns/s | painted p50 s | painted p95 s | failed "
        "| app CPU s per rerun | app CPU s/s | PostgreSQL CPU s/s | nginx CPU s/s "
        "| generator CPU s/s | load average (range) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, name in _CONFIGURATIONS.items():
        for r in results.get(key, []):
            lines.append(
                f"| {name} | {r['visitors']} | {r['reruns_per_s']:.2f} | "
                f"{r['painted_p50_s']:.2f} | {r['painted_p95_s']:.2f} | {r['failed']:.0f} | "
                f"{r['app_cpu_per_rerun_s']:.3f} | {r['app_cpu_per_s']:.2f} | "
                f"{r['postgres_cpu_per_s']:.2f} | {r['nginx_cpu_per_s']:.2f} | "
                f"{r['generator_cpu_per_s']:.2f} | {r['load_average']:.1f} "
                f"({r['load_min']:.1f}–{r['load_max']:.1f}) |"
            )
    if results.get("pinned_1") and results.get("pinned_2"):
        lines += [
            "",
            "| p95 delivered (painted) | visitors, 1 pinned replica "
            "| visitors, 2 pinned replicas | ratio |",
            "|---|---|---|---|",
        ]
        for target in (0.5, 1.0, 2.0, 3.0):
            one = visitors_at(target, results["pinned_1"])
            two = visitors_at(target, results["pinned_2"])
            shown = [f"{v:.1f}" if v else "—" for v in (one, two)]
            lines.append(
                f"| {target:.1f} s ({target + c['paint_s']:.1f} s) | {shown[0]} | {shown[1]} "
                f"| {ratio(two, one)} |"
            )
    return "\n".join(lines)
