"""Reading boundary and place files into rows of attributes and geometry.

Formats: GeoJSON, GeoPackage, Shapefile (zipped or not), FlatGeobuf, CSV or a JSON array
with latitude/longitude columns or a WKT column, and OpenStreetMap ``.osm.pbf`` extracts.
Whatever the input CRS, geometry comes out in EPSG:4326 longitude/latitude. A row whose
geometry cannot be read is kept with ``geometry = None`` and a reason, so the import can
report it instead of failing the file or losing it silently.
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from geo import i18n
from geo.errors import ImportRejected
from geo.i18n import t

MAX_IMPORT_BYTES = 200 * 1024 * 1024
_LAT_NAMES = ("lat", "latitude", "y", "lat_dd", "ycoord", "point_y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_dd", "xcoord", "point_x")
_WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "point", "shape", "location_wkt")


@dataclass
class RawTable:
    """Rows of a file: attributes, geometry in EPSG:4326, and why a geometry is missing."""

    attributes: pd.DataFrame
    geometries: list[BaseGeometry | None]
    geometry_problems: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_file(path: str | Path, crs: str | None = None, layer: str | None = None) -> RawTable:
    """Read any supported file; ``crs`` overrides a missing or wrong CRS in the file."""
    path = Path(path)
    _check_size(path)
    name = path.name.lower()
    if name.endswith(".csv"):
        return _read_records(_read_csv(path), crs)
    if name.endswith(".json") and _is_json_array(path):
        return _read_records(pd.DataFrame(_load_json(path)), crs)
    if name.endswith(".zip"):
        _check_zip(path)
    return read_gdal(path, crs=crs, layer=layer)


def read_gdal(path: Path, crs: str | None = None, layer: str | None = None) -> RawTable:
    """Any format GDAL reads, geometry parsed row by row so one bad ring costs one row."""
    try:
        with warnings.catch_warnings():
            # GDAL warns about each odd ring; the per-row report below says it better.
            warnings.simplefilter("ignore", RuntimeWarning)
            meta, _fids, wkb, values = pyogrio.raw.read(str(path), layer=layer)
    except Exception as error:  # GDAL raises many types; the message is what matters
        raise ImportRejected(
            t("cannot read {file}: {reason}", file=path.name, reason=_first_line(error))
        ) from error
    attributes = pd.DataFrame(
        {name: column for name, column in zip(meta["fields"], values, strict=True)}
    )
    geometries: list[BaseGeometry | None] = []
    problems: dict[int, str] = {}
    for index, blob in enumerate(wkb if wkb is not None else [None] * len(attributes)):
        if blob is None:
            geometries.append(None)
            continue
        try:
            geometries.append(shapely.from_wkb(blob))
        except shapely.errors.GEOSException as error:
            geometries.append(None)
            problems[index] = t("geometry cannot be read ({reason})", reason=_first_line(error))
    source_crs = crs or meta.get("crs")
    return RawTable(attributes, _to_lonlat(geometries, source_crs, path.name), problems)


def _read_records(frame: pd.DataFrame, crs: str | None) -> RawTable:
    """Rows with coordinates in columns (lat/lon) or as WKT text."""
    columns = {str(c).lower(): c for c in frame.columns}
    lat = next((columns[n] for n in _LAT_NAMES if n in columns), None)
    lon = next((columns[n] for n in _LON_NAMES if n in columns), None)
    wkt = next((columns[n] for n in _WKT_NAMES if n in columns), None)
    problems: dict[int, str] = {}
    geometries: list[BaseGeometry | None] = []
    notes: list[str] = []
    if lat is not None and lon is not None:
        ys = pd.to_numeric(frame[lat], errors="coerce").to_numpy(dtype=float)
        xs = pd.to_numeric(frame[lon], errors="coerce").to_numpy(dtype=float)
        notes.append(
            t(
                "coordinates from columns {lat} (latitude) and {lon} (longitude)",
                lat=repr(lat),
                lon=repr(lon),
            )
        )
        for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
            if np.isnan(x) or np.isnan(y):
                geometries.append(None)
                problems[index] = t("has no coordinates")
            else:
                geometries.append(shapely.Point(x, y))
    elif wkt is not None:
        notes.append(t("geometry from the WKT column {column}", column=repr(wkt)))
        for index, text in enumerate(frame[wkt]):
            try:
                geometries.append(shapely.from_wkt(text) if isinstance(text, str) else None)
            except shapely.errors.GEOSException:
                geometries.append(None)
                problems[index] = t("the WKT text is not a geometry")
            if geometries[-1] is None and index not in problems:
                problems[index] = t("has no coordinates")
    else:
        raise ImportRejected(
            t(
                "no coordinates found: expected latitude/longitude columns (e.g. {lat} and "
                "{lon}) or a WKT column ({wkt}); columns are: {columns}",
                lat=", ".join(_LAT_NAMES[:2]),
                lon=", ".join(_LON_NAMES[:3]),
                wkt=", ".join(_WKT_NAMES[:4]),
                columns=", ".join(map(str, frame.columns[:20])),
            )
        )
    attributes = frame.drop(columns=[c for c in (lat, lon, wkt) if c is not None])
    table = RawTable(attributes, _to_lonlat(geometries, crs, t("the file")), problems, notes)
    return table


def _to_lonlat(
    geometries: list[BaseGeometry | None], crs: object, name: str
) -> list[BaseGeometry | None]:
    """Reproject to EPSG:4326 with longitude first, whatever axis order the CRS declares."""
    if crs is None:
        _refuse_projected_without_crs(geometries, name)
        return geometries
    try:
        source = CRS.from_user_input(crs)
    except CRSError as error:
        raise ImportRejected(
            t("unknown coordinate reference system {crs}", crs=repr(crs))
        ) from error
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return geometries
    transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    return [
        None
        if g is None
        else shapely.transform(
            g, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
        for g in geometries
    ]


def _refuse_projected_without_crs(geometries: list[BaseGeometry | None], name: str) -> None:
    present = [g for g in geometries if g is not None and not g.is_empty]
    if not present:
        return
    coords = shapely.get_coordinates(present)
    outside = (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    if outside.mean() > 0.5:
        raise ImportRejected(
            t(
                "{file} has no coordinate reference system and its coordinates are not "
                "degrees (they look like metres or feet): give the CRS, e.g. --crs EPSG:27700",
                file=name,
            )
        )


def _check_size(path: Path) -> None:
    if not path.is_file():
        raise ImportRejected(t("{file} does not exist or is not a file", file=path))
    size = path.stat().st_size
    if size == 0:
        raise ImportRejected(t("{file} is empty", file=path.name))
    if size > MAX_IMPORT_BYTES:
        raise ImportRejected(
            t(
                "{file} is {size} MB; the limit is {limit} MB (split the file, or load it "
                "with DuckDB directly)",
                file=path.name,
                size=i18n.number(size / 1e6, 0),
                limit=i18n.number(MAX_IMPORT_BYTES / 1e6, 0),
            )
        )


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as error:
        raise ImportRejected(t("{file} is not a readable zip file", file=path.name)) from error
    if not any(n.lower().endswith(".shp") for n in names):
        raise ImportRejected(
            t(
                "{file} holds no .shp file (a zipped Shapefile needs .shp, .shx, .dbf and "
                ".prj); it holds: {names}",
                file=path.name,
                names=", ".join(names[:10]) or t("nothing"),
            )
        )


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportRejected(t("{file} is not UTF-8 or Windows-1252 text", file=path.name))
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ImportRejected(
            t("{file} is not a readable CSV: {reason}", file=path.name, reason=_first_line(error))
        ) from error


def _is_json_array(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(64).lstrip()
    return head.startswith(b"[")


def _load_json(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportRejected(
            t("{file} is not valid JSON: {reason}", file=path.name, reason=_first_line(error))
        ) from error
    if not all(isinstance(item, dict) for item in data):
        raise ImportRejected(t("{file} is a JSON array, but not of objects (rows)", file=path.name))
    return data


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
