"""Headers every response of the app carries: defence in depth behind ``geo.escape``.

Should text ever slip past the Markdown boundary, the Content-Security-Policy still lets
the browser fetch images only from the app itself (and the configured base-tile server),
so a visitor's address — a child's included — is never handed to another host. Scripts
stay allowed inline because folium maps are inline scripts inside Streamlit's component
frame; that side is guarded by ``geo.escape.for_map`` and tested in Chromium. No other
site may frame a page (``frame-ancestors``) but the public map, whose route sends its
own, stricter policy, which this middleware then leaves alone.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from geo.mapping.maps import tiles_setting


def tile_origin() -> str:
    """The base-tile server images may come from ("" with ``SAFEPLAY_TILES=none``)."""
    tiles = tiles_setting()
    return tiles.origin if tiles else ""


def content_security_policy() -> str:
    tiles = tile_origin()
    directives = {
        "default-src": "'self'",
        "script-src": "'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"'self' data: blob: {tiles}".strip(),
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "frame-src": "'self' blob: data:",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        # Streamlit's components are frames of the app itself; no other site may frame
        # a page (only /map, which sets its own policy: ui/public_map_routes.py).
        "frame-ancestors": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeaders:
    """ASGI middleware adding the policy (and no-sniff, same-origin referrer) to responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": content_security_policy(),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
