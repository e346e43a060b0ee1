"""Walking distances and coverage on hand-made street networks with known answers."""

from __future__ import annotations

import math

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.council import coverage
from geo.geometry import LocalFrame
from geo.streets import walking
from geo.streets.network import StreetNetwork

CENTRE = shapely.Point(-1.47, 52.93)
FRAME = LocalFrame(CENTRE)


def points(kind: str, *shapes) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"kind": [kind] * len(shapes)},
        geometry=[FRAME.to_degrees(s) for s in shapes],
        crs="EPSG:4326",
    )


def barriers(*items: tuple[str, str | None, object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"kind": [k for k, _, _ in items], "name": [n for _, n, _ in items]},
        geometry=[FRAME.to_degrees(s) for _, _, s in items],
        crs="EPSG:4326",
    )


def network(
    nodes: list[tuple[float, float]],
    edges: list[tuple[int, int]],
    steps: tuple[int, ...] = (),
    **parts: gpd.GeoDataFrame,
) -> StreetNetwork:
    """A network drawn in metres around CENTRE; edges as long as the straight segment."""
    xy = np.array(nodes, dtype=float)
    lonlat = shapely.get_coordinates(FRAME.to_degrees(shapely.points(xy)))
    u = np.array([a for a, _ in edges], dtype=np.int64)
    v = np.array([b for _, b in edges], dtype=np.int64)
    return StreetNetwork(
        lon=lonlat[:, 0],
        lat=lonlat[:, 1],
        u=u,
        v=v,
        length_m=np.hypot(*(xy[u] - xy[v]).T),
        steps=np.isin(np.arange(len(edges)), steps),
        **parts,
    )


def wards(*boxes: object, population: int = 100, children: int = 20) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": range(1, len(boxes) + 1),
            "name": [f"Ward {i}" for i in range(1, len(boxes) + 1)],
            "population": [population] * len(boxes),
            "child_population": [children] * len(boxes),
        },
        geometry=[FRAME.to_degrees(b) for b in boxes],
        crs="EPSG:4326",
    )


