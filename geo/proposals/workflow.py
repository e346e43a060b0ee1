"""Proposals: a leader's draft, its submission and revisions, the council's decision.

Every write takes the acting person and checks, in this order: the role may do it at all
(``permissions.require``), the person is the proposal's owner or a reviewer covering its
wards, and the lifecycle allows the step (``lifecycle.check_step``). Each submission keeps a
snapshot in ``proposal_versions`` so the reviewer sees exactly what changed after they
asked for changes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from geo.geometry import distance_m, measure, repair
from geo.moderation import clean_reason
from geo.permissions import Actor, allowed, may_see, private_sql, require, rereads_actor, scope
from geo.permissions.rules import may_answer, owns
from geo.proposals import lifecycle
from geo.proposals.checks import (
    DEFAULT_LIMITS,
    ProposalChecks,
    SizeLimits,
    check_proposal,
    parse_drawing,
)
from geo.registry.initiatives import FEEDBACK_COUNTS as _COUNTS
from geo.registry.initiatives import LATEST_REASON, WARD_NAMES, status_timeline
from geo.storage import membership
from geo.storage.db import Store
from geo.storage.frames import to_geodataframe
from geo.vocabulary import INITIATIVE_KINDS, label

MAX_TITLE = 120
MAX_SUMMARY = 2_000
MAX_ITEM = 200
MAX_ITEMS = 20
MAX_BUDGET = Decimal("10000000")
EDITABLE = ("draft", "changes_requested")


@dataclass(frozen=True)
class ProposalForm:
    """What the proposer writes about a proposal (the drawing travels separately)."""

    title: str
    summary: str
    kind: str
    partners: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    budget: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None


def lines(text: str | None) -> tuple[str, ...]:
    """One item per non-empty line: how partners and goals are typed in a text area."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def validate_form(form: ProposalForm, today: date) -> ProposalForm:
    """The form as it will be stored, or ``InvalidInput`` naming the field and the fix."""
    title, summary = " ".join(form.title.split()), form.summary.strip()
    if len(title) < 5:
        raise InvalidInput("give the proposal a title of at least 5 characters")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"the title is {len(title)} characters; keep it under {MAX_TITLE}")
    if len(summary) < 20:
        raise InvalidInput("describe the proposal in a summary of at least 20 characters")
    if len(summary) > MAX_SUMMARY:
        raise InvalidInput(
            f"the summary is {len(summary):,} characters; keep it under {MAX_SUMMARY:,}"
        )
    if form.kind not in INITIATIVE_KINDS:
        raise InvalidInput(f"choose a kind of initiative ({form.kind!r} is not one)")
    partners = _items(form.partners, "partner")
    goals = _items(form.goals, "goal")
    _check_ages(form.min_age, form.max_age)
    budget = _budget(form.budget)
    if form.start_date and form.end_date and form.end_date < form.start_date:
        raise InvalidInput("the end date is before the start date")
    if form.end_date and form.end_date < today:
        raise InvalidInput("the end date is in the past")
    if form.start_date and form.start_date.year > today.year + 10:
        raise InvalidInput("the start date is more than ten years away; check the year")
    return replace(form, title=title, summary=summary, partners=partners, goals=goals,
                   budget=budget)  # fmt: skip


def _items(items: tuple[str, ...], what: str) -> tuple[str, ...]:
    cleaned = tuple(" ".join(item.split()) for item in items if item.strip())
    if len(cleaned) > MAX_ITEMS:
        raise InvalidInput(f"list at most {MAX_ITEMS} {what}s ({len(cleaned)} given)")
    for item in cleaned:
        if len(item) > MAX_ITEM:
            raise InvalidInput(f"a {what} is {len(item)} characters; keep each under {MAX_ITEM}")
    return cleaned


def _check_ages(low: int | None, high: int | None) -> None:
    for value in (low, high):
        if value is not None and not 0 <= value <= 18:
            raise InvalidInput("ages are for children and young people: 0 to 18")
    if low is not None and high is not None and low > high:
        raise InvalidInput("the youngest age is above the oldest age")


