"""Coverage on hand-built cases with known answers, what-if, and the dashboard's counts."""

import math
from datetime import date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.council import coverage, dashboard
from geo.geometry import LocalFrame
from geo.permissions import COMMAND_LINE

# A square ward 1,000 m × 1,000 m around a point in England, built in metres.
CENTRE = shapely.Point(-1.47, 52.93)
FRAME = LocalFrame(CENTRE)
SQUARE_M = shapely.box(-500, -500, 500, 500)


def ward(square=SQUARE_M, population=1_000, children=200, ward_id=1, name="Square"):
    return gpd.GeoDataFrame(
        {
            "id": [ward_id],
            "name": [name],
            "population": [population],
            "child_population": [children],
        },
        geometry=[FRAME.to_degrees(square)],
        crs="EPSG:4326",
    )


def places(*items):
    return gpd.GeoDataFrame(
        {"id": range(len(items)), "kind": [kind for kind, _ in items]},
        geometry=[FRAME.to_degrees(shape) for _, shape in items],
        crs="EPSG:4326",
    )


def circle_share(radius):
    """A true circle's area over the 1 km² ward's."""
    return math.pi * radius**2 / 1_000_000


def test_one_play_area_in_the_middle_of_a_square_ward():
    result = coverage.compute(ward(), places(("playground", shapely.Point(0, 0)))).table.iloc[0]
    assert result["doorstep_share"] == pytest.approx(circle_share(60), rel=1e-3)
    assert result["local_share"] == pytest.approx(circle_share(240), rel=1e-3)
    assert result["neighbourhood_share"] == 0  # a playground is not for teenagers
    assert result["local_residents"] == round(1_000 * result["local_share"])
    assert result["area_ha"] == pytest.approx(100, rel=1e-3)


def test_no_play_area_covers_nothing_and_everything_covers_all():
    none = coverage.compute(ward(), places()).table.iloc[0]
    assert none[["doorstep_share", "local_share", "neighbourhood_share"]].tolist() == [0, 0, 0]
    whole = places(("park", SQUARE_M))
    everything = coverage.compute(ward(), whole).table.iloc[0]
    assert everything[["doorstep_share", "local_share", "neighbourhood_share"]].tolist() == [
        pytest.approx(1),
        pytest.approx(1),
        pytest.approx(1),
    ]


def test_a_play_area_outside_the_ward_covers_the_strip_it_reaches():
    # A skate park 100 m east of the ward's east edge reaches 500 m in (600 − 100).
    skate = places(("skate_park", shapely.Point(600, 0)))
    result = coverage.compute(ward(), skate).table.iloc[0]
    assert 0.2 < result["neighbourhood_share"] < 0.5
    assert result["doorstep_share"] == 0 and result["local_share"] == 0


def test_the_council_sets_its_own_distances():
    play = places(("playground", shapely.Point(0, 0)))
    result = coverage.compute(ward(), play, {"local": 400.0}).table.iloc[0]
    assert result["local_share"] == pytest.approx(circle_share(400), rel=1e-3)


def test_gaps_are_the_ward_minus_what_is_covered():
    result = coverage.compute(ward(), places(("playground", shapely.Point(0, 0))))
    gap = FRAME.to_metres(result.gaps["local"].geometry.iloc[0])
    assert gap.area == pytest.approx(1_000_000 * (1 - circle_share(240)), rel=1e-3)
    assert not gap.contains(shapely.Point(0, 0)) and gap.contains(shapely.Point(400, 400))


SPREAD = [shapely.Point(x, y) for x in range(-450, 500, 130) for y in (-300, 20, 310)]
PACKED = [shapely.Point(x, y) for x in range(-270, 271, 60) for y in range(-270, 271, 60)]


# How much the circles overlap decides how they are unioned: 24 spread 130 m apart at 40 m
# fall in separate clusters (disjoint-subset union); at 200 m they overlap a few times
# (plain union); 100 packed 60 m apart at 170 m overlap nine times over (core first).
@pytest.mark.parametrize(("spots", "distance"), [(SPREAD, 40.0), (SPREAD, 200.0), (PACKED, 170.0)])
def test_sparse_and_dense_circles_give_the_plain_union_answer(spots, distance):
    """Circles straddle the boundary between two wards; shares and gaps are exact."""
    halves = [shapely.box(-500, -500, 0, 500), shapely.box(0, -500, 500, 500)]
    two = pd.concat([ward(h, ward_id=i, name=f"Half {i}") for i, h in enumerate(halves)])
    chosen = places(*[("playground", p) for p in spots])
    result = coverage.compute(two, chosen, {"doorstep": distance}, with_gaps=True)
    reach = shapely.union_all(coverage.circles(np.array(spots), distance))
    for i, half in enumerate(halves):
        row = result.table.iloc[i]
        expected = half.intersection(reach).area / half.area
        assert 0.01 < expected < 1 and row["doorstep_share"] == pytest.approx(expected, abs=1e-9)
        gap = FRAME.to_metres(result.gaps["doorstep"].geometry.iloc[i])
        assert gap.area == pytest.approx(half.difference(reach).area, rel=1e-6)