def places(*items: tuple[str, object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": range(1, len(items) + 1), "kind": [k for k, _ in items]},
        geometry=[FRAME.to_degrees(s) for _, s in items],
        crs="EPSG:4326",
    )


def graph(net: StreetNetwork, step_free: bool = False) -> walking.WalkingGraph:
    return walking.WalkingGraph(net, FRAME, step_free)


def walk_between(net: StreetNetwork, start, end, limit: float = 5_000.0) -> float:
    """Metres walked from the place ``start`` to the home ``end`` (shapes in metres)."""
    g = graph(net)
    sources = g.sources(np.array([start], dtype=object)).points
    node_m = g.node_distances(sources, limit)
    return float(g.distances(node_m, sources, g.snap(np.array([end])), limit)[0])


# A river along y = 0 with streets on both banks (y = ±30) and one bridge at x = −300.
RIVER_NODES = [
    (-500, 30),
    (-300, 30),
    (0, 30),
    (500, 30),
    (-500, -30),
    (-300, -30),
    (0, -30),
    (500, -30),
]
RIVER_EDGES = [(0, 1), (1, 2), (2, 3), (4, 5), (5, 6), (6, 7), (1, 5)]
RIVER = barriers(("river", "Mill Brook", shapely.LineString([(-1000, 0), (1000, 0)])))


def river_town(**extra) -> StreetNetwork:
    home = points("house", shapely.Point(0, 40))
    return network(RIVER_NODES, RIVER_EDGES, homes=home, barriers=RIVER, **extra)


NORTH_BANK = shapely.box(-600, 0, 600, 600)


def test_snapping_gives_the_edge_the_fraction_along_it_and_the_step_to_it():
    g = graph(network([(0, 0), (100, 0)], [(0, 1)]))
    snapped = g.snap(np.array([shapely.Point(25, 10)]))
    assert snapped.edge.tolist() == [0]
    assert snapped.fraction[0] == pytest.approx(0.25, abs=1e-6)
    assert snapped.offset_m[0] == pytest.approx(10, abs=1e-6)


def test_a_point_beyond_the_snapping_limit_is_not_on_the_network():
    g = graph(network([(0, 0), (100, 0)], [(0, 1)]))
    far = g.snap(np.array([shapely.Point(50, walking.SNAP_LIMIT_M + 1)]))
    assert far.edge.tolist() == [-1] and far.offset_m[0] == math.inf


def test_a_home_is_not_joined_to_the_street_across_the_river():
    # The south bank's street is 15 m away across the river; its own is 35 m away.
    net = network(
        [(-100, -10), (100, -10), (-100, 40), (100, 40)],
        [(0, 1), (2, 3)],
        barriers=RIVER,
    )
    snapped = graph(net).snap(np.array([shapely.Point(0, 5)]))
    assert snapped.edge.tolist() == [1]
    assert snapped.offset_m[0] == pytest.approx(35, abs=1e-6)


def test_across_a_river_with_one_bridge_a_home_80_m_away_is_a_680_m_walk_and_cut_off():
    net = river_town()
    playground = shapely.Point(0, -40)
    # 10 m to the street, 300 m to the bridge, 60 m over it, 300 m back, 10 m in.
    assert walk_between(net, playground, shapely.Point(0, 40)) == pytest.approx(680, abs=1e-6)
    result = coverage.compute_walking(net, wards(NORTH_BANK), places(("playground", playground)))
    row = result.table.iloc[0]
    assert row["local_share"] == 0  # 680 m is beyond the 400 m walk
    assert row["local_residents"] == 0 and row["local_children"] == 0
    assert result.cells["local_walk_m"].iloc[0] == math.inf  # beyond reach
    cut = result.cut_off[result.cut_off["level"] == "local"].iloc[0]
    assert (cut["barrier_kind"], cut["barrier_name"]) == ("a river", "Mill Brook")
    assert cut["line_m"] == pytest.approx(80, abs=1e-6)
    assert cut["ward_id"] == 1 and cut["place_id"] == 1
    assert cut["walk_m"] == math.inf


def test_the_same_home_is_in_reach_at_a_longer_walking_distance():
    net = river_town()
    playground = places(("playground", shapely.Point(0, -40)))
    result = coverage.compute_walking(net, wards(NORTH_BANK), playground, {"local": 700.0})
    assert result.table["local_share"].iloc[0] == 1
    assert result.cells["local_walk_m"].iloc[0] == pytest.approx(680, abs=1e-6)
    assert result.cut_off[result.cut_off["level"] == "local"].empty


def test_walking_and_straight_line_shares_sit_side_by_side_with_their_difference():
    net = river_town()
    square = shapely.box(-20, 20, 20, 60)  # every point within 240 m of the playground
    result = coverage.compute_walking(
        net, wards(square), places(("playground", shapely.Point(0, -40)))
    )
    row = result.table.iloc[0]
    assert row["local_line_share"] == pytest.approx(1)
    assert row["local_share"] == 0
    assert row["local_difference"] == pytest.approx(-1)
    assert result.line_distances["local"] == pytest.approx(240)


def test_with_homes_the_straight_line_counts_the_same_homes_as_the_walk():
    # Two homes in a large ward: one 100 m from the playground, one 500 m. The area within
    # 240 m is a small part of the ward, but half of its homes: the comparison is of homes.
    net = network(
        [(-700, 0), (700, 0)],
        [(0, 1)],
        homes=points("house", shapely.Point(100, 10), shapely.Point(500, 10)),
    )
    result = coverage.compute_walking(
        net, wards(shapely.box(-700, -700, 700, 700)), places(("playground", shapely.Point(0, 0)))
    )
    row = result.table.iloc[0]
    assert row["local_line_share"] == pytest.approx(0.5)
    assert row["local_share"] == pytest.approx(0.5)
    assert row["local_difference"] == pytest.approx(0)


def test_the_prepared_graph_is_kept_for_the_next_question_on_the_same_streets():
    net = river_town()
    ward = wards(NORTH_BANK)
    first = coverage.compute_walking(net, ward, places(("playground", shapely.Point(0, -40))))
    again = coverage.compute_walking(net, ward, places(("park", shapely.Point(0, -40))))
    assert again.prepared is first.prepared
    other = coverage.compute_walking(net, wards(shapely.box(-600, 0, 600, 500)), places())
    assert other.prepared is not first.prepared  # boundaries changed: prepared afresh


def test_a_motorway_without_a_crossing_cuts_a_home_off_entirely():
    net = network(
        [(-200, 30), (200, 30), (-200, -30), (200, -30)],
        [(0, 1), (2, 3)],
        homes=points("house", shapely.Point(0, 40)),
        barriers=barriers(("motorway", "M1", shapely.LineString([(-1000, 0), (1000, 0)]))),
    )
    result = coverage.compute_walking(
        net, wards(NORTH_BANK), places(("park", shapely.box(-50, -200, 50, -40)))
    )
    assert result.table[["doorstep_share", "local_share", "neighbourhood_share"]].sum().sum() == 0
    cut = result.cut_off.set_index("level")
    assert set(cut.index) == {"local", "neighbourhood"}  # 80 m: beyond doorstep's 60 m line
    assert cut.loc["local", "barrier_kind"] == "a motorway"
    assert cut.loc["local", "barrier_name"] == "M1"


def test_a_cul_de_sac_home_walks_round_the_block_and_nothing_is_named_in_the_way():
    # The cul-de-sac runs north from (0, 0) to (0, 100); the playground sits at the end of
    # a parallel street 50 m east, reached only back through the junction at (0, 0).
    net = network(
        [(0, 0), (0, 100), (50, 0), (50, 100)],
        [(0, 1), (0, 2), (2, 3)],
        homes=points("house", shapely.Point(0, 100)),
    )
    playground = shapely.Point(50, 100)
    assert walk_between(net, playground, shapely.Point(0, 100)) == pytest.approx(250)
    result = coverage.compute_walking(
        net, wards(shapely.box(-50, -50, 150, 150)), places(("playground", playground))
    )
    assert result.table["local_share"].iloc[0] == 1  # 250 m ≤ 400 m
    assert result.table["doorstep_share"].iloc[0] == 0  # but not ≤ 100 m
    cut = result.cut_off
    assert cut["level"].tolist() == ["doorstep"]  # 50 m as the crow flies, 250 m on foot
    assert cut["barrier_kind"].iloc[0] == walking.NO_CROSSING
    assert cut["barrier_name"].iloc[0] is None


def test_a_park_is_reached_at_its_gates_not_its_centre():
    # A 200 m park with gates on its west and east sides; streets lead up to each gate.
    park = shapely.box(-100, -100, 100, 100)
    net = network(
        [(-400, 0), (-100, 0), (100, 0), (400, 0)],
        [(0, 1), (2, 3)],
        entrances=points("gate", shapely.Point(-100, 0), shapely.Point(100, 0)),
    )
    assert walk_between(net, park, shapely.Point(-400, 0)) == pytest.approx(300, abs=1e-6)
    assert walk_between(net, park, shapely.Point(400, 0)) == pytest.approx(300, abs=1e-6)
    sources = graph(net).sources(np.array([park]))
    assert sources.place.tolist() == [0, 0]


def test_a_gate_away_from_the_outline_is_not_one_of_its_ways_in():
    park = shapely.box(-100, -100, 100, 100)
    net = network(
        [(-400, 0), (-100, 0), (100, 0), (400, 0)],
        [(0, 1), (2, 3)],
        entrances=points("gate", shapely.Point(-100, 0), shapely.Point(400, 0)),
    )
    # The east street's gate lies 300 m from the park, and the park holds no path
    # between its sides: only the west gate is a way in, so the east street is unreached.
    assert walk_between(net, park, shapely.Point(-400, 0)) == pytest.approx(300, abs=1e-6)
    assert walk_between(net, park, shapely.Point(400, 0)) == math.inf


def test_without_gates_a_park_is_entered_where_a_path_crosses_its_outline():
    park = shapely.box(-100, -100, 100, 100)
    # One path runs from (-400, 0) to (-50, 0), crossing the west side at (-100, 0).
    net = network([(-400, 0), (-50, 0)], [(0, 1)])
    g = graph(net)
    sources = g.sources(np.array([park])).points
    crossing = sources.fraction[sources.offset_m == 0]
    assert crossing.min() == pytest.approx(300 / 350, abs=1e-6)  # the crossing
    assert walk_between(net, park, shapely.Point(-400, 0)) == pytest.approx(300, abs=1e-6)


def test_a_path_ending_inside_a_park_enters_it_at_its_end_node():
    park = shapely.box(-100, -100, 100, 100)
    inside = shapely.Polygon([(-90, -90), (90, -90), (90, 90), (-90, 90)])
    net = network([(-50, 0), (50, 0)], [(0, 1)])
    sources = graph(net).sources(np.array([park, inside])).points
    assert len(sources.edge) >= 2
    assert np.all(sources.offset_m == 0)


def test_a_point_play_area_or_one_off_the_network_is_joined_at_the_nearest_street_point():
    net = network([(0, 0), (200, 0)], [(0, 1)])
    g = graph(net)
    found = g.sources(
        np.array([shapely.Point(50, 20), shapely.Polygon([(110, 60), (150, 60), (130, 30)])])
    )
    assert found.place.tolist() == [0, 1]
    assert found.points.offset_m.tolist() == pytest.approx([20, 30])
    assert found.points.fraction.tolist() == pytest.approx([0.25, 0.65])


def test_two_ways_along_one_edge_meet_exactly():
    # A source and a home on the same 100 m edge: 40 m apart along it, not via its ends.
    net = network([(0, 0), (100, 0)], [(0, 1)])
    assert walk_between(net, shapely.Point(30, 0), shapely.Point(70, 5)) == pytest.approx(45)


def test_step_free_walks_avoid_steps():
    # The short way is a flight of steps; step-free walks go the long way round.
    net = network(
        [(0, 0), (100, 0), (0, 200), (100, 200)],
        [(0, 1), (0, 2), (2, 3), (3, 1)],
        steps=(0,),
    )
    start, home = shapely.Point(0, 0), np.array([shapely.Point(100, 0)])
    for step_free, expected in ((False, 100.0), (True, 500.0)):
        g = graph(net, step_free)
        sources = g.sources(np.array([start])).points
        found = g.distances(g.node_distances(sources, 1_000), sources, g.snap(home), 1_000)
        assert found[0] == pytest.approx(expected)


def test_london_plan_bands_reach_800_m_for_teenagers():
    net = network([(0, 0), (1_000, 0)], [(0, 1)], homes=points("house", shapely.Point(700, 0)))
    area = places(("skate_park", shapely.Point(0, 0)))
    fit = coverage.compute_walking(net, wards(shapely.box(-50, -50, 1050, 50)), area)
    london = coverage.compute_walking(
        net, wards(shapely.box(-50, -50, 1050, 50)), area, bands="london"
    )
    assert fit.table["neighbourhood_share"].iloc[0] == 1
    assert london.table["age_12_plus_share"].iloc[0] == 1
    assert london.walk_distances == {"under_5": 100.0, "age_5_11": 400.0, "age_12_plus": 800.0}
    assert london.line_distances["age_12_plus"] == pytest.approx(480)


def test_without_homes_residents_are_spread_over_cells_of_residential_land():
    net = network(
        [(-300, 0), (300, 0)],
        [(0, 1)],
        residential=points("residential", shapely.box(-200, -40, 200, 40)),
    )
    result = coverage.compute_walking(
        net, wards(shapely.box(-300, -300, 300, 300)), places(("playground", shapely.Point(0, 0)))
    )
    cells = result.cells
    assert (cells["source"] == "cell").all()
    assert len(cells) == 20  # 400 m × 80 m of 40 m cells
    assert cells["weight"].sum() == pytest.approx(1)
    # Cells 20 m off the street, up to 180 m along it: all within 400 m, some beyond 100 m.
    assert result.table["local_share"].iloc[0] == 1
    assert 0 < result.table["doorstep_share"].iloc[0] < 1


def test_edges_carry_the_walk_to_their_nearer_end_for_the_map():
    net = river_town()
    result = coverage.compute_walking(
        net, wards(NORTH_BANK), places(("playground", shapely.Point(0, -40)))
    )
    edges = result.edges
    assert len(edges) == net.edge_count
    assert edges["local_walk_m"].iloc[4] == pytest.approx(10)  # (−300,−30)–(0,−30)
    assert edges["local_walk_m"].iloc[2] == math.inf  # the north bank east of the home
    assert edges["ward_id"].iloc[0] == 1 and pd.isna(edges["ward_id"].iloc[3])


def test_what_if_a_playground_on_the_home_bank_brings_the_home_in_and_shortens_its_walk():
    net = river_town()
    proposal = gpd.GeoDataFrame(
        {"id": [9], "kind": ["playground"]},
        geometry=[FRAME.to_degrees(shapely.Point(0, 45))],
        crs="EPSG:4326",
    )
    base = coverage.compute_walking(
        net, wards(NORTH_BANK), places(("playground", shapely.Point(0, -40)))
    )
    gain = coverage.compute_what_if_walking(base, proposal).iloc[0]
    assert gain["proposal_id"] == 9
    assert gain["local_residents"] == 100 and gain["local_children"] == 20
    # From 680 m to 25 m (10 m + 15 m to the street), at 1.2 m/s.
    assert gain["local_seconds_saved"] == pytest.approx((680 - 25) / 1.2)
    assert gain["neighbourhood_residents"] == 0  # a playground is not for teenagers


def test_distances_match_networkx_on_a_random_graph():
    rng = np.random.default_rng(20)
    xy = rng.uniform(0, 1_000, size=(120, 2))
    tri = shapely.delaunay_triangles(shapely.multipoints(xy), only_edges=True)
    pairs = set()
    index = {tuple(p): i for i, p in enumerate(xy)}
    for line in shapely.get_parts(tri):
        a, b = (index[tuple(c)] for c in shapely.get_coordinates(line))
        if rng.random() < 0.8:
            pairs.add((min(a, b), max(a, b)))
    edges = sorted(pairs)
    net = network([tuple(p) for p in xy], edges)
    g = graph(net)
    starts = np.array([shapely.Point(*xy[3]), shapely.Point(*((xy[10] + xy[50]) / 2))])
    sources = g.sources(starts).points
    node_m = g.node_distances(sources, 400)
    reference = nx.Graph()
    for (a, b), length in zip(edges, net.length_m, strict=True):
        reference.add_edge(a, b, weight=length)
    # The sources as networkx sees them: each one as a vertex on its edge.
    for k, (e, t, off) in enumerate(
        zip(sources.edge, sources.fraction, sources.offset_m, strict=True)
    ):
        a, b, length = g.u[e], g.v[e], g.length_m[e]
        reference.add_edge(("s", k), a, weight=t * length + off)
        reference.add_edge(("s", k), b, weight=(1 - t) * length + off)
    expected = nx.multi_source_dijkstra_path_length(
        reference, [("s", k) for k in range(len(sources.edge))], cutoff=400
    )
    for node in range(len(xy)):
        assert node_m[node] == pytest.approx(expected.get(node, math.inf), abs=1e-5)


def test_no_play_areas_reach_no_one_and_a_ward_without_population_still_has_shares():
    net = river_town()
    area = wards(NORTH_BANK)
    area["population"] = [None]
    area["child_population"] = [None]
    result = coverage.compute_walking(net, area, places())
    row = result.table.iloc[0]
    assert row["local_share"] == 0 and pd.isna(row["local_residents"])
    assert result.cut_off.empty and list(result.cut_off.columns)[:2] == ["level", "line_m"]


def test_a_network_without_edges_leaves_everyone_out_of_reach():
    net = network([(0, 0)], [])
    result = coverage.compute_walking(
        net, wards(shapely.box(-100, -100, 100, 100)), places(("playground", shapely.Point(0, 0)))
    )
    # Only the cells inside the playground itself (none: it is a point) would count.
    assert result.table["doorstep_share"].iloc[0] == 0
    assert result.edges.empty


def test_a_ward_with_homes_uses_them_and_one_without_uses_cells():
    net = network(
        [(-500, 0), (500, 0)],
        [(0, 1)],
        homes=points("house", shapely.Point(-200, 10), shapely.Point(-100, 10)),
    )
    two = wards(shapely.box(-500, -100, 0, 100), shapely.box(0, -100, 500, 100))
    result = coverage.compute_walking(net, two, places(("playground", shapely.Point(-150, 0))))
    cells = result.cells.set_index("ward_id")
    assert (cells.loc[1, "source"] == "home").all() and len(cells.loc[1]) == 2
    assert (cells.loc[2, "source"] == "cell").all()
    assert result.table["doorstep_share"].tolist()[0] == 1  # both homes 60 m along + 10 m


def test_without_wards_there_is_nothing_to_measure():
    result = coverage.compute_walking(river_town(), wards(), places())
    assert result.table.empty and result.cells.empty and result.cut_off.empty


def test_snapping_by_kd_tree_finds_the_exact_nearest_street_point():
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 2_000, size=(300, 2))
    edges = [(i, j) for i, j in rng.integers(0, 300, size=(500, 2)) if i != j]
    g = graph(network([tuple(p) for p in xy], edges))
    homes = shapely.points(rng.uniform(0, 2_000, size=(400, 2)))
    snapped = g.snap(homes)
    exact = np.min(shapely.distance(homes[:, None], g.lines[None, :]), axis=1)
    near = exact <= walking.SNAP_LIMIT_M
    assert np.array_equal(snapped.on_network, near)
    assert snapped.offset_m[near] == pytest.approx(exact[near], abs=1e-6)


