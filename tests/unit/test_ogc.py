"""The OGC API – Features queries: right counts, bbox, paging, time and filters, public only."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import shapely
from shapely.geometry import shape

from geo.accountability import events
from geo.delivery import ogc
from geo.errors import InvalidInput, NotFound
from geo.safeguarding import voices
from geo.vocabulary import PUBLIC_STATUSES
from tests.ogc_data import NOW, plant

BOX = (-1.52, 52.90, -1.48, 52.93)


@pytest.fixture
def planted(demo_store):
    return demo_store, plant(demo_store)


def every(store, collection_id, **given):
    about = ogc.collection(store, collection_id)
    query = ogc.read_query(about, [("limit", "1000"), *given.items()])
    page = ogc.items(store, about, query)
    assert page.matched == len(page.features) and not page.has_next
    return page.features


def ids(features):
    return {feature["id"] for feature in features}


def test_each_collection_holds_exactly_the_public_records(planted):
    store, made = planted
    public = store.value(
        "SELECT count(*) FROM initiatives WHERE list_contains(?, status)", [list(PUBLIC_STATUSES)]
    )
    expected = {
        "play-areas": store.value("SELECT count(*) FROM places"),
        "initiatives": public,
        "wards": store.value("SELECT count(*) FROM areas WHERE level = 'ward'"),
        "councils": store.value("SELECT count(*) FROM areas WHERE level = 'council'"),
        "events": len(events.events(store, NOW)) + len(events.events(store, NOW, upcoming=False)),
        "voices": len(voices.published_voices(store)),
    }
    assert [c.id for c in ogc.collections(store)] == list(expected)
    assert {key: len(every(store, key)) for key in expected} == expected
    assert expected["voices"] == made.published_voices and expected["events"] == made.events
    assert public < store.value("SELECT count(*) FROM initiatives")  # drafts exist, left out


def test_bbox_keeps_what_a_shapely_intersection_keeps(planted):
    store, _made = planted
    # The demo's middle, and a box over one corner of a voice's cell only (not its centre).
    *_low, maxx, maxy = shape(every(store, "voices")[0]["geometry"]).bounds
    corner = (maxx - 1e-4, maxy - 1e-4, maxx + 0.01, maxy + 0.01)
    x, y = every(store, "events")[0]["geometry"]["coordinates"]
    near_event = (x - 1e-3, y - 1e-3, x + 1e-3, y + 1e-3)
    for collection_id in ("play-areas", "initiatives", "wards", "events", "voices"):
        everything = every(store, collection_id)
        sizes = []
        for box in (BOX, corner, near_event):
            inside = {
                f["id"]
                for f in everything
                if f["geometry"] and shape(f["geometry"]).intersects(shapely.box(*box))
            }
            found = every(store, collection_id, bbox=",".join(map(str, box)))
            assert ids(found) == inside, (collection_id, box)
            sizes.append(len(inside))
        assert max(sizes) > 0 and min(sizes) < len(everything), collection_id


def test_a_voice_is_its_whole_generalised_cell_and_never_the_point(planted):
    store, _made = planted
    stored = dict(store.rows("SELECT id, lon FROM voices WHERE lon IS NOT NULL"))
    for feature in every(store, "voices"):
        if feature["geometry"] is None:
            continue
        cell = shape(feature["geometry"])
        lon, lat = cell.centroid.x, cell.centroid.y
        assert voices.generalise(lon, lat) == pytest.approx((stored[feature["id"]], lat), abs=1e-6)
        minx, miny, maxx, maxy = cell.bounds
        assert (maxy - miny) * 110_540 == pytest.approx(voices.GRID_M)
        # Any point of the cell generalises to its centre: the cell is the grid's own.
        assert voices.generalise(minx + 1e-5, miny + 1e-5) == voices.generalise(lon, lat)
        assert voices.generalise(maxx - 1e-5, maxy - 1e-5) == voices.generalise(lon, lat)
    assert [f["geometry"] for f in every(store, "voices")].count(None) == 1  # left without a point


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_paging_visits_every_feature_once(planted, limit):
    store, _made = planted
    about = ogc.collection(store, "play-areas")
    seen, offset = [], 0
    while True:
        query = ogc.read_query(about, [("limit", str(limit)), ("offset", str(offset))])
        page = ogc.items(store, about, query)
        assert len(page.features) <= limit and page.has_prev == (offset > 0)
        seen += [feature["id"] for feature in page.features]
        if not page.has_next:
            break
        offset += len(page.features)
    assert len(seen) == len(set(seen)) == page.matched == store.value("SELECT count(*) FROM places")


def test_datetime_keeps_features_whose_time_meets_the_interval(planted):
    store, _made = planted
    features = every(store, "initiatives")

    def overlapping(start, end):
        return {
            f["id"]
            for f in features
            if (end is None or f["properties"]["created_at"] <= end)
            and (start is None or f["properties"]["updated_at"] >= start)
        }

    for written, start, end in (
        (
            "2026-03-01T00:00:00Z/2026-04-30T23:59:59Z",
            "2026-03-01T00:00:00Z",
            "2026-04-30T23:59:59Z",
        ),
        ("../2026-01-01T00:00:00Z", None, "2026-01-01T00:00:00Z"),
        ("2026-05-01T00:00:00+00:00/..", "2026-05-01T00:00:00Z", None),
        ("2026-05-01T02:00:00+02:00/", "2026-05-01T00:00:00Z", None),
    ):
        found = ids(every(store, "initiatives", datetime=written))
        assert found == overlapping(start, end), written
        assert 0 < len(found) < len(features), written
    day = every(store, "events", datetime=f"{(NOW.date()).replace(day=2)}")
    assert [f["properties"]["title"] for f in day] == ["Play day 1"]  # a date is the whole day
    instant = every(store, "events", datetime="2026-06-11T10:30:00Z")
    assert [f["properties"]["title"] for f in instant] == ["Play day 10"]


def test_property_filters_match_what_the_properties_say(planted):
    store, _made = planted
    ward_id, ward = store.row("SELECT id, name FROM areas WHERE level = 'ward' ORDER BY id")
    places = every(store, "play-areas")
    parks = every(store, "play-areas", kind="park,playground")
    assert ids(parks) == {
        f["id"] for f in places if f["properties"]["kind"] in ("park", "playground")
    }
    in_ward = every(store, "play-areas", ward=str(ward_id))
    assert ids(in_ward) == {
        f["id"] for f in places if ward in (f["properties"]["wards"] or "").split(", ")
    }
    initiatives = every(store, "initiatives")
    approved = every(store, "initiatives", status="approved", ward=str(ward_id))
    assert ids(approved) == {
        f["id"]
        for f in initiatives
        if f["properties"]["status"] == "approved"
        and ward in (f["properties"]["wards"] or "").split(", ")
    }
    assert every(store, "initiatives", status="draft") == []  # a filter cannot reach drafts
    assert {f["properties"]["wards"] for f in every(store, "voices", ward=str(ward_id))} == {ward}
    assert len(every(store, "events", ward=str(ward_id))) == 1
    for feature in every(store, "play-areas", kind="park"):
        assert feature["properties"]["kind_label"] == "Park or green"


def test_no_private_value_is_in_any_feature(planted):
    store, made = planted
    emails = [row[0] for row in store.rows("SELECT email FROM users WHERE email IS NOT NULL")]
    logins = [row[0] for row in store.rows("SELECT login FROM users")]
    assert emails and logins
    written = json.dumps([every(store, c.id) for c in ogc.collections(store)])
    for private in (*made.private, *emails, *logins):
        assert private not in written, private
    event = every(store, "events")[0]["properties"]
    assert event["initiative_id"] is None and event["initiative"] is None  # withdrawn since


def test_a_private_or_missing_feature_is_not_found_alike(planted):
    store, _made = planted
    about = ogc.collection(store, "initiatives")
    draft = store.value("SELECT min(id) FROM initiatives WHERE status = 'draft'")
    public = store.value("SELECT min(id) FROM initiatives WHERE status = 'approved'")
    assert ogc.item(store, about, str(public))["properties"]["status"] == "approved"
    for written in (str(draft), "99999", "abc", "9" * 400):
        with pytest.raises(NotFound, match="there is no feature"):
            ogc.item(store, about, written)
    with pytest.raises(NotFound):
        ogc.collection(store, "users")


@pytest.mark.parametrize(
    "given, message",
    [
        ({"bbox": "1,2,3"}, "four numbers"),
        ({"bbox": "1,2,3,4,5,6"}, "four numbers"),
        ({"bbox": "a,b,c,d"}, "four numbers"),
        ({"bbox": "nan,0,1,1"}, "four numbers"),
        ({"bbox": "3,0,1,1"}, "west not east of east"),
        ({"bbox": "0,0,200,1"}, "within ±180"),
        ({"limit": "0"}, "at least 1"),
        ({"limit": "ten"}, "whole number"),
        ({"offset": "-1"}, "whole number"),
        ({"datetime": "yesterday"}, "RFC 3339"),
        ({"datetime": "../.."}, "at least one end"),
        ({"datetime": "2026-05-01/2026-04-01"}, "ends before it starts"),
        ({"ward": "north"}, "record numbers"),
        ({"ward": ","}, "needs a value"),
        ({"name": "x"}, "not a parameter of initiatives"),
        ({"filter": "kind='park'"}, "not a parameter"),
    ],
)
def test_a_bad_parameter_is_refused_in_words(given, message, demo_store):
    about = ogc.collection(demo_store, "initiatives")
    with pytest.raises(InvalidInput, match=message):
        ogc.read_query(about, given.items())


def test_limits_default_and_cap_and_parameters_depend_on_the_collection(demo_store):
    about = ogc.collection(demo_store, "play-areas")
    assert ogc.read_query(about, []).limit == ogc.DEFAULT_LIMIT
    assert ogc.read_query(about, [("limit", "5000")]).limit == ogc.MAX_LIMIT
    with pytest.raises(InvalidInput, match="not a parameter of play-areas"):
        ogc.read_query(about, [("datetime", "2026-01-01")])  # play areas have no time
    with pytest.raises(InvalidInput, match="given twice"):
        ogc.read_query(about, [("kind", "park"), ("kind", "playground")])


def test_extents_hold_every_feature_and_the_time_span(planted):
    store, _made = planted
    for about in ogc.collections(store):
        extent = ogc.extent(store, about)
        box = shapely.box(*extent["spatial"]["bbox"][0])
        assert all(
            box.buffer(1e-9).contains(shape(f["geometry"]))
            for f in every(store, about.id)
            if f["geometry"]
        ), about.id
        if about.time:
            start, end = extent["temporal"]["interval"][0]
            assert datetime.fromisoformat(start) <= datetime.fromisoformat(end)
