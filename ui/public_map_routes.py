"""The fast public map at ``/map``: a plain page, its script and style, and its data.

Residents on phones and councils' own websites (in an ``<iframe>``) get a page that is
not Streamlit: HTML with no data in it, Leaflet from the app's own ``static/vendor``, and
one request for ``/map/data.json`` with the page's options (named in the page, so the
browser fetches it while it still reads Leaflet). These routes are public,
need no session and set no cookie (the page-load gate lets ``/map`` through: it is not a
signed-in page). The page carries its own Content-Security-Policy: scripts and styles
only from this app (no inline script at all), images only from the app and the base-tile
server, and frames allowed only to the origins of ``SAFEPLAY_EMBED_ORIGINS`` (``*`` by
default) — every other route keeps refusing to be framed (``ui/security_headers.py``).

The page is in the language of its ``lang`` option (English for one it does not speak: the
data route then answers the problem that says so), and so is every word of its data.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from geo import i18n
from geo.errors import InvalidInput, SafePlayError
from geo.i18n import N_, t
from geo.mapping import public_map
from geo.mapping.assets import url as asset_url
from geo.mapping.explore import explore
from geo.mapping.maps import Tiles, tiles_setting
from geo.registry import areas
from ui.common import store
from ui.problems import from_error
from ui.security_headers import tile_origin

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "public_map.js"
STYLE = HERE / "public_map.css"
# The page and its files change only with a release; the data with every decision.
PAGE_CACHE = "public, max-age=300"
DATA_CACHE = "public, max-age=30"
_ORIGIN = re.compile(r"\*|https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")
OPTIONS = ("ward", "kinds", "lang")  # what a link or an embed may say (docs/public-map.md)
GZIP_ABOVE = 1_000  # bytes: a smaller answer is not worth compressing


class EmbedOriginsInvalid(SafePlayError):
    """``SAFEPLAY_EMBED_ORIGINS`` names something that is not a web origin."""


def embed_origins() -> str:
    """Who may frame ``/map``: ``SAFEPLAY_EMBED_ORIGINS`` (space- or comma-separated
    origins such as ``https://www.council.example``), ``*`` when unset. Anything else is
    refused at start, since a stray ``;`` would add a directive to the policy."""
    written = os.environ.get("SAFEPLAY_EMBED_ORIGINS", "*").replace(",", " ").split()
    bad = [origin for origin in written if not _ORIGIN.fullmatch(origin)]
    if bad or not written:
        raise EmbedOriginsInvalid(
            "SAFEPLAY_EMBED_ORIGINS must be * or web origins such as "
            f"https://www.council.example, not {bad[0][:40] if bad else 'nothing'!r}"
        )
    return " ".join(written)


def map_policy() -> str:
    """The page's own Content-Security-Policy: nothing inline, nothing from elsewhere but
    the base tiles, framing only by the configured sites."""
    directives = {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"'self' data: {tile_origin()}".strip(),
        "connect-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": embed_origins(),
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def routes() -> list[Route]:
    policy = map_policy()  # settings are read once, at start: a bad one stops the start
    tiles = tiles_setting()

    async def map_page(request: Request) -> Response:
        asked = request.query_params.get("lang", "")
        with i18n.speaking(asked if asked in public_map.LANGUAGES else i18n.DEFAULT):
            page = _page_html(tiles, _data_url(request))
        return HTMLResponse(page, headers=_headers(policy))

    async def script(_request: Request) -> Response:
        return FileResponse(SCRIPT, media_type="text/javascript", headers=_cache(PAGE_CACHE))

    async def style(_request: Request) -> Response:
        return FileResponse(STYLE, media_type="text/css", headers=_cache(PAGE_CACHE))

    return [
        Route("/map", map_page, methods=["GET", "HEAD"]),
        Route("/map/map.js", script, methods=["GET", "HEAD"]),
        Route("/map/map.css", style, methods=["GET", "HEAD"]),
        Route("/map/data.json", map_data, methods=["GET", "HEAD"]),
    ]


def _data_url(request: Request) -> str:
    """The data the page will ask for: its own options, passed on as they are (the data
    route checks them and answers a problem the page shows)."""
    asked = {name: request.query_params.get(name, "") for name in OPTIONS}
    kept = {name: value[: public_map.MAX_OPTION_LENGTH] for name, value in asked.items() if value}
    return f"/map/data.json{'?' + urlencode(kept) if kept else ''}"


async def map_data(request: Request) -> Response:
    """The public features for the page's options, as compact (and gzipped) GeoJSON."""
    db = store()
    version = await run_in_threadpool(db.data_version)
    try:
        wards = await run_in_threadpool(areas.list_areas, db, "ward")
        options = public_map.read_options(dict(request.query_params), set(wards["id"]))
    except InvalidInput as refused:
        return from_error(refused)
    plain, packed = await run_in_threadpool(_encoded, db.location, version, options)
    headers = {**_cache(DATA_CACHE), "Vary": "Accept-Encoding"}
    if packed is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(packed, media_type="application/geo+json", headers=headers)
    return Response(plain, media_type="application/geo+json", headers=headers)


@lru_cache(maxsize=64)
def _encoded(
    location: str, data_version: int, options: public_map.MapOptions
) -> tuple[bytes, bytes | None]:
    """The answer as sent and gzipped, kept until a write moves the data version: every
    resident opening an embedded map asks the same question, and simplifying detailed
    ward outlines costs a few tenths of a second."""
    del location, data_version  # cache key only, as on the Explore page
    view = explore(store(), options.filters(), options.zoom)
    payload = public_map.payload(view, options.ward_ids, options.lang)
    plain = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    packed = gzip.compress(plain, compresslevel=6) if len(plain) > GZIP_ABOVE else None
    return plain, packed


def _page_html(tiles: Tiles | None, data_url: str) -> str:
    """The page, in the reader's language: no data in it, only where the data is, which
    the browser starts fetching (``preload``) while it still reads Leaflet."""
    # Our words, escaped for text and for the double-quoted attributes alike (an
    # apostrophe stays one: nothing here is single-quoted).
    words = {
        name: escape(t(message), quote=False).replace('"', "&quot;")
        for name, message in {
            "title": N_("Play areas · SafePlay"),
            "region": N_("Map of play areas and initiatives"),
            "failed": N_("The map could not load."),
            "loading": N_("Loading the map…"),
            "as_list": N_("The map's content also as a list"),
            "needs_script": N_("The map needs JavaScript."),
            "open_app": N_("Open SafePlay to browse the same play areas."),
        }.items()
    }
    home = f"/?lang={i18n.current()}" if i18n.current() != i18n.DEFAULT else "/"
    tile_data = (
        f' data-tiles="{escape(tiles.url)}" data-attribution="{escape(tiles.attribution)}"'
        if tiles
        else ""
    )
    return f"""<!doctype html>
<html lang="{i18n.html_lang()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{words["title"]}</title>
<link rel="icon" href="data:,">
<link rel="preload" href="{escape(data_url)}" as="fetch" crossorigin="anonymous">
<link rel="stylesheet" href="{asset_url("leaflet_css")}">
<link rel="stylesheet" href="/map/map.css">
<script src="{asset_url("leaflet")}" defer></script>
<script src="/map/map.js" defer></script>
</head>
<body>
<main>
<div id="map" role="region" aria-label="{words["region"]}"
 data-source="{escape(data_url)}" data-failed="{words["failed"]}"{tile_data}></div>
<p id="status" role="status" aria-live="polite">{words["loading"]}</p>
<section id="facts" aria-live="polite" hidden></section>
<details id="list-box">
<summary>{words["as_list"]}</summary>
<ul id="list"></ul>
</details>
</main>
<noscript><p>{words["needs_script"]}
<a href="{escape(home)}" target="_blank">{words["open_app"]}</a></p></noscript>
</body>
</html>
"""


def _headers(policy: str) -> dict[str, str]:
    return {"Content-Security-Policy": policy, **_cache(PAGE_CACHE)}


def _cache(value: str) -> dict[str, str]:
    return {"Cache-Control": value}
