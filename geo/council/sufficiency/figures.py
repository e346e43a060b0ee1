"""What SafePlay's own data says for a play sufficiency assessment, gathered once per report.

Every framework asks the same few questions of the data — how many children of which ages,
how many play spaces of which kind and in what state, who reaches them, what they cost and
when they open, what children told us, what went wrong — so the figures are read here once
and each framework's criteria pick the ones they need. Only published voices are counted:
a voice waiting for a moderator, or hidden, is not evidence the council may publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.council import coverage
from geo.council.population import AGE_BANDS, age_bands
from geo.geometry import LocalFrame
from geo.i18n import N_, number, t
from geo.permissions import Scope
from geo.registry import areas
from geo.safeguarding.concerns import CATEGORIES
from geo.safeguarding.voices import AGE_BANDS as VOICE_AGE_BANDS
from geo.storage.db import Store
from geo.vocabulary import PLACE_KINDS

LEVELS = tuple(coverage.LEVELS)
# How reach was measured: English and marked, compared as values; read through ``t``.
STRAIGHT_LINE = N_(
    "straight line: 60 / 240 / 600 m as the crow flies, standing in for Fields in Trust's "
    "100 / 400 / 1,000 m walking"
)
WALKING = N_("walking along the council's imported streets: Fields in Trust's 100 / 400 / 1,000 m")
INSPECTED_WITHIN = timedelta(days=365)


@dataclass(frozen=True)
class Figures:
    """The figures of one assessment's area and period (``wards`` has one row per ward)."""

    wards: gpd.GeoDataFrame  # id, name, population, child_population, bands, area_ha,
    # *_share, geometry
    places: pd.DataFrame  # id, kind, fee, opening_hours, wheelchair, result, inspected, m2,
    # lon, lat
    voices: pd.DataFrame  # theme, age_band, voices (published in the period)
    concerns: pd.DataFrame  # category, concerns (reported in the period)
    method: str
    period_end: date

    @property
    def children(self) -> int | None:
        """Children under 18 in the wards, where every ward's figure is known."""
        known = self.wards["child_population"].dropna()
        return int(known.sum()) if len(known) == len(self.wards) and len(known) else None

    def band_totals(self) -> dict[str, int | None]:
        """Children per age band over the wards (None where some ward has no figure)."""
        return {
            band: int(self.wards[band].sum()) if self.wards[band].notna().all() else None
            for band in AGE_BANDS
        }

    def wards_with_bands(self) -> int:
        return int(self.wards[list(AGE_BANDS)].notna().all(axis=1).sum())

    def share(self, level: str) -> float | None:
        """The share of children (else residents, else area) within reach at ``level``."""
        shares = self.wards[f"{level}_share"].astype(float)
        if self.wards.empty or shares.isna().all():
            return None
        for column in ("child_population", "population", "area_ha"):
            weights = self.wards[column].astype(float)
            if weights.notna().all() and weights.sum() > 0:
                return float(np.average(shares.fillna(0), weights=weights))
        return float(shares.mean())

    def children_voices(self) -> int:
        young = self.voices["age_band"].isin(["under_12", "12_17"])
        return int(self.voices.loc[young, "voices"].sum())

    def inspected_and_passed(self) -> int:
        return passed_within_year(self.places, self.period_end)

    def play_m2(self) -> float:
        return float(self.places["m2"].sum())


