"""What the public map finds for each filter."""

import pytest

from geo.errors import NotFound
from geo.registry import areas
from geo.registry.filters import MapFilter
from geo.registry.initiatives import find_initiatives, get_public_initiative
from geo.registry.places import find_places, get_place


def test_ward_counts_add_up_to_the_whole_town(demo_store):
    everything = len(find_places(demo_store, MapFilter()))
    wards = areas.list_areas(demo_store, "ward")
    per_ward = [len(find_places(demo_store, MapFilter(area_ids=(int(i),)))) for i in wards["id"]]
    assert sum(per_ward) == everything and min(per_ward) > 0


def test_kind_wheelchair_and_age_filters_narrow_the_set(demo_store):
    everything = find_places(demo_store, MapFilter())
    parks = find_places(demo_store, MapFilter(place_kinds=("park",)))
    assert 0 < len(parks) < len(everything) and set(parks["kind"]) == {"park"}
    fully = find_places(demo_store, MapFilter(wheelchair="fully"))
    partly = find_places(demo_store, MapFilter(wheelchair="partly"))
    assert set(fully["wheelchair"]) == {"yes"} and len(fully) < len(partly) < len(everything)
    teens = find_places(demo_store, MapFilter(min_age=16, max_age=18))
    known = teens.dropna(subset=["max_age"])
    assert len(teens) < len(everything) and (known["max_age"] >= 16).all()


def test_drafts_and_withdrawn_initiatives_are_never_public(demo_store):
    asked_for_all = MapFilter(statuses=("draft", "withdrawn", "approved"))
    shown = find_initiatives(demo_store, asked_for_all)
    assert set(shown["status"]) == {"approved"}
    draft_id = (
        demo_store.cursor()
        .execute("SELECT id FROM initiatives WHERE status = 'draft' LIMIT 1")
        .fetchone()[0]
    )
    with pytest.raises(NotFound):
        get_public_initiative(demo_store, draft_id)


def test_rejected_initiatives_show_their_reason_and_timeline(demo_store):
    rejected = find_initiatives(demo_store, MapFilter(statuses=("rejected",)))
    assert len(rejected) and rejected["latest_reason"].str.len().min() > 10
    detail = get_public_initiative(demo_store, int(rejected["id"].iloc[0]))
    assert list(detail["timeline"]["to_status"])[-1] == "rejected"


def test_place_details_include_size_in_square_metres(demo_store):
    places = find_places(demo_store, MapFilter(place_kinds=("park",)))
    park = places[places.geometry.geom_type == "Polygon"].iloc[0]
    detail = get_place(demo_store, int(park["id"]))
    assert 5_000 < detail["area_m2"] < 500_000  # metres, not degrees
    with pytest.raises(NotFound):
        get_place(demo_store, 999_999)
