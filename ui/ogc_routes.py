"""OGC API – Features under ``/api/ogc``: the public data for QGIS, ArcGIS, GDAL and OWSLib.

A GIS client speaks HTTP and JSON, not Streamlit's WebSocket, so these are Starlette routes
in the app's process (``server.py``), reading the same store as the pages. They are public,
need no session and set no cookie (the page-load gate lets paths of two or more segments
through). What each collection holds and which rows it keeps out is ``geo.delivery.ogc``;
here are the documents of the standard around it — landing page, conformance, the OpenAPI
description, collections — and their links. Every error is an RFC 9457 problem
(``ui.problems``); an unknown collection or feature and a private one read the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from geo.accounts import api_keys
from geo.accounts.sessions import utc_now
from geo.delivery import ogc
from geo.errors import (
    AuthenticationFailed,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from geo.storage.db import Store
from ui.common import store
from ui.feed_routes import base_url
from ui.problems import from_error, problem
from ui.session_routes import request_address

PREFIX = "/api/ogc"
JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CACHE_CONTROL = "public, max-age=60"
KEY_PARAMETER = "api_key"
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
)


def routes() -> list[Route]:
    return [
        Route(PREFIX, landing, methods=["GET", "HEAD"]),
        Route(f"{PREFIX}/", landing, methods=["GET", "HEAD"]),
        Route(f"{PREFIX}/conformance", conformance, methods=["GET", "HEAD"]),
        Route(f"{PREFIX}/api", api, methods=["GET", "HEAD"]),
        Route(f"{PREFIX}/collections", collections, methods=["GET", "HEAD"]),
        Route(f"{PREFIX}/collections/{{cid}}", one_collection, methods=["GET", "HEAD"]),
        Route(f"{PREFIX}/collections/{{cid}}/items", items, methods=["GET", "HEAD"]),
        Route(f"{PREFIX}/collections/{{cid}}/items/{{fid}}", one_item, methods=["GET", "HEAD"]),
    ]


def _root(request: Request) -> str:
    return base_url(request).rstrip("/") + PREFIX


def _link(href: str, rel: str, kind: str = JSON, title: str | None = None) -> dict[str, str]:
    found = {"href": href, "rel": rel, "type": kind}
    if title:
        found["title"] = title
    return found


async def _answer(
    request: Request, build: Callable[[], dict[str, Any]], kind: str = JSON
) -> Response:
    """Run ``build`` off the event loop and send its document, or the problem it raised.
    ``f`` may only ask for JSON on every route (the items' own parameters are checked in
    ``ogc.read_query``). The data are public and need no key; a request that sends one
    (``X-API-Key`` or ``api_key``, as Open311 takes it) counts against that key's limit,
    and a wrong or revoked key is refused as on Open311, so a partner learns at once that
    theirs no longer works instead of being counted as an anonymous address. Keyless
    requests count against their address (``api_keys.metered``)."""
    address = request_address(request)
    sent = request.headers.get("x-api-key") or request.query_params.get(KEY_PARAMETER)

    def metered() -> dict[str, Any]:
        now = utc_now()
        key = api_keys.authenticate(store(), sent, "read", now) if sent else None
        with api_keys.metered(store(), key, address, now):
            return build()

    try:
        if request.query_params.get("f", "json") != "json":
            raise InvalidInput("this API answers in JSON only: leave out f or use f=json")
        body = await run_in_threadpool(metered)
    except AuthenticationFailed as refused:
        return problem(401, "Unauthorized", str(refused))
    except (InvalidInput, NotFound, PermissionDenied, TooManyAttempts) as refused:
        return from_error(refused)
    except DatabaseUnavailable as down:
        return problem(503, "Service unavailable", str(down))
    headers = {"Cache-Control": CACHE_CONTROL}
    return JSONResponse(body, media_type=kind, headers=headers)


def _query(request: Request) -> list[tuple[str, str]]:
    """The request's parameters less the key: it is not a filter, and the paging links of
    a response must not repeat a secret."""
    return [(k, v) for k, v in request.query_params.multi_items() if k != KEY_PARAMETER]


async def landing(request: Request) -> Response:
    root = _root(request)
    return await _answer(
        request,
        lambda: {
            "title": "SafePlay",
            "description": "Public play areas, initiatives, boundaries, events and voices "
            "of this council, as OGC API – Features (GeoJSON).",
            "links": [
                _link(root, "self", title="This document"),
                _link(f"{root}/api", "service-desc", OPENAPI, "The API definition"),
                _link(f"{root}/conformance", "conformance", title="Conformance classes"),
                _link(f"{root}/collections", "data", title="Collections"),
            ],
        },
    )


async def conformance(request: Request) -> Response:
    return await _answer(request, lambda: {"conformsTo": list(CONFORMANCE)})


async def api(request: Request) -> Response:
    root = _root(request)
    return await _answer(request, lambda: _openapi(root, ogc.collections(store())), OPENAPI)


async def collections(request: Request) -> Response:
    root = _root(request)

    def build() -> dict[str, Any]:
        db = store()
        return {
            "links": [_link(f"{root}/collections", "self")],
            "collections": [_describe(db, root, about) for about in ogc.collections(db)],
        }

    return await _answer(request, build)


async def one_collection(request: Request) -> Response:
    root = _root(request)

    def build() -> dict[str, Any]:
        db = store()
        return _describe(db, root, ogc.collection(db, request.path_params["cid"]))

    return await _answer(request, build)


async def items(request: Request) -> Response:
    root = _root(request)

    def build() -> dict[str, Any]:
        db = store()
        about = ogc.collection(db, request.path_params["cid"])
        query = ogc.read_query(about, _query(request))
        page = ogc.items(db, about, query)
        here = f"{root}/collections/{about.id}/items"
        kept = [(k, v) for k, v in _query(request) if k != "offset"]

        def at(offset: int) -> str:
            return f"{here}?{urlencode([*kept, ('offset', str(offset))])}"

        links = [
            _link(at(query.offset), "self", GEOJSON),
            _link(f"{root}/collections/{about.id}", "collection"),
        ]
        if page.has_next:
            links.append(_link(at(query.offset + len(page.features)), "next", GEOJSON))
        if page.has_prev:
            links.append(_link(at(max(0, query.offset - query.limit)), "prev", GEOJSON))
        return {
            "type": "FeatureCollection",
            "features": page.features,
            "timeStamp": ogc.time_stamp(),
            "numberMatched": page.matched,
            "numberReturned": len(page.features),
            "links": links,
        }

    return await _answer(request, build, GEOJSON)


async def one_item(request: Request) -> Response:
    root = _root(request)

    def build() -> dict[str, Any]:
        db = store()
        about = ogc.collection(db, request.path_params["cid"])
        feature = ogc.item(db, about, request.path_params["fid"])
        here = f"{root}/collections/{about.id}"
        feature["links"] = [
            _link(f"{here}/items/{feature['id']}", "self", GEOJSON),
            _link(here, "collection"),
        ]
        return feature

    return await _answer(request, build, GEOJSON)


def _describe(db: Store, root: str, about: ogc.Collection) -> dict[str, Any]:
    here = f"{root}/collections/{about.id}"
    return {
        "id": about.id,
        "title": about.title,
        "description": about.description,
        "itemType": "feature",
        "crs": [ogc.CRS84],
        "extent": ogc.extent(db, about),
        "links": [
            _link(here, "self"),
            _link(f"{here}/items", "items", GEOJSON, f"{about.title} as GeoJSON"),
        ],
    }


def _openapi(root: str, every: list[ogc.Collection]) -> dict[str, Any]:
    """An OpenAPI 3.0 description of these routes, each collection's items with exactly the
    parameters it takes (GDAL reads the page size and the filters from it)."""

    def parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
            "style": "form",
            "explode": False,
        }

    common = {
        "f": parameter("f", "Only json.", {"type": "string", "enum": ["json"]}),
        "bbox": parameter(
            "bbox",
            "minx,miny,maxx,maxy in longitude and latitude (CRS84).",
            {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
        ),
        "limit": parameter(
            "limit",
            "Features per page.",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": ogc.MAX_LIMIT,
                "default": ogc.DEFAULT_LIMIT,
            },
        ),
        "offset": parameter("offset", "Features to skip.", {"type": "integer", "minimum": 0}),
        "datetime": parameter(
            "datetime",
            "An RFC 3339 instant or interval (start/end, '..' for an open end).",
            {"type": "string"},
        ),
    }
    feature_responses = {
        "200": {"description": "GeoJSON", "content": {GEOJSON: {}}},
        "400": {"description": "A parameter is wrong", "content": {"application/problem+json": {}}},
        "404": {"description": "No such thing", "content": {"application/problem+json": {}}},
    }

    def document(summary: str) -> dict[str, Any]:
        return {"get": {"summary": summary, "responses": {"200": {"description": summary}}}}

    paths: dict[str, Any] = {
        "/": document("Landing page"),
        "/conformance": document("Conformance classes"),
        "/api": document("This API definition"),
        "/collections": document("The collections"),
    }
    for about in every:
        filters = [
            parameter(
                name,
                f"Only features whose {name} is one of these (comma-separated).",
                {"type": "string"},
            )
            for name in about.filters
        ]
        paths[f"/collections/{about.id}"] = document(about.title)
        paths[f"/collections/{about.id}/items"] = {
            "get": {
                "summary": f"{about.title}: features",
                "operationId": f"get-{about.id}-items",
                "parameters": [
                    *(common[name] for name in ogc.COMMON_PARAMETERS),
                    *([common["datetime"]] if about.time else []),
                    *filters,
                ],
                "responses": feature_responses,
            }
        }
        paths[f"/collections/{about.id}/items/{{featureId}}"] = {
            "get": {
                "summary": f"{about.title}: one feature",
                "operationId": f"get-{about.id}-item",
                "parameters": [
                    {
                        "name": "featureId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": feature_responses,
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "SafePlay OGC API – Features", "version": "1.0.0"},
        "servers": [{"url": root}],
        "paths": paths,
        # Optional: the data are public; a key sent is checked and metered as its own.
        "security": [{}, {"api_key_header": []}, {"api_key_query": []}],
        "components": {
            "securitySchemes": {
                "api_key_header": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "api_key_query": {"type": "apiKey", "in": "query", "name": KEY_PARAMETER},
            }
        },
    }
