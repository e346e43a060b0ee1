"""What every measurement shares: the project root, medians of repeated runs, and loading
a generated city (wards, places) into a SafePlay database.

Imported by ``bench/run.py`` and the modules it drives, which put the project root on the
import path first.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import shapely

from geo.permissions import COMMAND_LINE
from geo.registry.areas import AreaRecord, add_areas
from geo.storage import membership
from geo.storage.db import Store, insert_rows

ROOT = Path(__file__).resolve().parents[1]


def median_time(call, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def add_wards(store: Store, city) -> None:
    """The city's wards, with their populations, as SafePlay areas."""
    records = [
        AreaRecord(r.name, str(r.id), r.geometry, int(r.population))
        for r in city.wards.itertuples()
    ]
    add_areas(store, COMMAND_LINE, records, level="ward", source="bench")


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
