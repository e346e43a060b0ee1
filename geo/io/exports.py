"""Writing places, areas and initiatives to files that open in QGIS and spreadsheets.

Files are written to a temporary name beside the target and renamed at the end, so an
interrupted export never leaves a half-written file where a complete one is expected.
Every CSV passes ``spreadsheet_safe``: a title such as ``=HYPERLINK(…)`` would otherwise run
as a formula in the officer's spreadsheet and could send other cells to another host.

A CSV is read by people: its column headings are in the reader's language (the one in force
while it is written; English keeps the stable machine names, so scripts and the command line
read the same headings as before). GeoJSON and GeoPackage are read by programs (QGIS, other
systems): their property keys are always the machine names below, in every language, and
stored keys (a kind, a status) stay keys in every format.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.council.matching import select_initiatives
from geo.council.selection import Selection
from geo.errors import ExportFailed
from geo.i18n import t, tp
from geo.permissions import Actor
from geo.registry import areas, places
from geo.registry.filters import MapFilter
from geo.storage.db import Store

Dataset = Literal["places", "areas", "initiatives"]
Format = Literal["geojson", "csv", "gpkg"]
FORMATS: tuple[str, ...] = ("geojson", "csv", "gpkg")
CHUNK = 5_000
# What starts a formula in Excel, LibreOffice and Google Sheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def collect(
    store: Store,
    actor: Actor,
    dataset: Dataset,
    area: str | None = None,
    selection: Selection | None = None,
) -> gpd.GeoDataFrame:
    """The rows to export; ``area`` (a name or code) limits them to that area.

    Initiatives follow ``selection`` (by default the public statuses in ``area``): exactly
    the set the council workspace shows ``actor`` for the same filter, within their wards.
    Places and areas are public.
    """
    area_ids = (areas.find_area(store, area),) if area else ()
    if dataset == "places":
        return places.find_places(store, MapFilter(area_ids=area_ids))
    if dataset == "initiatives":
        if selection is None:
            selection = Selection(mode="areas", area_ids=area_ids) if area_ids else Selection()
        return select_initiatives(store, actor, selection)
    result = areas.area_shapes(store, None)
    if area_ids:
        result = result[result["id"] == area_ids[0]]
    return result


def write(
    frame: gpd.GeoDataFrame,
    fmt: Format,
    target: str | Path,
    progress: Callable[[float], None] | None = None,
) -> int:
    """Write ``frame`` as ``fmt``; returns the number of rows written.

    CSV and GeoPackage are written in chunks of ``CHUNK`` rows, reporting the share done to
    ``progress``, so a page can show how far a large export has come.
    """
    report = progress or (lambda _share: None)
    if fmt not in FORMATS:
        raise ExportFailed(
            t(
                "format must be one of {formats}; got {given}",
                formats=", ".join(FORMATS),
                given=repr(fmt),
            )
        )
    target = Path(target)
    if not target.parent.is_dir():
        raise ExportFailed(t("the folder {folder} does not exist", folder=target.parent))
    flat = _flatten(frame)
    partial = target.with_name(f"{target.stem}-partial{target.suffix}")
    try:
        if partial.exists():
            partial.unlink()
        starts = range(0, max(len(flat), 1), CHUNK)
        for number, start in enumerate(starts):
            chunk = flat.iloc[start : start + CHUNK]
            if fmt == "csv":
                to_csv(
                    _as_csv(chunk),
                    partial,
                    mode="a",
                    header=number == 0,
                    encoding="utf-8-sig" if number == 0 else "utf-8",
                )
            elif fmt == "gpkg":
                layer = re.sub(r"\W+", "_", target.stem) or "layer"
                chunk.to_file(
                    partial, driver="GPKG", engine="pyogrio", layer=layer, append=number > 0
                )
            else:  # GeoJSON cannot be appended to: one write
                flat.to_file(partial, driver="GeoJSON", engine="pyogrio")
                break
            report(min(1.0, (start + CHUNK) / max(len(flat), 1)))
        report(1.0)
        os.replace(partial, target)
    except OSError as error:
        raise ExportFailed(
            t("could not write {file}: {reason}", file=target, reason=error.strerror or error)
        ) from error
    finally:
        if partial.exists():
            partial.unlink()
    return len(flat)


def _flatten(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lists become "a; b" text and decimals numbers: every format and tool reads those."""
    flat = frame.copy()
    for column in flat.columns:
        if column == "geometry":
            continue
        sample = flat[column].dropna()
        if not sample.empty and isinstance(sample.iloc[0], list | tuple | np.ndarray):
            flat[column] = flat[column].apply(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple | np.ndarray) else v
            )
        elif not sample.empty and type(sample.iloc[0]).__name__ == "Decimal":
            flat[column] = flat[column].astype(float)
    return flat


