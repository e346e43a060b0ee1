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
