"""Open311 GeoReport v2 under ``/api/open311/v2``: routes in the app's process (``server.py``).

What is read and written is ``geo/delivery/open311.py``'s; here are HTTP's parts: the
format from the path (``.json`` or ``.xml``), the API key (``api_key`` as the spec has it,
or an ``X-API-Key`` header so it stays out of logged addresses), the rate limit, and the
answers. Reading needs no key (it is public data; without one the limit is per address);
filing needs a key with the ``write`` scope. Errors the spec describes (a bad key, a bad
filter, an unknown request) are Open311 error lists in the request's format with the HTTP
status; everything else — an unknown format, a rate limit (429 with ``Retry-After``), a
database that does not answer — is a problem details document (``ui/problems.py``).
The page-load gate lets these through (more than one path segment, or not a GET). The
contract is ``openapi.json`` beside them (``ui/open311_openapi.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from geo.accounts import api_keys
from geo.accounts.rate_limits import client_address
from geo.accounts.sessions import utc_now
from geo.delivery import open311
from geo.errors import (
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    SafePlayError,
    TooManyAttempts,
)
from geo.ids import parse_id
from ui import open311_openapi
from ui.common import store
from ui.problems import from_error, problem

BASE = "/api/open311/v2"


def routes() -> list[Route]:
    return [
        Route(f"{BASE}/services.{{format}}", services, methods=["GET"]),
        Route(f"{BASE}/requests.{{format}}", requests, methods=["GET", "POST"]),
        Route(f"{BASE}/requests/{{number}}.{{format}}", one_request, methods=["GET"]),
        Route(f"{BASE}/openapi.json", openapi, methods=["GET"]),
    ]


async def openapi(_request: Request) -> Response:
    return JSONResponse(
        open311_openapi.document(BASE), media_type="application/vnd.oai.openapi+json"
    )


SERVICES = ("services", "service")
REQUESTS = ("service_requests", "request")
ERRORS = ("errors", "error")


async def services(request: Request) -> Response:
    return await _answer(request, "read", SERVICES, lambda _key, _form: open311.services())


async def requests(request: Request) -> Response:
    if request.method == "POST":
        return await _answer(
            request, "write", REQUESTS, lambda key, form: _file(request, key, form)
        )
    return await _answer(
        request,
        "read",
        REQUESTS,
        lambda _key, _form: open311.requests(store(), open311.Query.parse(request.query_params)),
    )


async def one_request(request: Request) -> Response:
    def read(_key: api_keys.ApiKey | None, _form: dict[str, str]) -> list[dict[str, Any]]:
        number = parse_id(request.path_params["number"])
        if number is None:
            raise NotFound("there is no such service request: its address ends in its number")
        return [open311.request(store(), number)]

    return await _answer(request, "read", REQUESTS, read)


def _file(request: Request, key: api_keys.ApiKey | None, form: dict[str, str]) -> list[dict]:
    if key is None:
        raise AuthenticationFailed("an api_key with the write scope is required to file a report")
    token = form.get("token") or request.headers.get("idempotency-key")
    try:
        number = open311.file_request(store(), key, form, token, _address(request), utc_now())
    except NotFound as missing:  # an unknown play area is a bad request, not a missing URL
        raise InvalidInput(str(missing)) from None
    return [
        {
            "service_request_id": str(number),
            "service_notice": "Sent to the council for the play area's ward.",
            "account_id": "",
        }
    ]


Work = Callable[[api_keys.ApiKey | None, dict[str, str]], list[dict[str, Any]]]


async def _answer(request: Request, scope: str, roots: tuple[str, str], work: Work) -> Response:
    """Check the format and the key, count the request, do ``work`` and write its rows in
    the format asked (``roots``: the XML's outer and item elements); errors as the
    module's docstring says."""
    fmt = request.path_params["format"]
    if fmt not in open311.FORMATS:
        return problem(404, "Not found", "Open311 answers in .json or .xml.")
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {name: str(value) for name, value in (await request.form()).items()}
    sent = form.get("api_key") or request.query_params.get("api_key")
    sent = sent or request.headers.get("x-api-key")
    try:
        rows = await run_in_threadpool(_work, request, scope, sent, form, work)
    except TooManyAttempts as busy:
        return from_error(busy)
    except (AuthenticationFailed, PermissionDenied) as refused:
        return _errors(fmt, 403, str(refused))
    except NotFound as missing:
        return _errors(fmt, 404, str(missing))
    except InvalidInput as wrong:
        return _errors(fmt, 400, str(wrong))
    except SafePlayError as error:  # the database not answering, and the like
        return problem(503, "Service unavailable", str(error))
    return _rows(fmt, rows, roots, 200)


def _work(
    request: Request, scope: str, sent: str | None, form: dict[str, str], work: Work
) -> list[dict[str, Any]]:
    now = utc_now()
    key = api_keys.authenticate(store(), sent, scope, now) if sent else None
    with api_keys.metered(store(), key, _address(request), now):
        return work(key, form)


def _errors(fmt: str, code: int, description: str) -> Response:
    words = f"{description[:1].upper()}{description[1:]}"
    return _rows(fmt, open311.errors(code, words), ERRORS, code)


def _rows(fmt: str, rows: list[dict[str, Any]], roots: tuple[str, str], status: int) -> Response:
    body = (
        open311.as_xml(*roots, rows)
        if fmt == "xml"
        else json.dumps(rows, ensure_ascii=False).encode("utf-8")
    )
    return Response(
        body,
        status_code=status,
        media_type=open311.FORMATS[fmt],
        headers={"Cache-Control": "no-store"},
    )


def _address(request: Request) -> str | None:
    return client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        int(os.environ.get("SAFEPLAY_TRUSTED_PROXIES", "0") or 0),
    )