def test_the_command_line_table_gives_walking_straight_line_and_difference_in_percent():
    result = coverage.compute_walking(
        river_town(), wards(NORTH_BANK), places(("playground", shapely.Point(0, -40)))
    )
    table = coverage.as_csv_table(result.as_coverage())
    for level in coverage.LEVELS:
        assert {
            f"{level}_covered_pct",
            f"{level}_line_covered_pct",
            f"{level}_difference_points",
        } <= set(table.columns)
    assert table["local_difference_points"].iloc[0] == pytest.approx(
        table["local_covered_pct"].iloc[0] - table["local_line_covered_pct"].iloc[0], abs=0.1
    )


def test_the_gaps_are_the_cells_out_of_reach_within_the_ward():
    # A 400 m × 80 m strip of cells beside a street; only the playground's end is reached.
    net = network([(-300, 0), (300, 0)], [(0, 1)])
    strip = shapely.box(-200, -40, 200, 40)
    result = coverage.compute_walking(
        net, wards(strip), places(("playground", shapely.Point(-200, 0)))
    )
    gap = FRAME.to_metres(result.gaps["doorstep"].geometry.iloc[0])
    cells = FRAME.to_metres(result.cells.geometry.to_numpy())
    out = ~np.isfinite(result.cells["doorstep_walk_m"].to_numpy())
    assert gap.area == pytest.approx(out.sum() * 40 * 40, rel=1e-3)
    assert (
        shapely.contains(gap, cells[out]).all() and not shapely.intersects(gap, cells[~out]).any()
    )
    assert strip.buffer(0.01).contains(gap)
