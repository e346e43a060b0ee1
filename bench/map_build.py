"""How long the Explore map takes to build for the demo town, and what it sends.

Side by side in one run: SafePlay's layers (polygons as one GeoJSON layer, points in a
FastMarkerCluster) against the naive build with one folium.Marker per feature.
Run: .venv/bin/python bench/map_build.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import folium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.escape import for_map
from geo.io.demo import load_demo
from geo.mapping import explore, maps
from geo.permissions import COMMAND_LINE
from geo.registry.filters import MapFilter
from geo.storage.db import Store


def safeplay_map(store: Store) -> str:
    view = explore.explore(store, MapFilter())
    fmap = maps.base_map(tuple(view.wards.total_bounds))
    return maps.standalone_html(fmap, maps.build_layers(view.wards, view.places, view.initiatives))


def marker_per_row_map(store: Store) -> str:
    view = explore.explore(store, MapFilter())
    minx, miny, maxx, maxy = view.wards.total_bounds
    fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], tiles=None)
    for frame, column in ((view.places, "name"), (view.initiatives, "title")):
        for row in frame.itertuples():
            point = row.geometry.representative_point()
            folium.Marker([point.y, point.x], tooltip=for_map(getattr(row, column))).add_to(fmap)
    return fmap.get_root().render()


def measure(build, store: Store, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        html = build(store)
        times.append(time.perf_counter() - start)
        size = len(html.encode())
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        load_demo(store, COMMAND_LINE)
        ours = measure(safeplay_map, store, args.repeat)
        naive = measure(marker_per_row_map, store, args.repeat)
    print("| build | median s | bytes |")
    print("|---|---|---|")
    print(f"| SafePlay layers (query + build + render) | {ours[0]:.3f} | {ours[1]:,} |")
    print(f"| one Marker per feature | {naive[0]:.3f} | {naive[1]:,} |")
    print(f"| ratio SafePlay ÷ markers | {ours[0] / naive[0]:.2f} | {ours[1] / naive[1]:.2f} |")


if __name__ == "__main__":
    main()
