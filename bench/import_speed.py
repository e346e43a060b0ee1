"""Imports: rows per second for a GeoJSON and a CSV file of generated play areas."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
from city import make_city
from measure import add_wards

from geo.io import imports
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store


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
