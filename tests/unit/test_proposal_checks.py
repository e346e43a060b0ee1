"""The spatial checks a proposer sees beside the map, on hand-made drawings."""

import math

import pytest
import shapely

from geo.errors import InvalidGeometry
from geo.proposals.checks import SizeLimits, check_proposal, parse_drawing
from tests.unit.conftest import PLAYGROUND, box


def metres_per_degree(lat):
    return 111_320 * math.cos(math.radians(lat)), 111_250


def test_a_valid_rectangle_passes_with_its_size_and_ward(town):
    drawing = box(-1.04, 52.01)  # 0.0005° square at 52.01°N
    checks = check_proposal(town.store, shapely.geometry.mapping(drawing), "new_play_area")
    assert checks.ok and checks.problems == () and checks.notes == ()
    mx, my = metres_per_degree(52.01025)
    assert checks.sizes["area_m2"] == pytest.approx(0.0005 * mx * 0.0005 * my, rel=0.01)
    assert checks.sizes["perimeter_m"] == pytest.approx(2 * 0.0005 * (mx + my), rel=0.01)
    assert checks.wards == ("West",) and checks.ward_ids == (town.west_id,)


def test_a_bow_tie_is_repaired_with_a_note(town):
    x, y, d = -1.04, 52.01, 0.0006
    bow_tie = shapely.Polygon([(x, y), (x + d, y + d), (x + d, y), (x, y + d)])
    checks = check_proposal(town.store, bow_tie, "new_play_area")
    assert checks.ok and checks.geometry.is_valid
    assert any("crossed itself" in note for note in checks.notes)


def test_a_tiny_shape_is_refused_as_a_slip_of_the_mouse(town):
    checks = check_proposal(town.store, box(-1.04, 52.01, 0.00001, 0.00001), "new_play_area")
    assert not checks.ok and "m² (at least 25 m²" in checks.problems[0]


def test_a_huge_shape_is_refused(town):
    checks = check_proposal(town.store, box(-1.04, 52.01, 0.03, 0.03), "new_play_area")
    assert not checks.ok and "ha, more than the 100 ha" in checks.problems[0]


def test_a_council_may_set_its_own_limits(town):
    strict = SizeLimits(max_area_m2=1_000)
    checks = check_proposal(town.store, box(-1.04, 52.01), "new_play_area", limits=strict)
    assert not checks.ok and "more than the 0 ha" in checks.problems[0]


def test_a_line_too_long_or_too_short_is_refused(town):
    short = shapely.LineString([(-1.04, 52.01), (-1.04, 52.01001)])
    long = shapely.LineString(
        [(-1.049, 52.001), (-0.951, 52.049), (-1.049, 52.049), (-0.951, 52.001)]
    )
    assert (
        "m long (at least 20 m)" in check_proposal(town.store, short, "walking_route").problems[0]
    )
    assert "km long" in check_proposal(town.store, long, "walking_route").problems[0]


def test_a_drawing_outside_the_council_area_is_refused(town):
    checks = check_proposal(town.store, box(5.0, 45.0), "new_play_area")
    assert checks.problems == (
        "The drawing is outside the council area: draw it within the council's wards.",
    )


def test_a_drawing_half_outside_says_how_much(town):
    checks = check_proposal(town.store, box(-1.0505, 52.01, 0.001, 0.0005), "new_play_area")
    assert not checks.ok and "50% of the drawing lies outside" in checks.problems[0]


def test_swapped_latitude_and_longitude_are_named(town):
    checks = check_proposal(town.store, shapely.Point(52.02, -1.02), "event")
    assert "latitude and longitude swapped" in checks.problems[0]


def test_a_drawing_across_a_ward_border_is_in_both_wards(town):
    checks = check_proposal(town.store, box(-1.0003, 52.01, 0.0006), "new_play_area")
    assert checks.ok and checks.wards == ("East", "West")


def test_a_duplicate_of_an_existing_place_is_shown_as_overlapping(town):
    over = shapely.affinity.translate(PLAYGROUND, 0.0002, 0.0001)
    checks = check_proposal(town.store, over, "new_play_area")
    assert checks.ok  # a warning, not a refusal: a renovation may overlap on purpose
    (near,) = checks.nearby
    assert (near.kind, near.id, near.name, near.overlaps) == (
        "place",
        town.playground_id,
        "Mill Lane Playground",
        True,
    )
    assert near.distance_m == 0 and any("duplicate" in note for note in checks.notes)


def test_things_nearby_are_listed_with_distances_in_metres(town):
    # A point 0.0009° north of the playground's top edge: about 100 m away.
    point = shapely.Point(-1.0295, 52.0206 + 0.0009)
    checks = check_proposal(town.store, point, "event")
    (near,) = checks.nearby
    assert near.distance_m == pytest.approx(0.0009 * 111_250, rel=0.01) and not near.overlaps
    far = check_proposal(town.store, point, "event", limits=SizeLimits(nearby_m=50))
    assert far.nearby == ()


@pytest.mark.parametrize(
    ("kind", "drawing", "expected"),
    [
        ("new_play_area", shapely.Point(-1.04, 52.01), "must be drawn as a shape"),
        ("walking_route", box(-1.04, 52.01), "must be drawn as a line"),
        ("no_such_kind", shapely.Point(-1.04, 52.01), "is not one"),
    ],
)
def test_the_shape_must_suit_the_kind(town, kind, drawing, expected):
    assert expected in check_proposal(town.store, drawing, kind).problems[0]


@pytest.mark.parametrize(
    ("drawing", "expected"),
    [
        ({"type": "Polygon", "coordinates": [[1, 2]]}, "not valid GeoJSON"),
        ("{not json", "not valid GeoJSON"),
        ({"type": "FeatureCollection", "features": []}, "exactly one shape"),
        ({"type": "Feature", "geometry": None}, "has no geometry"),
        ([1, 2], "not a GeoJSON object"),
        ("x" * 1_000_001, "too large"),
    ],
)
def test_malformed_drawings_get_a_specific_message(drawing, expected):
    with pytest.raises(InvalidGeometry, match=expected):
        parse_drawing(drawing)


def test_nothing_drawn_yet_is_not_an_error(town):
    checks = check_proposal(town.store, None, "event")
    assert checks.geometry is None and checks.problems == () and not checks.ok


def test_a_drawing_from_the_browser_is_parsed_from_a_feature(town):
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": shapely.geometry.mapping(box(-1.04, 52.01)),
    }
    assert check_proposal(town.store, feature, "new_play_area").ok