def test_wards_are_ranked_by_children_out_of_reach():
    two = pd.concat([ward(), ward(SQUARE_M, 5_000, 1_500, 2, "Big")], ignore_index=True)
    two.loc[1, "geometry"] = FRAME.to_degrees(shapely.box(600, -500, 1600, 500))
    play = places(("playground", shapely.Point(0, 0)))
    ranked = coverage.compute(gpd.GeoDataFrame(two, crs="EPSG:4326"), play).ranked("local")
    assert ranked["name"].tolist() == ["Big", "Square"]
    assert ranked["need"].iloc[0] == pytest.approx(1_500)


def test_a_ward_without_children_counted_reads_not_known_not_its_residents():
    # The ranking falls back to residents (or area) for such a ward; the column headed
    # "Children out of reach" must not show that number as children.
    two = pd.concat(
        [ward(children=None), ward(SQUARE_M, 5_000, 1_500, 2, "Big")], ignore_index=True
    )
    two.loc[1, "geometry"] = FRAME.to_degrees(shapely.box(600, -500, 1600, 500))
    result = coverage.compute(gpd.GeoDataFrame(two, crs="EPSG:4326"), places())
    table = coverage.need_table(result, "local")
    children = dict(zip(table["Ward"], table["Children out of reach (est.)"], strict=True))
    assert children == {"Square": "Not known", "Big": "1,500"}


def test_what_if_a_proposal_is_built_in_a_ward_without_play(town):
    from geo.proposals import workflow
    from geo.proposals.form import ProposalForm
    from tests.unit.conftest import NOW, box

    form = ProposalForm(
        title="A new play area", summary="Somewhere to play at last.", kind="new_play_area"
    )
    east = workflow.save_draft(town.store, town.leader, form, box(-0.97, 52.02, 0.001, 0.0008), NOW)
    event = workflow.save_draft(
        town.store,
        town.leader,
        ProposalForm(title="A fun day", summary="An afternoon for all families.", kind="event"),
        shapely.Point(-0.98, 52.02),
        NOW,
    )
    with town.store.write() as cursor:
        cursor.execute("UPDATE areas SET population = 2000 WHERE name = 'East'")
    change = coverage.what_if(town.store, [east, event])
    assert change["name"].tolist() == ["East"]
    assert change["local_now"].iloc[0] == 0 and change["local_gain"].iloc[0] > 0
    assert coverage.what_if(town.store, [event]).empty
    compared = coverage.compare_proposals(town.store, [event, east])
    assert compared["Proposal"].tolist() == ["A new play area", "A fun day"]


def test_coverage_of_the_stored_town_uses_its_wards_and_places(town):
    result = coverage.coverage(town.store)
    table = result.table.set_index("name")
    assert table.loc["East", "local_share"] == 0  # no play area there
    assert 0 < table.loc["West", "local_share"] < 1
    assert table.loc["West", "local_residents"] == round(4000 * table.loc["West", "local_share"])


def test_dashboard_counts_one_row_per_ward(town):
    with town.store.write() as cursor:
        cursor.execute("UPDATE places SET last_inspection = ?", [date(2026, 6, 1)])
    overview = dashboard.ward_overview(town.store, COMMAND_LINE, datetime(2026, 11, 24)).set_index(
        "name"
    )
    assert overview.loc["West", "play_areas"] == 1 and overview.loc["East", "play_areas"] == 0
    assert overview.loc["West", "per_1000"] == 0.25  # one play area for 4,000 residents
    # The playground is 0.001° × 0.0006° at 52°N: about 68.6 m × 66.8 m.
    assert overview.loc["West", "play_ha"] == pytest.approx(0.458, rel=0.01)
    assert overview.loc["West", "not_inspected"] == 0
    later = dashboard.ward_overview(town.store, COMMAND_LINE, datetime(2027, 7, 1)).set_index(
        "name"
    )
    assert later.loc["West", "not_inspected"] == 1


def test_dashboard_counts_what_waits_for_review_and_for_how_long(town):
    from tests.unit.test_proposals import submitted

    submitted(town)
    overview = dashboard.ward_overview(
        town.store, COMMAND_LINE, datetime(2026, 12, 4, 12)
    ).set_index("name")
    assert overview.loc["West", "waiting"] == 1 and overview.loc["West", "submitted"] == 1
    assert overview.loc["West", "longest_wait_days"] == 10
    assert overview.loc["East", "waiting"] == 0
