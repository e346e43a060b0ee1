"""The Atom feeds served beside the Streamlit app: the council, an area, an initiative.

A feed reader fetches a URL and understands HTTP, not a WebSocket, so these are Starlette
routes in the app's process (``server.py``), like the sign-in forms. They are public, need
no session and set no cookie; the page-load gate lets them through (their paths have two
segments). Readers poll often: each answer carries an ETag built from the store's data
version, and a reader sending it back in ``If-None-Match`` gets ``304 Not Modified``
before anything is read but the feed's subject. An unknown area and an unknown or
non-public initiative get the same plain ``404``, so a feed never tells that a draft exists.

``?lang=cy`` (any language SafePlay speaks) writes the feed in that language, with
``xml:lang`` saying so; without it a feed is English, whatever the reader's browser says,
so one address always gives the same document.
"""

from __future__ import annotations

import os

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from geo import i18n
from geo.delivery import feeds
from geo.errors import NotFound
from geo.i18n import N_, t
from geo.ids import parse_id
from geo.notify.links import public_url
from geo.wording import sentence
from ui.common import store
from ui.session_routes import over_https

# Readers may keep a feed a minute without asking; after that they ask with the ETag.
CACHE_CONTROL = "public, max-age=60"
_NO_SUCH = {
    "area": N_("There is no such area: a feed's address ends in its number."),
    "initiative": N_("There is no such initiative: a feed's address ends in its number."),
}


def routes() -> list[Route]:
    return [
        Route("/feeds/council.atom", council_feed, methods=["GET", "HEAD"]),
        Route("/feeds/areas/{number}.atom", area_feed, methods=["GET", "HEAD"]),
        Route("/feeds/initiatives/{number}.atom", initiative_feed, methods=["GET", "HEAD"]),
    ]


async def council_feed(request: Request) -> Response:
    return await _serve(request, "council", None)


async def area_feed(request: Request) -> Response:
    return await _serve(request, "area", request.path_params["number"])


async def initiative_feed(request: Request) -> Response:
    return await _serve(request, "initiative", request.path_params["number"])


async def _serve(request: Request, kind: feeds.Kind, written: str | None) -> Response:
    # The thread pool runs each call in a copy of this context: it reads in this language.
    with i18n.speaking(request.query_params.get("lang")):
        return await _answer(request, kind, written)


async def _answer(request: Request, kind: feeds.Kind, written: str | None) -> Response:
    number = parse_id(written) if written is not None else None
    if written is not None and number is None:
        return _not_found(t(_NO_SUCH[kind]))
    base = base_url(request)
    db = store()
    try:
        about = await run_in_threadpool(feeds.subject, db, kind, number)
    except NotFound as missing:
        return _not_found(sentence(str(missing)))
    etag = await run_in_threadpool(feeds.version_tag, db, about, base)
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "Content-Language": i18n.html_lang(),
    }
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    body = await run_in_threadpool(lambda: feeds.atom(about, feeds.entries(db, about), base))
    return Response(body, media_type=feeds.CONTENT_TYPE, headers=headers)


def base_url(request: Request) -> str:
    """Where links in a feed or an API answer point: ``SAFEPLAY_PUBLIC_URL`` when it is set
    (so entry ids stay the same whichever host a reader used), else the address asked at,
    https when a proxy says so (its host is in the ETag, so a cache never serves one
    host's links for another)."""
    if os.environ.get("SAFEPLAY_PUBLIC_URL"):
        return public_url() + "/"
    url = request.base_url
    return str(url.replace(scheme="https") if over_https(request) else url)


def _matches(sent: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names this version (a list, weak tags and ``*`` included)."""
    if not sent:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    return "*" in tags or etag in tags


def _not_found(message: str) -> Response:
    return PlainTextResponse(message, status_code=404, headers={"Cache-Control": "no-store"})
