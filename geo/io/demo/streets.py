"""Millbrook's walkable streets, made in memory the way an OpenStreetMap import reads them.

Without streets the demo would show only straight-line coverage; with them a newcomer sees
walking coverage on *Play gaps* and in the play sufficiency report, and *Cut off, and by
what* has homes to name. So the town gets a street grid bent like an old town's, laid
over its wards and stopping at its boundary, with a few dead ends; a named river across it
and a railway through it, each crossed at three places only (one river bridge a flight of
steps), so homes on the wrong side of one are farther on foot than as the crow
flies; footpaths into the parks (no street runs through a park); gates on the outlines
of fenced play areas, where a short path meets the street; and homes beside the streets
in the residential land (the wards less parks and the land along the river and railway).

Made as ``StreetNetwork`` directly (no ``.osm.pbf``), measured and pruned by the reader's
own ``connected_reading``, from one numpy generator seeded by the demo's: the same town
every time.
"""

from __future__ import annotations

import math
import random

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import nearest_points

from geo.io.demo.places import PlaceDraft
from geo.io.demo.setting import TownFrame
from geo.registry.places import PlaceRecord
from geo.streets.osm_streets import StreetReading, connected_reading
from geo.wording import count

STREETS_SOURCE = "Millbrook demo streets"
RIVER = "River Amber"
RAILWAY = "Millbrook and Ashby Railway"
# Blocks of about 110 × 150 m: a terraced town's, and few enough nodes (about 3,000) that
# the demo loads and walks in a fraction of a second.
_BLOCK_X, _BLOCK_Y = 110.0, 150.0
_RIVER_BRIDGES = 3
_RAILWAY_CROSSINGS = 3
_DEAD_ENDS = 0.07  # share of street segments left out, so not every block is closed
_PARK_PATHS = 3  # footpaths from a park's middle to the streets around it
_GATE_REACH_M = 120.0  # a gate farther than this from every street gets no path
_HOME_SETBACK_M = 16.0  # from the street's middle line to a house's centroid
_CORRIDOR_M = 30.0  # no homes this near the river or the railway
_HOME_KINDS = ("house", "semidetached_house", "terrace")


def demo_streets(
    rng: random.Random,
    boundary: Polygon,
    wards: list[Polygon],
    drafts: list[PlaceDraft],
    places: list[PlaceRecord],
    frame: TownFrame,
) -> StreetReading:
    """The town's walkable network (shapes in the demo's local metres; ``places`` are the
    records of ``drafts``, for which are fenced)."""
    gen = np.random.default_rng(rng.getrandbits(64))
    river, railway = _river(gen, boundary), _railway(gen, boundary)
    parks = [d.shape for d in drafts if d.kind == "park" and d.shape.geom_type == "Polygon"]
    xy, u, v = _grid(gen, boundary, parks)
    u, v, steps = _crossings(xy, u, v, river, railway)
    land = _residential(wards, parks, (river, railway))
    homes = _homes(gen, xy, u, v, steps, land)
    xy, u, v, steps = _park_paths(xy, u, v, steps, parks, (river, railway))
    fenced = [
        d.shape
        for d, record in zip(drafts, places, strict=True)
        if record.fenced and d.kind != "park" and d.shape.geom_type == "Polygon"
    ]
    xy, u, v, steps, gates = _gates(xy, u, v, steps, fenced, (river, railway))
    xy, u, v = _on_streets(xy, u, v)
    lonlat = shapely.get_coordinates(frame.to_lonlat(shapely.points(xy)))
    return connected_reading(
        STREETS_SOURCE,
        lonlat[:, 0],
        lonlat[:, 1],
        u,
        v,
        steps,
        entrances=_frame(frame, gates, ["gate"] * len(gates)),
        homes=_frame(frame, homes, gen.choice(_HOME_KINDS, len(homes)).tolist()),
        residential=_frame(frame, land, ["residential"] * len(land)),
        barriers=gpd.GeoDataFrame(
            {"kind": ["river", "railway"], "name": [RIVER, RAILWAY]},
            geometry=[frame.to_lonlat(river), frame.to_lonlat(railway)],
            crs="EPSG:4326",
        ),
    )


