"""Millbrook's ground plan: a wandering council boundary, irregular wards with their
populations, and the street names places and initiatives are named after."""

from __future__ import annotations

import math
import random

import shapely
from shapely.geometry import Point, Polygon

from geo.io.demo.setting import WARD_NAMES, TownFrame
from geo.registry.areas import AreaRecord

_STREET_FIRST = (
    "Oak",
    "Elm",
    "Willow",
    "Ash",
    "Beech",
    "Cedar",
    "Holly",
    "Hazel",
    "Rowan",
    "Birch",
    "Chestnut",
    "Laurel",
    "Maple",
    "Poplar",
    "Alder",
    "Linden",
    "Hawthorn",
    "Juniper",
    "Meadow",
    "Church",
    "Station",
    "Victoria",
    "Albert",
    "Queen's",
    "King's",
    "Bridge",
    "Orchard",
    "Spring",
    "Well",
    "Castle",
    "Abbey",
    "Priory",
    "Market",
    "Chapel",
    "Forge",
    "Tannery",
    "Weaver's",
    "Cooper's",
    "Granary",
    "Wharf",
    "Lock",
    "Ferry",
    "Foundry",
    "Rope Walk",
    "Sheepfold",
    "Cherry",
    "Lavender",
    "Primrose",
    "Bluebell",
    "Foxglove",
)
_STREET_LAST = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Way",
    "Gardens",
    "Crescent",
    "Grove",
    "Terrace",
    "Walk",
    "Rise",
)


def town_boundary(rng: random.Random) -> Polygon:
    """A blob about 9 × 7 km whose edge wanders like a real council boundary."""
    points = []
    harmonics = [
        (k, rng.uniform(0.02, 0.09) / k**0.5, rng.uniform(0, 2 * math.pi)) for k in range(2, 9)
    ]
    for step in range(180):
        t = 2 * math.pi * step / 180
        r = 1.0 + sum(a * math.sin(k * t + p) for k, a, p in harmonics)
        points.append((4_500 * r * math.cos(t), 3_500 * r * math.sin(t)))
    return Polygon(points).buffer(0)


def ward_shapes(rng: random.Random, boundary: Polygon) -> list[Polygon]:
    """Voronoi cells of relaxed seed points, clipped to the boundary: irregular wards."""
    minx, miny, maxx, maxy = boundary.bounds
    seeds: list[Point] = []
    while len(seeds) < len(WARD_NAMES):
        candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if boundary.contains(candidate) and all(candidate.distance(s) > 1_200 for s in seeds):
            seeds.append(candidate)
    for _ in range(2):  # Lloyd relaxation: evens out sizes without making a grid
        cells = _cells(seeds, boundary)
        seeds = [cell.centroid for cell in cells]
    cells = _cells(seeds, boundary)
    # Wiggle shared edges a little so wards do not look machine-cut.
    return [cell.simplify(25) for cell in cells]


def _cells(seeds: list[Point], boundary: Polygon) -> list[Polygon]:
    diagram = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=boundary)
    cells: list[Polygon] = []
    for seed in seeds:
        cell = next(c for c in diagram.geoms if c.contains(seed))
        clipped = cell.intersection(boundary)
        if clipped.geom_type == "MultiPolygon":
            clipped = max(clipped.geoms, key=lambda g: g.area)
        cells.append(clipped)
    return cells


def ward_record(
    rng: random.Random, index: int, name: str, shape: Polygon, frame: TownFrame
) -> AreaRecord:
    density = rng.uniform(1_400, 3_600)  # residents per km²: suburbs to terraces
    population = int(shape.area / 1e6 * density)
    children = int(population * rng.uniform(0.17, 0.27))
    return AreaRecord(name, f"MB{index + 1:02d}", frame.to_lonlat(shape), population, children)


def street_names(rng: random.Random) -> list[str]:
    names = [f"{a} {b}" for a in _STREET_FIRST for b in _STREET_LAST]
    rng.shuffle(names)
    return names
