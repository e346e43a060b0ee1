"""Open311 and API keys in the core: keys are hashed and scoped, requests show only what the
place's page shows, and filing goes through the page's own concern report."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from geo.accounts import api_keys, rate_limits
from geo.delivery import open311
from geo.errors import AuthenticationFailed, InvalidInput, PermissionDenied, TooManyAttempts
from geo.permissions import COMMAND_LINE
from geo.safeguarding import concerns
from tests.unit.conftest import NOW

SECRET_WORDS = "Broken glass under the slide, call me on 07700 900123"


def writer(town, scopes=("read", "write")):
    _, key = api_keys.issue_key(town.store, COMMAND_LINE, "Fix My Park", list(scopes), NOW)
    return api_keys.authenticate(town.store, key, "write" if "write" in scopes else "read", NOW)


def test_a_key_is_shown_once_and_stored_only_as_its_hash(town):
    key_id, key = api_keys.issue_key(town.store, COMMAND_LINE, "Fix My Park", ["write"], NOW)
    stored = town.store.rows("SELECT key_hash, scopes FROM api_keys WHERE id = ?", [key_id])
    assert key.startswith("sp_") and len(key) > 40
    assert stored[0][0] != key and key not in str(stored) and list(stored[0][1]) == ["write"]
    assert "key_hash" not in api_keys.list_keys(town.store, COMMAND_LINE).columns
    assert api_keys.authenticate(town.store, key, "write", NOW).name == "Fix My Park"


def test_only_an_administrator_issues_and_revokes_keys(town):
    for someone in (town.council, town.resident):
        with pytest.raises(PermissionDenied):
            api_keys.issue_key(town.store, someone, "Mine", ["write"], NOW)
    key_id, _ = api_keys.issue_key(town.store, COMMAND_LINE, "Fix My Park", ["read"], NOW)
    with pytest.raises(PermissionDenied):
        api_keys.revoke_key(town.store, town.council, key_id, NOW)


@pytest.mark.parametrize(
    ("name", "scopes"), [("", ["read"]), ("Fix My Park", []), ("Fix My Park", ["admin"])]
)
def test_a_key_needs_a_name_and_known_scopes(town, name, scopes):
    with pytest.raises(InvalidInput):
        api_keys.issue_key(town.store, COMMAND_LINE, name, scopes, NOW)


def test_wrong_revoked_and_read_only_keys_are_refused(town):
    key_id, key = api_keys.issue_key(town.store, COMMAND_LINE, "Reader", ["read"], NOW)
    with pytest.raises(PermissionDenied, match="may not file concern reports"):
        api_keys.authenticate(town.store, key, "write", NOW)
    for wrong in ("", "nonsense", key[:-2] + "xx", "sp_" + "a" * 500):
        with pytest.raises(AuthenticationFailed):
            api_keys.authenticate(town.store, wrong, "read", NOW)
    api_keys.revoke_key(town.store, COMMAND_LINE, key_id, NOW)
    with pytest.raises(AuthenticationFailed):
        api_keys.authenticate(town.store, key, "read", NOW)
    listed = api_keys.list_keys(town.store, COMMAND_LINE)
    assert listed["revoked_by"].tolist() == ["command-line"]


def test_last_used_is_written_at_most_once_a_minute(town):
    _, key = api_keys.issue_key(town.store, COMMAND_LINE, "Reader", ["read"], NOW)
    version = town.store.data_version()
    for seconds in (0, 10, 70):
        api_keys.authenticate(town.store, key, "read", NOW + timedelta(seconds=seconds))
    assert town.store.value("SELECT last_used FROM api_keys") == NOW + timedelta(seconds=70)
    assert town.store.data_version() == version  # the public map's caches stay warm


def test_a_filed_request_lands_in_the_wards_queue_redacted(town):
    key = writer(town)
    form = {"service_code": "glass_or_sharps", "description": SECRET_WORDS}
    number = open311.file_request(
        town.store, key, {**form, "address_id": str(town.playground_id)}, None, None, NOW
    )
    assert concerns.concern_queue(town.store, town.east_officer).empty  # the playground is West
    queue = concerns.concern_queue(town.store, town.council)
    assert queue["id"].tolist() == [number]
    assert "07700" not in queue["text"][0]


def test_the_play_area_is_found_from_a_point_within_100_m(town):
    key = writer(town)
    form = {"service_code": "lighting", "description": "The lamp is out", "long": "-1.0296"}
    number = open311.file_request(town.store, key, {**form, "lat": "52.0211"}, None, None, NOW)
    assert open311.request(town.store, number)["address_id"] == str(town.playground_id)
    with pytest.raises(InvalidInput, match="no play area within 100 m"):
        open311.file_request(town.store, key, {**form, "lat": "52.03"}, None, None, NOW)
    for bad in ({"lat": "north", "long": "1"}, {"lat": "91", "long": "1"}, {"address_id": "x"}):
        with pytest.raises(InvalidInput):
            open311.file_request(
                town.store,
                key,
                {"service_code": "lighting", "description": "x" * 9, **bad},
                None,
                None,
                NOW,
            )


def test_a_child_safety_report_is_refused_with_the_contact_and_not_stored(town, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_SAFEGUARDING_CONTACT", "Millbrook MASH on 01632 960000")
    listed = {s["service_code"]: s for s in open311.services()}
    assert "Millbrook MASH" in listed["child_safety"]["description"]
    assert set(listed) == set(concerns.CATEGORIES)
    form = {"service_code": "child_safety", "description": "A man", "address_id": "1"}
    with pytest.raises(concerns.ChildSafetyConcern, match="Millbrook MASH"):
        open311.file_request(town.store, writer(town), form, None, None, NOW)
    assert town.store.value("SELECT count(*) FROM concerns") == 0


def test_one_token_files_one_report_and_another_partners_token_is_its_own(town):
    form = {"service_code": "lighting", "description": "The lamp is out"}
    form["address_id"] = str(town.playground_id)
    first, second = writer(town), writer(town)
    one = open311.file_request(town.store, first, form, "retry-1", None, NOW)
    assert open311.file_request(town.store, first, form, "retry-1", None, NOW) == one
    assert open311.file_request(town.store, second, form, "retry-1", None, NOW) != one
    assert town.store.value("SELECT count(*) FROM concerns") == 2


def test_a_request_shows_the_public_status_and_note_never_the_text(town):
    key = writer(town)
    form = {"service_code": "glass_or_sharps", "description": SECRET_WORDS}
    number = open311.file_request(
        town.store, key, {**form, "address_id": str(town.playground_id)}, None, None, NOW
    )
    concerns.update_concern(town.store, town.council, number, "fixed", "Swept <today>.", NOW)
    shown = open311.request(town.store, number)
    assert shown["status"] == "closed" and shown["status_notes"] == "Swept <today>."
    assert shown["agency_responsible"] == "The council, West ward"
    assert (shown["long"], shown["lat"]) == pytest.approx((-1.0295, 52.0203), abs=1e-4)
    assert "slide" not in str(shown) and "07700" not in str(shown)
    document = ET.fromstring(open311.as_xml("service_requests", "request", [shown]))
    assert document.find("request/status_notes").text == "Swept <today>."


def test_requests_are_filtered_by_code_status_and_dates(town):
    key = writer(town)
    place = str(town.playground_id)
    numbers = [
        open311.file_request(
            town.store,
            key,
            {"service_code": code, "description": "Needs a look", "address_id": place},
            None,
            None,
            NOW + timedelta(days=day),
        )
        for day, code in enumerate(["lighting", "lighting", "other"])
    ]
    concerns.update_concern(town.store, town.council, numbers[0], "fixed", "Lamp fixed.", NOW)

    def ids(**params):
        return [
            int(r["service_request_id"])
            for r in open311.requests(town.store, open311.Query.parse(params))
        ]

    assert ids() == numbers[::-1]
    assert ids(service_code="lighting", status="open") == [numbers[1]]
    assert ids(status="closed") == [numbers[0]]
    assert ids(start_date="2026-11-25T00:00:00Z") == numbers[:0:-1]
    assert ids(end_date="2026-11-25T14:00:00+02:00") == [numbers[1], numbers[0]]
    assert ids(limit="1") == [numbers[2]]
    assert ids(service_request_id=f"{numbers[0]},{numbers[2]}") == [numbers[2], numbers[0]]
    for bad in (
        {"status": "pending"},
        {"service_code": "nope"},
        {"limit": "0"},
        {"limit": "5000"},
        {"limit": "²"},
        {"start_date": "yesterday"},
        {"start_date": "2026-12-01", "end_date": "2026-11-01"},
        {"service_request_id": "1,x"},
    ):
        with pytest.raises(InvalidInput):
            open311.Query.parse(bad)


def test_requests_past_the_keys_limit_wait_and_are_told_how_long(town, monkeypatch):
    monkeypatch.setitem(rate_limits.LIMITS, "api", rate_limits.Limit(2, 1, timedelta(minutes=1)))
    key = writer(town, ("read",))
    for _ in range(2):
        with api_keys.metered(town.store, key, "203.0.113.7", NOW):
            pass
    with pytest.raises(TooManyAttempts) as waited, api_keys.metered(town.store, key, None, NOW):
        pass
    assert waited.value.retry_after == 60
    with api_keys.metered(town.store, None, "203.0.113.7", NOW):  # no key: its address's own
        pass
    with pytest.raises(TooManyAttempts), api_keys.metered(town.store, None, "203.0.113.7", NOW):
        pass


def test_xml_holds_hostile_text_and_stays_well_formed():
    rows = [{"service_code": "x", "service_name": "<b>&\x00\x1b ]]>", "metadata": False}]
    document = ET.fromstring(open311.as_xml("services", "service", rows))
    assert document.find("service/service_name").text == "<b>& ]]>"
    assert document.find("service/metadata").text == "false"
