"""Every response of every public route other software reads — OGC API – Features, Open311,
the public map's data and the Atom feeds — fetched for the demo town with private records
planted, and none of those records' values found in any of them: drafts and withdrawn
proposals, voice originals, the words of a concern report, who reported it, e-mail
addresses and logins. The crawl follows every collection's paging links and opens every
feature, request and feed by its number, so a new route or collection is covered when it
is linked."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from geo.accounts import rate_limits
from geo.safeguarding import concerns
from tests.ogc_data import plant
from ui import feed_routes, ogc_routes, open311_routes, public_map_routes
from ui.common import store
from ui.security_headers import SecurityHeaders
from ui.session_routes import middleware, routes

JSON_TYPES = ("application/json", "application/geo+json")
REPORT_WORDS = "Broken gate, ring Sam Reporter on 07700 900456"


@pytest.fixture
def client(database, monkeypatch):
    monkeypatch.setitem(
        rate_limits.LIMITS, "api", rate_limits.Limit(100_000, 100_000, timedelta(minutes=1))
    )
    app = Starlette(
        routes=[
            *routes(),
            *feed_routes.routes(),
            *ogc_routes.routes(),
            *open311_routes.routes(),
            *public_map_routes.routes(),
        ],
        middleware=[Middleware(SecurityHeaders), *middleware()],
    )
    with TestClient(app, base_url="https://api.example", follow_redirects=False) as opened:
        yield opened


def private_values() -> tuple[str, ...]:
    """Plant the private records and return every value that must stay private."""
    db = store()
    planted = plant(db)
    place = db.value("SELECT min(id) FROM places")
    concerns.report_concern(db, int(place), "broken_equipment", REPORT_WORDS, datetime.now())
    logins = tuple(login for (login,) in db.rows("SELECT login FROM users"))
    return (*planted.private, REPORT_WORDS, "07700", "Sam Reporter", *logins)


def crawl(client: TestClient) -> dict[str, str]:
    """Every response body reachable from the public routes, by address."""
    seen: dict[str, str] = {}
    queue = ["/api/ogc", "/api/ogc/collections", "/api/ogc/api", "/api/ogc/conformance"]
    queue += [
        f"/api/open311/v2/{what}.{fmt}"
        for what in ("services", "requests", "openapi")
        for fmt in ("json", "xml")
        if not (what == "openapi" and fmt == "xml")
    ]
    queue += ["/map", "/map/data.json", "/feeds/council.atom"]
    db = store()
    queue += [f"/feeds/areas/{n}.atom" for (n,) in db.rows("SELECT id FROM areas")]
    queue += [f"/feeds/initiatives/{n}.atom" for (n,) in db.rows("SELECT id FROM initiatives")]
    queue += [f"/api/open311/v2/requests/{n}.json" for (n,) in db.rows("SELECT id FROM concerns")]
    while queue:
        address = queue.pop()
        if address in seen:
            continue
        answer = client.get(address)
        seen[address] = answer.text
        if answer.headers.get("content-type", "").startswith(JSON_TYPES):
            document = answer.json()
            queue += [link for link in _links(document) if link not in seen]
            path = urlsplit(address).path
            if path.endswith("/items"):  # open every feature by its own address too
                queue += [f"{path}/{feature['id']}" for feature in document["features"]]
    return seen


def _links(document: object) -> list[str]:
    """The app's own addresses a JSON document links to (OGC's ``links``, features' ids)."""
    found = []
    if isinstance(document, dict):
        for link in document.get("links", []) if isinstance(document.get("links"), list) else []:
            href = urlsplit(str(link.get("href", "")))
            if href.netloc == "api.example" and href.path.startswith("/api/ogc"):
                found.append(href.path + (f"?{href.query}" if href.query else ""))
        for value in document.values():
            found += _links(value)
    elif isinstance(document, list):
        for value in document:
            found += _links(value)
    return found


def test_no_private_value_reaches_any_api_response(client):
    private = private_values()
    seen = crawl(client)
    assert any("/items/" in address for address in seen)  # features opened one by one
    assert any(address.startswith("/feeds/initiatives/") for address in seen)
    leaks = [
        (address, value)
        for address, body in seen.items()
        for value in private
        if value.lower() in body.lower()
    ]
    assert not leaks, leaks
    assert len(seen) > 100
