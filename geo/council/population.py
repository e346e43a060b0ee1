"""Population per area from a council's CSV, joined on an area code or name.

Councils hold population in spreadsheets keyed by their own codes or names, in whatever
encoding the export used. The join reports every row that matched no area, every area
left without a figure, and every unreadable number, and writes nothing unless at least one
row matched — so a wrong key column is noticed, not silently stored as "no population".
A council officer limited to some wards sets only those wards' figures: rows for other
areas are reported and left alone.

The report names the first ``REPORT_LIMIT`` problems and counts the rest: a wrong file of
150,000 rows once listed every one of them and hung the officer's browser. Figures above
``MAX_POPULATION`` are refused row by row (an area's population fits a 32-bit integer
with room to spare; 99999999999 is a typing slip, not a place).

Children by age band, for the play sufficiency assessment, come in the same file when it has
them. The bands are Wales's (0–3, 4–7, 8–12, 13–15, 16–17): ONS, NRS and StatsWales publish
single years of age, so columns ``age_0`` … ``age_17`` (or ``Age 0``, ``Aged 0``, ``0``) are
summed into those bands; a file already in bands names them ``0-3`` … ``16-17``. Other bands
(``0-4``) cannot be split into these and are refused with that reason. With age columns and
no children column, the children under 18 are the bands' sum.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from geo.errors import ImportRejected, PermissionDenied
from geo.permissions import Actor, rereads_actor, scope
from geo.storage.db import Store

MAX_BYTES = 10_000_000  # one row per area: even every English LSOA fits in a few MB
MAX_ROWS = 100_000
MAX_COLUMNS = 500
MAX_POPULATION = 20_000_000  # more than any council area in the four countries served
REPORT_LIMIT = 50
_UTF8_PAIR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]")  # an accented letter as UTF-8 writes it
# Wales's Play Sufficiency Assessment bands, first and last year of age.
AGE_BANDS: dict[str, tuple[int, int]] = {
    "0-3": (0, 3),
    "4-7": (4, 7),
    "8-12": (8, 12),
    "13-15": (13, 15),
    "16-17": (16, 17),
}
_SINGLE_YEAR = re.compile(r"^(?:aged?[\s_]*)?(\d{1,2})$")
_BAND = re.compile(r"^(?:aged?[\s_]*)?(\d{1,2})\s*(?:-|–|_|to)\s*(\d{1,2})$")
_NUMBER = re.compile(r"^\s*\d{1,3}(?:[,\s]\d{3})+\s*$|^\s*\d+(?:\.0+)?\s*$")


@dataclass
class PopulationReport:
    matched: int = 0
    unmatched_rows: list[str] = field(default_factory=list)
    bad_numbers: list[str] = field(default_factory=list)
    outside_rows: list[str] = field(default_factory=list)
    areas_without: list[str] = field(default_factory=list)
    age_bands: int = 0  # areas whose children by age band were set
    ages_from: str = ""  # "single years" or "bands": what the file carried

    def lines(self) -> list[str]:
        """The summary, then at most ``REPORT_LIMIT`` problems and a count of the rest."""
        out = [f"population set for {self.matched} areas"]
        if self.age_bands:
            out.append(
                f"children by age band ({', '.join(AGE_BANDS)}) set for {self.age_bands} "
                f"areas, from {self.ages_from}"
            )
        problems = [f"row matched no area: {row}" for row in self.unmatched_rows]
        problems += [f"row skipped: {row}" for row in self.bad_numbers]
        problems += [
            f"row outside the wards you cover, left alone: {row}" for row in self.outside_rows
        ]
        out += problems[:REPORT_LIMIT]
        if len(problems) > REPORT_LIMIT:
            out.append(
                f"… and {len(problems) - REPORT_LIMIT:,} more problem rows "
                f"({len(self.unmatched_rows):,} matched no area, "
                f"{len(self.bad_numbers):,} were skipped)"
            )
        if self.areas_without:
            names = ", ".join(self.areas_without[:REPORT_LIMIT])
            more = len(self.areas_without) - REPORT_LIMIT
            out.append(
                f"areas still without population: {names}"
                + (f" and {more:,} more" if more > 0 else "")
            )
        return out


def read_table(source: Path | bytes) -> pd.DataFrame:
    """A CSV as text columns; UTF-8 first, then Windows-1252 (Excel's usual export)."""
    raw = source.read_bytes() if isinstance(source, Path) else source
    if not raw.strip():
        raise ImportRejected("the file is empty")
    if len(raw) > MAX_BYTES:
        raise ImportRejected(f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if _UTF8_PAIR.search(raw):
            raise ImportRejected(
                "the file mixes UTF-8 with another encoding (some accents would come out "
                "wrong); save it again as CSV UTF-8 and upload that"
            ) from None
        text = raw.decode("cp1252", errors="replace")
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ImportRejected(f"the file is not a readable CSV ({error})") from error
    if len(table) > MAX_ROWS or len(table.columns) > MAX_COLUMNS:
        raise ImportRejected(
            f"the file has {len(table):,} rows and {len(table.columns):,} columns; a population "
            f"file has one row per area (at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns)"
        )
    return table


@rereads_actor
def import_population(
    store: Store,
    actor: Actor,
    source: Path | bytes,
    *,
    match_field: str,
    population_field: str,
    by: Literal["code", "name"] = "code",
    level: str = "ward",
    children_field: str | None = None,
) -> PopulationReport:
    """Set ``population`` (and ``child_population``) of areas of ``level`` from a CSV."""
    where = scope(actor, "import_population")
    table = read_table(source)
    wanted = [match_field, population_field] + ([children_field] if children_field else [])
    missing = [name for name in wanted if name not in table.columns]
    if missing:
        raise ImportRejected(
            f"the file has no column {', '.join(map(repr, missing))}; "
            f"its columns are: {', '.join(table.columns)}"
        )
    if by not in ("code", "name"):
        raise ImportRejected("areas are matched by code or by name")
    areas = store.rows(f"SELECT id, {by} FROM areas WHERE level = ?", [level])  # noqa: S608 - code|name
    if not areas:
        raise ImportRejected(f"no areas of level {level!r} are loaded")
    key_to_area = {_key(key): area_id for area_id, key in areas}
    age_columns, ages_from = age_band_columns(list(table.columns))
    report, updates, bands = PopulationReport(ages_from=ages_from), {}, {}
    for number, values in enumerate(table.to_dict("records"), start=2):
        key = values.get(match_field, "")
        area_id = key_to_area.get(_key(key))
        if area_id is None:
            report.unmatched_rows.append(f"line {number} ({key!r})")
            continue
        if not where.covers([area_id]):
            report.outside_rows.append(f"line {number} ({key!r})")
            continue
        population = _number(values.get(population_field, ""))
        children = _number(values.get(children_field, "")) if children_field else None
        by_band = {
            band: [_number(values.get(column, "")) for column in columns]
            for band, columns in age_columns.items()
        }
        unreadable = any(None in figures for figures in by_band.values())
        if population is None or (children_field and children is None) or unreadable:
            report.bad_numbers.append(f"line {number} ({key!r}): not a whole number")
            continue
        band_children = {band: sum(figures) for band, figures in by_band.items()}
        if by_band:
            if sum(band_children.values()) > population:
                report.bad_numbers.append(
                    f"line {number} ({key!r}): more children in the age bands "
                    f"({sum(band_children.values()):,}) than people"
                )
                continue
            children = children if children_field else sum(band_children.values())
        if population > MAX_POPULATION or (children or 0) > population:
            figure = str(values.get(population_field, "")).strip()[:20]
            report.bad_numbers.append(
                f"line {number} ({key!r}): {figure} is more than any area's population "
                f"(at most {MAX_POPULATION:,})"
                if population > MAX_POPULATION
                else f"line {number} ({key!r}): more children ({children:,}) than people"
            )
            continue
        updates[area_id] = (population, children)
        if band_children:
            bands[area_id] = band_children
    if not updates and report.outside_rows:
        raise PermissionDenied(
            "every area in this file lies outside the wards your council account covers: "
            "nothing was changed"
        )
    if not updates:
        raise ImportRejected(
            f"no row matched an area of level {level!r} by {by} using column {match_field!r}: "
            "nothing was changed"
        )
    with store.write() as cursor:
        cursor.executemany(
            "UPDATE areas SET population = ?, child_population = coalesce(?, child_population) "
            "WHERE id = ?",
            [[p, c, area_id] for area_id, (p, c) in updates.items()],
        )
        if bands:
            cursor.execute(
                "DELETE FROM area_age_bands WHERE list_contains(CAST(? AS INTEGER[]), area_id)",
                [sorted(bands)],
            )
            cursor.executemany(
                "INSERT INTO area_age_bands (area_id, band, children) VALUES (?, ?, ?)",
                [
                    [area_id, band, figure]
                    for area_id, figures in bands.items()
                    for band, figure in figures.items()
                ],
            )
    report.matched = len(updates)
    report.age_bands = len(bands)
    report.areas_without = [
        str(key) for area_id, key in areas if area_id not in updates and where.covers([area_id])
    ]
    return report


def age_band_columns(columns: list[str]) -> tuple[dict[str, list[str]], str]:
    """The file's columns to sum into each of ``AGE_BANDS`` (none when it has no age columns),
    and what they were ("single years of age" or "age bands"). An incomplete set is refused:
    a band summed from some of its years would understate it without a word."""
    years: dict[int, str] = {}
    given: dict[tuple[int, int], str] = {}
    for column in columns:
        name = " ".join(str(column).split()).casefold()
        if (single := _SINGLE_YEAR.match(name)) and int(single[1]) <= 17:
            years[int(single[1])] = column
        elif band := _BAND.match(name):
            given[(int(band[1]), int(band[2]))] = column
    if years:
        missing = [str(age) for age in range(18) if age not in years]
        if missing:
            raise ImportRejected(
                f"the file has single years of age but not for {', '.join(missing)}: every "
                "year from 0 to 17 is needed to make the age bands"
            )
        return {
            band: [years[age] for age in range(first, last + 1)]
            for band, (first, last) in AGE_BANDS.items()
        }, "single years of age"
    if not given:
        return {}, ""
    wanted = {span: band for band, span in AGE_BANDS.items()}
    odd = [given[span] for span in given if span not in wanted]
    absent = [band for span, band in wanted.items() if span not in given]
    if absent:
        raise ImportRejected(
            "age bands must be 0-3, 4-7, 8-12, 13-15 and 16-17 (Wales's play sufficiency "
            f"bands); the file lacks {', '.join(absent)}"
            + (f" and has {', '.join(odd)}, which cannot be split into them" if odd else "")
            + ". Single years of age (age_0 … age_17) can always be used instead"
        )
    return {band: [given[span]] for span, band in wanted.items()}, "age bands"


def age_bands(store: Store) -> pd.DataFrame:
    """Children per area and band, one row per area (``area_id`` and a column per band)."""
    rows = store.frame("SELECT area_id, band, children FROM area_age_bands")
    if rows.empty:
        return pd.DataFrame(columns=["area_id", *AGE_BANDS])
    table = rows.pivot_table(index="area_id", columns="band", values="children", aggfunc="sum")
    return table.reindex(columns=list(AGE_BANDS)).reset_index()


def _key(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def _number(text: str | None) -> int | None:
    """A whole number as spreadsheets write it ("4,321", "4321.0"); never through float,
    which turns a long run of digits into infinity."""
    if text is None or len(text) > 100 or not _NUMBER.match(text):
        return None
    return int(re.sub(r"[,\s]", "", text).split(".")[0])
