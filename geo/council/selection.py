"""The council workspace's filter: an area (wards, a drawn shape, or a radius) plus facets.

One immutable value that the page builds from its widgets, that round-trips through the
page's address (so an officer can bookmark or share a filter), and that the services and
the command line apply in the same way: ``geo.council.matching`` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidInput
from geo.geometry import repair
from geo.i18n import N_, Words, number, t
from geo.ids import parse_id
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES, PUBLIC_STATUSES

AreaMode = Literal["all", "areas", "shape", "radius"]
DateField = Literal["created", "decided", "due"]
DATE_FIELDS = Words(
    {
        "created": N_("Created"),
        "decided": N_("Decided (approved or rejected)"),
        "due": N_("Due (end date)"),
    }
)
ATTENTION = Words(
    {
        "": N_("Anything"),
        "stale": N_("Check-in overdue (stale)"),
        "overdue": N_("A milestone is overdue"),
    }
)
MAX_RADIUS_M = 50_000.0
MAX_TEXT = 200
# What the public sees; an officer may add drafts and withdrawn proposals (their own, and
# drafts opened for feedback: other people's private ones are never listed).
DEFAULT_STATUSES: tuple[str, ...] = PUBLIC_STATUSES


@dataclass(frozen=True)
class Selection:
    """What a council officer asked to see. Empty tuples and None mean "no restriction"."""

    mode: AreaMode = "all"
    area_ids: tuple[int, ...] = ()
    shape_wkt: str | None = None
    centre: tuple[float, float] | None = None  # longitude, latitude
    radius_m: float | None = None
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    kinds: tuple[str, ...] = ()
    partner: str = ""
    min_age: int = 0
    max_age: int = 18
    date_field: DateField = "created"
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    attention: str = ""  # "", "stale" (check-in overdue) or "overdue" (a milestone is late)
    _checked: bool = field(default=False, repr=False, compare=False)

    def checked(self) -> Selection:
        """This selection with every value validated, or ``InvalidInput`` saying what is wrong."""
        if self._checked:
            return self
        if self.mode == "areas" and not self.area_ids:
            raise InvalidInput(t("choose at least one ward or area"))
        if self.mode == "shape":
            shape = self.shape()
            if shape is None or shape.geom_type not in ("Polygon", "MultiPolygon"):
                raise InvalidInput(t("draw a shape (polygon or rectangle) on the map to filter by"))
        if self.mode == "radius":
            if self.centre is None:
                raise InvalidInput(t("click the map to choose the centre of the circle"))
            lon, lat = self.centre
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise InvalidInput(t("the centre is not a longitude/latitude position"))
            if not self.radius_m or not 0 < self.radius_m <= MAX_RADIUS_M:
                raise InvalidInput(
                    t(
                        "the radius must be between 1 m and {most} m",
                        most=number(MAX_RADIUS_M, 0),
                    )
                )
        unknown = set(self.statuses) - set(INITIATIVE_STATUSES)
        unknown |= set(self.kinds) - set(INITIATIVE_KINDS)
        if unknown:
            raise InvalidInput(
                t("unknown status or kind: {names}", names=", ".join(sorted(unknown)))
            )
        if not 0 <= self.min_age <= self.max_age <= 18:
            raise InvalidInput(t("ages run from 0 to 18, youngest first"))
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise InvalidInput(t("the end of the date range is before its start"))
        if self.attention not in ATTENTION:
            raise InvalidInput(t("unknown attention filter {name}", name=repr(self.attention)))
        if len(self.text) > MAX_TEXT or len(self.partner) > MAX_TEXT:
            raise InvalidInput(
                t("search text is limited to {most} characters", most=number(MAX_TEXT))
            )
        return replace(self, _checked=True)

    def shape(self) -> BaseGeometry | None:
        if not self.shape_wkt:
            return None
        try:
            return repair(shapely.from_wkt(self.shape_wkt), "area").geometry
        except Exception as error:
            raise InvalidInput(
                t("the drawn shape cannot be read ({problem})", problem=error)
            ) from error

    def circle(self, segments: int = 64) -> BaseGeometry | None:
        """The radius filter as a polygon in longitude/latitude, to draw it on the map."""
        if self.mode != "radius" or self.centre is None or not self.radius_m:
            return None
        lon, lat = self.centre
        angles = np.linspace(0, 2 * np.pi, segments, endpoint=False)
        dlat = self.radius_m / 110_540.0
        dlon = self.radius_m / (111_320.0 * np.cos(np.radians(lat)))
        ring = np.column_stack([lon + dlon * np.cos(angles), lat + dlat * np.sin(angles)])
        return shapely.Polygon(ring)

    def to_query(self) -> dict[str, str]:
        """The selection as address parameters (only what differs from the defaults)."""
        query: dict[str, str] = {}
        if self.mode == "areas":
            query["areas"] = ",".join(map(str, self.area_ids))
        elif self.mode == "shape" and self.shape_wkt:
            query["shape"] = self.shape_wkt
        elif self.mode == "radius" and self.centre and self.radius_m:
            query["near"] = f"{self.centre[1]:.6f},{self.centre[0]:.6f},{self.radius_m:g}"
        if self.statuses != DEFAULT_STATUSES:
            query["status"] = ",".join(self.statuses)
        if self.kinds:
            query["kind"] = ",".join(self.kinds)
        if self.partner:
            query["partner"] = self.partner
        if (self.min_age, self.max_age) != (0, 18):
            query["ages"] = f"{self.min_age}-{self.max_age}"
        if self.date_from or self.date_to:
            query["dates"] = f"{self.date_field}:{self.date_from or ''}:{self.date_to or ''}"
        if self.text:
            query["q"] = self.text
        if self.attention:
            query["attention"] = self.attention
        return query

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Selection:
        """Read a selection back from address parameters; ``InvalidInput`` if malformed."""
        try:
            values: dict = {}
            if query.get("areas"):
                values.update(mode="areas", area_ids=_ints(query["areas"]))
            elif query.get("shape"):
                values.update(mode="shape", shape_wkt=query["shape"])
            elif query.get("near"):
                lat, lon, radius = (float(v) for v in query["near"].split(","))
                values.update(mode="radius", centre=(lon, lat), radius_m=radius)
            if "status" in query:
                values["statuses"] = _words(query["status"])
            if query.get("kind"):
                values["kinds"] = _words(query["kind"])
            if query.get("partner"):
                values["partner"] = query["partner"]
            if query.get("ages"):
                low, high = query["ages"].split("-")
                values.update(min_age=int(low), max_age=int(high))
            if query.get("dates"):
                which, start, end = query["dates"].split(":")
                if which not in DATE_FIELDS:
                    raise ValueError(f"unknown date field {which!r}")
                values.update(
                    date_field=which,
                    date_from=date.fromisoformat(start) if start else None,
                    date_to=date.fromisoformat(end) if end else None,
                )
            if query.get("q"):
                values["text"] = query["q"]
            if query.get("attention"):
                values["attention"] = query["attention"]
        except (ValueError, TypeError) as error:
            raise InvalidInput(
                t("the filter in this address is not readable ({problem})", problem=error)
            ) from error
        return cls(**values).checked()


def _ints(text: str) -> tuple[int, ...]:
    ids = tuple(parse_id(v) for v in text.split(",") if v.strip())
    if None in ids:
        raise ValueError("an area number is not a number")
    return ids


def _words(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())
