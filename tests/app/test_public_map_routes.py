"""The public map's routes over plain HTTP, behind the same middleware as server.py."""

import gzip
import json

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from geo.mapping import explore, public_map
from geo.mapping.assets import LOCAL_ASSETS, STATIC_VENDOR
from tests.app.conftest import open_page, person, read
from ui import public_map_routes
from ui.common import store
from ui.security_headers import SecurityHeaders
from ui.session_routes import middleware, routes

# Values only the council, a moderator or the person who typed them may see.
PLANTED = {
    "draft": "Zq-draft-title-never-public",
    "withdrawn": "Zq-withdrawn-title-never-public",
    "summary": "Zq-draft-summary-never-public",
    "pending comment": "Zq-pending-comment-never-public",
    "voice original": "Zq-voice-original-never-public",
    "e-mail": "zq-someone@private.example",
}


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"{name} missing from {policy}")


def make_client() -> TestClient:
    app = Starlette(
        routes=[*routes(), *public_map_routes.routes()],
        middleware=[Middleware(SecurityHeaders), *middleware()],
    )
    app.add_route("/{page}", lambda request: PlainTextResponse("the app"))
    return TestClient(app, base_url="https://map.example", follow_redirects=False)


@pytest.fixture
def client(database):
    with make_client() as opened:
        yield opened


def features(answer) -> list[dict]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/geo+json"
    return answer.json()["features"]


def of_type(found: list[dict], kind: str) -> list[dict]:
    return [f for f in found if f["properties"]["t"] == kind]


def test_the_page_is_plain_html_with_local_leaflet_and_no_inline_script(client):
    answer = client.get("/map")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "set-cookie" not in answer.headers
    page = answer.text
    assert "/app/static/vendor/leaflet/leaflet.js" in page and "/map/map.js" in page
    assert "<script>" not in page and "onclick" not in page
    assert "The map's content also as a list" in page
    for name in ("leaflet", "leaflet_css"):
        assert (STATIC_VENDOR / LOCAL_ASSETS[name]).is_file()
    script = client.get("/map/map.js")
    assert script.status_code == 200 and "textContent" in script.text
    assert "innerHTML" not in script.text
    assert client.get("/map/map.css").headers["content-type"].startswith("text/css")


def test_the_data_is_every_public_place_and_initiative_of_the_town(client):
    found = features(client.get("/map/data.json"))
    db = store()
    assert len(of_type(found, "place")) == db.value("SELECT count(*) FROM places")
    public = db.value("SELECT count(*) FROM initiatives WHERE status NOT IN ('draft', 'withdrawn')")
    assert len(of_type(found, "initiative")) == public
    assert len(of_type(found, "ward")) == db.value(
        "SELECT count(*) FROM areas WHERE level = 'ward'"
    )
    place = of_type(found, "place")[0]["properties"]
    assert set(place) <= {"t", "id", "name", "kind", "k", "ages", "ward"}


def test_no_private_value_reaches_the_data(client):
    db = store()
    draft = db.value("SELECT min(id) FROM initiatives WHERE status = 'draft'")
    withdrawn = db.value("SELECT min(id) FROM initiatives WHERE status = 'withdrawn'")
    with db.write() as cursor:
        cursor.execute(
            "UPDATE initiatives SET title = ?, summary = ? WHERE id = ?",
            [PLANTED["draft"], PLANTED["summary"], draft],
        )
        cursor.execute(
            "UPDATE initiatives SET title = ? WHERE id = ?", [PLANTED["withdrawn"], withdrawn]
        )
        cursor.execute(
            "UPDATE comments SET body = ? WHERE id = (SELECT min(id) FROM comments)",
            [PLANTED["pending comment"]],
        )
        cursor.execute(
            "UPDATE comments SET state = 'pending' WHERE body = ?", [PLANTED["pending comment"]]
        )
        cursor.execute(
            "UPDATE voices SET original = ? WHERE id = (SELECT min(id) FROM voices)",
            [PLANTED["voice original"]],
        )
        cursor.execute(
            "UPDATE users SET email = ? WHERE id = (SELECT min(id) FROM users)",
            [PLANTED["e-mail"]],
        )
    for query in ("", "?kinds=playground", "?bbox=-180,-90,180,90&zoom=16"):
        body = client.get(f"/map/data.json{query}").text
        for what, value in PLANTED.items():
            assert value not in body, (what, query)
        assert "@" not in body


def test_the_options_narrow_the_map_to_a_ward_and_kinds(client):
    everything = of_type(features(client.get("/map/data.json")), "place")
    ward = store().value("SELECT min(id) FROM areas WHERE level = 'ward'")
    in_ward = features(client.get(f"/map/data.json?ward={ward}&kinds=playground,park"))
    places = of_type(in_ward, "place")
    assert 0 < len(places) < len(everything)
    assert {p["properties"]["k"] for p in places} <= {"playground", "park"}
    assert [w["properties"]["id"] for w in of_type(in_ward, "ward")] == [ward]
    assert features(client.get("/map/data.json?lang=en"))


@pytest.mark.parametrize(
    "query",
    ["ward=99999", "ward=abc", "kinds=volcano", "lang=xx", "bbox=1,2,3", "zoom=99"],
)
def test_a_wrong_option_is_a_problem_saying_what_to_write(client, query):
    answer = client.get(f"/map/data.json?{query}")
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"]


