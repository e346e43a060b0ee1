"""Area filters against an independent shapely computation, on generated data.

A 3 × 3 grid of square wards about 690 m × 1,110 m each; 300 initiatives (points, lines
and polygons) scattered over it and a little beyond. Expected answers come from shapely
on the same geometries (intersections) and from a UTM projection (distances), never from
the code under test.
"""

import random
from datetime import date, datetime, timedelta

import geopandas as gpd
import pytest
import shapely

from geo.council.matching import count_per_ward, details, match, select_initiatives
from geo.council.selection import Selection
from geo.errors import InvalidInput
from geo.permissions import COMMAND_LINE
from geo.registry.areas import AreaRecord, add_areas
from geo.registry.initiatives import InitiativeRecord, StatusChange, add_initiatives
from geo.storage.db import Store

STEP = 0.01
START = datetime(2026, 1, 1)


def generated(rng: random.Random, n: int) -> list[InitiativeRecord]:
    records = []
    for i in range(n):
        x, y = rng.uniform(-0.005, 0.035), rng.uniform(51.995, 52.035)
        shape = rng.choice(("point", "line", "polygon"))
        if shape == "point":
            geometry = shapely.Point(x, y)
        elif shape == "line":
            geometry = shapely.LineString([(x, y), (x + rng.uniform(-0.004, 0.004), y + 0.002)])
        else:
            geometry = shapely.box(x, y, x + 0.001, y + 0.0007)
        status = rng.choice(("submitted", "approved", "rejected", "in_progress"))
        created = START + timedelta(days=i)
        history = [
            StatusChange(None, "draft", "p", None, created),
            StatusChange("draft", "submitted", "p", None, created + timedelta(days=1)),
        ]
        if status != "submitted":
            history.append(
                StatusChange(
                    "submitted",
                    "approved" if status != "rejected" else "rejected",
                    "c",
                    "ok",
                    created + timedelta(days=10),
                )
            )
        if status == "in_progress":
            history.append(
                StatusChange("approved", "in_progress", "p", None, created + timedelta(days=20))
            )
        records.append(
            InitiativeRecord(
                title=f"Initiative {i}",
                summary="Generated for a filter test.",
                kind=rng.choice(("event", "programme", "new_play_area")),
                proposer=f"Group {i % 7}",
                geometry=geometry,
                history=history,
                partners=[rng.choice(("Millbrook Library", "Youth Trust", "Police team"))],
                min_age=rng.choice((0, 5, 12)),
                max_age=rng.choice((12, 16, 18)),
                end_date=date(2027, 1, 1) + timedelta(days=i),
            )
        )
    return records


@pytest.fixture(scope="module")
def grid_file(places):
    """The grid, built once per store kind (a DuckDB file, a PostgreSQL database)."""
    location = places.new("grid")
    store = Store(location)
    wards = [
        AreaRecord(
            f"W{r}{c}",
            f"{r}{c}",
            shapely.box(c * STEP, 52 + r * STEP, (c + 1) * STEP, 52 + (r + 1) * STEP),
        )
        for r in range(3)
        for c in range(3)
    ]
    add_areas(store, COMMAND_LINE, wards, level="ward", source="test")
    records = generated(random.Random(7), 300)
    ids = add_initiatives(store, COMMAND_LINE, records)
    truth = gpd.GeoDataFrame(
        {"id": ids, "status": [r.status for r in records]},
        geometry=[r.geometry for r in records],
        crs="EPSG:4326",
    )
    ward_ids = dict(store.rows("SELECT code, id FROM areas"))
    store.close()
    return location, truth, ward_ids


@pytest.fixture
def grid(grid_file, places):
    location, truth, ward_ids = grid_file
    copy = places.copy(location)
    store = Store(copy)
    yield store, truth, ward_ids
    store.close()
    places.drop(copy)


ALL = ("submitted", "approved", "rejected", "in_progress")


