"""Open311 GeoReport v2: concern reports as partner apps and FixMyStreet-style tools read them.

Services are the concern categories. The child-safety category is listed, with a
description that sends people to the safeguarding contact and the emergency number, rather
than left out: an app that shows the list then shows those words before anybody types, as
the page's own form does; a report filed in it anyway is refused with the same words
(``concerns.ChildSafetyConcern``) and nothing is stored.

A service request is what the public already reads on a place's page, and no more: the
category, the status (Open311's ``open``/``closed``: fixed and passed-on concerns are
closed), the council's public note, the dates, the play area's name and ward and its point
as the map shows it (the point on the play area's surface, rounded to about a metre: a
concern has no position of its own, so nothing about the reporter is in it). Never the
reporter's text (it stays with the council), nor who reported, nor the tracking hash, nor
which officer moved it. ``description`` is therefore the category's name.

Filing goes through ``concerns.report_concern`` — the same validation, redaction, ward
routing and child-safety branch as the page. The play area is Open311's ``address_id`` (its
number on SafePlay) or the play area nearest ``lat``/``long`` within ``NEAR_METRES``.
Contact fields (e-mail, names, phone) are ignored: SafePlay takes no contact details.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from geo.accounts.api_keys import ApiKey
from geo.accounts.rate_limits import Client
from geo.errors import InvalidInput, NotFound
from geo.escape import for_xml
from geo.ids import parse_id
from geo.safeguarding import concerns
from geo.storage.db import Store

Format = Literal["json", "xml"]
FORMATS: dict[str, str] = {
    "json": "application/json",
    "xml": "text/xml; charset=utf-8",
}
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
NEAR_METRES = 100
_ENVELOPE = 0.005  # degrees: wider than NEAR_METRES up to 70° north or south
MAX_TOKEN = 200
CHILD_SAFETY = "child_safety"
_GROUP = {CHILD_SAFETY: "Safeguarding"}


def services() -> list[dict[str, Any]]:
    """The service list: every concern category, the child-safety one with who to contact."""
    contact = concerns.safeguarding_contact()
    listed = []
    for code, name in concerns.CATEGORIES.items():
        description = f"A problem at a play area: {name.lower()}."
        if code == CHILD_SAFETY:
            description = (
                f"Not taken in here. If a child is in danger now, call {contact['emergency']}. "
                f"Otherwise contact {contact['contact']}."
            )
        listed.append(
            {
                "service_code": code,
                "service_name": name,
                "description": description,
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": _GROUP.get(code, "Play areas"),
            }
        )
    return listed


@dataclass(frozen=True)
class Query:
    """The filters of ``GET requests``, read and checked from the query string."""

    ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    limit: int = DEFAULT_LIMIT

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Query:
        """The filters in ``params``; ``InvalidInput`` names the one that cannot be read."""
        ids = []
        for written in _listed(params.get("service_request_id")):
            number = parse_id(written)
            if number is None:
                raise InvalidInput("service_request_id takes request numbers, comma-separated")
            ids.append(number)
        codes = _listed(params.get("service_code"))
        if any(code not in concerns.CATEGORIES for code in codes):
            raise InvalidInput("service_code must be one of the codes services lists")
        statuses = _listed(params.get("status"))
        if any(status not in ("open", "closed") for status in statuses):
            raise InvalidInput("status is open, closed or both (open,closed)")
        written_limit = params.get("limit")
        limit = DEFAULT_LIMIT
        if written_limit is not None:
            if not written_limit.isdecimal() or not 1 <= int(written_limit) <= MAX_LIMIT:
                raise InvalidInput(f"limit is a number from 1 to {MAX_LIMIT}")
            limit = int(written_limit)
        start, end = _moment(params, "start_date"), _moment(params, "end_date")
        if start and end and start > end:
            raise InvalidInput("start_date is after end_date")
        return cls(tuple(ids), tuple(codes), tuple(statuses), start, end, limit)


def _listed(written: str | None) -> list[str]:
    return [part.strip() for part in (written or "").split(",") if part.strip()]


def _moment(params: Mapping[str, str], name: str) -> datetime | None:
    """A W3C date-time as UTC without a zone (how the store keeps times); a time without
    a zone is taken as UTC."""
    written = params.get(name)
    if written is None:
        return None
    try:
        moment = datetime.fromisoformat(written.strip())
    except ValueError:
        raise InvalidInput(f"{name} is a date and time such as 2026-11-24T12:00:00Z") from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


# Only public columns are read: never c.text, c.reporter_id, c.tracking_hash.
_REQUESTS = (
    "SELECT c.id, c.category, c.status, c.public_note, c.created_at, c.updated_at, "
    "p.id AS place_id, p.name AS place, a.name AS ward, "
    "round(ST_X(ST_PointOnSurface(p.geom)), 5) AS lon, "
    "round(ST_Y(ST_PointOnSurface(p.geom)), 5) AS lat "
    "FROM concerns c JOIN places p ON p.id = c.place_id "
    "LEFT JOIN areas a ON a.id = c.area_id "
    "WHERE (len(CAST($ids AS INTEGER[])) = 0 OR list_contains(CAST($ids AS INTEGER[]), c.id)) "
    "AND (len(CAST($codes AS TEXT[])) = 0 OR list_contains(CAST($codes AS TEXT[]), c.category)) "
    "AND (len(CAST($states AS TEXT[])) = 0 OR list_contains(CAST($states AS TEXT[]), c.status)) "
    "AND (CAST($start AS TIMESTAMP) IS NULL OR c.created_at >= CAST($start AS TIMESTAMP)) "
    "AND (CAST($end AS TIMESTAMP) IS NULL OR c.created_at <= CAST($end AS TIMESTAMP)) "
    "ORDER BY c.created_at DESC, c.id DESC LIMIT $limit"
)


def requests(store: Store, query: Query) -> list[dict[str, Any]]:
    """The service requests ``query`` picks, newest first, as Open311 names their fields."""
    closed = [status for status in concerns.STATUSES if status not in concerns.OPEN_STATUSES]
    states = {"open": list(concerns.OPEN_STATUSES), "closed": closed}
    frame = store.frame(
        _REQUESTS,
        {
            "ids": list(query.ids),
            "codes": list(query.service_codes),
            "states": [state for wanted in query.statuses for state in states[wanted]],
            "start": query.start,
            "end": query.end,
            "limit": query.limit,
        },
    )
    return [_request(row) for row in frame.to_dict("records")]


def request(store: Store, request_id: int) -> dict[str, Any]:
    """One service request (``NotFound`` when there is none of that number)."""
    found = requests(store, Query(ids=(request_id,), limit=1))
    if not found:
        raise NotFound(f"there is no service request number {request_id}")
    return found[0]


def _request(row: dict[str, Any]) -> dict[str, Any]:
    open_now = row["status"] in concerns.OPEN_STATUSES
    ward = row["ward"] if isinstance(row["ward"], str) else None
    return {
        "service_request_id": str(row["id"]),
        "status": "open" if open_now else "closed",
        "status_notes": row["public_note"] if isinstance(row["public_note"], str) else "",
        "service_name": concerns.CATEGORIES[row["category"]],
        "service_code": row["category"],
        "description": concerns.CATEGORIES[row["category"]],
        "agency_responsible": f"The council, {ward} ward" if ward else "The council",
        "service_notice": concerns.STATUSES[row["status"]],
        "requested_datetime": _w3c(row["created_at"]),
        "updated_datetime": _w3c(row["updated_at"]),
        "expected_datetime": "",
        "address": row["place"],
        "address_id": str(row["place_id"]),
        "zipcode": "",
        "lat": float(row["lat"]),
        "long": float(row["lon"]),
        "media_url": "",
    }


def _w3c(moment: Any) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}Z"


def file_request(
    store: Store,
    key: ApiKey,
    form: Mapping[str, str],
    token: str | None,
    address: str | None,
    now: datetime,
) -> int:
    """File the concern a partner app posted; its number (the first one's, for a repeated
    ``token``). ``InvalidInput`` for what the page's form would refuse too, including
    ``concerns.ChildSafetyConcern`` with the contact words."""
    service_code = (form.get("service_code") or "").strip()
    if not service_code:
        raise InvalidInput("service_code is required: one of the codes services lists")
    if service_code not in concerns.CATEGORIES:  # the page's words ("choose what …") fit no API
        raise InvalidInput(
            f"the service_code {service_code[:40]!r} is not one of the codes services lists"
        )
    place_id = _place_of(store, form)
    return concerns.report_concern(
        store,
        place_id,
        service_code,
        form.get("description") or "",
        now,
        token=_form_token(key, token),
        # The same limits a person at this address has on the page's form, so a key is no
        # way around them; the key's own limit is counted by api_keys.metered.
        client=Client(session=f"key:{key.key_id}:{address}", address=address),
    )


def _form_token(key: ApiKey, sent: str | None) -> str | None:
    """The partner's idempotency token as a form token of its own: hashed with the key's
    number, so two partners choosing the same token never see each other's report."""
    if sent is None or not sent.strip():
        return None
    if len(sent) > MAX_TOKEN:
        raise InvalidInput(f"token is at most {MAX_TOKEN} characters")
    return hashlib.sha256(f"open311:{key.key_id}:{sent.strip()}".encode()).hexdigest()