def gather(store: Store, where: Scope, start: date, end: date, london: bool = False) -> Figures:
    """The figures for the wards in ``where``, with voices and concerns from ``start`` to
    ``end``; coverage by walking where streets were imported, by straight line otherwise.
    With ``london`` and streets imported, also the share within 800 m walking of youth
    play (``age_12_plus_share``), the London Plan's distance for ages 12 and over."""
    wards = areas.area_shapes(store, "ward")
    if not where.everywhere:
        wards = wards[wards["id"].isin(where.ward_ids)]
    wards = wards.reset_index(drop=True)
    bands = age_bands(store).rename(columns={"area_id": "id"})
    result = coverage.coverage(store, with_gaps=False)
    # area_ha weighs the wards' shares where no population is known (Figures.share).
    # With no wards imported the table has no share columns: reindex gives them, empty.
    shares = result.table.reindex(
        columns=["id", "area_ha", *(f"{level}_share" for level in LEVELS)]
    )
    table = wards[["id", "name", "population", "child_population", "geometry"]].merge(
        bands, on="id", how="left"
    )
    table = table.merge(shares, on="id", how="left")
    if london and _method(result) == WALKING:
        bands = coverage.walking_coverage(store, bands="london", with_gaps=False)
        table = table.merge(bands.table[["id", "age_12_plus_share"]], on="id", how="left")
    places = _places(store, where, wards)
    until = end + timedelta(days=1)
    ward_condition, ward_params = where.ward_sql("area_id")
    period = {"start": start, "until": until, **ward_params}
    voices = store.frame(
        "SELECT theme, age_band, count(*) AS voices FROM voices "  # noqa: S608 - a condition
        f"WHERE state = 'published' AND created_at >= $start AND created_at < $until "
        f"AND {ward_condition} GROUP BY theme, age_band ORDER BY voices DESC, theme",
        period,
    )
    concerns = store.frame(
        "SELECT category, count(*) AS concerns FROM concerns "  # noqa: S608 - a condition
        f"WHERE created_at >= $start AND created_at < $until AND {ward_condition} "
        "GROUP BY category ORDER BY concerns DESC, category",
        period,
    )
    return Figures(
        gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326"),
        places,
        voices,
        concerns,
        _method(result),
        end,
    )


def _method(result: coverage.Coverage) -> str:
    """How reach was measured, as the coverage result says: a walking answer carries the
    straight-line share beside it (``{level}_line_share``), given only where the council
    imported its streets."""
    if any(f"{level}_line_share" in result.table.columns for level in LEVELS):
        return WALKING
    return STRAIGHT_LINE


def _places(store: Store, where: Scope, wards: gpd.GeoDataFrame) -> pd.DataFrame:
    condition, params = where.place_sql("id")
    found = store.geoframe(
        "SELECT id, kind, fee, opening_hours, wheelchair, inspection_result AS result, "  # noqa: S608
        f"last_inspection AS inspected, ST_AsWKB(geom) AS wkb FROM places WHERE {condition} "
        "ORDER BY id",
        params,
    )
    if found.empty or wards.empty:
        plain = pd.DataFrame(found.drop(columns="geometry", errors="ignore"))
        return plain.assign(m2=0.0, lon=pd.Series(dtype=float), lat=pd.Series(dtype=float))
    frame = LocalFrame(shapely.union_all(wards.geometry.to_numpy()).centroid)
    found["m2"] = shapely.area(frame.to_metres(found.geometry.to_numpy()))
    # Where each place is, for the report's map of play spaces (a point on an area).
    spot = shapely.get_coordinates(shapely.point_on_surface(found.geometry.to_numpy()))
    found["lon"], found["lat"] = spot[:, 0], spot[:, 1]
    return pd.DataFrame(found.drop(columns="geometry"))


def passed_within_year(places: pd.DataFrame, period_end: date) -> int:
    """Places whose latest inspection, within a year of the period's end, passed: a pass
    three years old says little about today's swings."""
    inspected = pd.to_datetime(places["inspected"])
    recent = inspected.notna() & (inspected >= pd.Timestamp(period_end - INSPECTED_WITHIN))
    return int((recent & (places["result"] == "pass")).sum())


def kinds_table(figures: Figures) -> list[list[str]]:
    """Play spaces by kind, with how many passed an inspection within the last year."""
    rows = []
    for kind, group in figures.places.groupby("kind", sort=True):
        passed = passed_within_year(group, figures.period_end)
        rows.append([PLACE_KINDS.get(str(kind), str(kind)), number(len(group)), number(passed)])
    return rows


def voices_table(figures: Figures) -> list[list[str]]:
    """Published voices in the period, by theme and age band (counts only)."""
    return [
        [
            str(row.theme),
            VOICE_AGE_BANDS.get(str(row.age_band), t("Age not given")),
            number(int(row.voices)),
        ]
        for row in figures.voices.itertuples()
    ]


def concerns_table(figures: Figures) -> list[list[str]]:
    return [
        [CATEGORIES.get(str(row.category), str(row.category)), number(int(row.concerns))]
        for row in figures.concerns.itertuples()
    ]
