"""Checking and repairing geometry before it is stored.

Real files and real drawings are imperfect: rows without coordinates, a missing latitude
written as 0, latitude and longitude swapped, rings that cross themselves or collapse.
Everything that reaches the database goes through ``repair`` so that stored geometry is
valid, non-empty, of an expected type and in plausible longitude/latitude.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from geo.errors import InvalidGeometry
from geo.i18n import N_, t

Family = Literal["area", "place", "initiative"]

_POLYGONAL = ("Polygon", "MultiPolygon")
ALLOWED_TYPES: dict[Family, tuple[str, ...]] = {
    "area": _POLYGONAL,
    "place": ("Point", *_POLYGONAL),
    "initiative": ("Point", "LineString", "MultiLineString", *_POLYGONAL),
}
_TYPE_WORDS: dict[Family, str] = {
    "area": N_("an area (polygon)"),
    "place": N_("a point or an area"),
    "initiative": N_("a point, a line or an area"),
}


@dataclass(frozen=True)
class Repaired:
    """A geometry fit to store, and what was done to it (None when nothing was needed)."""

    geometry: BaseGeometry
    note: str | None = None


def repair(geometry: BaseGeometry | None, family: Family) -> Repaired:
    """Return ``geometry`` fit to store as ``family``, or raise ``InvalidGeometry`` saying why."""
    if geometry is None or geometry.is_empty:
        raise InvalidGeometry(t("has no location (no coordinates)"))
    coords = shapely.get_coordinates(geometry)
    if not np.isfinite(coords).all():
        raise InvalidGeometry(t("has coordinates that are not numbers"))
    _check_degrees(coords)
    if geometry.geom_type == "Point":
        _check_not_null_island(geometry)
    note = None
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        geometry = _keep_dimension(shapely.make_valid(geometry), geometry.geom_type)
        if geometry is None or geometry.is_empty:
            raise InvalidGeometry(t("shape cannot be repaired ({reason})", reason=reason))
        note = t("shape repaired ({reason})", reason=reason)
    geometry = _single_if_one(geometry)
    if geometry.geom_type not in ALLOWED_TYPES[family]:
        raise InvalidGeometry(
            t(
                "is a {found}; expected {expected}",
                found=geometry.geom_type,  # the OGC type name, the same in every language
                expected=t(_TYPE_WORDS[family]),
            )
        )
    return Repaired(geometry, note)


def _check_degrees(coords: np.ndarray) -> None:
    xs, ys = coords[:, 0], coords[:, 1]
    if (np.abs(xs) > 180).any() or (np.abs(ys) > 90).any():
        raise InvalidGeometry(
            t(
                "coordinates are outside longitude −180…180 / latitude −90…90: they look like "
                "metres or feet in a projected system, not degrees (say which CRS the file "
                "uses)"
            )
        )


def _check_not_null_island(point: Point) -> None:
    if math.isclose(point.x, 0.0, abs_tol=1e-9) or math.isclose(point.y, 0.0, abs_tol=1e-9):
        raise InvalidGeometry(
            t("latitude or longitude is 0, which usually means a missing location written as 0")
        )


def _keep_dimension(geometry: BaseGeometry, original_type: str) -> BaseGeometry | None:
    """After make_valid, keep only parts of the original dimension (a polygon stays areal)."""
    if original_type not in _POLYGONAL:
        return geometry
    polygons = [
        part
        for part in getattr(geometry, "geoms", [geometry])
        if isinstance(part, Polygon | MultiPolygon) and not part.is_empty
    ]
    if not polygons:
        return None
    return shapely.union_all(polygons)


def _single_if_one(geometry: BaseGeometry) -> BaseGeometry:
    parts = getattr(geometry, "geoms", None)
    if parts is not None and len(parts) == 1 and geometry.geom_type.startswith("Multi"):
        return parts[0]
    return geometry


def swapped_point_indices(xs: np.ndarray, ys: np.ndarray) -> list[int]:
    """Indices of points whose latitude and longitude were evidently written the wrong way.

    A point counts as swapped when reading it the other way round puts it among the rest of
    the dataset (within one degree of the median) while as written it lies far away. With
    fewer than five points there is no "rest" to compare with, so nothing is flagged.
    """
    finite = np.isfinite(xs) & np.isfinite(ys) & (xs != 0) & (ys != 0)
    if finite.sum() < 5:
        return []
    mx, my = float(np.median(xs[finite])), float(np.median(ys[finite]))
    as_written = np.hypot(xs - mx, ys - my)
    swapped = np.hypot(ys - mx, xs - my)
    suspicious = finite & (as_written > 5.0) & (swapped < 1.0)
    return [int(i) for i in np.flatnonzero(suspicious)]


_GEOD = Geod(ellps="WGS84")


def measure(geometry: BaseGeometry) -> dict[str, float]:
    """Area (m²) and perimeter or length (m) on the WGS84 ellipsoid, never in degrees."""
    if geometry is None or geometry.is_empty or geometry.geom_type == "Point":
        return {}
    area, perimeter = _GEOD.geometry_area_perimeter(geometry)
    if geometry.geom_type in _POLYGONAL:
        return {"area_m2": abs(area), "perimeter_m": perimeter}
    return {"length_m": _GEOD.geometry_length(geometry)}


def distance_m(a: Point, b: Point) -> float:
    """Distance between two longitude/latitude points along the WGS84 ellipsoid, in metres."""
    return float(_GEOD.inv(a.x, a.y, b.x, b.y)[2])


def local_crs(lon: float, lat: float) -> str:
    """The PROJ definition of metres in an azimuthal equidistant projection centred on
    ``lon``/``lat`` (also handed to DuckDB's ST_Transform, so both sides measure alike)."""
    return f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"


class LocalFrame:
    """Metres in an azimuthal equidistant projection centred on a place, and back.

    Distances from the centre are exact and shapes within a town keep their size (at 20 km
    from the centre the scale is off by about two parts in a million), which is what
    town-scale questions — "within 150 m", "what share of the ward" — need.
    """

    def __init__(self, centre: Point) -> None:
        crs = local_crs(centre.x, centre.y)
        self._forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self._inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def to_metres(self, geometry: Any) -> Any:
        return shapely.transform(geometry, self._apply(self._forward))

    def to_degrees(self, geometry: Any) -> Any:
        return shapely.transform(geometry, self._apply(self._inverse))

    @staticmethod
    def _apply(transformer: Transformer):
        return lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))


def to_local_metres(geometry: Any, around: BaseGeometry | None = None) -> Any:
    """``geometry`` (one or an array) in metres, in a ``LocalFrame`` centred on ``around``."""
    centre = (around if around is not None else geometry).centroid
    return LocalFrame(centre).to_metres(geometry)