def found_ids(store, selection):
    return set(select_initiatives(store, COMMAND_LINE, selection)["id"])


def test_ward_filter_matches_shapely_intersection(grid):
    store, truth, ward_ids = grid
    ward = shapely.box(STEP, 52 + STEP, 2 * STEP, 52 + 2 * STEP)  # the middle one, "11"
    expected = set(truth[truth.intersects(ward)]["id"])
    assert (
        expected
        and found_ids(store, Selection(mode="areas", area_ids=(ward_ids["11"],), statuses=ALL))
        == expected
    )


def test_several_wards_are_their_union(grid):
    store, truth, ward_ids = grid
    both = shapely.box(0, 52, 2 * STEP, 52 + STEP)  # wards 00 and 01
    expected = set(truth[truth.intersects(both)]["id"])
    chosen = (ward_ids["00"], ward_ids["01"])
    assert found_ids(store, Selection(mode="areas", area_ids=chosen, statuses=ALL)) == expected


def test_drawn_shape_crossing_ward_borders_matches_shapely(grid):
    store, truth, _ = grid
    shape = shapely.Polygon([(0.004, 52.004), (0.027, 52.008), (0.02, 52.026), (0.006, 52.02)])
    expected = set(truth[truth.intersects(shape)]["id"])
    selection = Selection(mode="shape", shape_wkt=shape.wkt, statuses=ALL)
    assert len(expected) > 20 and found_ids(store, selection) == expected


@pytest.mark.parametrize("radius", [150.0, 600.0, 1_500.0])
def test_radius_at_a_ward_corner_matches_distances_in_utm(grid, radius):
    store, truth, _ = grid
    corner = (STEP, 52 + STEP)  # where four wards meet
    metric = truth.to_crs("EPSG:32631")
    centre = gpd.GeoSeries([shapely.Point(corner)], crs="EPSG:4326").to_crs("EPSG:32631")[0]
    distance = metric.distance(centre)
    clear = (distance - radius).abs() > 0.5  # leave out what sits on the circle itself
    expected = set(truth[(distance <= radius) & clear]["id"])
    circle = Selection(mode="radius", centre=corner, radius_m=radius, statuses=ALL)
    found = select_initiatives(store, COMMAND_LINE, circle)
    assert expected and set(found["id"]) & set(truth[clear]["id"]) == expected
    by_id = dict(zip(truth["id"], distance, strict=True))
    assert all(
        abs(by_id[i] - d) < 0.5 for i, d in zip(found["id"], found["distance_m"], strict=True)
    )


def test_facets_narrow_the_area_result(grid):
    store, truth, _ = grid
    everything = select_initiatives(store, COMMAND_LINE, Selection(statuses=ALL))
    assert len(everything) == len(truth)
    approved = select_initiatives(store, COMMAND_LINE, Selection(statuses=("approved",)))
    assert set(approved["status"]) == {"approved"}
    events = select_initiatives(store, COMMAND_LINE, Selection(statuses=ALL, kinds=("event",)))
    assert set(events["kind"]) == {"event"} and 0 < len(events) < len(everything)
    library = select_initiatives(store, COMMAND_LINE, Selection(statuses=ALL, partner="library"))
    assert all("Millbrook Library" in p for p in library["partners"])
    group = select_initiatives(store, COMMAND_LINE, Selection(statuses=ALL, text="GROUP 3"))
    assert set(group["proposer"]) == {"Group 3"}
    teens = select_initiatives(store, COMMAND_LINE, Selection(statuses=ALL, min_age=17, max_age=18))
    assert (teens["max_age"] >= 17).all() and len(teens) < len(everything)


