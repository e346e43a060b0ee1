"""Reading OSM extracts into the walking network: what is kept, what is a barrier, and why.

Every answer is known from the hand-made town in ``tests/osm_files.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from geo.errors import ImportRejected
from geo.streets.network import BARRIER_WORDS
from geo.streets.osm_streets import read_streets
from tests.osm_files import LAT0, LON0, STEP_LON, at, riverside, write_osm

# The main piece: footway 1-5, footbridge to 30-31, steps to 32-33, trunk road with
# pavements 1-71-72. The island: six path nodes. Both are kept; the 2-node stub is not.
MAIN_NODES, ISLAND_NODES = 11, 6


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory):
    return read_streets(riverside(tmp_path_factory.mktemp("osm") / "riverside.osm.pbf"))


def _nodes_at(network, lon: float, lat: float) -> np.ndarray:
    """Nodes within a centimetre of a point (osmium keeps seven decimals)."""
    near = np.isclose(network.lon, lon, rtol=0, atol=1e-7)
    return np.flatnonzero(near & np.isclose(network.lat, lat, rtol=0, atol=1e-7))


def _node(network, lon: float, lat: float) -> int:
    found = _nodes_at(network, lon, lat)
    assert len(found) == 1, f"no single node at {lon}, {lat}"
    return int(found[0])


def _edge(network, a: tuple, b: tuple) -> int | None:
    """The edge between the nodes at ``a`` and ``b`` (``at(...)`` tuples), or None."""
    i, j = _node(network, *a[:2]), _node(network, *b[:2])
    found = np.flatnonzero(
        ((network.u == i) & (network.v == j)) | ((network.u == j) & (network.v == i))
    )
    return int(found[0]) if len(found) else None


def _metres_per_degree_of_longitude(lat: float) -> float:
    """On the WGS 84 ellipsoid: the radius of the parallel times pi / 180 (independent of
    the reader's pyproj)."""
    a, e2 = 6_378_137.0, 0.00669437999014
    phi = math.radians(lat)
    return math.pi / 180 * a * math.cos(phi) / math.sqrt(1 - e2 * math.sin(phi) ** 2)


def test_walkable_ways_become_one_graph_with_an_island_and_no_stub(town):
    network = town.network
    assert network.node_count == MAIN_NODES + ISLAND_NODES
    assert network.edge_count == MAIN_NODES - 1 + ISLAND_NODES - 1
    assert town.components == 2
    assert (town.dropped_fragments, town.dropped_nodes) == (1, 2)
    assert network.u.dtype == np.int32 and network.length_m.dtype == np.float64


def test_lengths_are_metres_on_the_ellipsoid(town):
    network = town.network
    edge = _edge(network, at(0, 0), at(1, 0))
    expected = STEP_LON * _metres_per_degree_of_longitude(LAT0)
    assert network.length_m[edge] == pytest.approx(expected, rel=0.005)
    assert network.length_m[edge] == pytest.approx(69.4, abs=0.5)  # 0.001° at 51.5° N


def test_the_footbridge_is_the_way_over_the_river_and_the_river_a_barrier(town):
    network = town.network
    assert _edge(network, at(4, 0), at(5.5, 0)) is not None  # the bridge's first segment
    rivers = network.barriers[network.barriers["kind"] == "river"]
    assert rivers["name"].tolist() == ["River Lea"]
    bridge = shapely.LineString([at(4, 0)[:2], at(6, 0)[:2]])
    assert rivers.geometry.iloc[0].crosses(bridge)


def test_steps_are_flagged(town):
    network = town.network
    assert network.steps[_edge(network, at(6, 0), at(6, 1))]
    assert not network.steps[_edge(network, at(5.5, 0), at(6, 0))]
    assert int(network.steps.sum()) == 2


def test_motorway_railway_trunk_fence_and_water_are_barriers_not_edges(town):
    network = town.network
    kinds = sorted(network.barriers["kind"])
    assert kinds == ["fence", "motorway", "railway", "river", "trunk_road", "water"]
    assert set(kinds) <= set(BARRIER_WORDS)
    named = dict(zip(network.barriers["kind"], network.barriers["name"], strict=True))
    assert named["motorway"] == "M11" and named["water"] == "Mill Pond"
    assert named["railway"] is None
    lake = network.barriers[network.barriers["kind"] == "water"].geometry.iloc[0]
    assert lake.geom_type in ("LineString", "MultiLineString")  # the outline, not the area
    for lon, lat, _ in (at(0, 6), at(0, 8), at(0, 10)):  # motorway, railway, bare trunk
        assert not len(_nodes_at(network, lon, lat))


def test_a_railway_on_a_bridge_and_a_stream_are_no_barrier(town):
    barriers = town.network.barriers.geometry
    for row in (9, 14):  # the railway bridge, the stream
        line = shapely.LineString([at(0, row)[:2], at(2, row)[:2]])
        assert not any(b.intersects(line) for b in barriers)


def test_ways_closed_to_walkers_are_left_out(town):
    network = town.network
    for lon, lat, _ in (at(0, 12), at(0, 13)):  # cycleway foot=no, private footway
        assert not len(_nodes_at(network, lon, lat))
    assert _edge(network, at(0, 0), at(0, 11)) is not None  # the trunk road with pavements


def test_gates_and_entrances_are_found(town):
    entrances = town.network.entrances
    assert sorted(entrances["kind"]) == ["entrance", "gate"]
    gate = entrances[entrances["kind"] == "gate"].geometry.iloc[0]
    assert (gate.x, gate.y) == pytest.approx(at(1, 0)[:2])


def test_homes_are_home_buildings_and_buildings_on_residential_land(town):
    homes = town.network.homes
    assert sorted(homes["kind"]) == ["house", "yes"]
    inside = homes[homes["kind"] == "yes"].geometry.iloc[0]
    assert (inside.x, inside.y) == pytest.approx((LON0 + 1.1 * STEP_LON, at(0, 4.1)[1]))
    residential = town.network.residential
    assert len(residential) == 2 and set(residential["kind"]) == {"residential"}
    assert all(shape.geom_type in ("Polygon", "MultiPolygon") for shape in residential.geometry)


def test_osm_xml_reads_like_pbf(tmp_path, town):
    again = read_streets(riverside(tmp_path / "riverside.osm"))
    assert again.network.node_count == town.network.node_count
    assert np.allclose(np.sort(again.network.length_m), np.sort(town.network.length_m))
    assert len(again.network.barriers) == len(town.network.barriers)


def test_a_way_shared_by_two_ways_counts_once(tmp_path):
    nodes = {i: at(i, 0) for i in range(1, 7)}
    ways = {1: ([1, 2, 3, 4, 5, 6], {"highway": "footway"}), 2: ([2, 3], {"highway": "steps"})}
    network = read_streets(write_osm(tmp_path / "twice.osm.pbf", nodes, ways)).network
    assert network.edge_count == 5
    assert int(network.steps.sum()) == 1  # the doubled segment is steps: say the harder way


def test_a_missing_file_is_refused_in_words(tmp_path):
    with pytest.raises(ImportRejected, match="does not exist"):
        read_streets(tmp_path / "nowhere.osm.pbf")


def test_a_folder_is_refused_as_a_folder_not_as_missing(tmp_path):
    with pytest.raises(ImportRejected, match=r"is a folder; give the path of an \.osm\.pbf file"):
        read_streets(tmp_path)


def test_a_file_that_is_not_osm_is_refused(tmp_path):
    broken = tmp_path / "streets.osm.pbf"
    broken.write_bytes(b"this is not a protocol buffer")
    with pytest.raises(ImportRejected, match="could not be read as OpenStreetMap"):
        read_streets(broken)
    named = tmp_path / "wards.geojson"
    named.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(ImportRejected, match="could not be read as OpenStreetMap"):
        read_streets(named)


def test_an_extract_without_walkable_ways_is_refused(tmp_path):
    nodes = {i: at(i, 0) for i in range(1, 6)}
    path = write_osm(
        tmp_path / "motorway.osm.pbf", nodes, {1: ([1, 2, 3, 4, 5], {"highway": "motorway"})}
    )
    with pytest.raises(ImportRejected, match="no walkable ways"):
        read_streets(path)


def test_progress_is_reported_up_to_the_total(tmp_path):
    seen: list[tuple[int, int]] = []
    read_streets(
        riverside(tmp_path / "riverside.osm.pbf"), lambda done, total: seen.append((done, total))
    )
    assert seen and seen[-1][0] == seen[-1][1] > 0


def test_newer_pavement_tags_make_a_trunk_road_walkable(tmp_path):
    nodes = {i: at(i, 0) for i in range(1, 6)}
    ways = {1: ([1, 2, 3, 4, 5], {"highway": "trunk", "sidewalk:left": "yes"})}
    reading = read_streets(write_osm(tmp_path / "a12.osm.pbf", nodes, ways))
    assert reading.network.edge_count == 4 and reading.network.barriers.empty


def test_ways_whose_nodes_lie_outside_the_file_are_refused_in_words(tmp_path):
    path = write_osm(tmp_path / "cut.osm.pbf", {1: at(0, 0)}, {1: ([1, 2, 3], {"highway": "path"})})
    with pytest.raises(ImportRejected, match="with their nodes in the file"):
        read_streets(path)


def test_an_extract_of_fragments_only_is_refused(tmp_path):
    nodes = {i: at(i, 0) for i in range(1, 5)}
    ways = {1: ([1, 2], {"highway": "footway"}), 2: ([3, 4], {"highway": "footway"})}
    with pytest.raises(ImportRejected, match="only fragments"):
        read_streets(write_osm(tmp_path / "bits.osm.pbf", nodes, ways))


def test_a_bow_tie_of_residential_land_is_left_out_not_stored_broken(tmp_path):
    """osmium assembles no area from a ring that crosses itself."""
    nodes = {i: at(i, 0) for i in range(1, 6)}
    nodes |= {10: at(0, 1), 11: at(2, 3), 12: at(2, 1), 13: at(0, 3)}  # crossing sides
    ways = {
        1: ([1, 2, 3, 4, 5], {"highway": "footway"}),
        2: ([10, 11, 12, 13, 10], {"landuse": "residential"}),
    }
    residential = read_streets(write_osm(tmp_path / "bow.osm.pbf", nodes, ways)).network.residential
    assert residential.empty


def test_a_square_mapped_as_a_multipolygon_is_walked_around_not_around_its_hole(tmp_path):
    nodes = {i: at(i, 0) for i in range(1, 4)}  # a footway 1-2-3 along the square's side
    nodes |= {4: at(3, 2), 5: at(1, 2)}
    # A kiosk of five corners: walked, its outline would be an island big enough to keep.
    nodes |= {
        10: at(2.4, 0.8),
        11: at(2.8, 0.8),
        12: at(2.8, 1.2),
        13: at(2.6, 1.3),
        14: at(2.4, 1.2),
    }
    ways = {
        1: ([1, 2, 3], {"highway": "footway"}),
        2: ([3, 4, 5], {}),
        3: ([5, 2, 3], {}),
        4: ([10, 11, 12, 13, 14, 10], {}),
    }
    relations = {
        1: (
            [("w", 2, "outer"), ("w", 3, "outer"), ("w", 4, "inner")],
            {"type": "multipolygon", "highway": "pedestrian", "area": "yes"},
        )
    }
    reading = read_streets(write_osm(tmp_path / "square.osm.pbf", nodes, ways, relations))
    network = reading.network
    assert network.node_count == 5 and reading.components == 1
    assert network.edge_count == 5  # 1-2, 2-3 (footway and ring once), 3-4, 4-5, 5-2
    assert _edge(network, at(3, 2), at(1, 2)) is not None
    assert not len(_nodes_at(network, *at(2.4, 0.8)[:2]))  # the kiosk's outline


def test_a_locked_gate_cuts_its_footway_and_is_no_entrance(tmp_path):
    nodes = {i: at(i, 0) for i in range(1, 12)}
    nodes[6] = at(6, 0, {"barrier": "gate", "locked": "yes"})
    nodes[20] = at(0, 1, {"barrier": "gate", "access": "private", "foot": "yes"})
    nodes |= {i: at(i - 20, 1) for i in range(21, 25)}
    ways = {
        1: (list(range(1, 12)), {"highway": "footway"}),
        2: ([20, 21, 22, 23, 24], {"highway": "footway"}),
    }
    reading = read_streets(write_osm(tmp_path / "gate.osm.pbf", nodes, ways))
    network = reading.network
    assert reading.components == 3  # both sides of the locked gate, and the open gate's path
    assert not len(_nodes_at(network, *at(6, 0)[:2]))
    assert network.node_count == 5 + 5 + 5
    assert network.entrances["kind"].tolist() == ["gate"]  # the private gate open to walkers
