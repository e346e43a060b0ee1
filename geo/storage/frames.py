"""Turning query results into GeoDataFrames (geometry arrives from DuckDB as WKB)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely


def to_geodataframe(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """A query result with a ``wkb`` column as a GeoDataFrame in EPSG:4326."""
    wkb = frame.pop("wkb").to_numpy() if "wkb" in frame else []
    geometry = shapely.from_wkb([bytes(value) for value in wkb]) if len(wkb) else []
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))
