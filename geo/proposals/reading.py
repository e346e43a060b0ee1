"""Reading proposals back: one proposal as a person may see it, its versions and what
changed between them, and the lists the pages show (one's own, the review queue, the
proposals open for feedback).

Every read takes the asking person: a private draft and a missing number get the same
answer (``not_found``), and the review queue is limited to the reviewer's wards.
Writing proposals is ``geo.proposals.workflow``.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo import i18n
from geo.errors import NotFound
from geo.geometry import distance_m, measure
from geo.i18n import N_, t
from geo.permissions import Actor, may_see, private_sql, scope
from geo.permissions.rules import may_answer, owns
from geo.proposals.checks import DEFAULT_LIMITS, ProposalChecks, SizeLimits, check_proposal
from geo.proposals.form import ProposalForm
from geo.registry.initiatives import FEEDBACK_COUNTS as _COUNTS
from geo.registry.initiatives import LATEST_REASON, WARD_NAMES, status_timeline
from geo.storage import membership
from geo.storage.db import Store
from geo.vocabulary import INITIATIVE_KINDS, label


def not_found(proposal_id: int) -> NotFound:
    """The one answer for a proposal that does not exist and for one the asker may not see,
    so that asking cannot tell a private draft from a missing number."""
    return NotFound(t("there is no proposal number {number} that you can see", number=proposal_id))


_WARDS = f"{WARD_NAMES} AS wards"
_SINCE = (
    "(SELECT max(s.changed_at) FROM status_changes s WHERE s.initiative_id = i.id "
    " AND s.to_status = i.status) AS status_since"
)
_LATEST = f"{LATEST_REASON} AS latest_reason, {_SINCE}"


def proposal_row(store: Store, proposal_id: int) -> dict[str, Any]:
    """One stored proposal as plain values, whoever asks (callers check who may see it)."""
    frame = store.geoframe(
        f"SELECT {store.columns('initiatives', 'i')}, {_COUNTS}, {_WARDS}, {_LATEST}, "  # noqa: S608
        "ST_AsWKB(i.geom) AS wkb FROM initiatives i WHERE i.id = ?",
        [proposal_id],
    )
    if frame.empty:
        raise not_found(proposal_id)
    row = frame.iloc[0].to_dict()
    # Plain values for forms and comparisons: pandas' NaT/NaN mean "not given" here.
    for name, value in row.items():
        if not isinstance(value, BaseGeometry) and pd.api.types.is_scalar(value) and pd.isna(value):
            row[name] = None
    for name in ("start_date", "end_date"):
        if row[name] is not None:
            row[name] = pd.Timestamp(row[name]).date()
    return row


def get_proposal(store: Store, actor: Actor, proposal_id: int) -> dict[str, Any]:
    """One proposal as ``actor`` may see it, with sizes, timeline and versions."""
    row = proposal_row(store, proposal_id)
    owner = None if row["owner_id"] is None else int(row["owner_id"])
    wards = membership.initiative_area_ids(store.cursor(), proposal_id)
    if not may_see(actor, row["status"], owner, bool(row["open_for_feedback"] is True), wards):
        raise not_found(proposal_id)
    row["owner_id"] = owner
    row["ward_ids"] = wards
    row["is_owner"] = owns(actor, owner)
    row["may_answer"] = may_answer(actor, owner, wards)
    row.update(measure(row["geometry"]))
    row["timeline"] = status_timeline(store, proposal_id)
    row["versions"] = versions(store, proposal_id)
    return row


def versions(store: Store, proposal_id: int) -> list[dict[str, Any]]:
    """Every submitted version, oldest first, as plain values with its shape."""
    frame = store.geoframe(
        f"SELECT {store.columns('proposal_versions')}, ST_AsWKB(geom) AS wkb "  # noqa: S608
        "FROM proposal_versions "
        "WHERE initiative_id = ? ORDER BY version",
        [proposal_id],
    )
    return [] if frame.empty else frame.to_dict("records")


_COMPARED = [f.name for f in fields(ProposalForm)]
# What a reviewer reads for each field of the form (translated where it is read).
_FIELD_NAMES = {
    "title": N_("Title"),
    "kind": N_("Kind"),
    "summary": N_("Summary"),
    "goals": N_("Goals"),
    "partners": N_("Partners"),
    "min_age": N_("Youngest age"),
    "max_age": N_("Oldest age"),
    "budget": N_("Budget (£)"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
}


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What changed between two versions, field by field, worded for a reviewer."""
    changes = []
    for name in _COMPARED:
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            if name == "kind":
                old, new = label(INITIATIVE_KINDS, old), label(INITIATIVE_KINDS, new)
            changes.append((_field_name(name), old, new))
    old_shape, new_shape = before["geometry"], after["geometry"]
    if not old_shape.equals(new_shape):
        moved = distance_m(old_shape.centroid, new_shape.centroid)
        changes.append(
            (
                t("Map shape"),
                _shape_words(old_shape),
                t(
                    "{shape}, moved {distance} m",
                    shape=_shape_words(new_shape),
                    distance=i18n.number(moved, 0),
                ),
            )
        )
    return changes


