"""Each ward at a glance: play areas, people, initiatives by status, what waits for review.

One row per ward for the council's weekly look, and the series behind its charts. Counts
come from the membership tables stored at write time, so this stays a handful of grouped
queries however many places there are; hectares are measured in metres in a local frame.
An officer limited to some wards sees their rows only, and nobody's counts include other
people's drafts or withdrawn proposals.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import shapely

from geo.accountability import progress
from geo.geometry import LocalFrame
from geo.i18n import t
from geo.permissions import Actor, private_sql, scope
from geo.registry import areas
from geo.safeguarding import inspections
from geo.storage.db import Store
from geo.vocabulary import INITIATIVE_STATUSES, label

INSPECTION_INTERVAL = timedelta(days=365)


def ward_overview(store: Store, actor: Actor, now: datetime) -> pd.DataFrame:
    """One row per ward ``actor`` may see; ``now`` is injected so "days waiting" is testable."""
    where = scope(actor, "use_workspace")
    wards = areas.list_areas(store, "ward")[["id", "name", "population", "child_population"]]
    if not where.everywhere:
        wards = wards[wards["id"].isin(sorted(where.ward_ids))]
    if wards.empty:
        return wards
    places = _place_rows(store, now.date())
    per_ward = places.groupby("area_id").agg(
        play_areas=("id", "count"),
        play_ha=("ha", "sum"),
        not_inspected=("overdue", "sum"),
    )
    overview = wards.merge(per_ward, left_on="id", right_index=True, how="left")
    for column in ("play_areas", "play_ha", "not_inspected"):
        overview[column] = overview[column].fillna(0)
    overview["play_areas"] = overview["play_areas"].astype(int)
    overview["not_inspected"] = overview["not_inspected"].astype(int)
    overview["per_1000"] = (overview["play_areas"] / overview["population"] * 1000).round(2)
    statuses = _status_counts(store, actor)
    overview = overview.merge(statuses, left_on="id", right_index=True, how="left")
    for status in INITIATIVE_STATUSES:
        overview[status] = overview.get(status, 0)
        overview[status] = overview[status].fillna(0).astype(int)
    attention = _attention(store, now)
    overview = overview.merge(attention, left_on="id", right_index=True, how="left")
    for column in ("stale", "overdue_milestones"):
        overview[column] = overview[column].fillna(0).astype(int)
    late = inspections.overdue(store, actor, now.date()).groupby("ward").size()
    overview["inspections_overdue"] = overview["name"].map(late).fillna(0).astype(int)
    waiting = _waiting(store, now)
    overview = overview.merge(waiting, left_on="id", right_index=True, how="left")
    overview["waiting"] = overview["waiting"].fillna(0).astype(int)
    return overview.sort_values("name").reset_index(drop=True)


def _place_rows(store: Store, today: date) -> pd.DataFrame:
    frame = store.geoframe(
        "SELECT p.id, pa.area_id, p.last_inspection, ST_AsWKB(p.geom) AS wkb FROM places p "
        "JOIN place_areas pa ON pa.place_id = p.id JOIN areas a ON a.id = pa.area_id "
        "WHERE a.level = 'ward'"
    )
    if frame.empty:
        return pd.DataFrame(columns=["id", "area_id", "ha", "overdue"])
    local = LocalFrame(shapely.union_all(frame.geometry.to_numpy()).centroid)
    frame["ha"] = shapely.area(local.to_metres(frame.geometry.to_numpy())) / 10_000
    frame["overdue"] = overdue_inspections(frame["last_inspection"], today)
    return frame


def overdue_inspections(last_inspection: pd.Series, today: date) -> pd.Series:
    """True where a place was never inspected or not within ``INSPECTION_INTERVAL``."""
    dates = pd.to_datetime(last_inspection)
    return dates.isna() | (dates < pd.Timestamp(today - INSPECTION_INTERVAL))


def _status_counts(store: Store, actor: Actor) -> pd.DataFrame:
    visible, params = private_sql(actor)
    counts = store.frame(
        "SELECT ia.area_id, i.status, count(*) AS n FROM initiatives i "  # noqa: S608
        f"JOIN initiative_areas ia ON ia.initiative_id = i.id WHERE {visible} "
        "GROUP BY ia.area_id, i.status",
        params,
    )
    if counts.empty:
        return pd.DataFrame()
    return counts.pivot_table(index="area_id", columns="status", values="n", fill_value=0)


def _attention(store: Store, now: datetime) -> pd.DataFrame:
    """Per ward: initiatives due a check-in, and overdue milestones."""
    state = progress.tracking_state(store, now)[["id", "stale", "overdue"]]
    wards = store.frame("SELECT initiative_id, area_id FROM initiative_areas")
    joined = wards.merge(state, left_on="initiative_id", right_on="id")
    return joined.groupby("area_id").agg(
        stale=("stale", "sum"), overdue_milestones=("overdue", "sum")
    )


def _waiting(store: Store, now: datetime) -> pd.DataFrame:
    rows = store.frame(
        "SELECT ia.area_id, count(*) AS waiting, min(s.since) AS oldest "
        "FROM initiatives i JOIN initiative_areas ia ON ia.initiative_id = i.id "
        "JOIN (SELECT initiative_id, max(changed_at) AS since FROM status_changes "
        "      WHERE to_status = 'submitted' GROUP BY initiative_id) s "
        "ON s.initiative_id = i.id WHERE i.status = 'submitted' GROUP BY ia.area_id"
    )
    rows["longest_wait_days"] = [
        (now - pd.Timestamp(t).to_pydatetime()).days for t in rows["oldest"]
    ]
    return rows.set_index("area_id")[["waiting", "longest_wait_days"]]


def status_history(store: Store) -> pd.DataFrame:
    """Transitions into each status per month: the council's "status over time" chart."""
    history = store.frame(
        "SELECT date_trunc('month', changed_at) AS month, to_status AS status, "
        "count(*) AS changes FROM status_changes GROUP BY 1, 2 ORDER BY month, status"
    )
    history["status"] = [label(INITIATIVE_STATUSES, s) for s in history["status"]]
    return history


def status_by_ward(overview: pd.DataFrame) -> pd.DataFrame:
    """Initiatives per ward and status in long form, for a stacked bar chart."""
    present = [s for s in INITIATIVE_STATUSES if s in overview]
    long = overview.melt(id_vars="name", value_vars=present, var_name="status", value_name="count")
    long = long[long["count"] > 0].copy()
    long["status"] = [label(INITIATIVE_STATUSES, s) for s in long["status"]]
    return long


def overview_table(overview: pd.DataFrame) -> pd.DataFrame:
    """The overview with the column names (in the reader's language) and rounding a
    council officer reads."""
    return pd.DataFrame(
        {
            t("Ward"): overview["name"],
            t("Residents"): overview["population"],
            t("Play areas"): overview["play_areas"],
            t("Play hectares"): overview["play_ha"].round(2),
            t("Per 1,000 residents"): overview["per_1000"],
            t("Not inspected in 12 months"): overview["not_inspected"],
            t("Inspections overdue (schedule)"): overview["inspections_overdue"],
            t("Waiting for review"): overview["waiting"],
            t("Due a check-in"): overview["stale"],
            t("Overdue milestones"): overview["overdue_milestones"],
            t("Longest wait (days)"): overview["longest_wait_days"],
            **{label(INITIATIVE_STATUSES, s): overview[s] for s in INITIATIVE_STATUSES},
        }
    )
