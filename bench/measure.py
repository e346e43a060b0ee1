"""What every measurement shares: the project root, medians of repeated runs, and loading
a generated city (wards, places) into a SafePlay database.

Imported by ``bench/run.py`` and the modules it drives, which put the project root on the
import path first.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import shapely

from geo.permissions import COMMAND_LINE
from geo.registry.areas import AreaRecord, add_areas
from geo.storage import membership
from geo.storage.db import Store, insert_rows

ROOT = Path(__file__).resolve().parents[1]


def interleaved_medians(
    calls: dict[str, Callable[[], object]], repeat: int
) -> tuple[dict[str, float], dict[str, object]]:
    """The median time of each call over ``repeat`` rounds that run every call once, in
    turn, and each call's last result.

    On a shared machine the load changes from one second to the next: calls timed in the
    same rounds meet the same load, so their ratio means more than that of two medians
    taken a minute apart.
    """
    times: dict[str, list[float]] = {name: [] for name in calls}
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, call in calls.items():
            start = time.perf_counter()
            results[name] = call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(spent) for name, spent in times.items()}, results


def median_time(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    medians, results = interleaved_medians({"call": call}, repeat)
    return medians["call"], results["call"]


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
