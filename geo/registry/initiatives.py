"""Proposals and running initiatives: storing them with their history, finding them.

The lifecycle rules (who may move an initiative from which status to which) arrive with the
proposals work; this module stores initiatives whose history is already known (demo data,
imports) and answers the public map's questions. Drafts and withdrawn proposals are never
returned to the public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import NotFound
from geo.geometry import measure
from geo.i18n import t
from geo.permissions import Actor, require, rereads_actor
from geo.registry.filters import MapFilter
from geo.storage import membership
from geo.storage.db import Store, insert_rows
from geo.vocabulary import PUBLIC_STATUSES


@dataclass(frozen=True)
class StatusChange:
    """One step of an initiative's audit trail."""

    from_status: str | None
    to_status: str
    actor: str
    reason: str | None
    changed_at: datetime


@dataclass(frozen=True)
class InitiativeRecord:
    """An initiative with its history; its status is the last step of that history."""

    title: str
    summary: str
    kind: str
    proposer: str
    geometry: BaseGeometry
    history: list[StatusChange]
    partners: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    budget: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    owner_login: str | None = None  # the account that speaks for the proposer, if any

    @property
    def status(self) -> str:
        return self.history[-1].to_status


@rereads_actor
def add_initiatives(store: Store, actor: Actor, records: list[InitiativeRecord]) -> list[int]:
    """Store initiatives whose history is already known (demo data, migrations from
    another system) with their audit trails, in one transaction."""
    require(actor, "load_initiatives")
    created = [r.history[0].changed_at for r in records]
    updated = [r.history[-1].changed_at for r in records]
    rows = pa.table(
        {
            "title": pa.array([r.title for r in records], pa.string()),
            "summary": pa.array([r.summary for r in records], pa.string()),
            "kind": pa.array([r.kind for r in records], pa.string()),
            "status": pa.array([r.status for r in records], pa.string()),
            "proposer": pa.array([r.proposer for r in records], pa.string()),
            "partners": pa.array([r.partners for r in records], pa.list_(pa.string())),
            "goals": pa.array([r.goals for r in records], pa.list_(pa.string())),
            "min_age": pa.array([r.min_age for r in records], pa.int16()),
            "max_age": pa.array([r.max_age for r in records], pa.int16()),
            "budget": pa.array([r.budget for r in records], pa.decimal128(12, 2)),
            "start_date": pa.array([r.start_date for r in records], pa.date32()),
            "end_date": pa.array([r.end_date for r in records], pa.date32()),
            "created_at": pa.array(created, pa.timestamp("us")),
            "updated_at": pa.array(updated, pa.timestamp("us")),
            "geom": pa.array(
                shapely.to_wkb([r.geometry for r in records]).tolist() if records else [],
                pa.binary(),
            ),
        }
    )
    with store.write() as cursor:
        ids = insert_rows(cursor, "initiatives", "initiative_ids", rows)
        _link_owners(cursor, ids, records)
        _first_versions(cursor, ids, records)
        steps = [
            (i, step) for i, record in zip(ids, records, strict=True) for step in record.history
        ]
        if steps:
            cursor.executemany(
                "INSERT INTO status_changes "
                "(initiative_id, from_status, to_status, actor, reason, changed_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    [i, s.from_status, s.to_status, s.actor, s.reason, s.changed_at]
                    for i, s in steps
                ],
            )
        membership.assign_initiatives(cursor, ids)
    return ids


def _link_owners(cursor: Any, ids: list[int], records: list[InitiativeRecord]) -> None:
    """Give each initiative to the account named as its owner (unknown logins stay unowned)."""
    owned = [[r.owner_login, i] for i, r in zip(ids, records, strict=True) if r.owner_login]
    if owned:
        cursor.executemany(
            "UPDATE initiatives SET owner_id = (SELECT id FROM users WHERE login = ?) WHERE id = ?",
            owned,
        )