def _place_of(store: Store, form: Mapping[str, str]) -> int:
    """The play area a request is about: ``address_id``, else the nearest to lat/long."""
    if form.get("address_id"):
        number = parse_id(form["address_id"])
        if number is None:
            raise InvalidInput("address_id is a play area's number on SafePlay")
        return number
    try:
        lat, lon = float(form.get("lat", "")), float(form.get("long", ""))
    except ValueError:
        raise InvalidInput("give the play area: address_id, or lat and long") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("lat is -90 to 90 and long -180 to 180")
    distance, params = store.metres_from("geom", lon, lat)
    # The envelope (about 500 m north and south) lets the index skip all but the few near.
    found = store.row(
        f"SELECT id FROM (SELECT id, {distance} AS metres FROM places "  # noqa: S608
        "WHERE ST_Intersects(geom, ST_MakeEnvelope($west, $south, $east, $north))) near "
        "WHERE metres <= $near ORDER BY metres, id LIMIT 1",
        {
            **params,
            "near": NEAR_METRES,
            "west": lon - _ENVELOPE,
            "east": lon + _ENVELOPE,
            "south": lat - _ENVELOPE,
            "north": lat + _ENVELOPE,
        },
    )
    if found is None:
        raise InvalidInput(f"there is no play area within {NEAR_METRES} m of that point")
    return int(found[0])


def as_xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    """Open311's XML: ``<root><item><field>…</field></item></root>``, every value through
    ``for_xml`` and escaped by the serialiser."""
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for name, value in row.items():
            written = str(value).lower() if isinstance(value, bool) else value
            ET.SubElement(element, name).text = for_xml(written)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def errors(code: int, description: str) -> list[dict[str, Any]]:
    """Open311's error list: one error, its HTTP code and the words."""
    return [{"code": code, "description": description}]
