"""The spatial checks a proposal passes before it can be submitted, shown beside the map.

A drawing from the browser is untrusted input: it is parsed and repaired here, then held
against the council boundary, plausible size limits for its kind, the wards it touches and
what already exists near it — so a mistake or a duplicate is caught by the proposer while
they are still drawing, not by a reviewer weeks later. Distances and sizes are in metres,
computed in a local equidistant projection centred on the drawing (never in degrees).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidGeometry
from geo.geometry import measure, repair, to_local_metres
from geo.i18n import N_, number, percent, t
from geo.registry.areas import council_boundary
from geo.storage.db import Store
from geo.vocabulary import (
    INITIATIVE_KINDS,
    INITIATIVE_STATUSES,
    PLACE_KINDS,
    PUBLIC_STATUSES,
    label,
)

_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString")
# Kinds whose nature fixes the shape: a play area has an extent, a route has a path.
_SHAPE_FOR_KIND = {
    "new_play_area": (_POLYGONAL, N_("a new play area must be drawn as a shape (polygon)")),
    "walking_route": (_LINEAR, N_("a walking route must be drawn as a line along the route")),
}
_MAX_DRAWING_CHARS = 1_000_000


@dataclass(frozen=True)
class SizeLimits:
    """What counts as a plausible proposal; councils may set their own."""

    min_area_m2: float = 25.0  # smaller than 5 m × 5 m is a slip of the mouse
    max_area_m2: float = 1_000_000.0  # 100 ha: larger than any neighbourhood park
    min_length_m: float = 20.0
    max_length_m: float = 15_000.0
    nearby_m: float = 150.0  # "similar things nearby" within this distance


DEFAULT_LIMITS = SizeLimits()


@dataclass(frozen=True)
class Nearby:
    """Something that already exists near the drawing (a possible duplicate)."""

    kind: Literal["place", "initiative"]
    id: int
    name: str
    detail: str
    distance_m: float
    overlaps: bool


@dataclass(frozen=True)
class ProposalChecks:
    """The outcome of every check; ``problems`` block submitting, ``notes`` only inform."""

    geometry: BaseGeometry | None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sizes: dict[str, float] = field(default_factory=dict)
    wards: tuple[str, ...] = ()
    ward_ids: tuple[int, ...] = ()
    nearby: tuple[Nearby, ...] = ()

    @property
    def ok(self) -> bool:
        return self.geometry is not None and not self.problems

    def raise_if_unfit(self) -> BaseGeometry:
        """The checked geometry, or ``InvalidGeometry`` listing every problem."""
        if self.geometry is None or self.problems:
            raise InvalidGeometry("; ".join(self.problems) or t("nothing has been drawn yet"))
        return self.geometry


def parse_drawing(drawing: Any) -> BaseGeometry:
    """A shapely geometry from what the browser sent: a GeoJSON Feature, geometry or text."""
    if drawing is None:
        raise InvalidGeometry(t("nothing has been drawn yet"))
    if isinstance(drawing, BaseGeometry):
        return drawing
    try:
        if isinstance(drawing, str):
            if len(drawing) > _MAX_DRAWING_CHARS:
                raise InvalidGeometry(t("the drawing is too large (over 1 MB of coordinates)"))
            drawing = json.loads(drawing)
        if not isinstance(drawing, dict):
            raise InvalidGeometry(t("the drawing is not a GeoJSON object"))
        if drawing.get("type") == "FeatureCollection":
            features = drawing.get("features") or []
            if len(features) != 1:
                raise InvalidGeometry(
                    t(
                        "draw exactly one shape per proposal ({count} were drawn)",
                        count=number(len(features)),
                    )
                )
            drawing = features[0]
        if drawing.get("type") == "Feature":
            drawing = drawing.get("geometry")
        if not isinstance(drawing, dict):
            raise InvalidGeometry(t("the drawing has no geometry"))
        return shapely.geometry.shape(drawing)
    except InvalidGeometry:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise InvalidGeometry(
            t("the drawing is not valid GeoJSON ({error})", error=error)
        ) from error
    except shapely.errors.ShapelyError as error:
        raise InvalidGeometry(
            t("the drawing is not valid GeoJSON ({error})", error=error)
        ) from error


def check_proposal(
    store: Store,
    drawing: Any,
    kind: str,
    *,
    exclude_id: int | None = None,
    limits: SizeLimits = DEFAULT_LIMITS,
) -> ProposalChecks:
    """Run every check on a drawing for a proposal of ``kind``; never raises for bad input."""
    if drawing is None:
        return ProposalChecks(geometry=None)
    try:
        parsed = parse_drawing(drawing)
    except InvalidGeometry as error:  # a whole sentence already ("the drawing has no …")
        return ProposalChecks(geometry=None, problems=(_upper_first(str(error)),))
    try:
        repaired = repair(parsed, "initiative")
    except InvalidGeometry as error:  # what is wrong with it ("has no location")
        problem = t("The drawing {problem}", problem=_lower_first(error))
        return ProposalChecks(geometry=None, problems=(problem,))
    geometry = repaired.geometry
    notes = [_repair_words(repaired.note)]
    problems = _kind_problems(geometry, kind)
    sizes = measure(geometry)
    problems += _size_problems(sizes, limits)
    problems += _boundary_problems(store, geometry)
    ward_ids, wards = _wards(store, geometry)
    nearby = find_nearby(store, geometry, limits.nearby_m, exclude_id)
    if any(n.overlaps for n in nearby):
        notes.append(t("It overlaps something that already exists: check it is not a duplicate."))
    return ProposalChecks(
        geometry=geometry,
        problems=tuple(problems),
        notes=tuple(n for n in notes if n),
        sizes=sizes,
        wards=wards,
        ward_ids=ward_ids,
        nearby=nearby,
    )


def _repair_words(note: str | None) -> str | None:
    if note is None:
        return None
    if "Self-intersection" in note:
        return t(
            "The outline crossed itself, so it was split into valid parts: check the shape "
            "on the map is what you meant."
        )
    return t("The drawing was repaired ({note}).", note=note)


def _lower_first(error: Exception) -> str:
    text = str(error)
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _kind_problems(geometry: BaseGeometry, kind: str) -> list[str]:
    if kind not in INITIATIVE_KINDS:
        return [t("Choose a kind of initiative ({kind} is not one).", kind=repr(kind))]
    if kind in _SHAPE_FOR_KIND:
        types, message = _SHAPE_FOR_KIND[kind]
        if geometry.geom_type not in types:
            return [_upper_first(t(message)) + "."]
    return []


def _size_problems(sizes: dict[str, float], limits: SizeLimits) -> list[str]:
    area, length = sizes.get("area_m2"), sizes.get("length_m")
    if area is not None and area < limits.min_area_m2:
        return [
            t(
                "The area is only {area} m² (at least {least} m² is expected): zoom in and "
                "draw the whole site.",
                area=number(area, 1),
                least=number(limits.min_area_m2, 0),
            )
        ]
    if area is not None and area > limits.max_area_m2:
        return [
            t(
                "The area is {area} ha, more than the {most} ha a single proposal may cover: "
                "draw just the site.",
                area=number(area / 10_000, 1),
                most=number(limits.max_area_m2 / 10_000, 0),
            )
        ]
    if length is not None and length < limits.min_length_m:
        return [
            t(
                "The line is only {length} m long (at least {least} m).",
                length=number(length, 1),
                least=number(limits.min_length_m, 0),
            )
        ]
    if length is not None and length > limits.max_length_m:
        return [
            t(
                "The line is {length} km long, more than the {most} km a route may be: split "
                "it into parts.",
                length=number(length / 1000, 1),
                most=number(limits.max_length_m / 1000, 0),
            )
        ]
    return []


def _boundary_problems(store: Store, geometry: BaseGeometry) -> list[str]:
    boundary = council_boundary(store)
    if boundary is None or boundary.covers(geometry):
        return []
    # A drawing may touch the edge by a hair's breadth; what matters is a real overhang.
    outside = to_local_metres(geometry).difference(to_local_metres(boundary, around=geometry))
    share = _share(outside, to_local_metres(geometry))
    if share < 0.01:
        return []
    swapped = shapely.transform(geometry, lambda xy: xy[:, ::-1])
    if not boundary.intersects(geometry) and boundary.intersects(swapped):
        return [t("The coordinates look like latitude and longitude swapped: x is the longitude.")]
    if not boundary.intersects(geometry):
        return [t("The drawing is outside the council area: draw it within the council's wards.")]
    return [
        t(
            "{share} of the drawing lies outside the council area: keep it inside.",
            share=percent(share),
        )
    ]


def _share(part: BaseGeometry, whole: BaseGeometry) -> float:
    if whole.area > 0:
        return part.area / whole.area
    if whole.length > 0:
        return part.length / whole.length
    return 1.0 if not part.is_empty else 0.0


def _wards(store: Store, geometry: BaseGeometry) -> tuple[tuple[int, ...], tuple[str, ...]]:
    rows = (
        store.cursor()
        .execute(
            "SELECT id, name FROM areas WHERE level = 'ward' "
            "AND ST_Intersects(geom, ST_GeomFromWKB(?)) ORDER BY name",
            [shapely.to_wkb(geometry)],
        )
        .fetchall()
    )
    return tuple(int(r[0]) for r in rows), tuple(str(r[1]) for r in rows)


def find_nearby(
    store: Store, geometry: BaseGeometry, within_m: float, exclude_id: int | None = None
) -> tuple[Nearby, ...]:
    """Places and visible proposals within ``within_m`` metres, nearest first.

    The database narrows candidates with a bounding box (its RTREE index); exact distances
    are measured in metres around the drawing. Private drafts of other people are never
    listed: they are theirs until submitted or opened for feedback.
    """
    minx, miny, maxx, maxy = geometry.bounds
    lat = (miny + maxy) / 2
    dlat = within_m / 110_540.0 * 1.2
    dlon = within_m / (111_320.0 * max(np.cos(np.radians(lat)), 0.01)) * 1.2
    envelope = [minx - dlon, miny - dlat, maxx + dlon, maxy + dlat]
    rows = (
        store.cursor()
        .execute(
            "SELECT 'place', id, name, kind, ST_AsWKB(geom) FROM places "
            "WHERE ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?)) "
            "UNION ALL "
            "SELECT 'initiative', id, title, status, ST_AsWKB(geom) FROM initiatives "
            "WHERE ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?)) "
            "AND id IS DISTINCT FROM ? "
            "AND (list_contains(?, status) OR (status = 'draft' AND open_for_feedback))",
            [*envelope, *envelope, exclude_id, list(PUBLIC_STATUSES)],
        )
        .fetchall()
    )
    if not rows:
        return ()
    here = to_local_metres(geometry)
    others = to_local_metres(shapely.from_wkb([bytes(r[4]) for r in rows]), around=geometry)
    distances = shapely.distance(here, others)
    # Shapes overlap when they share area; a point or line inside a shape overlaps it too.
    overlaps = shapely.intersects(here, others) & (
        (shapely.area(shapely.intersection(here, others)) > 0)
        | (shapely.area(others) == 0)
        | (here.area == 0)
    )
    found = [
        Nearby(
            kind=row[0],
            id=int(row[1]),
            name=str(row[2]),
            detail=label(PLACE_KINDS if row[0] == "place" else INITIATIVE_STATUSES, row[3]),
            distance_m=float(distance),
            overlaps=bool(overlap),
        )
        for row, distance, overlap in zip(rows, distances, overlaps, strict=True)
        if distance <= within_m
    ]
    return tuple(sorted(found, key=lambda n: (n.distance_m, n.kind, n.id)))