def _budget(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        budget = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise InvalidInput(f"the budget {value!r} is not an amount of money") from error
    if budget < 0 or budget > MAX_BUDGET:
        raise InvalidInput(f"the budget must be between 0 and {MAX_BUDGET:,.0f}")
    return budget


@rereads_actor
def save_draft(
    store: Store,
    actor: Actor,
    form: ProposalForm,
    drawing: Any,
    now: datetime,
    proposal_id: int | None = None,
) -> int:
    """Create a draft, or save changes to one's own draft or returned proposal.

    A draft needs a readable shape but need not pass every check yet: people save halfway.
    """
    require(actor, "propose")
    form = validate_form(form, now.date())
    geometry = repair(parse_drawing(drawing), "initiative").geometry
    values = _stored_values(form, geometry)
    with store.write() as cursor:
        if proposal_id is None:
            proposal_id = int(cursor.execute("SELECT nextval('initiative_ids')").fetchone()[0])
            cursor.execute(
                "INSERT INTO initiatives (id, title, summary, kind, partners, goals, min_age, "
                "max_age, budget, start_date, end_date, geom, status, proposer, owner_id, "
                "open_for_feedback, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ST_GeomFromWKB(?), 'draft', ?, ?, false, ?, ?)",
                [proposal_id, *values, actor.display_name, actor.user_id, now, now],
            )
            cursor.execute(
                "INSERT INTO status_changes (initiative_id, from_status, to_status, actor, "
                "reason, changed_at) VALUES (?, NULL, 'draft', ?, 'Draft started.', ?)",
                [proposal_id, actor.display_name, now],
            )
        else:
            status = _own_proposal(cursor, actor, proposal_id)
            if status not in EDITABLE:
                raise IllegalTransition(
                    "a proposal can be edited only as a draft or after changes were requested"
                )
            cursor.execute(
                "UPDATE initiatives SET title = ?, summary = ?, kind = ?, partners = ?, "
                "goals = ?, min_age = ?, max_age = ?, budget = ?, start_date = ?, "
                "end_date = ?, geom = ST_GeomFromWKB(?), updated_at = ? WHERE id = ?",
                [*values, now, proposal_id],
            )
        membership.assign_initiatives(cursor, [proposal_id])
    return proposal_id


def _stored_values(form: ProposalForm, geometry: BaseGeometry) -> list[Any]:
    return [
        form.title, form.summary, form.kind, list(form.partners), list(form.goals),
        form.min_age, form.max_age, form.budget, form.start_date, form.end_date,
        shapely.to_wkb(geometry),
    ]  # fmt: skip


@rereads_actor
def submit(
    store: Store,
    actor: Actor,
    proposal_id: int,
    now: datetime,
    limits: SizeLimits = DEFAULT_LIMITS,
) -> ProposalChecks:
    """Send one's draft (or revised proposal) for review, if it passes every check."""
    require(actor, "propose")
    row = _proposal_row(store, proposal_id)
    checks = check_proposal(store, row["geometry"], row["kind"], exclude_id=proposal_id,
                            limits=limits)  # fmt: skip
    with store.write() as cursor:
        status = _own_proposal(cursor, actor, proposal_id)
        lifecycle.check_step(status, "submitted", "proposer")
        checks.raise_if_unfit()
        version = cursor.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM proposal_versions WHERE initiative_id = ?",
            [proposal_id],
        ).fetchone()[0]
        cursor.execute(
            "INSERT INTO proposal_versions SELECT id, ?, title, summary, kind, partners, goals, "
            "min_age, max_age, budget, start_date, end_date, geom, ?, ? "
            "FROM initiatives WHERE id = ?",
            [version, actor.display_name, now, proposal_id],
        )
        reason = "Submitted for review." if version == 1 else f"Revised: version {version}."
        lifecycle.record(cursor, proposal_id, status, "submitted", actor, reason, now)
        cursor.execute(
            "UPDATE initiatives SET open_for_feedback = false WHERE id = ?", [proposal_id]
        )
    return checks


@rereads_actor
def withdraw(
    store: Store, actor: Actor, proposal_id: int, reason: str | None, now: datetime
) -> None:
    """Take one's own proposal down before a decision; it leaves the public map."""
    require(actor, "propose")
    reason = clean_reason(reason, required=False)
    with store.write() as cursor:
        status = _own_proposal(cursor, actor, proposal_id)
        lifecycle.check_step(status, "withdrawn", "proposer")
        lifecycle.record(cursor, proposal_id, status, "withdrawn", actor, reason, now)


