"""A deterministic synthetic city for benchmarks: irregular wards, clustered features.

Wards are Voronoi cells of jittered seeds over a 20 km square; places and initiatives
gather around 200 neighbourhood centres (as real ones do), with points, lines and
polygons. The same seed gives the same city, so runs compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

CENTRE = (-1.4746, 52.9225)
SIDE_M = 20_000.0
M_PER_DEG = (111_320.0 * np.cos(np.radians(CENTRE[1])), 110_540.0)
STATUSES = ("submitted", "changes_requested", "approved", "rejected", "in_progress", "completed")
KINDS = ("new_play_area", "safety_improvement", "programme", "event", "walking_route")
PLACE_KINDS = ("playground", "park", "games_area", "skate_park", "youth_space", "play_street")


@dataclass(frozen=True)
class City:
    wards: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    initiatives: gpd.GeoDataFrame


def _to_degrees(xy: np.ndarray) -> np.ndarray:
    return xy / np.array(M_PER_DEG) + np.array(CENTRE)


def wards(count: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    side = int(np.ceil(np.sqrt(count)))
    cells = (
        np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2)[:count] + 0.5
    ) / side
    seeds = (cells + rng.uniform(-0.35, 0.35, cells.shape) / side - 0.5) * SIDE_M
    square = shapely.box(-SIDE_M / 2, -SIDE_M / 2, SIDE_M / 2, SIDE_M / 2)
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=square)
    shapes = [shapely.intersection(c, square) for c in shapely.get_parts(cells)]
    degrees = [shapely.transform(s, _to_degrees) for s in shapes][:count]
    return gpd.GeoDataFrame(
        {
            "id": np.arange(1, len(degrees) + 1),
            "name": [f"Ward {i + 1}" for i in range(len(degrees))],
            "population": rng.integers(3_000, 15_000, len(degrees)),
        },
        geometry=degrees,
        crs="EPSG:4326",
    )


def _clustered(count: int, rng: np.random.Generator) -> np.ndarray:
    hubs = rng.uniform(-0.45, 0.45, (200, 2)) * SIDE_M
    chosen = hubs[rng.integers(0, len(hubs), count)]
    points = chosen + rng.normal(0, 450, (count, 2))
    return np.clip(points, -SIDE_M / 2 + 10, SIDE_M / 2 - 10)


def features(count: int, rng: np.random.Generator, kinds, polygons_only=False) -> gpd.GeoDataFrame:
    xy = _clustered(count, rng)
    shape = rng.choice(3, count, p=(0.5, 0.25, 0.25)) if not polygons_only else np.full(count, 2)
    size = rng.uniform(15, 60, count)
    geometry = np.empty(count, dtype=object)
    points = shape == 0
    geometry[points] = shapely.points(xy[points])
    lines = shape == 1
    ends = xy[lines] + rng.normal(0, 150, (lines.sum(), 2))
    geometry[lines] = shapely.linestrings(np.stack([xy[lines], ends], 1))
    boxes = shape == 2
    geometry[boxes] = shapely.box(
        xy[boxes, 0] - size[boxes],
        xy[boxes, 1] - size[boxes] * 0.7,
        xy[boxes, 0] + size[boxes],
        xy[boxes, 1] + size[boxes] * 0.7,
    )
    degrees = shapely.transform(geometry, _to_degrees)
    return gpd.GeoDataFrame(
        {
            "id": np.arange(1, count + 1),
            "kind": rng.choice(kinds, count),
            "status": rng.choice(STATUSES, count),
        },
        geometry=degrees,
        crs="EPSG:4326",
    )


def make_city(initiatives: int, places: int = 0, ward_count: int = 100, seed: int = 7) -> City:
    rng = np.random.default_rng(seed)
    return City(
        wards=wards(ward_count, rng),
        places=features(places, rng, PLACE_KINDS) if places else features(0, rng, PLACE_KINDS),
        initiatives=features(initiatives, rng, KINDS),
    )
