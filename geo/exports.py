"""Writing places, areas and initiatives to files that open in QGIS and spreadsheets.

Files are written to a temporary name beside the target and renamed at the end, so an
interrupted export never leaves a half-written file where a complete one is expected.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import areas, initiatives, places
from geo.db import Store
from geo.errors import ExportFailed
from geo.filters import MapFilter

Dataset = Literal["places", "areas", "initiatives"]
Format = Literal["geojson", "csv", "gpkg"]
FORMATS: tuple[str, ...] = ("geojson", "csv", "gpkg")


def collect(store: Store, dataset: Dataset, area: str | None = None) -> gpd.GeoDataFrame:
    """The rows to export; ``area`` (a name or code) limits them to that area.

    Initiatives are those the public can see (drafts and withdrawn ones stay private).
    """
    area_ids = (areas.find_area(store, area),) if area else ()
    if dataset == "places":
        return places.find_places(store, MapFilter(area_ids=area_ids))
    if dataset == "initiatives":
        return initiatives.find_initiatives(store, MapFilter(area_ids=area_ids))
    result = areas.area_shapes(store, None)
    if area_ids:
        result = result[result["id"] == area_ids[0]]
    return result


def write(frame: gpd.GeoDataFrame, fmt: Format, target: str | Path) -> int:
    """Write ``frame`` as ``fmt``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ExportFailed(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    target = Path(target)
    if not target.parent.is_dir():
        raise ExportFailed(f"the folder {target.parent} does not exist")
    flat = _flatten(frame)
    partial = target.with_name(f"{target.stem}-partial{target.suffix}")
    try:
        if fmt == "csv":
            _as_csv(flat).to_csv(partial, index=False, encoding="utf-8-sig")
        else:
            driver = {"geojson": "GeoJSON", "gpkg": "GPKG"}[fmt]
            if partial.exists():
                partial.unlink()
            layer = re.sub(r"\W+", "_", target.stem) or "layer"
            flat.to_file(partial, driver=driver, engine="pyogrio", layer=layer)
        os.replace(partial, target)
    except OSError as error:
        raise ExportFailed(f"could not write {target}: {error.strerror or error}") from error
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
    return table
