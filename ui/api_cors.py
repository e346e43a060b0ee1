"""CORS for the HTTP API only, and only for the origins a council configured.

A partner's web page calling ``/api/…`` from its own site needs the browser's permission
(``Access-Control-Allow-Origin``). ``SAFEPLAY_API_CORS_ORIGINS`` lists the origins allowed,
comma-separated (``https://fixmystreet.example,https://council.example``; ``*`` for any).
Unset, no response carries a CORS header: a browser then refuses other sites' scripts the
answers, which is the safe default. The app's own pages, feeds and sign-in forms never get
CORS headers, whatever is set. Starlette's ``CORSMiddleware`` does the protocol
(preflights included); this only decides where it applies.
"""

from __future__ import annotations

import os

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = "/api/"
ENV = "SAFEPLAY_API_CORS_ORIGINS"


def configured_origins() -> list[str]:
    """The origins in ``SAFEPLAY_API_CORS_ORIGINS`` (none when it is unset or empty)."""
    return [origin.strip() for origin in os.environ.get(ENV, "").split(",") if origin.strip()]


class ApiCors:
    """Starlette's CORS answer on the API's paths when origins are configured; elsewhere,
    or with none configured, the request passes by untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        origins = configured_origins()
        self.cors: ASGIApp | None = None
        if origins:
            self.cors = CORSMiddleware(
                app,
                allow_origins=origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Idempotency-Key", "X-API-Key"],
                expose_headers=["Retry-After"],
                max_age=600,
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.cors is not None
            and scope["type"] == "http"
            and scope["path"].startswith(API_PREFIX)
        ):
            await self.cors(scope, receive, send)
            return
        await self.app(scope, receive, send)


def middleware() -> list[Middleware]:
    return [Middleware(ApiCors)]