@rereads_actor
def review(
    store: Store, actor: Actor, proposal_id: int, decision: str, reason: str, now: datetime
) -> None:
    """A council reviewer approves, rejects or asks for changes, always saying why."""
    require(actor, "review_proposals")
    if decision not in lifecycle.DECISIONS:
        raise InvalidInput(f"{decision!r} is not a decision (approve, reject, request changes)")
    reason = clean_reason(reason, required=True)
    with store.write() as cursor:
        status, owner_id = _status_and_owner(cursor, proposal_id)
        require(actor, "review_proposals", membership.initiative_area_ids(cursor, proposal_id))
        if owner_id is not None and owner_id == actor.user_id:
            raise PermissionDenied("you cannot review your own proposal; another officer must")
        lifecycle.check_step(status, decision, "reviewer")
        lifecycle.record(cursor, proposal_id, status, decision, actor, reason, now)


@rereads_actor
def advance(
    store: Store, actor: Actor, proposal_id: int, to_status: str, note: str | None, now: datetime
) -> None:
    """Mark an approved initiative as started, or a running one as completed."""
    if to_status not in ("in_progress", "completed"):
        raise InvalidInput("an initiative can be marked as started or as completed")
    note = clean_reason(note, required=False)
    with store.write() as cursor:
        status, owner_id = _status_and_owner(cursor, proposal_id)
        is_owner = owner_id is not None and owner_id == actor.user_id and allowed(actor, "propose")
        if not is_owner:
            require(actor, "review_proposals", membership.initiative_area_ids(cursor, proposal_id))
        lifecycle.check_step(status, to_status, "proposer" if is_owner else "reviewer")
        lifecycle.record(cursor, proposal_id, status, to_status, actor, note, now)


@rereads_actor
def open_for_feedback(
    store: Store, actor: Actor, proposal_id: int, is_open: bool, now: datetime
) -> None:
    """Let signed-in residents see and comment on one's draft before submitting it."""
    require(actor, "propose")
    with store.write() as cursor:
        status = _own_proposal(cursor, actor, proposal_id)
        if status != "draft":
            raise IllegalTransition("only a draft can be opened for feedback")
        cursor.execute(
            "UPDATE initiatives SET open_for_feedback = ?, updated_at = ? WHERE id = ?",
            [is_open, now, proposal_id],
        )
        membership.follow_initiative(cursor, proposal_id)


def not_found(proposal_id: int) -> NotFound:
    """The one answer for a proposal that does not exist and for one the asker may not see,
    so that asking cannot tell a private draft from a missing number."""
    return NotFound(f"there is no proposal number {proposal_id} that you can see")


def _status_and_owner(cursor: Any, proposal_id: int) -> tuple[str, int | None]:
    row = cursor.execute(
        "SELECT status, owner_id FROM initiatives WHERE id = ?", [proposal_id]
    ).fetchone()
    if row is None:
        raise not_found(proposal_id)
    return str(row[0]), (int(row[1]) if row[1] is not None else None)


def _own_proposal(cursor: Any, actor: Actor, proposal_id: int) -> str:
    status, owner_id = _status_and_owner(cursor, proposal_id)
    if owner_id is None or owner_id != actor.user_id:
        raise PermissionDenied("only the person who proposed it can change this proposal")
    return status


# Reading ------------------------------------------------------------------------------

_WARDS = f"{WARD_NAMES} AS wards"
_SINCE = (
    "(SELECT max(s.changed_at) FROM status_changes s WHERE s.initiative_id = i.id "
    " AND s.to_status = i.status) AS status_since"
)
_LATEST = f"{LATEST_REASON} AS latest_reason, {_SINCE}"


def can_see(
    actor: Actor, status: str, owner_id: int | None, feedback_open: bool, ward_ids: list[int]
) -> bool:
    """Drafts are their proposer's (and reviewers' for its wards) until opened for
    feedback; withdrawn proposals leave public view; everything else is public."""
    return may_see(actor, status, owner_id, feedback_open, ward_ids)


def _proposal_row(store: Store, proposal_id: int) -> dict[str, Any]:
    frame = (
        store.cursor()
        .execute(
            f"SELECT i.* EXCLUDE (geom), {_COUNTS}, {_WARDS}, {_LATEST}, "  # noqa: S608
            "ST_AsWKB(i.geom) AS wkb FROM initiatives i WHERE i.id = ?",
            [proposal_id],
        )
        .df()
    )
    if frame.empty:
        raise not_found(proposal_id)
    row = to_geodataframe(frame).iloc[0].to_dict()
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
    row = _proposal_row(store, proposal_id)
    owner = None if row["owner_id"] is None else int(row["owner_id"])
    wards = membership.initiative_area_ids(store.cursor(), proposal_id)
    if not can_see(actor, row["status"], owner, bool(row["open_for_feedback"] is True), wards):
        raise not_found(proposal_id)
    row["owner_id"] = owner
    row["is_owner"] = owns(actor, owner)
    row["may_answer"] = may_answer(actor, owner, wards)
    row.update(measure(row["geometry"]))
    row["timeline"] = status_timeline(store, proposal_id)
    row["versions"] = versions(store, proposal_id)
    return row


