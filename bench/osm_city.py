"""The generated city of ``city.py`` as a real ``.osm.pbf``, for the walking benchmarks.

The same 100 wards (Voronoi cells over 20 km × 20 km) and 5,000 play areas (polygons
around the same 200 neighbourhood centres), plus what a walk meets in a real extract: a
street grid of 100 m blocks with a node every 25 m (streets are rarely straight, so OSM
keeps many nodes per block), cul-de-sacs where block edges are missing, footways and a few
steps across blocks, a private road (not walkable), a river crossed by five bridges, a
railway crossed by four road bridges and a motorway crossed by four footbridges (every
other street meeting them stops), residential land use (some as multipolygons with a hole)
and building footprints (homes, and shops or sheds that are not homes). Play areas carry
gates or entrances on their outline, some of them.

Written with ``osmium.SimpleWriter``; seeded, so every run reads the same file. Sizes
(about 290,000 street nodes, 50,000 buildings) are a city's, not a test's: the issue's
160,000-node extract reads in about 8 s, and this one should show whether the reader and
the store scale past it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import shapely
from city import CENTRE, M_PER_DEG, PLACE_KINDS, SIDE_M, _to_degrees, features, wards

BLOCK_M = 100.0
NODES_PER_SIDE = 4  # segments per block side: a node every 25 m
# How a play area's kind is tagged in OSM (the store gets the kind itself).
PLAY_TAGS: dict[str, dict[str, str]] = {
    "playground": {"leisure": "playground"},
    "park": {"leisure": "park"},
    "games_area": {"leisure": "pitch", "sport": "multi"},
    "skate_park": {"leisure": "pitch", "sport": "skateboard"},
    "youth_space": {"leisure": "playground", "playground": "youth"},
    # Not a highway: a play area drawn over the river must not become a way across it.
    "play_street": {"leisure": "playground", "playground": "play_street"},
}
HOME_KINDS = ("house", "detached", "semidetached_house", "terrace", "apartments", "yes")
HOME_SHARES = (0.4, 0.15, 0.15, 0.1, 0.1, 0.1)


@dataclass(frozen=True)
class OsmCity:
    """What was written, for loading the same wards and places into SafePlay."""

    path: Path
    wards: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    proposals: gpd.GeoDataFrame
    nodes: int
    ways: int
    crossings: dict[str, int]


class _Ids:
    """Node and way ids handed out in order, so the file is sorted as osmium expects."""

    def __init__(self) -> None:
        self.node = 0
        self.way = 0

    def nodes(self, count: int) -> np.ndarray:
        first = self.node + 1
        self.node += count
        return np.arange(first, first + count)

    def next_way(self) -> int:
        self.way += 1
        return self.way


def _barrier_lines() -> dict[str, shapely.LineString]:
    """The river (meandering west to east), the railway (north to south) and the motorway."""
    x = np.linspace(-SIDE_M / 2, SIDE_M / 2, 401)
    river = np.column_stack(
        [x, -1500 + 1200 * np.sin(2 * np.pi * x / 9000) + 400 * np.sin(2 * np.pi * x / 3100)]
    )
    y = np.linspace(-SIDE_M / 2, SIDE_M / 2, 41)
    railway = np.column_stack([2500 + 0.085 * (y + SIDE_M / 2), y])
    motorway = np.column_stack([x, 5500 + 0.08 * x])
    return {
        "river": shapely.LineString(river),
        "railway": shapely.LineString(railway),
        "motorway": shapely.LineString(motorway),
    }


BARRIER_TAGS = {
    "river": {"waterway": "river", "name": "River Wend"},
    "railway": {"railway": "rail", "name": "Midland Main Line"},
    "motorway": {"highway": "motorway", "ref": "M1", "name": "Wend Valley Motorway"},
}
CROSSINGS = {"river": 5, "railway": 4, "motorway": 4}


def write_osm_city(folder: Path, seed: int = 7, homes_per_block: int = 2) -> OsmCity:
    """Write ``folder/city.osm.pbf`` and return what SafePlay must load beside it."""
    rng = np.random.default_rng(seed)
    city_wards = wards(100, rng)
    places = features(5_000, rng, PLACE_KINDS, polygons_only=True)
    proposals = features(20, rng, ("new_play_area",), polygons_only=True)
    path = folder / "city.osm.pbf"
    path.unlink(missing_ok=True)
    ids = _Ids()
    counts = {"ways": 0}
    writer = osmium.SimpleWriter(str(path))
    pending_ways: list[osmium.osm.mutable.Way] = []
    pending_relations: list[osmium.osm.mutable.Relation] = []

    def nodes(xy_m: np.ndarray, tags: list[dict] | None = None) -> np.ndarray:
        """Write nodes at ``xy_m`` (metres) and return their ids."""
        found = ids.nodes(len(xy_m))
        lonlat = _to_degrees(np.asarray(xy_m, dtype=float))
        for k, (node_id, (lon, lat)) in enumerate(zip(found, lonlat, strict=True)):
            node_tags = tags[k] if tags is not None else {}
            writer.add_node(
                osmium.osm.mutable.Node(id=int(node_id), location=(lon, lat), tags=node_tags)
            )
        return found

    def way(refs, tags: dict[str, str]) -> int:
        way_id = ids.next_way()
        pending_ways.append(
            osmium.osm.mutable.Way(id=way_id, nodes=[int(r) for r in refs], tags=tags)
        )
        counts["ways"] += 1
        return way_id

    crossings = _streets(rng, nodes, way)
    _landuse_and_homes(rng, nodes, way, pending_relations, ids, homes_per_block)
    _play_areas(rng, places, nodes, way)
    for kind, line in _barrier_lines().items():
        way(nodes(shapely.get_coordinates(line)), BARRIER_TAGS[kind])
    for item in pending_ways:  # every node first, then ways, then relations: a sorted file
        writer.add_way(item)
    for item in pending_relations:
        writer.add_relation(item)
    writer.close()
    return OsmCity(path, city_wards, places, proposals, ids.node, counts["ways"], crossings)


def _streets(rng: np.random.Generator, nodes, way) -> dict[str, int]:
    """The grid: one way per block side, most residential, every 5th line tertiary and every
    10th secondary; block sides crossing a barrier are left out except the chosen crossings."""
    side = int(SIDE_M / BLOCK_M) + 1
    grid = np.arange(side) * BLOCK_M - SIDE_M / 2
    corners_xy = np.stack(np.meshgrid(grid, grid, indexing="ij"), -1) + rng.normal(
        0, 6, (side, side, 2)
    )
    corners = nodes(corners_xy.reshape(-1, 2)).reshape(side, side)
    # Block sides: (i, j) to (i + 1, j) and (i, j) to (i, j + 1).
    starts, ends, line_index = [], [], []
    for di, dj in ((1, 0), (0, 1)):
        i, j = np.meshgrid(np.arange(side - di), np.arange(side - dj), indexing="ij")
        starts.append(np.column_stack([i.ravel(), j.ravel()]))
        ends.append(np.column_stack([i.ravel() + di, j.ravel() + dj]))
        line_index.append(j.ravel() if di else i.ravel())  # the street line a side is on
    start, end, line = np.concatenate(starts), np.concatenate(ends), np.concatenate(line_index)
    a = corners_xy[start[:, 0], start[:, 1]]
    b = corners_xy[end[:, 0], end[:, 1]]
    segments = shapely.linestrings(np.stack([a, b], 1))
    crossing_kind = np.full(len(start), "", dtype=object)
    dropped = rng.random(len(start)) < 0.06  # cul-de-sacs and dead ends
    crossings = {}
    for kind, barrier in _barrier_lines().items():
        hits = np.flatnonzero(shapely.intersects(segments, barrier))
        along = shapely.line_locate_point(barrier, shapely.centroid(segments[hits]))
        order = hits[np.argsort(along)]
        chosen = order[np.linspace(0, len(order) - 1, CROSSINGS[kind] + 2).astype(int)[1:-1]]
        dropped[hits] = True
        dropped[chosen] = False
        crossing_kind[chosen] = kind
        crossings[kind] = len(chosen)
    private = rng.random(len(start)) < 0.01
    fraction = np.linspace(0, 1, NODES_PER_SIDE + 1)[1:-1]
    kept = np.flatnonzero(~dropped)
    inner_xy = a[kept, None] + (b[kept] - a[kept])[:, None] * fraction[None, :, None]
    inner_xy += rng.normal(0, 1.5, inner_xy.shape)  # streets bend a little
    inner = nodes(inner_xy.reshape(-1, 2)).reshape(len(kept), len(fraction))
    for n, k in enumerate(kept):
        refs = [corners[tuple(start[k])], *inner[n], corners[tuple(end[k])]]
        tags = {"highway": _street_class(int(line[k])), "name": f"Street {int(line[k])}"}
        if crossing_kind[k] == "motorway":
            tags = {"highway": "footway", "bridge": "yes", "layer": "1"}
        elif crossing_kind[k]:
            tags |= {"bridge": "yes", "layer": "1"}
        elif private[k]:
            tags = {"highway": "service", "access": "private"}
        way(refs, tags)
    # Footways across 8 % of blocks, corner to corner; one in eight of them steps.
    blocks = np.argwhere(rng.random((side - 1, side - 1)) < 0.08)
    diagonals = shapely.linestrings(
        np.stack(
            [
                corners_xy[blocks[:, 0], blocks[:, 1]],
                corners_xy[blocks[:, 0] + 1, blocks[:, 1] + 1],
            ],
            1,
        )
    )
    for barrier in _barrier_lines().values():  # a footway stops at the river like a street
        keep = ~shapely.intersects(diagonals, barrier)
        blocks, diagonals = blocks[keep], diagonals[keep]
    for i, j in blocks:
        inner = corners_xy[i, j] + (corners_xy[i + 1, j + 1] - corners_xy[i, j]) * fraction[:, None]
        kind = "steps" if rng.random() < 0.125 else "footway"
        way([corners[i, j], *nodes(inner), corners[i + 1, j + 1]], {"highway": kind})
    return crossings


def _street_class(line: int) -> str:
    if line % 10 == 0:
        return "secondary"
    return "tertiary" if line % 5 == 0 else "residential"


def _ring(nodes, way, box: shapely.Polygon, tags: dict[str, str]) -> int:
    """A closed way around ``box`` (metres), its first node repeated at the end."""
    coords = shapely.get_coordinates(box)[:-1]
    refs = nodes(coords)
    return way([*refs, refs[0]], tags)


def _landuse_and_homes(rng, nodes, way, relations, ids: _Ids, homes_per_block: int) -> None:
    """Residential land use on about 65 % of 500 m tiles (every 10th as a multipolygon with
    a hole: a school's grounds), homes in their blocks, and some buildings that are not
    homes (shops, sheds) everywhere."""
    tile_m = 500.0
    tiles = int(SIDE_M / tile_m)
    per_tile = int(tile_m / BLOCK_M)
    centres: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    for ti in range(tiles):
        for tj in range(tiles):
            x0, y0 = ti * tile_m - SIDE_M / 2, tj * tile_m - SIDE_M / 2
            residential = rng.random() < 0.65
            if residential:
                outline = shapely.box(x0 + 20, y0 + 20, x0 + tile_m - 20, y0 + tile_m - 20)
                if (ti * tiles + tj) % 10 == 0:
                    outer = _ring(nodes, way, outline, {})
                    hole = shapely.box(x0 + 200, y0 + 200, x0 + 300, y0 + 300)
                    inner = _ring(nodes, way, hole, {})
                    relations.append(
                        osmium.osm.mutable.Relation(
                            id=len(relations) + 1,
                            members=[("w", outer, "outer"), ("w", inner, "inner")],
                            tags={"type": "multipolygon", "landuse": "residential"},
                        )
                    )
                else:
                    _ring(nodes, way, outline, {"landuse": "residential"})
            blocks = np.stack(np.meshgrid(range(per_tile), range(per_tile)), -1).reshape(-1, 2)
            count = (
                np.full(len(blocks), homes_per_block)
                if residential
                else ((rng.random(len(blocks)) < 0.3).astype(int))
            )
            slot = np.concatenate([np.arange(c) for c in count]).astype(int)
            block_xy = np.repeat(blocks, count, axis=0) * BLOCK_M + np.array([x0, y0])
            offset = np.column_stack([30 + 40 * (slot % 2), 30 + 40 * ((slot // 2) % 2)])
            centres.append(block_xy + offset + rng.normal(0, 3, block_xy.shape))
            kinds.append(
                rng.choice(HOME_KINDS, p=HOME_SHARES, size=len(slot))
                if residential
                else np.full(len(slot), "retail")
            )
    centre = np.concatenate(centres)
    corner = np.array([[-5, -4], [5, -4], [5, 4], [-5, 4]], dtype=float)
    refs = nodes((centre[:, None, :] + corner[None]).reshape(-1, 2)).reshape(-1, 4)
    for ring, kind in zip(refs, np.concatenate(kinds), strict=True):
        way([*ring, ring[0]], {"building": str(kind)})


def _play_areas(rng, places: gpd.GeoDataFrame, nodes, way) -> None:
    """Each play area's outline as a closed way; 40 % with one gate, 15 % with two (gates
    or entrances at the middle of a side, on the outline)."""
    metres = shapely.transform(
        places.geometry.to_numpy(), lambda d: (d - np.array(CENTRE)) * np.array(M_PER_DEG)
    )
    for shape, kind, name_id in zip(metres, places["kind"], places["id"], strict=True):
        corners = shapely.get_coordinates(shape)[:-1]
        draw = rng.random()
        gates = 2 if draw < 0.15 else 1 if draw < 0.55 else 0
        ring = []
        for k, corner in enumerate(corners):
            ring.append((corner, {}))
            if k < gates:
                middle = (corner + corners[(k + 1) % len(corners)]) / 2
                tag = {"barrier": "gate"} if (name_id + k) % 3 else {"entrance": "yes"}
                ring.append((middle, tag))
        refs = nodes(np.array([xy for xy, _ in ring]), [tags for _, tags in ring])
        way([*refs, refs[0]], {**PLAY_TAGS[kind], "name": f"Play area {name_id}"})
