"""The OGC API – Features routes over plain HTTP, behind the same middleware as server.py."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from geo.accounts import api_keys, rate_limits
from geo.accounts.sessions import utc_now
from geo.permissions import COMMAND_LINE
from tests.ogc_data import plant
from ui import api_cors, ogc_routes
from ui.common import store
from ui.security_headers import SecurityHeaders
from ui.session_routes import middleware, routes

ROOT = "https://gis.example/api/ogc"


@pytest.fixture
def client(database):
    app = Starlette(
        routes=[*routes(), *ogc_routes.routes()],
        middleware=[Middleware(SecurityHeaders), *middleware()],
    )
    with TestClient(app, base_url="https://gis.example", follow_redirects=False) as opened:
        yield opened


def path(href: str) -> str:
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}" == "https://gis.example", href
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links(answer) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in answer.json()["links"]}


def test_the_landing_page_leads_to_conformance_the_api_and_the_data(client):
    answer = client.get("/api/ogc")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert "set-cookie" not in answer.headers and answer.headers["content-security-policy"]
    found = links(answer)
    assert found == {
        "self": ROOT,
        "service-desc": f"{ROOT}/api",
        "conformance": f"{ROOT}/conformance",
        "data": f"{ROOT}/collections",
    }
    conformance = client.get(path(found["conformance"])).json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
    api = client.get(path(found["service-desc"]))
    assert api.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    assert "/collections/play-areas/items" in api.json()["paths"]
    assert client.get("/api/ogc/?f=json").json()["title"] == "SafePlay"


def test_collections_describe_themselves_with_extent_and_items_link(client):
    described = client.get("/api/ogc/collections").json()["collections"]
    assert [c["id"] for c in described] == [
        "play-areas",
        "initiatives",
        "wards",
        "councils",
        "events",
        "voices",
    ]
    for collection in described:
        minx, miny, maxx, maxy = collection["extent"]["spatial"]["bbox"][0]
        assert minx <= maxx and miny <= maxy
        items = {link["rel"]: link for link in collection["links"]}["items"]
        assert items["type"] == "application/geo+json"
        assert client.get(path(items["href"])).status_code == 200
        alone = client.get(f"/api/ogc/collections/{collection['id']}").json()
        assert alone["id"] == collection["id"]
    assert "temporal" in described[1]["extent"] and "temporal" not in described[0]["extent"]


def test_next_and_prev_links_page_through_with_the_filters_kept(client):
    first = client.get("/api/ogc/collections/play-areas/items?limit=100&kind=playground")
    assert first.headers["content-type"] == "application/geo+json"
    body = first.json()
    assert body["numberReturned"] == 100 and body["numberMatched"] > 100
    assert body["timeStamp"].endswith("Z")
    seen = [f["id"] for f in body["features"]]
    answer = first
    while "next" in links(answer):
        following = links(answer)["next"]
        assert "kind=playground" in following and "limit=100" in following
        answer = client.get(path(following))
        seen += [f["id"] for f in answer.json()["features"]]
        assert "prev" in links(answer)
    assert len(seen) == len(set(seen)) == body["numberMatched"]
    back = client.get(path(links(answer)["prev"])).json()
    assert back["features"][0]["id"] == seen[-len(answer.json()["features"]) - 100]


@pytest.mark.parametrize(
    "asked, status",
    [
        ("/api/ogc/collections/play-areas/items?bbox=1,2,3", 400),
        ("/api/ogc/collections/play-areas/items?bbox=0,0,1,1&bbox=0,0,2,2", 400),
        ("/api/ogc/collections/play-areas/items?limit=-5", 400),
        ("/api/ogc/collections/play-areas/items?colour=red", 400),
        ("/api/ogc/collections/play-areas/items?f=html", 400),
        ("/api/ogc/collections?f=xml", 400),
        ("/api/ogc/collections/initiatives/items?datetime=soon", 400),
        ("/api/ogc/collections/users", 404),
        ("/api/ogc/collections/users/items", 404),
        ("/api/ogc/collections/play-areas/items/0", 404),
        ("/api/ogc/collections/play-areas/items/abc", 404),
    ],
)
def test_errors_are_problem_details_in_words(client, asked, status):
    answer = client.get(asked)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == status and problem["detail"] and "Traceback" not in answer.text


def test_a_private_proposal_reads_like_a_missing_one(client):
    draft = store().value("SELECT min(id) FROM initiatives WHERE status = 'draft'")
    hidden = client.get(f"/api/ogc/collections/initiatives/items/{draft}")
    missing = client.get("/api/ogc/collections/initiatives/items/99999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(str(draft), "N") == missing.json()["detail"].replace(
        "99999", "N"
    )


def test_no_response_of_the_api_holds_a_private_value(client):
    made = plant(store())
    emails = [row[0] for row in store().rows("SELECT email FROM users WHERE email IS NOT NULL")]
    logins = [row[0] for row in store().rows("SELECT login FROM users")]
    bodies = [client.get(p).text for p in ("/api/ogc", "/api/ogc/conformance", "/api/ogc/api")]
    collections = client.get("/api/ogc/collections")
    bodies.append(collections.text)
    for collection in collections.json()["collections"]:
        answer = client.get(f"/api/ogc/collections/{collection['id']}/items?limit=40")
        bodies.append(answer.text)
        while "next" in links(answer):
            answer = client.get(path(links(answer)["next"]))
            bodies.append(answer.text)
        for number in range(1, 40):  # every id the demo has used, public or not
            bodies.append(
                client.get(f"/api/ogc/collections/{collection['id']}/items/{number}").text
            )
    written = "\n".join(bodies)
    assert "Play day 1" in written and "The slide is broken" in written  # public ones are there
    for private in (*made.private, *emails, *logins):
        assert private not in written, private


def test_a_configured_site_may_read_the_api_from_its_own_pages(database, monkeypatch):
    """A council's own web page (an embedded map) reads the features across origins only
    when ``SAFEPLAY_API_CORS_ORIGINS`` names it; any other site gets no CORS header."""
    monkeypatch.setenv("SAFEPLAY_API_CORS_ORIGINS", "https://council.example")
    app = Starlette(routes=ogc_routes.routes(), middleware=api_cors.middleware())
    with TestClient(app, base_url="https://gis.example") as opened:
        items = "/api/ogc/collections/wards/items"
        allowed = opened.get(items, headers={"Origin": "https://council.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://council.example"
        other = opened.get(items, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_one_address_asking_too_often_is_told_to_wait(client, monkeypatch):
    monkeypatch.setitem(rate_limits.LIMITS, "api", rate_limits.Limit(3, 2, timedelta(minutes=1)))
    for _ in range(2):
        assert client.get("/api/ogc/collections").status_code == 200
    refused = client.get("/api/ogc/collections")
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) > 0


def test_a_key_is_optional_but_a_wrong_or_revoked_one_is_refused(client):
    reader = api_keys.issue_key(store(), COMMAND_LINE, "QGIS desk", ["read"], utc_now())[1]
    writer_id, writer = api_keys.issue_key(store(), COMMAND_LINE, "Reports", ["write"], utc_now())
    items = "/api/ogc/collections/play-areas/items?limit=2"
    assert client.get(items).status_code == 200  # public data: no key needed
    kept = client.get(items, headers={"X-API-Key": reader})
    assert kept.status_code == 200
    assert reader not in kept.text  # the paging links do not repeat the key
    assert client.get(f"{items}&api_key={reader}").status_code == 200
    wrong = client.get(items, headers={"X-API-Key": "sp_" + "x" * 40})
    assert wrong.status_code == 401
    assert wrong.headers["content-type"].startswith("application/problem+json")
    assert "not valid" in wrong.json()["detail"]
    assert client.get(items, headers={"X-API-Key": writer}).status_code == 403  # no read scope
    api_keys.revoke_key(store(), COMMAND_LINE, writer_id, utc_now())
    assert client.get(f"{items}&api_key={writer}").status_code == 401


def test_a_key_counts_against_its_own_limit_not_its_address(client, monkeypatch):
    monkeypatch.setitem(rate_limits.LIMITS, "api", rate_limits.Limit(3, 2, timedelta(minutes=1)))
    reader = api_keys.issue_key(store(), COMMAND_LINE, "QGIS desk", ["read"], utc_now())[1]
    for _ in range(2):
        assert client.get("/api/ogc/collections").status_code == 200
    assert client.get("/api/ogc/collections").status_code == 429  # the address is spent
    assert client.get("/api/ogc/collections", headers={"X-API-Key": reader}).status_code == 200
