"""Small OpenStreetMap files written in a test, so the street tests need no downloaded data.

``riverside`` is a hand-made town whose every feature has one known answer: a footway with
a gate, a river crossed by one footbridge that lands on a flight of steps, a motorway, a
railway (and one on a bridge), a trunk road with and without pavements, ways closed to
walkers, a stream, an island of paths, a two-node fragment, homes, residential land
(one polygon a multipolygon relation) and a lake.
"""

from __future__ import annotations

from pathlib import Path

import osmium

Tags = dict[str, str]
#: Where the town lies: one step of longitude is 0.001°, of latitude 0.0005°.
LON0, LAT0, STEP_LON, STEP_LAT = -0.1, 51.5, 0.001, 0.0005


def write_osm(
    path: Path,
    nodes: dict[int, tuple[float, float, Tags]],
    ways: dict[int, tuple[list[int], Tags]],
    relations: dict[int, tuple[list[tuple[str, int, str]], Tags]] | None = None,
) -> Path:
    """Write nodes (id → lon, lat, tags), ways and relations; the format follows the suffix
    (``.osm.pbf`` or ``.osm``)."""
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    try:
        for node_id, (lon, lat, tags) in sorted(nodes.items()):
            writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), tags=tags))
        for way_id, (refs, tags) in sorted(ways.items()):
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))
        for relation_id, (members, tags) in sorted((relations or {}).items()):
            writer.add_relation(
                osmium.osm.mutable.Relation(id=relation_id, members=members, tags=tags)
            )
    finally:
        writer.close()
    return path


def at(column: float, row: float, tags: Tags | None = None) -> tuple[float, float, Tags]:
    """A node ``column`` steps east and ``row`` steps north of the town's corner."""
    return (LON0 + column * STEP_LON, LAT0 + row * STEP_LAT, tags or {})


def _square(first_id: int, column: float, row: float, size: float) -> dict[int, tuple]:
    corners = [(0, 0), (size, 0), (size, size), (0, size)]
    return {first_id + i: at(column + dx, row + dy) for i, (dx, dy) in enumerate(corners)}


def riverside(path: Path) -> Path:
    """The hand-made town (module docstring); node ids say where they are used."""
    nodes = {
        # Footway 1-5 along row 0; node 2 is a gate.
        **{i: at(i - 1, 0, {"barrier": "gate"} if i == 2 else None) for i in range(1, 6)},
        # The river runs north-south at column 5.5, rows -2..4.
        **{10 + i: at(5.5, i - 2) for i in range(7)},
        # Footbridge 5 → 30 → 31 over the river, then steps 31 → 32 → 33.
        30: at(5.5, 0),
        31: at(6, 0),
        32: at(6, 1),
        33: at(6, 2),
        # Motorway along row 6.
        **{40 + i: at(i, 6) for i in range(5)},
        # A railway along row 8, and a railway on a bridge along row 9.
        **{50 + i: at(i, 8) for i in range(3)},
        **{55 + i: at(i, 9) for i in range(3)},
        # Trunk road without pavement (row 10) and with (row 11, joined to the footway's node 1).
        **{60 + i: at(i, 10) for i in range(3)},
        71: at(0, 11),
        72: at(1, 11),
        # A cycleway with foot=no and a private footway, rows 12 and 13.
        **{80 + i: at(i, 12) for i in range(6)},
        **{90 + i: at(i, 13) for i in range(6)},
        # A stream, row 14.
        **{100 + i: at(i, 14) for i in range(3)},
        # An island of six path nodes far east, and a two-node fragment.
        **{110 + i: at(20 + i, 0) for i in range(6)},
        120: at(30, 0),
        121: at(31, 0),
        # An entrance on its own (a building's door).
        130: at(2, 3, {"entrance": "main"}),
        # Homes and buildings.
        **_square(200, 1, 1, 0.2),  # house
        **_square(210, 1, 4, 0.2),  # building=yes inside the residential relation
        **_square(220, 8, 4, 0.2),  # building=yes outside any residential land
        **_square(230, 2, 1, 0.2),  # commercial
        # Residential land as a closed way, and as a relation of two half-rings.
        **_square(300, 0, 0.5, 3),
        311: at(0, 3.5),
        312: at(3, 3.5),
        313: at(3, 5.5),
        314: at(0, 5.5),
        # A lake.
        **_square(400, 10, 10, 1),
    }
    ways = {
        1: ([1, 2, 3, 4, 5], {"highway": "footway"}),
        2: ([10, 11, 12, 13, 14, 15, 16], {"waterway": "river", "name": "River Lea"}),
        3: ([5, 30, 31], {"highway": "footway", "bridge": "yes"}),
        4: ([31, 32, 33], {"highway": "steps"}),
        5: ([40, 41, 42, 43, 44], {"highway": "motorway", "name": "M11"}),
        6: ([50, 51, 52], {"railway": "rail"}),
        7: ([55, 56, 57], {"railway": "rail", "bridge": "yes"}),
        8: ([60, 61, 62], {"highway": "trunk"}),
        9: ([1, 71, 72], {"highway": "trunk", "sidewalk": "both"}),
        10: ([80, 81, 82, 83, 84, 85], {"highway": "cycleway", "foot": "no"}),
        11: ([90, 91, 92, 93, 94, 95], {"highway": "footway", "access": "private"}),
        12: ([100, 101, 102], {"waterway": "stream"}),
        13: ([110, 111, 112, 113, 114, 115], {"highway": "path"}),
        14: ([120, 121], {"highway": "footway"}),
        15: ([33, 999], {"highway": "footway"}),  # node 999 lies outside the extract
        20: ([200, 201, 202, 203, 200], {"building": "house"}),
        21: ([210, 211, 212, 213, 210], {"building": "yes"}),
        22: ([220, 221, 222, 223, 220], {"building": "yes"}),
        23: ([230, 231, 232, 233, 230], {"building": "commercial"}),
        30: ([300, 301, 302, 303, 300], {"landuse": "residential"}),
        31: ([311, 312, 313], {}),
        32: ([313, 314, 311], {}),
        40: ([400, 401, 402, 403, 400], {"natural": "water", "name": "Mill Pond"}),
        41: ([43, 400], {"barrier": "fence"}),
    }
    relations = {
        1: (
            [("w", 31, "outer"), ("w", 32, "outer")],
            {"type": "multipolygon", "landuse": "residential"},
        )
    }
    return write_osm(path, nodes, ways, relations)