def versions(store: Store, proposal_id: int) -> list[dict[str, Any]]:
    """Every submitted version, oldest first, as plain values with its shape."""
    frame = (
        store.cursor()
        .execute(
            "SELECT * EXCLUDE (geom), ST_AsWKB(geom) AS wkb FROM proposal_versions "
            "WHERE initiative_id = ? ORDER BY version",
            [proposal_id],
        )
        .df()
    )
    return [] if frame.empty else to_geodataframe(frame).to_dict("records")


_COMPARED = [f.name for f in fields(ProposalForm)]
_FIELD_NAMES = {"min_age": "Youngest age", "max_age": "Oldest age", "budget": "Budget (£)"}


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What changed between two versions, field by field, worded for a reviewer."""
    changes = []
    for name in _COMPARED:
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            if name == "kind":
                old, new = label(INITIATIVE_KINDS, old), label(INITIATIVE_KINDS, new)
            changes.append((_FIELD_NAMES.get(name, name.replace("_", " ").capitalize()), old, new))
    old_shape, new_shape = before["geometry"], after["geometry"]
    if not old_shape.equals(new_shape):
        moved = distance_m(old_shape.centroid, new_shape.centroid)
        changes.append(
            (
                "Map shape",
                _shape_words(old_shape),
                f"{_shape_words(new_shape)}, moved {moved:,.0f} m",
            )
        )
    return changes


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
        return f"area of {sizes['area_m2']:,.0f} m²"
    if "length_m" in sizes:
        return f"line of {sizes['length_m']:,.0f} m"
    return f"point at {geometry.y:.5f}, {geometry.x:.5f}"


def my_proposals(store: Store, actor: Actor) -> pd.DataFrame:
    """The actor's own proposals, latest activity first, with the council's latest word."""
    return (
        store.cursor()
        .execute(
            f"SELECT i.id, i.title, i.kind, i.status, i.open_for_feedback, i.updated_at, "  # noqa: S608
            f"{_COUNTS}, {_WARDS}, {_LATEST} FROM initiatives i WHERE i.owner_id = ? "
            "ORDER BY i.updated_at DESC, i.id DESC",
            [actor.user_id],
        )
        .df()
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
    frame = (
        store.cursor()
        .execute(
            f"SELECT i.id, i.title, i.kind, i.status, i.proposer, {_COUNTS}, {_WARDS}, "  # noqa: S608
            f"{_LATEST} FROM initiatives i WHERE list_contains($statuses, i.status) "
            "AND (len($kinds) = 0 OR list_contains($kinds, i.kind)) "
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
        .df()
    )
    frame["days_waiting"] = [
        (now - pd.Timestamp(since).to_pydatetime()).days if pd.notna(since) else None
        for since in frame["status_since"]
    ]
    return frame


def open_proposals(store: Store, actor: Actor) -> pd.DataFrame:
    """Proposals residents can give feedback on: submitted, returned, or drafts opened."""
    frame = (
        store.cursor()
        .execute(
            f"SELECT i.id, i.title, i.kind, i.status, i.proposer, i.updated_at, {_COUNTS}, "  # noqa: S608
            f"{_WARDS} FROM initiatives i "
            "WHERE i.status IN ('submitted', 'changes_requested') "
            "OR (i.status = 'draft' AND i.open_for_feedback AND ?) "
            "ORDER BY i.updated_at DESC, i.id DESC",
            [actor.role != "visitor"],
        )
        .df()
    )
    return frame


def check_saved(
    store: Store, proposal_id: int, limits: SizeLimits = DEFAULT_LIMITS
) -> ProposalChecks:
    """The checks of a stored proposal, as the reviewer sees them."""
    row = _proposal_row(store, proposal_id)
    return check_proposal(store, row["geometry"], row["kind"], exclude_id=proposal_id,
                          limits=limits)  # fmt: skip
