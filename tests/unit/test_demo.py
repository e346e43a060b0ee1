import numpy as np
import shapely

from geo.council import coverage
from geo.io.demo import HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME, build_town
from geo.io.demo.streets import RAILWAY, RIVER, STREETS_SOURCE
from geo.registry.filters import MapFilter
from geo.registry.places import find_places
from geo.streets import storage
from geo.vocabulary import INITIATIVE_STATUSES


def test_demo_town_is_the_same_every_time():
    first, second = build_town(), build_town()
    assert [p.name for p in first.places] == [p.name for p in second.places]
    assert shapely.to_wkb(first.wards[3].geometry) == shapely.to_wkb(second.wards[3].geometry)


def test_demo_town_looks_like_a_town():
    town = build_town()
    assert 10 <= len(town.wards) <= 20
    assert 200 <= len(town.places) <= 500
    assert len({p.name for p in town.places}) == len(town.places)  # no "Place 17" twins
    assert not any(p.name.startswith("Place ") for p in town.places)
    assert {p.geometry.geom_type for p in town.places} == {"Point", "Polygon"}
    assert len({p.kind for p in town.places}) >= 6
    assert {i.status for i in town.initiatives} == set(INITIATIVE_STATUSES)
    # Irregular wards: not all the same size and not rectangles.
    sizes = sorted(w.geometry.area for w in town.wards)
    assert sizes[-1] > 1.5 * sizes[0]
    assert all(len(w.geometry.exterior.coords) > 5 for w in town.wards)


def test_wards_tile_the_town_without_overlaps():
    town = build_town()
    union = shapely.union_all([w.geometry for w in town.wards])
    council = town.council[0].geometry
    assert abs(union.area - council.area) / council.area < 0.01
    overlaps = sum(
        a.geometry.intersection(b.geometry).area
        for i, a in enumerate(town.wards)
        for b in town.wards[i + 1 :]
    )
    assert overlaps / council.area < 0.001


def test_every_demo_place_is_in_exactly_one_ward(demo_store):
    places = find_places(demo_store, MapFilter())
    assert places["wards"].notna().all()
    assert not places["wards"].str.contains(",").any()


def test_demo_includes_hostile_names_to_prove_escaping():
    names = {p.name for p in build_town().places}
    assert {HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME} <= names


def test_demo_streets_are_the_same_every_time():
    first, second = build_town().streets.network, build_town().streets.network
    assert np.array_equal(first.lon, second.lon) and np.array_equal(first.u, second.u)
    assert first.homes.geometry.geom_equals_exact(second.homes.geometry, 0).all()


def test_demo_streets_lie_in_the_town_joined_up_with_homes_in_its_wards():
    town = build_town()
    network = town.streets.network
    council = town.council[0].geometry
    assert town.streets.components == 1 and town.streets.dropped_fragments == 0
    assert shapely.contains_xy(council, network.lon, network.lat).all()
    wards = shapely.STRtree([w.geometry for w in town.wards])
    homes = network.homes.geometry.to_numpy()
    assert len(np.unique(wards.query(homes, predicate="within")[0])) == len(homes) > 5_000
    assert network.steps.sum() == 1  # the stepped footbridge over the river
    assert set(network.barriers["name"]) == {RIVER, RAILWAY}
    # Lengths are measured on the ellipsoid, as an import measures them: a block or so each.
    assert 60 < np.median(network.length_m) < 200


def test_demo_gates_stand_on_the_outlines_of_fenced_play_areas():
    town = build_town()
    gates = town.streets.network.entrances
    fenced = [
        p.geometry
        for p in town.places
        if p.fenced and p.kind != "park" and p.geometry.geom_type == "Polygon"
    ]
    assert 20 < len(gates) <= len(fenced)
    outlines = shapely.STRtree([shape.exterior for shape in fenced])
    near = outlines.query(gates.geometry.to_numpy(), predicate="dwithin", distance=1e-6)[0]
    assert len(np.unique(near)) == len(gates)


def test_the_demo_is_walked_and_some_homes_are_cut_off_by_the_river_or_the_railway(demo_store):
    summary = storage.summary(demo_store)
    assert summary is not None and summary.source == STREETS_SOURCE
    auto = coverage.coverage(demo_store, with_gaps=False)
    assert "local_line_share" in auto.table  # "auto" now walks
    walked = coverage.walking_coverage(demo_store, with_gaps=False)
    cut = walked.cut_off[walked.cut_off["level"] == "local"]
    assert {RIVER, RAILWAY} <= set(cut["barrier_name"].dropna())
