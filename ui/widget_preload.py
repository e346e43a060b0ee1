"""A ``Link`` header that has the browser fetch the scripts of the Explore page's widgets
while it reads Streamlit's own, rather than one after another once the page is drawn.

Streamlit loads each kind of widget's script only when a page first shows one, and each
script then asks for the ones it imports: on a first visit to Explore that was a chain of
about 40 small files (the lists to choose from, the slider, the switches, the figures),
fetched after the page's data had arrived, and the map's frame was not started until the
chain ended — the largest part of what made Explore slower than a Streamlit page holding
only the same map (bench/README.md, public map). Named in the first response, the files
arrive together with Streamlit's scripts and are read from the cache when asked for.

The list is read at start-up from the installed Streamlit (its files carry a hash in their
names that changes with every release), following each widget script's static imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import streamlit
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.config import get_option

STATIC = Path(streamlit.__file__).parent / "static"
# The widgets Explore (the page everyone lands on) draws at once, as Streamlit names their
# scripts; a name a later Streamlit no longer has is skipped. Its filters (lists, slider,
# radio) wait in a popover the browser draws only when opened: fetched early they would
# only compete with Streamlit's own scripts for the connections.
WIDGETS = ("Selectbox", "Checkbox", "Metric")
# Neither the app's own pages (the public map keeps to its 250 kB) nor a component's frame.
NOT_FOR = ("/map", "/api/", "/component/")
STATIC_IMPORT = re.compile(r'(?:from|import)\s*"\./([\w.-]+\.js)"')
LOADED_BY_PAGE = re.compile(r'"\./static/js/([\w.-]+\.js)"')


def widget_scripts(static: Path = STATIC, widgets: Iterable[str] = WIDGETS) -> list[str]:
    """The widgets' scripts and every script they import, less those Streamlit's page
    already names (its entry script and its own preloads), sorted."""
    folder = static / "static" / "js"
    wanted = [path.name for name in widgets for path in sorted(folder.glob(f"{name}.*.js"))]
    found: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in found or not (folder / name).is_file():
            continue
        found.add(name)
        wanted.extend(STATIC_IMPORT.findall((folder / name).read_text(encoding="utf-8")))
    index = static / "index.html"
    page = index.read_text(encoding="utf-8") if index.is_file() else ""
    return sorted(found - set(LOADED_BY_PAGE.findall(page)))


def link_header(scripts: Iterable[str], base: str = "") -> str:
    """``scripts`` as one ``Link`` header value (module preloads under ``base``)."""
    prefix = f"/{base.strip('/')}" if base.strip("/") else ""
    return ", ".join(f"<{prefix}/static/js/{name}>; rel=modulepreload" for name in scripts)


class PreloadWidgets:
    """ASGI middleware adding the widgets' ``Link`` header to the pages Streamlit serves."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.link = link_header(widget_scripts(), str(get_option("server.baseUrlPath") or ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not self.link or path.startswith(NOT_FOR):
            await self.app(scope, receive, send)
            return

        async def send_with_link(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.append("Link", self.link)
            await send(message)

        await self.app(scope, receive, send_with_link)
