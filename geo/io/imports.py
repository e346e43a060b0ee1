"""Loading a council's own boundaries and play areas from files, all or nothing.

Every row is checked before anything is written: rows without coordinates, with a 0
latitude, with latitude and longitude swapped, or with broken shapes are either repaired
(and said so) or skipped (and said why). Then the good rows are written in one transaction,
so a file is either imported completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo.errors import ImportRejected, InvalidGeometry
from geo.geometry import Family, repair, swapped_point_indices
from geo.i18n import t, tn
from geo.io import osm
from geo.io.readers import RawTable, read_file
from geo.permissions import Actor, require, rereads_actor
from geo.registry.areas import AreaRecord, add_areas
from geo.registry.places import PlaceRecord, add_places, known_source_refs
from geo.storage.db import Store
from geo.vocabulary import AREA_LEVELS, PLACE_KINDS

MAX_NAME_LENGTH = 200
_NAME_GUESSES = ("name", "naam", "nom", "nimi", "namn", "bezeichnung", "label", "title")
_CODE_GUESSES = ("code", "gss_code", "ward_code", "wd_code", "id", "ref")
_REF_GUESSES = (
    "osm_ref",
    "@id",
    "osm_id",
    "id",
    "playground_id",
    "prop_id",
    "gispropnum",
    "objectid",
    "fid",
    "ref",
)


@dataclass(frozen=True)
class RowIssue:
    row: int  # 1-based, as a person counts rows in the file
    name: str
    reason: str


@dataclass
class ImportReport:
    """What an import did: how many rows were stored, and every row skipped or repaired."""

    file: str
    imported: int = 0
    skipped: list[RowIssue] = field(default_factory=list)
    repaired: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            t(
                "{file}: imported {imported}, skipped {skipped}, repaired {repaired}",
                file=self.file,
                imported=self.imported,
                skipped=len(self.skipped),
                repaired=len(self.repaired),
            )
        ]
        out += ["  " + t("note: {note}", note=note) for note in self.notes]
        out += [
            "  "
            + t("skipped row {row} ({name}): {reason}", row=i.row, name=i.name, reason=i.reason)
            for i in self.skipped
        ]
        out += [
            "  "
            + t("repaired row {row} ({name}): {reason}", row=i.row, name=i.name, reason=i.reason)
            for i in self.repaired
        ]
        return out


@rereads_actor
def import_areas(
    store: Store,
    actor: Actor,
    path: str | Path,
    level: str = "ward",
    name_field: str | None = None,
    code_field: str | None = None,
    crs: str | None = None,
    replace: bool = False,
) -> ImportReport:
    """Load boundaries of one level (ward, district…) from a file."""
    require(actor, "manage_boundaries")  # before reading: no work for those refused
    if level not in AREA_LEVELS:
        raise ImportRejected(
            t(
                "level must be one of {levels}; got {given}",
                levels=", ".join(AREA_LEVELS),
                given=repr(level),
            )
        )
    path = Path(path)
    table = read_file(path, crs=crs)
    report = ImportReport(path.name, notes=list(table.notes))
    name_column = _choose_field(table.attributes, name_field, _NAME_GUESSES, "name")
    code_column = _choose_field(table.attributes, code_field, _CODE_GUESSES, "code", required=False)
    if code_column is None:
        code_column = name_column
        report.notes.append(
            t("no code field found; the names ({field}) serve as codes", field=repr(name_column))
        )
    records = []
    for index, (row, geometry) in enumerate(_rows(table)):
        label = _cell(row, name_column) or t("row {number}", number=index + 1)
        checked = _checked(table, index, geometry, "area", label, report)
        if checked is None:
            continue
        code = _cell(row, code_column)
        if not code:
            report.skipped.append(
                RowIssue(index + 1, label, t("no code in {field}", field=repr(code_column)))
            )
            continue
        records.append(AreaRecord(_name(label), code, checked))
    if not records:
        if not report.skipped:
            raise ImportRejected(
                t("{file}: no usable boundaries; the file has no rows", file=path.name)
            )
        raise ImportRejected(
            tn(
                "{file}: no usable boundaries; {n} row skipped, because it {reason}",
                "{file}: no usable boundaries; {n} rows skipped, the first because it {reason}",
                len(report.skipped),
                file=path.name,
                reason=report.skipped[0].reason,
            )
        )
    add_areas(store, actor, records, level=level, source=path.name, replace=replace)
    report.imported = len(records)
    return report


@rereads_actor
def import_places(
    store: Store,
    actor: Actor,
    path: str | Path,
    kind: str = "playground",
    name_field: str | None = None,
    id_field: str | None = None,
    crs: str | None = None,
    source: str | None = None,
) -> ImportReport:
    """Load play areas from a file or an OSM extract; rows already imported are skipped."""
    require(actor, "manage_places")
    if kind not in PLACE_KINDS:
        raise ImportRejected(
            t(
                "kind must be one of {kinds}; got {given}",
                kinds=", ".join(PLACE_KINDS),
                given=repr(kind),
            )
        )
    path = Path(path)
    is_osm = path.name.lower().endswith((".pbf", ".osm"))
    table = osm.read_osm_playgrounds(path) if is_osm else read_file(path, crs=crs)
    source = source or ("osm" if is_osm else path.name)
    report = ImportReport(path.name, notes=list(table.notes))
    if table.attributes.empty and not table.geometries:
        raise ImportRejected(t("{file} holds no rows", file=path.name))
    name_column = _choose_field(table.attributes, name_field, _NAME_GUESSES, "name", required=False)
    ref_column = _choose_field(table.attributes, id_field, _REF_GUESSES, "id", required=False)
    _fix_swapped_points(table, report, name_column)
    seen = known_source_refs(store, source)
    records = []
    for index, (row, geometry) in enumerate(_rows(table)):
        name = _cell(row, name_column) or _unnamed(row, kind)
        checked = _checked(table, index, geometry, "place", name, report)
        if checked is None:
            continue
        ref = _cell(row, ref_column)
        if ref and ref in seen:
            report.skipped.append(
                RowIssue(index + 1, name, t("already imported from {source}", source=source))
            )
            continue
        if ref:
            seen.add(ref)
        records.append(
            PlaceRecord(
                name=_name(name),
                kind=osm.place_kind(row, kind),
                geometry=checked,
                source=source,
                source_ref=ref,
                equipment=list(row.get("equipment") or []) if is_osm else [],
                **osm.place_attributes(row),
            )
        )
    if records:
        add_places(store, actor, records)
    report.imported = len(records)
    return report


def _rows(table: RawTable):
    return zip(table.attributes.to_dict("records"), table.geometries, strict=True)


def _checked(
    table: RawTable, index: int, geometry: Any, family: Family, name: str, report: ImportReport
) -> Any:
    """The repaired geometry, or None after recording why the row is skipped."""
    if index in table.geometry_problems:
        report.skipped.append(RowIssue(index + 1, name, table.geometry_problems[index]))
        return None
    try:
        repaired = repair(geometry, family)
    except InvalidGeometry as error:
        report.skipped.append(RowIssue(index + 1, name, str(error)))
        return None
    if repaired.note:
        report.repaired.append(RowIssue(index + 1, name, repaired.note))
    return repaired.geometry


def _fix_swapped_points(table: RawTable, report: ImportReport, name_column: str | None) -> None:
    points = [
        (i, g) for i, g in enumerate(table.geometries) if g is not None and g.geom_type == "Point"
    ]
    if not points:
        return
    xs = np.array([g.x for _, g in points])
    ys = np.array([g.y for _, g in points])
    for k in swapped_point_indices(xs, ys):
        index, point = points[k]
        table.geometries[index] = shapely.Point(point.y, point.x)
        name = _cell(table.attributes.iloc[index].to_dict(), name_column) or t(
            "row {number}", number=index + 1
        )
        report.repaired.append(
            RowIssue(index + 1, name, t("latitude and longitude were swapped; swapped back"))
        )


def _choose_field(
    frame: pd.DataFrame,
    chosen: str | None,
    guesses: tuple[str, ...],
    what: str,
    required: bool = True,
) -> str | None:
    """The column the user chose, or a confident guess; otherwise say which exist."""
    columns = [str(c) for c in frame.columns]
    if chosen:
        if chosen not in columns:
            raise ImportRejected(
                t(
                    "there is no field {field}; fields are: {fields}",
                    field=repr(chosen),
                    fields=", ".join(columns[:30]),
                )
            )
        return chosen
    lower = {c.lower(): c for c in columns}
    for guess in guesses:
        if guess in lower:
            return lower[guess]
    endings = [c for c in columns if c.lower().endswith(what)]
    if len(endings) == 1:
        return endings[0]
    if required:
        raise ImportRejected(
            t(
                "cannot tell which field holds the {what}; choose one with {option} from: {fields}",
                what=what,
                option=f"--{what}-field",
                fields=", ".join(columns[:30]),
            )
        )
    return None


def _cell(row: dict[str, Any], column: str | None) -> str | None:
    if column is None:
        return None
    value = row.get(column)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _name(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_NAME_LENGTH else text[: MAX_NAME_LENGTH - 1] + "…"


def _unnamed(row: dict[str, Any], kind: str) -> str:
    return f"Unnamed {osm.place_kind(row, kind).replace('_', ' ')}"
