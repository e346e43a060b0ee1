"""Open311 over plain HTTP, behind the same middleware as server.py, on the demo town."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from openapi_spec_validator import validate
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from geo.accounts import api_keys, auth, rate_limits
from geo.accounts.sessions import utc_now
from geo.permissions import COMMAND_LINE
from geo.safeguarding import concerns
from tests.app.conftest import open_page, person, read
from ui import api_cors, open311_routes
from ui.common import store
from ui.security_headers import SecurityHeaders
from ui.session_routes import middleware, routes

BASE = "/api/open311/v2"
PRIVATE_WORDS = "The gate is broken, ring Sam on 07700 900123"
PARTNER = "https://fixmypark.example"


def client_app() -> TestClient:
    app = Starlette(
        routes=[*routes(), *open311_routes.routes()],
        middleware=[Middleware(SecurityHeaders), *api_cors.middleware(), *middleware()],
    )
    return TestClient(app, base_url="https://council.example")


@pytest.fixture
def client(database, monkeypatch):
    monkeypatch.delenv(api_cors.ENV, raising=False)
    with client_app() as opened:
        yield opened


def key(*scopes: str) -> str:
    return api_keys.issue_key(store(), COMMAND_LINE, "Fix My Park", list(scopes), utc_now())[1]


def place_in_a_ward() -> tuple[int, int]:
    """A play area and the ward it lies in."""
    return store().row(
        "SELECT pa.place_id, pa.area_id FROM place_areas pa JOIN areas a ON a.id = pa.area_id "
        "WHERE a.level = 'ward' ORDER BY pa.place_id LIMIT 1"
    )


def officer_for(ward_id: int, login: str):
    user_id = auth.create_user(
        store(), COMMAND_LINE, login, login, "council", "a long password 1", (ward_id,)
    )
    return auth.load_actor(store(), user_id)


def file(client, api_key: str, **extra: str):
    place_id, _ = place_in_a_ward()
    form = {"api_key": api_key, "service_code": "broken_equipment", "description": PRIVATE_WORDS}
    return client.post(f"{BASE}/requests.json", data={**form, "address_id": place_id, **extra})


def test_a_post_lands_in_the_queue_of_the_officer_for_that_ward(client):
    _, ward_id = place_in_a_ward()
    other_ward = store().value(
        "SELECT min(id) FROM areas WHERE level = 'ward' AND id <> ?", [ward_id]
    )
    here, elsewhere = (
        officer_for(ward_id, "here@council.example"),
        officer_for(other_ward, "elsewhere@council.example"),
    )
    answer = file(client, key("write"))
    assert answer.status_code == 200, answer.text
    (filed,) = answer.json()
    number = int(filed["service_request_id"])
    queue = concerns.concern_queue(store(), here)
    assert number in queue["id"].tolist()
    assert "07700" not in queue.set_index("id").loc[number, "text"]  # redacted, as the page
    assert number not in concerns.concern_queue(store(), elsewhere)["id"].tolist()


def test_a_missing_bad_read_only_or_revoked_key_cannot_file(client):
    reader = key("read")
    revoked, writer = api_keys.issue_key(store(), COMMAND_LINE, "Old app", ["write"], utc_now())
    api_keys.revoke_key(store(), COMMAND_LINE, revoked, utc_now())
    before = store().value("SELECT count(*) FROM concerns")
    for sent in ("", "sp_not-a-key-we-issued-at-all", reader, writer):
        answer = file(client, sent)
        assert answer.status_code == 403, sent
        (error,) = answer.json()
        assert error["code"] == 403 and error["description"]
    assert store().value("SELECT count(*) FROM concerns") == before
    assert client.get(f"{BASE}/services.json", params={"api_key": writer}).status_code == 403


def test_a_child_safety_post_is_answered_with_the_contact_words(client, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_SAFEGUARDING_CONTACT", "Millbrook MASH on 01632 960000")
    answer = file(client, key("write"), service_code="child_safety")
    assert answer.status_code == 400
    assert "Millbrook MASH" in answer.json()[0]["description"]


def test_an_unknown_service_code_is_named_in_the_answer(client):
    # Tried with curl: the answer was the page's "Choose what the concern is about".
    answer = file(client, key("write"), service_code="pothole")
    assert answer.status_code == 400
    assert answer.json()[0]["description"] == (
        "The service_code 'pothole' is not one of the codes services lists"
    )


def test_the_same_token_files_once(client):
    writer = key("write")
    first = file(client, writer, token="partner-retry-0001")
    again = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": writer,
            "service_code": "broken_equipment",
            "description": PRIVATE_WORDS,
            "address_id": place_in_a_ward()[0],
        },
        headers={"Idempotency-Key": "partner-retry-0001"},
    )
    assert first.json() == again.json()


def test_rate_limits_answer_429_with_retry_after(client, monkeypatch):
    monkeypatch.setitem(rate_limits.LIMITS, "api", rate_limits.Limit(3, 2, timedelta(minutes=1)))
    for _ in range(2):
        assert client.get(f"{BASE}/services.json").status_code == 200
    refused = client.get(f"{BASE}/services.json")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    reader = key("read")  # a key has its own count
    assert client.get(f"{BASE}/services.json", params={"api_key": reader}).status_code == 200


def test_no_cors_headers_unless_configured_and_then_only_on_the_api(database, monkeypatch):
    monkeypatch.delenv(api_cors.ENV, raising=False)
    with client_app() as plain:
        answer = plain.get(f"{BASE}/services.json", headers={"Origin": PARTNER})
        assert not [h for h in answer.headers if h.startswith("access-control-")]
    monkeypatch.setenv(api_cors.ENV, f"{PARTNER}, https://other.example")
    with client_app() as configured:
        answer = configured.get(f"{BASE}/services.json", headers={"Origin": PARTNER})
        assert answer.headers["access-control-allow-origin"] == PARTNER
        stranger = configured.get(f"{BASE}/services.json", headers={"Origin": "https://x.example"})
        assert "access-control-allow-origin" not in stranger.headers
        preflight = configured.options(
            f"{BASE}/requests.json",
            headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        page = configured.get("/session/sign-in", headers={"Origin": PARTNER})
        assert "access-control-allow-origin" not in page.headers


def test_xml_is_well_formed_and_escaped(client):
    number = int(file(client, key("write")).json()[0]["service_request_id"])
    concerns.update_concern(
        store(), COMMAND_LINE, number, "investigating", "<script>&\x01 checked", utc_now()
    )
    answer = client.get(f"{BASE}/requests/{number}.xml")
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    assert b"<script>" not in answer.content
    document = ET.fromstring(answer.content)
    assert document.tag == "service_requests"
    assert document.find("request/status_notes").text == "<script>& checked"
    services = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert {s.find("service_code").text for s in services} == set(concerns.CATEGORIES)
    error = ET.fromstring(client.get(f"{BASE}/requests.xml", params={"status": "x"}).content)
    assert error.tag == "errors" and error.find("error/code").text == "400"


def test_get_responses_hold_nothing_private(client):
    number = int(file(client, key("write")).json()[0]["service_request_id"])
    texts = [t for (t,) in store().rows("SELECT text FROM concerns")]
    hashes = [h for (h,) in store().rows("SELECT key_hash FROM api_keys")]
    emails = [e for (e,) in store().rows("SELECT login FROM users WHERE login LIKE '%@%'")]
    for path in (
        f"{BASE}/requests.json",
        f"{BASE}/requests.xml",
        f"{BASE}/requests/{number}.json",
        f"{BASE}/services.json",
    ):
        body = client.get(path, params={"limit": "1000"}).text
        assert not [private for private in [*texts, *hashes, *emails] if private in body], path
    (shown,) = client.get(f"{BASE}/requests/{number}.json").json()
    assert shown["description"] == "Broken equipment" and shown["status"] == "open"


@pytest.mark.parametrize(
    ("path", "status", "media"),
    [
        (f"{BASE}/requests/99999.json", 404, "application/json"),
        (f"{BASE}/requests/abc.json", 404, "application/json"),
        (f"{BASE}/requests.yaml", 404, "application/problem+json"),
        (f"{BASE}/requests.json?start_date=soon", 400, "application/json"),
    ],
)
def test_errors_are_open311_lists_or_problem_details(client, path, status, media):
    answer = client.get(path)
    assert answer.status_code == status
    assert answer.headers["content-type"] == media


def test_an_administrator_issues_a_key_shown_once_and_revokes_it(database):
    at = open_page(person("ada@demo.example"), "app_pages/users.py")
    name_box = next(t for t in at.text_input if t.label == "Whose app is it for?")
    name_box.set_value("Fix My Park <b>")
    next(b for b in at.button if b.label == "Issue a key").click().run()
    assert not at.exception, at.exception
    (shown,) = [c.value for c in at.code if c.value.startswith("sp_")]
    assert api_keys.authenticate(store(), shown, "read", utc_now()).name == "Fix My Park <b>"
    assert any("shown only this once" in s.value for s in at.success)
    name_box = next(t for t in at.text_input if t.label == "Whose app is it for?")
    assert name_box.value == ""  # the form is empty for the next key
    at.run()  # shown only once
    assert not [c for c in at.code if c.value.startswith("sp_")]
    at.button(key="api_keys_revoke").click().run()
    next(b for b in at.button if b.label == "Confirm: revoke").click().run()
    assert not at.exception, at.exception
    assert store().value("SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL") == 1


def test_a_key_refused_for_want_of_a_scope_keeps_the_name_typed(database):
    at = open_page(person("ada@demo.example"), "app_pages/users.py")
    next(t for t in at.text_input if t.label == "Whose app is it for?").set_value("Fix My Park")
    next(m for m in at.multiselect if m.label == "It may").set_value([])
    next(b for b in at.button if b.label == "Issue a key").click().run()
    assert any("Choose what the key may do" in e.value for e in at.error)
    assert next(t for t in at.text_input if t.label == "Whose app is it for?").value == (
        "Fix My Park"
    )
    assert store().value("SELECT count(*) FROM api_keys") == 0


def test_an_issued_key_says_which_it_is_wraps_on_a_phone_and_lists_in_words(database):
    # Walked in Chromium: the table said "read, write", the notice did not say which key it
    # was, and on a 390 px phone the end of the key was cut off.
    at = open_page(person("ada@demo.example"), "app_pages/users.py")
    next(t for t in at.text_input if t.label == "Whose app is it for?").set_value("Fix  It")
    next(m for m in at.multiselect if m.label == "It may").set_value(["read", "write"])
    next(b for b in at.button if b.label == "Issue a key").click().run()
    assert not at.exception, at.exception
    (shown,) = [c for c in at.code if c.value.startswith("sp_")]
    assert shown.proto.wrap_lines
    key_id = store().value("SELECT id FROM api_keys")
    (said,) = [read(s.value) for s in at.success if "shown only this once" in s.value]
    assert f"Key {key_id} for Fix It issued (read public data, file concern reports)" in said
    table = next(d for d in at.dataframe if "May" in d.value.columns).value
    assert list(table["May"]) == ["Read public data, File concern reports"]
    assert list(table.columns[:4]) == ["Number", "Name", "May", "State"]
    assert list(table["State"]) == ["In use"]
    at.button(key="api_keys_revoke").click().run()
    next(b for b in at.button if b.label == "Confirm: revoke").click().run()
    table = next(d for d in at.dataframe if "May" in d.value.columns).value
    assert table["State"].iloc[0].startswith("Revoked ")
    assert table["State"].iloc[0].endswith(" by ada@demo.example")


def test_the_keys_section_is_for_administrators_only(database):
    at = open_page(person("olu@demo.example"), "app_pages/users.py")
    assert "API keys" not in [s.value for s in at.header]


def test_the_openapi_document_is_valid_and_names_every_route(client):
    answer = client.get(f"{BASE}/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.oai.openapi+json"
    document = answer.json()
    validate(document)
    served = {route.path for route in open311_routes.routes()} - {f"{BASE}/openapi.json"}
    assert set(document["paths"]) == served