def test_date_ranges_use_created_decided_or_due(grid):
    store, _, _ = grid
    january = Selection(
        statuses=ALL, date_field="created", date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
    )
    assert len(select_initiatives(store, COMMAND_LINE, january)) == 31
    decided = Selection(
        statuses=ALL, date_field="decided", date_from=date(2026, 1, 11), date_to=date(2026, 1, 20)
    )
    found = select_initiatives(store, COMMAND_LINE, decided)
    assert set(found["status"]) <= {"approved", "rejected", "in_progress"} and len(found) > 0
    assert all(date(2026, 1, 11) <= d.date() <= date(2026, 1, 20) for d in found["decided_at"])
    due = Selection(statuses=ALL, date_field="due", date_to=date(2027, 1, 5))
    assert len(select_initiatives(store, COMMAND_LINE, due)) == 5


def test_the_address_round_trips_the_filter():
    selection = Selection(
        mode="radius",
        centre=(-1.47, 52.93),
        radius_m=750,
        statuses=("approved",),
        kinds=("event", "programme"),
        partner="Library",
        min_age=5,
        max_age=11,
        date_field="decided",
        date_from=date(2026, 3, 1),
        date_to=date(2026, 6, 30),
        text="play street",
    )
    query = selection.to_query()
    assert all(isinstance(v, str) for v in query.values())
    again = Selection.from_query(query)
    assert again.to_query() == query and again.centre == selection.centre
    shape = Selection(mode="shape", shape_wkt=shapely.box(0, 52, 0.01, 52.01).wkt)
    assert Selection.from_query(shape.to_query()).shape().equals(shape.shape())
    assert Selection.from_query({}) == Selection()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"near": "52.9,-1.4"}, "not readable"),
        ({"near": "52.9,-1.4,90000"}, "radius must be between"),
        ({"areas": "1,x"}, "not readable"),
        ({"ages": "12-5"}, "youngest first"),
        ({"dates": "someday:2026-01-01:"}, "not readable"),
        ({"dates": "created:2026-05-01:2026-01-01"}, "before its start"),
        ({"status": "launched"}, "unknown status"),
        ({"shape": "POLYGON((0 0, 1 1))"}, "cannot be read"),
        ({"q": "x" * 201}, "limited to 200"),
    ],
)
def test_a_malformed_address_gets_a_specific_message(query, message):
    with pytest.raises(InvalidInput, match=message):
        Selection.from_query(query)


def test_the_lean_match_is_the_same_set_in_the_same_order_as_the_full_rows(grid):
    store, _, ward_ids = grid
    for selection in (
        Selection(statuses=ALL),
        Selection(mode="areas", area_ids=(ward_ids["11"], ward_ids["12"]), statuses=ALL),
        Selection(mode="radius", centre=(STEP, 52 + STEP), radius_m=600.0, statuses=ALL),
    ):
        matched = match(store, COMMAND_LINE, selection)
        full = details(store, matched)
        assert list(full["id"]) == list(matched["id"]) and matched["id"].is_unique
        assert list(full["updated_at"]) == sorted(full["updated_at"], reverse=True)
    newest = details(store, match(store, COMMAND_LINE, Selection(statuses=ALL)).head(10))
    assert list(newest["id"]) == list(
        select_initiatives(store, COMMAND_LINE, Selection(statuses=ALL))["id"][:10]
    )


def test_counts_per_ward_add_up_to_what_each_ward_filter_finds(grid):
    store, _, _ = grid
    matched = match(
        store,
        COMMAND_LINE,
        Selection(mode="radius", centre=(STEP, 52 + STEP), radius_m=900.0, statuses=ALL),
    )
    counts = count_per_ward(store, COMMAND_LINE, matched).set_index("id")
    assert len(counts) >= 4  # the circle sits where four wards meet (lines reach further)
    for ward_id, row in counts.iterrows():
        in_ward = match(
            store, COMMAND_LINE, Selection(mode="areas", area_ids=(ward_id,), statuses=ALL)
        )
        assert row["count"] == len(set(in_ward["id"]) & set(matched["id"])) > 0
        assert shapely.Point(row["lon"], row["lat"]).within(
            shapely.box(-0.001, 51.999, 0.031, 52.031)
        )
