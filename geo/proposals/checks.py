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
    "new_play_area": (_POLYGONAL, "a new play area must be drawn as a shape (polygon)"),
    "walking_route": (_LINEAR, "a walking route must be drawn as a line along the route"),
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
            raise InvalidGeometry("; ".join(self.problems) or "nothing has been drawn yet")
        return self.geometry


def parse_drawing(drawing: Any) -> BaseGeometry:
    """A shapely geometry from what the browser sent: a GeoJSON Feature, geometry or text."""
    if drawing is None:
        raise InvalidGeometry("nothing has been drawn yet")
    if isinstance(drawing, BaseGeometry):
        return drawing
    try:
        if isinstance(drawing, str):
            if len(drawing) > _MAX_DRAWING_CHARS:
                raise InvalidGeometry("the drawing is too large (over 1 MB of coordinates)")
            drawing = json.loads(drawing)
        if not isinstance(drawing, dict):
            raise InvalidGeometry("the drawing is not a GeoJSON object")
        if drawing.get("type") == "FeatureCollection":
            features = drawing.get("features") or []
            if len(features) != 1:
                raise InvalidGeometry(
                    f"draw exactly one shape per proposal ({len(features)} were drawn)"
                )
            drawing = features[0]
        if drawing.get("type") == "Feature":
            drawing = drawing.get("geometry")
        if not isinstance(drawing, dict):
            raise InvalidGeometry("the drawing has no geometry")
        return shapely.geometry.shape(drawing)
    except InvalidGeometry:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise InvalidGeometry(f"the drawing is not valid GeoJSON ({error})") from error
    except shapely.errors.ShapelyError as error:
        raise InvalidGeometry(f"the drawing is not valid GeoJSON ({error})") from error


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
        repaired = repair(parse_drawing(drawing), "initiative")
    except InvalidGeometry as error:
        return ProposalChecks(geometry=None, problems=(f"The drawing {_lower_first(error)}",))
    geometry = repaired.geometry
    notes = [_repair_words(repaired.note)]
    problems = _kind_problems(geometry, kind)
    sizes = measure(geometry)
    problems += _size_problems(sizes, limits)
    problems += _boundary_problems(store, geometry)
    ward_ids, wards = _wards(store, geometry)
    nearby = find_nearby(store, geometry, limits.nearby_m, exclude_id)
    if any(n.overlaps for n in nearby):
        notes.append("It overlaps something that already exists: check it is not a duplicate.")
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
        return (
            "The outline crossed itself, so it was split into valid parts: check the shape "
            "on the map is what you meant."
        )
    return f"The drawing was repaired ({note})."


def _lower_first(error: Exception) -> str:
    text = str(error)
    return text[:1].lower() + text[1:]


def _kind_problems(geometry: BaseGeometry, kind: str) -> list[str]:
    if kind not in INITIATIVE_KINDS:
        return [f"Choose a kind of initiative ({kind!r} is not one)."]
    if kind in _SHAPE_FOR_KIND:
        types, message = _SHAPE_FOR_KIND[kind]
        if geometry.geom_type not in types:
            return [message[0].upper() + message[1:] + "."]
    return []


def _size_problems(sizes: dict[str, float], limits: SizeLimits) -> list[str]:
    area, length = sizes.get("area_m2"), sizes.get("length_m")
    if area is not None and area < limits.min_area_m2:
        return [
            f"The area is only {area:,.1f} m² (at least {limits.min_area_m2:,.0f} m² is "
            "expected): zoom in and draw the whole site."
        ]
    if area is not None and area > limits.max_area_m2:
        return [
            f"The area is {area / 10_000:,.1f} ha, more than the "
            f"{limits.max_area_m2 / 10_000:,.0f} ha a single proposal may cover: "
            "draw just the site."
        ]
    if length is not None and length < limits.min_length_m:
        return [f"The line is only {length:,.1f} m long (at least {limits.min_length_m:,.0f} m)."]
    if length is not None and length > limits.max_length_m:
        return [
            f"The line is {length / 1000:,.1f} km long, more than the "
            f"{limits.max_length_m / 1000:,.0f} km a route may be: split it into parts."
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
        return ["The coordinates look like latitude and longitude swapped: x is the longitude."]
    if not boundary.intersects(geometry):
        return ["The drawing is outside the council area: draw it within the council's wards."]
    return [f"{share:.0%} of the drawing lies outside the council area: keep it inside."]


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