def _first_versions(cursor: Any, ids: list[int], records: list[InitiativeRecord]) -> None:
    """A submitted initiative's content as its first version, so later revisions compare."""
    submitted = [
        [next(s.changed_at for s in r.history if s.to_status == "submitted"), i]
        for i, r in zip(ids, records, strict=True)
        if any(s.to_status == "submitted" for s in r.history)
    ]
    if submitted:
        cursor.executemany(
            "INSERT INTO proposal_versions (initiative_id, version, title, summary, kind, "
            "partners, goals, min_age, max_age, budget, start_date, end_date, geom, saved_by, "
            "saved_at) SELECT id, 1, title, summary, kind, partners, goals, "
            "min_age, max_age, budget, start_date, end_date, geom, proposer, ? "
            "FROM initiatives WHERE id = ?",
            submitted,
        )


WARD_NAMES = (
    "(SELECT string_agg(a.name, ', ' ORDER BY a.name) FROM initiative_areas ia "
    "JOIN areas a ON a.id = ia.area_id WHERE ia.initiative_id = i.id AND a.level = 'ward')"
)
LATEST_REASON = (
    "(SELECT s.reason FROM status_changes s WHERE s.initiative_id = i.id "
    "ORDER BY s.changed_at DESC, s.id DESC LIMIT 1)"
)


FEEDBACK_COUNTS = (
    "(SELECT count(*) FROM supports s WHERE s.initiative_id = i.id) AS supports, "
    "(SELECT count(*) FROM comments c WHERE c.initiative_id = i.id "
    " AND c.state = 'published') AS comments"
)


def find_initiatives(store: Store, filters: MapFilter) -> gpd.GeoDataFrame:
    """Public initiatives matching the filters, newest first, with wards and latest reason."""
    statuses = [s for s in filters.statuses if s in PUBLIC_STATUSES]
    return store.geoframe(
        f"""
        SELECT i.id, i.title, i.summary, i.kind, i.status, i.proposer, i.partners,
               i.min_age, i.max_age, i.budget, i.start_date, i.end_date,
               i.created_at, i.updated_at, {WARD_NAMES} AS wards,
               {LATEST_REASON} AS latest_reason, {FEEDBACK_COUNTS},
               ST_AsWKB(i.geom) AS wkb
        FROM initiatives i
        WHERE list_contains($statuses, i.status)
          AND (len(CAST($areas AS INTEGER[])) = 0 OR i.id IN (
                  SELECT initiative_id FROM initiative_areas
                  WHERE list_contains(CAST($areas AS INTEGER[]), area_id)))
          AND (len(CAST($kinds AS TEXT[])) = 0 OR list_contains($kinds, i.kind))
          AND coalesce(i.min_age, 0) <= $max_age
          AND coalesce(i.max_age, 99) >= $min_age
        ORDER BY i.updated_at DESC, i.id
        """,  # noqa: S608 - constant subqueries; every value is a parameter
        {
            "statuses": statuses,
            "areas": list(filters.area_ids),
            "kinds": list(filters.initiative_kinds),
            "min_age": filters.min_age,
            "max_age": filters.max_age,
        },
    )


def get_public_initiative(store: Store, initiative_id: int) -> dict[str, Any]:
    """Everything public about one initiative, with its timeline of decisions."""
    frame = store.geoframe(
        f"SELECT {store.columns('initiatives', 'i')}, {WARD_NAMES} AS wards, "  # noqa: S608
        "ST_AsWKB(i.geom) AS wkb FROM initiatives i WHERE i.id = ? AND list_contains(?, i.status)",
        [initiative_id, list(PUBLIC_STATUSES)],
    )
    if frame.empty:
        raise NotFound(t("there is no public initiative number {number}", number=initiative_id))
    initiative = frame.iloc[0].to_dict()
    initiative.update(measure(initiative["geometry"]))
    initiative["timeline"] = status_timeline(store, initiative_id)
    return initiative


def status_timeline(store: Store, initiative_id: int) -> pd.DataFrame:
    """Every status change of an initiative, oldest first: who, from, to, why, when."""
    return store.frame(
        "SELECT changed_at, from_status, to_status, actor, reason FROM status_changes "
        "WHERE initiative_id = ? ORDER BY changed_at, id",
        [initiative_id],
    )