def test_the_data_is_gzipped_for_a_browser_that_asks(client):
    answer = client.get("/map/data.json", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.headers["vary"] == "Accept-Encoding"
    assert answer.json()["features"]  # the client unpacked it
    raw = client.get("/map/data.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content)


def test_hostile_names_travel_as_plain_text(client):
    hostile = '<img src=x onerror="alert(1)">{{7*7}}'
    with store().write() as cursor:
        cursor.execute(
            "UPDATE places SET name = ? WHERE id = (SELECT min(id) FROM places)", [hostile]
        )
    names = [f["properties"].get("name") for f in features(client.get("/map/data.json"))]
    assert hostile in names  # as typed: the page puts it in with textContent


def test_only_the_map_may_be_framed_and_by_the_configured_sites(database, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_EMBED_ORIGINS", "https://www.council.example")
    with make_client() as client:
        page = client.get("/map").headers["content-security-policy"]
        other = client.get("/explore").headers["content-security-policy"]
    assert directive(page, "frame-ancestors") == ["https://www.council.example"]
    assert directive(page, "script-src") == ["'self'"]
    assert directive(page, "default-src") == ["'none'"]
    assert directive(page, "img-src") == ["'self'", "data:"]
    assert directive(other, "frame-ancestors") == ["'self'"]


def test_by_default_any_site_may_frame_the_map(client):
    policy = client.get("/map").headers["content-security-policy"]
    assert directive(policy, "frame-ancestors") == ["*"]


def test_a_policy_breaking_embed_setting_stops_the_start(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_EMBED_ORIGINS", "https://a.example; script-src *")
    with pytest.raises(public_map_routes.EmbedOriginsInvalid):
        public_map_routes.routes()


def test_the_council_tile_server_is_used_and_allowed(database, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "https://tiles.council.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("SAFEPLAY_TILES_ATTRIBUTION", "© Council <b>")
    with make_client() as client:
        answer = client.get("/map")
    assert "https://tiles.council.example" in directive(
        answer.headers["content-security-policy"], "img-src"
    )
    assert 'data-tiles="https://tiles.council.example/{z}/{x}/{y}.png"' in answer.text
    assert "&amp;lt;b&amp;gt;" in answer.text  # shown as text by Leaflet, never as markup
    assert "<b>" not in answer.text


def test_the_embed_snippet_carries_the_options():
    snippet = public_map.embed_snippet(
        "https://safeplay.council.example/", public_map.MapOptions((3, 5), ("park",))
    )
    assert snippet.startswith('<iframe src="https://safeplay.council.example/map?ward=3,5')
    assert "kinds=park" in snippet and 'title="Play areas near you"' in snippet
    assert json.dumps(snippet)  # one line, pasted as it is


def test_an_officer_copies_the_snippet_from_wards_at_a_glance(client, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_PUBLIC_URL", "https://map.example")
    at = open_page(person("olu@demo.example"), "app_pages/wards.py")
    assert at.code[0].value.startswith('<iframe src="https://map.example/map"')
    assert not at.warning  # the address is the council's setting: nothing to check
    ward = store().value("SELECT min(id) FROM areas WHERE level = 'ward'")
    at.multiselect(key="embed_wards").set_value([ward])
    at.multiselect(key="embed_kinds").set_value(["park"]).run()
    snippet = at.code[0].value
    source = snippet.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert source == f"https://map.example/map?ward={ward}&kinds=park"
    path = source.removeprefix("https://map.example")
    assert client.get(path).status_code == 200
    assert features(client.get(path.replace("/map", "/map/data.json")))


def test_without_the_public_address_set_the_snippet_page_says_what_it_points_at(
    database, monkeypatch
):
    # Walked in Chromium: unset, the snippet pointed at http://localhost:8501 whatever
    # address the officer had opened, and the council's page framed nothing.
    monkeypatch.delenv("SAFEPLAY_PUBLIC_URL", raising=False)
    at = open_page(person("olu@demo.example"), "app_pages/wards.py")
    (warned,) = [w.value for w in at.warning]
    address = at.code[0].value.split('src="', 1)[1].split("/map", 1)[0]
    assert f"points at {address}" in read(warned)
    assert "SAFEPLAY_PUBLIC_URL is not set" in read(warned)


def test_at_city_scale_wards_are_counted_until_the_reader_zooms_in(client, monkeypatch):
    monkeypatch.setattr(explore, "DETAIL_LIMIT", 50)  # the demo town becomes a "city"
    public_map_routes._encoded.cache_clear()
    first = client.get("/map/data.json").json()
    assert first["summarised"] and first["detail_zoom"] == explore.DETAIL_ZOOM
    counts = of_type(first["features"], "count")
    assert counts and not of_type(first["features"], "place")
    assert sum(c["properties"]["count"] for c in counts) >= first["total_places"]
    minx, miny, maxx, maxy = first["bbox"]
    middle = f"{minx},{miny},{(minx + maxx) / 2},{(miny + maxy) / 2}"
    zoomed = client.get(f"/map/data.json?bbox={middle}&zoom={explore.DETAIL_ZOOM}").json()
    places = of_type(zoomed["features"], "place")
    assert not zoomed["summarised"] and 0 < len(places) < first["total_places"]
    still_far = client.get(f"/map/data.json?bbox={middle}&zoom=12").json()
    assert still_far["summarised"]
