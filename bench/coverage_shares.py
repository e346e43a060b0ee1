"""Coverage: ``geo.council.coverage.compute`` against a plain shapely computation of the same
question, both judged against 256-sided circles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from city import make_city
from measure import median_time

from geo.council import coverage
from geo.geometry import LocalFrame

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