def _river(gen: np.random.Generator, boundary: Polygon) -> LineString:
    """West to east across the town, meandering, a little off its middle."""
    minx, miny, maxx, maxy = boundary.bounds
    x = np.arange(minx - 300, maxx + 300, 40.0)
    y0 = gen.uniform(-0.2, 0.2) * (maxy - miny)
    phase = gen.uniform(0, 2 * math.pi, 2)
    y = y0 + 450 * np.sin(x / 1_500 + phase[0]) + 160 * np.sin(x / 520 + phase[1])
    return LineString(np.column_stack([x, y]))


def _railway(gen: np.random.Generator, boundary: Polygon) -> LineString:
    """South to north through the town's western half, in a long gentle curve."""
    minx, miny, maxx, maxy = boundary.bounds
    y = np.arange(miny - 300, maxy + 300, 80.0)
    x0 = minx + gen.uniform(0.3, 0.42) * (maxx - minx)
    x = x0 + 0.12 * (y - miny) + 350 * np.sin(y / 2_600 + gen.uniform(0, 2 * math.pi))
    return LineString(np.column_stack([x, y]))


def _grid(
    gen: np.random.Generator, boundary: Polygon, parks: list[Polygon]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid streets bent by a slow wave and a little jitter, inside the boundary and
    outside the parks, with a few segments left out."""
    minx, miny, maxx, maxy = boundary.bounds
    gx, gy = np.meshgrid(np.arange(minx, maxx, _BLOCK_X), np.arange(miny, maxy, _BLOCK_Y))
    phase = gen.uniform(0, 2 * math.pi, 2)
    x = gx + 45 * np.sin(gy / 900 + phase[0]) + gen.normal(0, 7, gx.shape)
    y = gy + 40 * np.sin(gx / 1_100 + phase[1]) + gen.normal(0, 7, gy.shape)
    index = np.arange(gx.size).reshape(gx.shape)
    u = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    v = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    xy = np.column_stack([x.ravel(), y.ravel()])
    keep = gen.random(len(u)) >= _DEAD_ENDS
    inside = shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])
    keep &= inside[u] & inside[v]
    if parks:
        lines = shapely.linestrings(np.stack([xy[u], xy[v]], axis=1))
        hit, _ = shapely.STRtree(parks).query(lines, predicate="intersects")
        keep[hit] = False
    return xy, u[keep], v[keep]


def _crossings(
    xy: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    river: LineString,
    railway: LineString,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The segments crossing the river or the railway left out but for a few spread
    along each (the westernmost river bridge a flight of steps); a segment crossing both
    is left out."""
    lines = shapely.linestrings(np.stack([xy[u], xy[v]], axis=1))
    over_river = shapely.intersects(lines, river)
    over_rail = shapely.intersects(lines, railway)
    keep = ~(over_river | over_rail)
    steps = np.zeros(len(u), dtype=bool)
    for over, across, wanted in (
        (over_river & ~over_rail, 0, _RIVER_BRIDGES),
        (over_rail & ~over_river, 1, _RAILWAY_CROSSINGS),
    ):
        candidates = np.flatnonzero(over)
        along = xy[u[candidates], across]  # west to east for the river, south to north
        order = candidates[np.argsort(along)]
        picks = order[np.linspace(0, len(order) - 1, wanted + 2).round().astype(int)[1:-1]]
        picks = np.unique(picks)
        keep[picks] = True
        if across == 0 and len(picks):
            steps[picks[0]] = True
    return u[keep], v[keep], steps[keep]


def _park_paths(
    xy: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    steps: np.ndarray,
    parks: list[Polygon],
    barriers: tuple[LineString, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Footpaths from each park's middle to the nearest street corners around it that no
    barrier parts from it."""
    if not parks:
        return xy, u, v, steps
    used = np.unique(np.concatenate([u, v]))
    tree = cKDTree(xy[used])
    new_xy, new_u, new_v = [], [], []
    for park in parks:
        middle = park.representative_point()
        _, near = tree.query([middle.x, middle.y], k=3 * _PARK_PATHS)
        here = len(xy) + len(new_xy)
        joined = 0
        for corner in used[near]:
            path = LineString([(middle.x, middle.y), tuple(xy[corner])])
            if joined == _PARK_PATHS or any(path.intersects(b) for b in barriers):
                continue
            new_u.append(here)
            new_v.append(corner)
            joined += 1
        if joined:
            new_xy.append((middle.x, middle.y))
    return _joined(xy, u, v, steps, new_xy, new_u, new_v)


def _gates(
    xy: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    steps: np.ndarray,
    fenced: list[Polygon],
    barriers: tuple[LineString, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list]:
    """A gate on each fenced play area's outline, facing its nearest street corner, with
    a short path between them; none where that corner is too far or over a barrier."""
    used = np.unique(np.concatenate([u, v]))
    tree = cKDTree(xy[used])
    new_xy, new_u, new_v, gates = [], [], [], []
    for outline in fenced:
        centre = outline.centroid
        distance, near = tree.query([centre.x, centre.y])
        corner = xy[used[near]]
        gate = nearest_points(outline.exterior, Point(corner))[0]
        path = LineString([(gate.x, gate.y), tuple(corner)])
        if distance > _GATE_REACH_M or any(path.intersects(b) for b in barriers):
            continue
        here = len(xy) + len(new_xy)
        new_xy.append((gate.x, gate.y))
        new_u.append(here)
        new_v.append(int(used[near]))
        gates.append(gate)
    return (*_joined(xy, u, v, steps, new_xy, new_u, new_v), gates)


def _joined(
    xy: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    steps: np.ndarray,
    new_xy: list[tuple[float, float]],
    new_u: list[int],
    new_v: list[int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The network with new nodes and footpaths (never steps) added."""
    return (
        np.vstack([xy, np.asarray(new_xy, dtype=float).reshape(-1, 2)]),
        np.concatenate([u, np.asarray(new_u, dtype=u.dtype)]),
        np.concatenate([v, np.asarray(new_v, dtype=v.dtype)]),
        np.concatenate([steps, np.zeros(len(new_u), dtype=bool)]),
    )


def _on_streets(
    xy: np.ndarray, u: np.ndarray, v: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Only the grid points some street reaches (not those outside the town or in a
    park), renumbered: a point on no street would count as a fragment of its own."""
    used = np.zeros(len(xy), dtype=bool)
    used[u] = used[v] = True
    renumber = np.cumsum(used) - 1
    return xy[used], renumber[u], renumber[v]


def _residential(
    wards: list[Polygon], parks: list[Polygon], barriers: tuple[LineString, ...]
) -> list:
    """Each ward's land less its parks and the corridors along the river and railway."""
    open_land = shapely.union_all([*parks, *(b.buffer(_CORRIDOR_M) for b in barriers)])
    return [shapely.difference(ward, open_land) for ward in wards]


def _homes(
    gen: np.random.Generator,
    xy: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    steps: np.ndarray,
    land: list,
) -> np.ndarray:
    """Houses along both sides of the streets (before any footpath is added), a third and
    two thirds of the way along each block, set back from the street; only those standing
    in residential land."""
    a, b = xy[u[~steps]], xy[v[~steps]]
    along = b - a
    length = np.maximum(np.hypot(along[:, 0], along[:, 1]), 1e-9)
    normal = np.column_stack([-along[:, 1], along[:, 0]]) / length[:, None]
    spots = [
        a + t * along + side * _HOME_SETBACK_M * normal
        for t in (1 / 3, 2 / 3)
        for side in (-1.0, 1.0)
    ]
    spots_xy = np.vstack(spots)
    spots_xy = spots_xy[gen.random(len(spots_xy)) < 0.8]  # a plot or two left empty
    area = shapely.union_all(land)
    shapely.prepare(area)
    inside = shapely.contains_xy(area, spots_xy[:, 0], spots_xy[:, 1])
    return shapely.points(spots_xy[inside])


def _frame(frame: TownFrame, shapes: list | np.ndarray, kinds: list[str]) -> gpd.GeoDataFrame:
    geometry = frame.to_lonlat(np.asarray(list(shapes), dtype=object)) if len(shapes) else []
    return gpd.GeoDataFrame(
        {"kind": pd.Series(kinds, dtype=str)}, geometry=list(geometry), crs="EPSG:4326"
    )


def in_words(reading: StreetReading) -> str:
    """ "3,047 nodes, 678.5 km of walkable ways, 90 gates and 16,055 homes; the River Amber
    and the Millbrook and Ashby Railway in the way", for the demo's summary."""
    network = reading.network
    return (
        f"{count(network.node_count, 'node')}, {network.length_km:,.1f} km of walkable ways, "
        f"{count(len(network.entrances), 'gate')} and {count(len(network.homes), 'home')}; "
        f"the {RIVER} and the {RAILWAY} in the way"
    )
