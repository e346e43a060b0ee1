"""The OpenAPI 3.1 document of the Open311 routes, served at ``/api/open311/v2/openapi.json``.

Partners generate clients and read the contract from it; a test validates it against the
OpenAPI schema and checks that it names exactly the routes ``ui/open311_routes.py`` serves,
so the two cannot drift apart. It is built from the same constants as the answers (the
formats, the scopes, the limits), not written out by hand twice.
"""

from __future__ import annotations

from typing import Any

from geo.accounts import api_keys
from geo.delivery import open311
from geo.safeguarding import concerns

PROBLEM = {"$ref": "#/components/responses/Problem"}
ERRORS = {"$ref": "#/components/responses/Errors"}
FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(open311.FORMATS)},
}
REQUESTS = {"$ref": "#/components/responses/ServiceRequests"}


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _listed(schema: str) -> dict[str, Any]:
    """A JSON array of ``schema``; the XML form has the same fields as elements."""
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {
        "content": {
            "application/json": {"schema": {"type": "array", "items": ref}},
            "text/xml": {"schema": {"type": "string"}},
        }
    }


def document(base: str) -> dict[str, Any]:
    """The document, with ``base`` (``/api/open311/v2``) as its paths' prefix."""
    codes = list(concerns.CATEGORIES)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SafePlay Open311 GeoReport v2",
            "version": "2",
            "description": "Concern reports at play areas (docs/open311.md).",
        },
        "paths": {
            f"{base}/services.{{format}}": {
                "get": {
                    "summary": "The kinds of concern",
                    "parameters": [FORMAT],
                    "responses": {
                        "200": {"description": "Services", **_listed("Service")},
                        "403": ERRORS,
                        "404": PROBLEM,
                        "429": PROBLEM,
                    },
                }
            },
            f"{base}/requests.{{format}}": {
                "get": {
                    "summary": "Reports, newest first (public fields only)",
                    "parameters": [
                        FORMAT,
                        _query("service_request_id", "numbers, comma-separated"),
                        _query("service_code", "codes, comma-separated"),
                        _query("status", "open, closed or open,closed"),
                        _query("start_date", "reported at or after", format="date-time"),
                        _query("end_date", "reported at or before", format="date-time"),
                        _query(
                            "limit",
                            "how many",
                            type="integer",
                            minimum=1,
                            maximum=open311.MAX_LIMIT,
                            default=open311.DEFAULT_LIMIT,
                        ),
                    ],
                    "responses": {"200": REQUESTS, "400": ERRORS, "403": ERRORS, "429": PROBLEM},
                },
                "post": {
                    "summary": "File a report (a key that may write)",
                    "parameters": [
                        FORMAT,
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "maxLength": open311.MAX_TOKEN},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"$ref": "#/components/schemas/NewRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {"description": "Filed", **_listed("Filed")},
                        "400": ERRORS,
                        "403": ERRORS,
                        "429": PROBLEM,
                    },
                },
            },
            f"{base}/requests/{{number}}.{{format}}": {
                "get": {
                    "summary": "One report",
                    "parameters": [
                        {
                            "name": "number",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        FORMAT,
                    ],
                    "responses": {"200": REQUESTS, "403": ERRORS, "404": ERRORS, "429": PROBLEM},
                }
            },
        },
        "components": {
            "schemas": {
                "Service": {
                    "type": "object",
                    "properties": {
                        "service_code": {"type": "string", "enum": codes},
                        "service_name": {"type": "string"},
                        "description": {"type": "string"},
                        "metadata": {"type": "boolean"},
                        "type": {"type": "string"},
                        "keywords": {"type": "string"},
                        "group": {"type": "string"},
                    },
                },
                "ServiceRequest": {
                    "type": "object",
                    "properties": {
                        "service_request_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["open", "closed"]},
                        "status_notes": _text("the council's latest public note"),
                        "service_name": {"type": "string"},
                        "service_code": {"type": "string", "enum": codes},
                        "description": _text("the category: the reporter's words stay private"),
                        "agency_responsible": {"type": "string"},
                        "service_notice": _text("SafePlay's own status in words"),
                        "requested_datetime": {"type": "string", "format": "date-time"},
                        "updated_datetime": {"type": "string", "format": "date-time"},
                        "expected_datetime": {"type": "string"},
                        "address": _text("the play area's name"),
                        "address_id": _text("the play area's number"),
                        "zipcode": {"type": "string"},
                        "lat": {"type": "number"},
                        "long": {"type": "number"},
                        "media_url": {"type": "string"},
                    },
                },
                "NewRequest": {
                    "type": "object",
                    "required": ["service_code", "description"],
                    "properties": {
                        "api_key": _text(f"a key that may {api_keys.SCOPES['write'].lower()}"),
                        "service_code": {"type": "string", "enum": codes},
                        "description": {
                            "type": "string",
                            "minLength": 3,
                            "maxLength": concerns.MAX_TEXT,
                        },
                        "address_id": _text("the play area's number"),
                        "lat": {"type": "number"},
                        "long": {"type": "number"},
                        "token": {"type": "string", "maxLength": open311.MAX_TOKEN},
                    },
                },
                "Filed": {
                    "type": "object",
                    "properties": {
                        "service_request_id": {"type": "string"},
                        "service_notice": {"type": "string"},
                        "account_id": {"type": "string"},
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
                },
            },
            "responses": {
                "ServiceRequests": {"description": "Reports", **_listed("ServiceRequest")},
                "Errors": {"description": "An Open311 error list", **_listed("Error")},
                "Problem": {
                    "description": "RFC 9457 problem details (429 carries Retry-After)",
                    "content": {"application/problem+json": {"schema": {"type": "object"}}},
                },
            },
            "securitySchemes": {
                "api_key_header": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "api_key_query": {"type": "apiKey", "in": "query", "name": "api_key"},
            },
        },
    }
