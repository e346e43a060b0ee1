"""OGC API – Features (Part 1 Core, GeoJSON): the public data as collections a GIS reads.

QGIS, ArcGIS and GDAL read a council's data from a URL and keep it up to date instead of
somebody exporting files. Each collection is one public set, read with the same rules the
public pages follow: play areas; initiatives in a public status only (never drafts or
withdrawn proposals); the boundaries of each area level present; events (public on the
Events page) with their initiative only while it is public; published voices as the 250 m
grid cell their point was generalised to, with the redacted words, theme, age band and
ward the Voices page shows. The voices' originals, pending or hidden voices, concerns,
comments, accounts and e-mail addresses are never read here, so no request can reach them.

Everything here is plain data (dicts ready for JSON) so it is tested without HTTP; the
routes are ``ui/ogc_routes.py``. Every value from a request reaches SQL as a parameter;
ids are the rows' own numbers, so a feature keeps its id across restarts and pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import shapely
from shapely.geometry import mapping

from geo.accountability.events import EVENT_KINDS
from geo.errors import InvalidInput, NotFound
from geo.ids import parse_id
from geo.registry.initiatives import WARD_NAMES as INITIATIVE_WARDS
from geo.safeguarding.voices import AGE_BANDS, GRID_M
from geo.storage.db import Store
from geo.vocabulary import (
    AREA_LEVELS,
    INITIATIVE_KINDS,
    INITIATIVE_STATUSES,
    PLACE_KINDS,
    PUBLIC_STATUSES,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000
# Parameters every items request may carry; a collection adds its filters and `datetime`.
COMMON_PARAMETERS = ("f", "bbox", "limit", "offset")
# Filters whose values are record numbers (a ward's is the id of its feature in `wards`).
RECORD_NUMBERS = frozenset({"ward"})
WORLD = (-180.0, -90.0, 180.0, 90.0)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
_NUMBER = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*")

_PLACE_WARDS = (
    "(SELECT string_agg(a.name, ', ' ORDER BY a.name) FROM place_areas pa "
    "JOIN areas a ON a.id = pa.area_id WHERE pa.place_id = p.id AND a.level = 'ward')"
)
# Half a voice cell in degrees, around the published centre (`voices.generalise`: the
# cell's width in longitude is taken at its centre's latitude, so this is the cell itself).
_HALF_LAT = f"({GRID_M / 2} / 110540.0)"
_HALF_LON = f"({GRID_M / 2} / (111320.0 * cos(radians(v.lat))))"
_VOICE_CELL = (
    f"CASE WHEN v.lon IS NULL OR v.lat IS NULL THEN NULL ELSE ST_MakeEnvelope("
    f"v.lon - {_HALF_LON}, v.lat - {_HALF_LAT}, v.lon + {_HALF_LON}, v.lat + {_HALF_LAT}) END"
)


@dataclass(frozen=True)
class Collection:
    """One public set of features and how to read it: the SQL pieces are constants of this
    module (never a request's text), and every value they need is a ``$name`` parameter."""

    id: str
    title: str
    description: str
    source: str  # FROM … [JOIN …]
    public: str  # the condition that keeps private rows out, always applied
    key: str  # the id column
    geometry: str  # an expression giving the geometry (NULL where there is none)
    properties: tuple[tuple[str, str], ...]  # (name, SQL expression), in order
    filters: Mapping[str, str] = field(default_factory=dict)  # parameter → condition on $it
    time: tuple[str, str] | None = None  # start and end of a feature's time
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # code → words
    fixed: Mapping[str, object] = field(default_factory=dict)  # of `source` and `public`

    @property
    def parameters(self) -> tuple[str, ...]:
        """The query parameters its items take; any other is refused."""
        return (*COMMON_PARAMETERS, *(("datetime",) if self.time else ()), *self.filters)


@dataclass(frozen=True)
class ItemQuery:
    """What an items request asked for, checked: every field is ours to put into SQL."""

    bbox: tuple[float, float, float, float] | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    interval: tuple[datetime | None, datetime | None] | None = None
    filters: Mapping[str, tuple[object, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One page of features with what a client needs to page on."""

    features: list[dict[str, Any]]
    matched: int
    query: ItemQuery

    @property
    def has_next(self) -> bool:
        return self.query.offset + len(self.features) < self.matched

    @property
    def has_prev(self) -> bool:
        return self.query.offset > 0


_PLACES = Collection(
    id="play-areas",
    title="Play areas",
    description=(
        "Playgrounds, parks, school yards and other places children play: kind, ages, "
        "surface, fencing, lighting, wheelchair access, opening hours, equipment, operator, "
        "the last inspection and the wards they lie in."
    ),
    source="places p",
    public="true",
    key="p.id",
    geometry="p.geom",
    properties=(
        ("name", "p.name"),
        ("kind", "p.kind"),
        ("min_age", "p.min_age"),
        ("max_age", "p.max_age"),
        ("surface", "p.surface"),
        ("fenced", "p.fenced"),
        ("lit", "p.lit"),
        ("wheelchair", "p.wheelchair"),
        ("access", "p.access"),
        ("fee", "p.fee"),
        ("opening_hours", "p.opening_hours"),
        ("equipment", "array_to_string(p.equipment, ', ')"),
        ("operator", "p.operator"),
        ("last_inspection", "p.last_inspection"),
        ("inspection_result", "p.inspection_result"),
        ("wards", _PLACE_WARDS),
    ),
    filters={
        "kind": "list_contains(CAST($kind AS TEXT[]), p.kind)",
        "ward": "p.id IN (SELECT place_id FROM place_areas "
        "WHERE list_contains(CAST($ward AS INTEGER[]), area_id))",
    },
    labels={"kind": PLACE_KINDS},
)

_INITIATIVES = Collection(
    id="initiatives",
    title="Proposals and initiatives",
    description=(
        "Proposals under review, decided, running and completed (never drafts or withdrawn "
        "ones): title, summary, kind, status, proposer, partners, goals, ages, budget, dates "
        "and wards. Their time runs from when they were proposed to their last change."
    ),
    source="initiatives i",
    public="list_contains($public_statuses, i.status)",
    key="i.id",
    geometry="i.geom",
    properties=(
        ("title", "i.title"),
        ("summary", "i.summary"),
        ("kind", "i.kind"),
        ("status", "i.status"),
        ("proposer", "i.proposer"),
        ("partners", "array_to_string(i.partners, ', ')"),
        ("goals", "array_to_string(i.goals, '; ')"),
        ("min_age", "i.min_age"),
        ("max_age", "i.max_age"),
        ("budget", "i.budget"),
        ("start_date", "i.start_date"),
        ("end_date", "i.end_date"),
        ("created_at", "i.created_at"),
        ("updated_at", "i.updated_at"),
        ("wards", INITIATIVE_WARDS),
    ),
    filters={
        "kind": "list_contains(CAST($kind AS TEXT[]), i.kind)",
        "status": "list_contains(CAST($status AS TEXT[]), i.status)",
        "ward": "i.id IN (SELECT initiative_id FROM initiative_areas "
        "WHERE list_contains(CAST($ward AS INTEGER[]), area_id))",
    },
    time=("i.created_at", "i.updated_at"),
    labels={"kind": INITIATIVE_KINDS, "status": INITIATIVE_STATUSES},
    fixed={"public_statuses": list(PUBLIC_STATUSES)},
)

_EVENTS = Collection(
    id="events",
    title="Events",
    description=(
        "Workshops, coffee chats, planning meetings and play days, past and coming: title, "
        "kind, start and end, organiser, the public summary afterwards, and the initiative "
        "it belongs to while that is public. Its time is from start to end."
    ),
    source=(
        "events e LEFT JOIN initiatives i ON i.id = e.initiative_id "
        "AND list_contains($public_statuses, i.status)"
    ),
    public="true",
    key="e.id",
    geometry="e.geom",
    properties=(
        ("title", "e.title"),
        ("kind", "e.kind"),
        ("starts_at", "e.starts_at"),
        ("ends_at", "e.ends_at"),
        ("organiser", "e.organiser"),
        ("summary", "e.summary"),
        ("initiative_id", "i.id"),
        ("initiative", "i.title"),
    ),
    filters={
        "kind": "list_contains(CAST($kind AS TEXT[]), e.kind)",
        "ward": "EXISTS (SELECT 1 FROM areas w WHERE w.level = 'ward' "
        "AND list_contains(CAST($ward AS INTEGER[]), w.id) AND ST_Intersects(w.geom, e.geom))",
    },
    time=("e.starts_at", "coalesce(e.ends_at, e.starts_at)"),
    labels={"kind": EVENT_KINDS},
    fixed={"public_statuses": list(PUBLIC_STATUSES)},
)

_VOICES = Collection(
    id="voices",
    title="Voices",
    description=(
        "Ideas and worries left anonymously and published after moderation, with personal "
        "details removed: the words, theme, age band and ward the Voices page shows. Each is "
        f"the {GRID_M:.0f} m square its point was generalised to, never the point itself; "
        "voices left without a point have no geometry."
    ),
    source="voices v LEFT JOIN areas a ON a.id = v.area_id",
    public="v.state = 'published'",
    key="v.id",
    geometry=_VOICE_CELL,
    properties=(
        ("theme", "v.theme"),
        ("said", "v.text"),
        ("age_band", "v.age_band"),
        ("wards", "a.name"),
    ),
    filters={"ward": "list_contains(CAST($ward AS INTEGER[]), v.area_id)"},
    labels={"age_band": AGE_BANDS},
)


def _area_collection(level: str) -> Collection:
    """The boundaries of one area level (wards, districts, … as imported)."""
    plural = f"{level}s"
    return Collection(
        id=re.sub(r"[^a-z0-9]+", "-", plural.lower()).strip("-"),
        title=plural[:1].upper() + plural[1:],
        description=f"The {plural}' boundaries, names and codes.",
        source="areas a",
        public="a.level = $level",
        key="a.id",
        geometry="a.geom",
        properties=(("name", "a.name"), ("code", "a.code")),
        fixed={"level": level},
    )


def collections(store: Store) -> list[Collection]:
    """Every collection, area levels as they are present (the usual ones first)."""
    present = [row[0] for row in store.rows("SELECT DISTINCT level FROM areas")]
    ordered = [lvl for lvl in AREA_LEVELS if lvl in present]
    ordered += sorted(lvl for lvl in present if lvl not in AREA_LEVELS)
    return [_PLACES, _INITIATIVES, *(_area_collection(lvl) for lvl in ordered), _EVENTS, _VOICES]


def collection(store: Store, collection_id: str) -> Collection:
    """The collection called ``collection_id``; ``NotFound`` otherwise."""
    for found in collections(store):
        if found.id == collection_id:
            return found
    raise NotFound(f"there is no collection called {collection_id[:60]!r}")


def _run(store: Store, sql: str, params: Mapping[str, object]) -> list[tuple[Any, ...]]:
    # DuckDB refuses parameters a statement does not use.
    return store.rows(sql, {name: v for name, v in params.items() if f"${name}" in sql})


def extent(store: Store, about: Collection) -> dict[str, Any]:
    """The spatial box of the collection's features (and their time span where it has
    one), in the form a collection's description takes."""
    start, end = about.time or ("NULL", "NULL")
    sql = (
        "SELECT min(ST_XMin(g)), min(ST_YMin(g)), max(ST_XMax(g)), max(ST_YMax(g)), "  # noqa: S608 - constants of this module
        f"min(t0), max(t1) FROM (SELECT {about.geometry} AS g, {start} AS t0, {end} AS t1 "
        f"FROM {about.source} WHERE {about.public}) features"
    )
    row = _run(store, sql, about.fixed)[0]
    box = list(WORLD) if row[0] is None else [float(v) for v in row[:4]]
    found: dict[str, Any] = {"spatial": {"bbox": [box], "crs": CRS84}}
    if about.time:
        found["temporal"] = {"interval": [[_json(row[4]), _json(row[5])]], "trs": _TRS}
    return found


def read_query(about: Collection, given: Iterable[tuple[str, str]]) -> ItemQuery:
    """An items request's parameters, checked; ``InvalidInput`` says what is wrong in words
    (an unknown parameter included: a misspelt filter must not quietly match everything)."""
    values: dict[str, str] = {}
    for name, value in given:
        if name not in about.parameters:
            raise InvalidInput(
                f"{name[:40]!r} is not a parameter of {about.id}; it takes "
                + ", ".join(about.parameters)
            )
        if name in values:
            raise InvalidInput(f"{name} is given twice")
        values[name] = value
    filters: dict[str, tuple[object, ...]] = {}
    for name in about.filters:
        if name in values:
            filters[name] = _filter_values(name, values[name], name in RECORD_NUMBERS)
    return ItemQuery(
        bbox=_bbox(values["bbox"]) if "bbox" in values else None,
        limit=min(_count("limit", values.get("limit"), DEFAULT_LIMIT, least=1), MAX_LIMIT),
        offset=_count("offset", values.get("offset"), 0, least=0),
        interval=_interval(values["datetime"]) if "datetime" in values else None,
        filters=filters,
    )


def _filter_values(name: str, written: str, numeric: bool) -> tuple[object, ...]:
    parts = tuple(part.strip() for part in written.split(",") if part.strip())
    if not parts:
        raise InvalidInput(f"{name} needs a value (several separated by commas)")
    if not numeric:
        return parts
    numbers = tuple(parse_id(part) for part in parts)
    if None in numbers:
        raise InvalidInput(f"{name} takes record numbers, such as {name}=3 or {name}=3,7")
    return numbers


def _count(name: str, written: str | None, default: int, *, least: int) -> int:
    if written is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", written.strip()) or int(written) < least:
        raise InvalidInput(f"{name} must be a whole number of at least {least}")
    return int(written)


def _bbox(written: str) -> tuple[float, float, float, float]:
    parts = written.split(",")
    if len(parts) != 4 or not all(_NUMBER.fullmatch(part) for part in parts):
        raise InvalidInput("bbox takes four numbers: minx,miny,maxx,maxy (longitude, latitude)")
    minx, miny, maxx, maxy = (float(part) for part in parts)
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidInput(
            "bbox must be west,south,east,north with longitudes within ±180 and latitudes "
            "within ±90, west not east of east and south not north of north"
        )
    return minx, miny, maxx, maxy


def _interval(written: str) -> tuple[datetime | None, datetime | None]:
    """An instant (the whole day for a date) or ``start/end`` with ``..`` or nothing for an
    open end, as naive UTC (how the database keeps times)."""
    if "/" not in written:
        start = _moment(written, end=False)
        return start, _moment(written, end=True)
    first, _, second = written.partition("/")
    start = None if first.strip() in ("", "..") else _moment(first, end=False)
    end = None if second.strip() in ("", "..") else _moment(second, end=True)
    if start is None and end is None:
        raise InvalidInput("datetime needs at least one end: ../2026-06-30 or 2026-01-01/..")
    if start is not None and end is not None and start > end:
        raise InvalidInput("datetime's interval ends before it starts")
    return start, end


def _moment(written: str, *, end: bool) -> datetime:
    text = written.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return (
                datetime.combine(day + timedelta(days=1), time()) - timedelta(microseconds=1)
                if end
                else datetime.combine(day, time())
            )
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "datetime takes an RFC 3339 date or time (2026-05-01, 2026-05-01T10:00:00Z) or an "
            "interval of two with a slash, '..' for an open end"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _conditions(about: Collection, query: ItemQuery) -> tuple[str, dict[str, object]]:
    """The WHERE clause of a query and its parameters: the collection's public rule first."""
    where, params = [about.public], dict(about.fixed)
    if query.bbox is not None:
        where.append(
            f"ST_Intersects({about.geometry}, ST_MakeEnvelope($minx, $miny, $maxx, $maxy))"
        )
        params.update(zip(("minx", "miny", "maxx", "maxy"), query.bbox, strict=True))
    if query.interval is not None and about.time is not None:
        start, end = query.interval
        if end is not None:
            where.append(f"{about.time[0]} <= $until")
            params["until"] = end
        if start is not None:
            where.append(f"{about.time[1]} >= $since")
            params["since"] = start
    for name, chosen in query.filters.items():
        where.append(about.filters[name])
        params[name] = list(chosen)
    return " AND ".join(where), params


def items(store: Store, about: Collection, query: ItemQuery) -> Page:
    """One page of the features matching ``query``, in id order (so offsets page through
    every feature exactly once while nothing changes), and how many match in all."""
    where, params = _conditions(about, query)
    matched = _run(store, f"SELECT count(*) FROM {about.source} WHERE {where}", params)[0][0]  # noqa: S608
    # The page's ids first, then their columns: otherwise DuckDB works out every matching
    # row's ward names and WKB before it sorts: a page of 1,000 of 100,000 play areas took
    # 250 ms, and takes 36.
    page = (
        f"{about.key} IN (SELECT {about.key} FROM {about.source} WHERE {where} "  # noqa: S608
        "ORDER BY 1 LIMIT $limit OFFSET $offset)"
    )
    paged = {**params, "limit": query.limit, "offset": query.offset}
    rows = _run(store, _select(about, page) + " ORDER BY 1", paged)
    return Page([_feature(about, row) for row in rows], int(matched), query)


def item(store: Store, about: Collection, feature_id: str) -> dict[str, Any]:
    """One feature by its id; ``NotFound`` for one that is missing or not public (the same
    words, so a draft's number reads like a number nobody used)."""
    number = parse_id(feature_id)
    where = f"{about.public} AND {about.key} = $number"
    rows = (
        []
        if number is None
        else _run(store, _select(about, where), {**about.fixed, "number": number})
    )
    if not rows:
        raise NotFound(f"there is no feature {feature_id[:20]!r} in {about.id}")
    return _feature(about, rows[0])


def _select(about: Collection, where: str) -> str:
    columns = ", ".join(f"{sql} AS {name}" for name, sql in about.properties)
    return (
        f"SELECT {about.key}, ST_AsWKB({about.geometry}), {columns} "  # noqa: S608 - constants
        f"FROM {about.source} WHERE {where}"
    )


def _feature(about: Collection, row: tuple[Any, ...]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for (name, _sql), value in zip(about.properties, row[2:], strict=True):
        properties[name] = _json(value)
        if name in about.labels:
            properties[f"{name}_label"] = about.labels[name].get(value) if value else None
    shape = None if row[1] is None else mapping(shapely.from_wkb(bytes(row[1])))
    return {"type": "Feature", "id": int(row[0]), "geometry": shape, "properties": properties}


def time_stamp() -> str:
    """Now, as an answer's ``timeStamp`` (RFC 3339, UTC)."""
    return _json(datetime.now(UTC).replace(tzinfo=None))


def _json(value: Any) -> Any:
    """A database value as JSON takes it: times in RFC 3339 (UTC), decimals as numbers."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
