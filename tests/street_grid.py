"""A street extract of the demo town, written as a real ``.osm.pbf`` for tests to import.

A grid of residential streets about 100 × 167 m over the town's wards, cut in two by a
named river that only two footbridges cross (the western one by steps), and a railway
(with a hostile name, to prove it reaches the page only as text) along which only every
fourth street crosses south of the river. Small enough to import in a second, real enough
that some homes are cut off.
"""

from __future__ import annotations

from pathlib import Path

import osmium
from osmium.osm.mutable import Node, Way

HOSTILE_RAILWAY = "<b>Main</b> Line {{ 6*7 }}"
RIVER = "River Wend"
STEP = 0.0015  # degrees; about 100 m east–west and 167 m north–south at 52.9°N


def write_town_streets(path: Path, bounds: tuple[float, float, float, float]) -> Path:
    """Write the grid over ``bounds`` (minx, miny, maxx, maxy) to ``path``."""
    minx, miny, maxx, maxy = bounds
    columns = int((maxx - minx) / STEP) + 1
    rows = int((maxy - miny) / STEP) + 1
    river_row = rows // 2  # the river runs east–west between this row and the next
    bridges = {columns // 4, 3 * columns // 4}
    ids = iter(range(1, 10_000_000))
    grid: dict[tuple[int, int], int] = {}
    writer = osmium.SimpleWriter(str(path))
    try:
        for i in range(columns):
            for j in range(rows):
                grid[i, j] = next(ids)
                writer.add_node(Node(id=grid[i, j], location=(minx + i * STEP, miny + j * STEP)))
        river_lat = miny + (river_row + 0.5) * STEP
        river_nodes = [next(ids) for _ in range(2)]
        railway_lon = minx + (columns // 2 + 0.5) * STEP
        railway_nodes = [next(ids) for _ in range(2)]
        writer.add_node(Node(id=river_nodes[0], location=(minx - STEP, river_lat)))
        writer.add_node(Node(id=river_nodes[1], location=(maxx + STEP, river_lat)))
        writer.add_node(Node(id=railway_nodes[0], location=(railway_lon, miny - STEP)))
        writer.add_node(Node(id=railway_nodes[1], location=(railway_lon, river_lat)))
        way = iter(range(1, 10_000_000))
        for j in range(rows):  # east–west streets; the railway cuts those south of the river
            cut = j <= river_row and j % 4 != 0
            if cut:
                half = columns // 2
                pieces = [range(0, half + 1), range(half + 1, columns)]
            else:
                pieces = [range(columns)]
            for piece in pieces:
                nodes = [grid[i, j] for i in piece]
                if len(nodes) > 1:
                    tags = {"highway": "residential", "name": f"Row {j} Street"}
                    writer.add_way(Way(id=next(way), nodes=nodes, tags=tags))
        for i in range(columns):  # north–south streets, crossing the river at bridges only
            south = [grid[i, j] for j in range(river_row + 1)]
            north = [grid[i, j] for j in range(river_row + 1, rows)]
            if i in bridges:  # the western bridge is a flight of steps
                kind = "steps" if i == min(bridges) else "footway"
                tags = {"highway": kind, "bridge": "yes"}
                writer.add_way(Way(id=next(way), nodes=[south[-1], north[0]], tags=tags))
            for nodes in (south, north):
                if len(nodes) > 1:
                    tags = {"highway": "residential"}
                    writer.add_way(Way(id=next(way), nodes=nodes, tags=tags))
        writer.add_way(
            Way(id=next(way), nodes=river_nodes, tags={"waterway": "river", "name": RIVER})
        )
        writer.add_way(
            Way(
                id=next(way),
                nodes=railway_nodes,
                tags={"railway": "rail", "name": HOSTILE_RAILWAY},
            )
        )
    finally:
        writer.close()
    return path