def _field_name(name: str) -> str:
    """A field as the reviewer reads it; a field added to the form later still reads as
    words (its name tidied) until it is given its own."""
    if name in _FIELD_NAMES:
        return t(_FIELD_NAMES[name])
    return name.replace("_", " ").capitalize()


def _plain(value: Any) -> str:
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return ""
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        return "; ".join(str(v) for v in list(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _shape_words(geometry: BaseGeometry) -> str:
    sizes = measure(geometry)
    if "area_m2" in sizes:
        return t("area of {area} m²", area=i18n.number(sizes["area_m2"], 0))
    if "length_m" in sizes:
        return t("line of {length} m", length=i18n.number(sizes["length_m"], 0))
    return t("point at {lat}, {lon}", lat=f"{geometry.y:.5f}", lon=f"{geometry.x:.5f}")


def my_proposals(store: Store, actor: Actor) -> pd.DataFrame:
    """The actor's own proposals, latest activity first, with the council's latest word."""
    return store.frame(
        f"SELECT i.id, i.title, i.kind, i.status, i.open_for_feedback, i.updated_at, "  # noqa: S608
        f"{_COUNTS}, {_WARDS}, {_LATEST} FROM initiatives i WHERE i.owner_id = ? "
        "ORDER BY i.updated_at DESC, i.id DESC",
        [actor.user_id],
    )


def review_queue(
    store: Store,
    actor: Actor,
    now: datetime,
    *,
    statuses: tuple[str, ...] = ("submitted",),
    ward_ids: tuple[int, ...] = (),
    kinds: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Proposals waiting for a decision, oldest first, limited to the reviewer's wards."""
    allowed_wards = scope(actor, "review_proposals")
    in_scope, scope_params = allowed_wards.initiative_sql("i.id")
    picked, picked_params = allowed_wards.narrow(ward_ids).initiative_sql("i.id", "picked")
    visible, visible_params = private_sql(actor)
    frame = store.frame(
        f"SELECT i.id, i.title, i.kind, i.status, i.proposer, {_COUNTS}, {_WARDS}, "  # noqa: S608
        f"{_LATEST} FROM initiatives i WHERE list_contains($statuses, i.status) "
        "AND (len(CAST($kinds AS TEXT[])) = 0 OR list_contains($kinds, i.kind)) "
        f"AND {in_scope} AND {picked} AND {visible} "
        "ORDER BY status_since, i.id",
        {
            "statuses": list(statuses),
            "kinds": list(kinds),
            **scope_params,
            **picked_params,
            **visible_params,
        },
    )
    frame["days_waiting"] = [
        (now - pd.Timestamp(since).to_pydatetime()).days if pd.notna(since) else None
        for since in frame["status_since"]
    ]
    return frame


def open_proposals(store: Store, actor: Actor) -> pd.DataFrame:
    """Proposals residents can give feedback on: submitted, returned, or drafts opened."""
    return store.frame(
        f"SELECT i.id, i.title, i.kind, i.status, i.proposer, i.updated_at, {_COUNTS}, "  # noqa: S608
        f"{_WARDS} FROM initiatives i "
        "WHERE i.status IN ('submitted', 'changes_requested') "
        "OR (i.status = 'draft' AND i.open_for_feedback AND ?) "
        "ORDER BY i.updated_at DESC, i.id DESC",
        [actor.role != "visitor"],
    )


def check_saved(
    store: Store, proposal_id: int, limits: SizeLimits = DEFAULT_LIMITS
) -> ProposalChecks:
    """The checks of a stored proposal, as the reviewer sees them."""
    row = proposal_row(store, proposal_id)
    return check_proposal(
        store, row["geometry"], row["kind"], exclude_id=proposal_id, limits=limits
    )
