import shapely

from geo.io.demo import HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME, build_town
from geo.registry.filters import MapFilter
from geo.registry.places import find_places
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
