"""Proposals: a leader's draft, its submission and revisions, the council's decision.

Every write takes the acting person and checks, in this order: the role may do it at all
(``permissions.require``), the person is the proposal's owner or a reviewer covering its
wards, and the lifecycle allows the step (``lifecycle.check_step``). Each submission keeps a
snapshot in ``proposal_versions`` so the reviewer sees exactly what changed after they
asked for changes. Reading proposals back is ``geo.proposals.reading``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import IllegalTransition, InvalidInput, PermissionDenied
from geo.geometry import repair
from geo.i18n import N_, t
from geo.moderation import clean_reason
from geo.notify.follows import follow_automatically, initiative_people
from geo.permissions import Actor, allowed, require, rereads_actor
from geo.permissions.rules import owns
from geo.proposals import lifecycle
from geo.proposals.checks import (
    DEFAULT_LIMITS,
    ProposalChecks,
    SizeLimits,
    check_proposal,
    parse_drawing,
)
from geo.proposals.form import ProposalForm, validate_form
from geo.proposals.reading import not_found, proposal_row
from geo.storage import membership
from geo.storage.db import Store, next_id

# The statuses in which the proposer may still change what they wrote.
EDITABLE = ("draft", "changes_requested")


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
            proposal_id = next_id(cursor, "initiative_ids")
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
            follow_automatically(cursor, [actor.user_id], "initiative", proposal_id, now)
        else:
            status = _own_proposal(cursor, actor, proposal_id)
            if status not in EDITABLE:
                raise IllegalTransition(
                    t("a proposal can be edited only as a draft or after changes were requested")
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
        form.title,
        form.summary,
        form.kind,
        list(form.partners),
        list(form.goals),
        form.min_age,
        form.max_age,
        form.budget,
        form.start_date,
        form.end_date,
        shapely.to_wkb(geometry),
    ]


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
    row = proposal_row(store, proposal_id)
    checks = check_proposal(
        store, row["geometry"], row["kind"], exclude_id=proposal_id, limits=limits
    )
    with store.write() as cursor:
        status = _own_proposal(cursor, actor, proposal_id)
        lifecycle.check_step(status, "submitted", "proposer")
        checks.raise_if_unfit()
        version = cursor.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM proposal_versions WHERE initiative_id = ?",
            [proposal_id],
        ).fetchone()[0]
        cursor.execute(
            "INSERT INTO proposal_versions (initiative_id, version, title, summary, kind, "
            "partners, goals, min_age, max_age, budget, start_date, end_date, geom, saved_by, "
            "saved_at) SELECT id, ?, title, summary, kind, partners, goals, min_age, max_age, "
            "budget, start_date, end_date, geom, ?, ? FROM initiatives WHERE id = ?",
            [version, actor.display_name, now, proposal_id],
        )
        reason = (
            N_("Submitted for review.")  # stored in English, shown translated: wording.reason
            if version == 1
            else t("Revised: version {version}.", version=version)
        )
        lifecycle.record(cursor, proposal_id, status, "submitted", actor, reason, now)
        # Public from now on: the members of the partners it names follow it too.
        follow_automatically(
            cursor, initiative_people(cursor, proposal_id), "initiative", proposal_id, now
        )
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
        raise InvalidInput(
            t(
                "{decision} is not a decision (approve, reject, request changes)",
                decision=repr(decision),
            )
        )
    reason = clean_reason(reason, required=True)
    with store.write() as cursor:
        status, owner_id = _status_and_owner(cursor, proposal_id)
        require(actor, "review_proposals", membership.initiative_area_ids(cursor, proposal_id))
        if owns(actor, owner_id):
            raise PermissionDenied(t("you cannot review your own proposal; another officer must"))
        lifecycle.check_step(status, decision, "reviewer")
        lifecycle.record(cursor, proposal_id, status, decision, actor, reason, now)


@rereads_actor
def advance(
    store: Store, actor: Actor, proposal_id: int, to_status: str, note: str | None, now: datetime
) -> None:
    """Mark an approved initiative as started, or a running one as completed."""
    if to_status not in ("in_progress", "completed"):
        raise InvalidInput(t("an initiative can be marked as started or as completed"))
    note = clean_reason(note, required=False)
    with store.write() as cursor:
        status, owner_id = _status_and_owner(cursor, proposal_id)
        is_owner = owns(actor, owner_id) and allowed(actor, "propose")
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
            raise IllegalTransition(t("only a draft can be opened for feedback"))
        cursor.execute(
            "UPDATE initiatives SET open_for_feedback = ?, updated_at = ? WHERE id = ?",
            [is_open, now, proposal_id],
        )
        membership.follow_initiative(cursor, proposal_id)


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
        raise PermissionDenied(t("only the person who proposed it can change this proposal"))
    return status