def _as_csv(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Spreadsheet-friendly: WKT geometry plus the longitude/latitude of a point on it."""
    table = pd.DataFrame(frame.drop(columns="geometry"))
    points = frame.geometry.representative_point()
    table["longitude"] = points.x.round(7)
    table["latitude"] = points.y.round(7)
    table["wkt"] = frame.geometry.to_wkt(rounding_precision=7)
    headings = csv_headings()
    return table.rename(columns=lambda column: headings.get(column, column))


def csv_headings() -> dict[str, str]:
    """Each column's heading in a CSV, in the reader's language. The English msgid is the
    machine name (context "CSV column"), so an English file keeps the headings it always
    had; a column not listed (a new one) keeps its name."""
    return {
        "id": tp("CSV column", "id"),
        "name": tp("CSV column", "name"),
        "title": tp("CSV column", "title"),
        "summary": tp("CSV column", "summary"),
        "kind": tp("CSV column", "kind"),
        "status": tp("CSV column", "status"),
        "level": tp("CSV column", "level"),
        "code": tp("CSV column", "code"),
        "population": tp("CSV column", "population"),
        "child_population": tp("CSV column", "child_population"),
        "min_age": tp("CSV column", "min_age"),
        "max_age": tp("CSV column", "max_age"),
        "surface": tp("CSV column", "surface"),
        "fenced": tp("CSV column", "fenced"),
        "lit": tp("CSV column", "lit"),
        "wheelchair": tp("CSV column", "wheelchair"),
        "access": tp("CSV column", "access"),
        "fee": tp("CSV column", "fee"),
        "opening_hours": tp("CSV column", "opening_hours"),
        "equipment": tp("CSV column", "equipment"),
        "operator": tp("CSV column", "operator"),
        "last_inspection": tp("CSV column", "last_inspection"),
        "inspection_result": tp("CSV column", "inspection_result"),
        "source": tp("CSV column", "source"),
        "source_ref": tp("CSV column", "source_ref"),
        "wards": tp("CSV column", "wards"),
        "proposer": tp("CSV column", "proposer"),
        "partners": tp("CSV column", "partners"),
        "goals": tp("CSV column", "goals"),
        "budget": tp("CSV column", "budget"),
        "start_date": tp("CSV column", "start_date"),
        "end_date": tp("CSV column", "end_date"),
        "created_at": tp("CSV column", "created_at"),
        "updated_at": tp("CSV column", "updated_at"),
        "decided_at": tp("CSV column", "decided_at"),
        "latest_reason": tp("CSV column", "latest_reason"),
        "supports": tp("CSV column", "supports"),
        "comments": tp("CSV column", "comments"),
        "distance_m": tp("CSV column", "distance_m"),
        "longitude": tp("CSV column", "longitude"),
        "latitude": tp("CSV column", "latitude"),
        "wkt": tp("CSV column", "wkt"),
    }


def to_csv(table: pd.DataFrame, target: Path | None = None, **options: object) -> str | None:
    """Write ``table`` as CSV to ``target`` (or return the text): spreadsheet-safe cells, and
    CRLF line ends, so a line break inside a text (even a lone carriage return) is quoted
    instead of splitting the row."""
    return spreadsheet_safe(table).to_csv(target, index=False, lineterminator="\r\n", **options)


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell that a spreadsheet would run as a formula prefixed by
    ``'`` (shown, not evaluated). Numbers stay numbers: only text cells are changed, so a
    negative figure written as a number is still a number."""
    safe = table.copy()
    for column in safe.columns:
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralised, na_action="ignore")
    return safe


def _neutralised(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
