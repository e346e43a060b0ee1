"""The feed routes over plain HTTP, behind the same middleware as server.py."""

import re

import feedparser
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from geo.delivery import feeds
from geo.permissions import VISITOR
from tests.app.conftest import open_page, person
from ui import feed_routes
from ui.common import store
from ui.security_headers import SecurityHeaders
from ui.session_routes import middleware, routes


@pytest.fixture
def client(database):
    app = Starlette(
        routes=[*routes(), *feed_routes.routes()],
        middleware=[Middleware(SecurityHeaders), *middleware()],
    )
    app.add_route("/{page}", lambda request: PlainTextResponse("the app"))
    with TestClient(app, base_url="https://news.example", follow_redirects=False) as opened:
        yield opened


def initiative_with(status: str) -> int:
    return store().value("SELECT min(id) FROM initiatives WHERE status = ?", [status])


def area_id() -> int:
    return store().value("SELECT min(id) FROM areas WHERE level = 'ward'")


def test_each_feed_is_atom_signed_out_with_links_at_the_address_asked(client):
    for path in (
        "/feeds/council.atom",
        f"/feeds/areas/{area_id()}.atom",
        f"/feeds/initiatives/{initiative_with('in_progress')}.atom",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert "set-cookie" not in answer.headers  # the gate neither redirects nor clears
        assert answer.headers["content-security-policy"]
        assert answer.headers["cache-control"] == "public, max-age=60"
        read = feedparser.parse(answer.content)
        assert not read.bozo and read.entries, path
        assert read.feed.links[0].href == f"https://news.example{path}"
        assert all(entry.link.startswith("https://news.example/") for entry in read.entries)


def test_a_reader_asking_again_gets_304_until_something_changes(client):
    first = client.get("/feeds/council.atom")
    etag = first.headers["etag"]
    again = client.get("/feeds/council.atom", headers={"If-None-Match": f'"other", {etag}'})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get("/feeds/council.atom", headers={"If-None-Match": "*"}).status_code == 304
    other = client.get(f"/feeds/areas/{area_id()}.atom", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another feed's tag is not this one's
    with store().write() as cursor:
        cursor.execute("UPDATE checkins SET happened = 'Swings repainted.' WHERE id = 1")
    moved = client.get("/feeds/council.atom", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag
    assert b"Swings repainted." in moved.content


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_a_private_proposal_has_no_feed_and_says_the_same_as_a_missing_one(client, status):
    hidden = client.get(f"/feeds/initiatives/{initiative_with(status)}.atom")
    missing = client.get("/feeds/initiatives/99999.atom")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(str(initiative_with(status)), "N") == missing.text.replace(
        "99999", "N"
    )
    assert hidden.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "path", ["/feeds/areas/abc.atom", "/feeds/areas/0.atom", f"/feeds/areas/{'9' * 500}.atom"]
)
def test_an_area_number_that_cannot_be_one_is_not_found(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert "9999999999" not in answer.text


def test_pages_link_to_the_feed_addresses_the_routes_serve(client):
    assert client.get(feeds.address("council")).status_code == 200
    assert client.get(feeds.address("area", area_id())).status_code == 200


def feed_links(at) -> list[str]:
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return [found for text in shown for found in re.findall(r"\]\((/feeds/[^)]+)\)", text)]


def test_the_pages_offer_feeds_where_people_look(client):
    wards = feed_links(open_page(person("olu@demo.example"), "app_pages/wards.py"))
    assert wards[0] == "/feeds/council.atom" and len(wards) == 15  # the council and 14 wards
    assert all(client.get(path).status_code == 200 for path in wards)
    assert feed_links(open_page(VISITOR, "app_pages/newsletter.py")) == ["/feeds/council.atom"]
    public = initiative_with("submitted")
    shown = open_page(VISITOR, "app_pages/proposals.py", id=str(public))
    assert feed_links(shown) == [f"/feeds/initiatives/{public}.atom"]


def test_behind_an_https_proxy_the_links_are_https(database):
    app = Starlette(routes=feed_routes.routes())
    with TestClient(app, base_url="http://news.example") as plain:
        answer = plain.get("/feeds/council.atom", headers={"x-forwarded-proto": "https"})
    assert b'href="https://news.example/feeds/council.atom"' in answer.content
