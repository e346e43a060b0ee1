"""A council's play sufficiency assessments: created for a framework and period, each
criterion rated by an officer with evidence, an action plan, and finally marked final.

SafePlay only *suggests* ratings (``frameworks``); an assessment carries the officer's, and
every one of them has evidence in words — a rating without a reason cannot be defended to
the Welsh Government, a reporter or a parent. Every change (created, a rating set or
changed, an action added, finalised) is an append-only row of ``sufficiency_changes``: who,
when, from what to what, and why. A final assessment is a published document: nothing in
it changes after that, so a new period is a new assessment. An assessment of some wards is
seen and changed only by officers who cover one of them; an assessment of the whole council
only by officers of the whole council.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from geo.council.sufficiency.frameworks import FRAMEWORKS, RATINGS, Framework
from geo.errors import ChangedMeanwhile, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from geo.i18n import N_, Words, number, t
from geo.permissions import Actor, Scope, require, rereads_actor, scope
from geo.storage.db import Cursor, Store, next_id
from geo.storage.submissions import earlier, remember

ACTION = "assess_play_sufficiency"
MAX_EVIDENCE = 4_000
MAX_WHAT = 500
MAX_WHO = 200
STATUSES = Words({"draft": N_("Draft"), "final": N_("Final")})
# What a person is asked to write, per field: a message each, as word order differs by
# language (Welsh mutates the noun after "the").
_MISSING = {
    "evidence": N_("write the evidence"),
    "action": N_("write the action"),
    "person or team": N_("write the person or team"),
    "reason": N_("write the reason"),
}
_TOO_LONG = {
    "evidence": N_("the evidence is longer than {limit} characters; shorten it"),
    "action": N_("the action is longer than {limit} characters; shorten it"),
    "person or team": N_("the person or team is longer than {limit} characters; shorten it"),
    "reason": N_("the reason is longer than {limit} characters; shorten it"),
}


@dataclass(frozen=True)
class Rating:
    rating: str
    evidence: str
    rated_by: str
    rated_at: datetime


@dataclass(frozen=True)
class Assessment:
    id: int
    framework: Framework
    period_start: date
    period_end: date
    ward_ids: tuple[int, ...]
    status: str
    created_by: str
    ratings: dict[str, Rating]
    actions: pd.DataFrame  # criterion, what, who, due
    changes: pd.DataFrame  # changed_at, item, from_value, to_value, actor, reason
    # The report as finalised (record.to_json), kept so the published record never changes.
    final_report: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope(frozenset(self.ward_ids)) if self.ward_ids else Scope()

    def status_words(self) -> str:
        return STATUSES[self.status]

    def unrated(self) -> list[str]:
        """The titles, in the reader's language, of the criteria still without a rating."""
        return [t(c.title) for c in self.framework.criteria if c.id not in self.ratings]


def _who(actor: Actor) -> str:
    return actor.login or actor.display_name


def _audit(
    cursor: Cursor, assessment_id: int, item: str, before: str | None, after: str,
    actor: Actor, reason: str | None, now: datetime,
) -> None:  # fmt: skip
    cursor.execute(
        "INSERT INTO sufficiency_changes (id, assessment_id, item, from_value, to_value, actor, "
        "reason, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [next_id(cursor, "sufficiency_change_ids"), assessment_id, item, before, after,
         _who(actor), reason, now],
    )  # fmt: skip


def _words(text: str | None, what: str, limit: int) -> str:
    cleaned = " ".join((text or "").split()) if what != "evidence" else (text or "").strip()
    if not cleaned:
        raise InvalidInput(t(_MISSING[what]))
    if len(cleaned) > limit:
        raise InvalidInput(t(_TOO_LONG[what], limit=number(limit)))
    return cleaned


@rereads_actor
def create_assessment(
    store: Store,
    actor: Actor,
    framework: str,
    period_start: date,
    period_end: date,
    ward_ids: Iterable[int],
    now: datetime,
    token: str | None = None,
) -> int:
    """A new draft assessment; ``ward_ids`` empty means the whole council area."""
    wards = sorted({int(w) for w in ward_ids})
    if framework not in FRAMEWORKS:
        raise InvalidInput(t("choose Wales, Scotland or London Plan S4"))
    if period_start > period_end:
        raise InvalidInput(t("the period ends before it starts; check the two dates"))
    if not wards and not scope(actor, ACTION).everywhere:
        raise PermissionDenied(
            t(
                "choose the wards: your account covers only some wards, so it cannot assess "
                "the whole council area"
            )
        )
    if wards and not scope(actor, ACTION).holds(wards):
        raise PermissionDenied(t("some of these wards are outside the wards your account covers"))
    require(actor, ACTION, wards)
    with store.write() as cursor:
        if (done := earlier(cursor, token, "sufficiency_assessment")) is not None:
            return done
        assessment_id = next_id(cursor, "sufficiency_assessment_ids")
        cursor.execute(
            "INSERT INTO sufficiency_assessments (id, framework, period_start, period_end, "
            "ward_ids, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)",
            [assessment_id, framework, period_start, period_end, wards, _who(actor), now],
        )
        _audit(cursor, assessment_id, "status", None, "draft", actor, "created", now)
        remember(cursor, token, "sufficiency_assessment", assessment_id, now)
    return assessment_id


def assessments(store: Store, actor: Actor) -> pd.DataFrame:
    """The assessments ``actor`` may open, newest first."""
    where = scope(actor, ACTION)
    table = store.frame(
        "SELECT id, framework, period_start, period_end, ward_ids, status, created_by, "
        "created_at FROM sufficiency_assessments ORDER BY id DESC"
    )
    keep = [where.covers(list(wards)) for wards in table["ward_ids"]]
    return table[keep].reset_index(drop=True) if len(table) else table


def assessment(store: Store, actor: Actor, assessment_id: int) -> Assessment:
    """One assessment with its ratings, actions and changes, if ``actor`` may see it."""
    found = _read(store, assessment_id)
    require(actor, ACTION, found.ward_ids)
    return found


def _read(store: Store, assessment_id: int) -> Assessment:
    row = store.row(
        "SELECT framework, period_start, period_end, ward_ids, status, created_by, "
        "final_report FROM sufficiency_assessments WHERE id = ?",
        [assessment_id],
    )
    if row is None:
        raise NotFound(t("there is no such assessment; it may have been removed"))
    ratings = {
        criterion: Rating(rating, evidence, by, at)
        for criterion, rating, evidence, by, at in store.rows(
            "SELECT criterion, rating, evidence, rated_by, rated_at FROM sufficiency_ratings "
            "WHERE assessment_id = ?",
            [assessment_id],
        )
    }
    actions = store.frame(
        "SELECT id, criterion, what, who, due FROM sufficiency_actions WHERE assessment_id = ? "
        "ORDER BY due, id",
        [assessment_id],
    )
    changes = store.frame(
        "SELECT changed_at, item, from_value, to_value, actor, reason FROM sufficiency_changes "
        "WHERE assessment_id = ? ORDER BY changed_at, id",
        [assessment_id],
    )
    return Assessment(
        assessment_id, FRAMEWORKS[row[0]], row[1], row[2], tuple(int(w) for w in row[3]),
        row[4], row[5], ratings, actions, changes, row[6],
    )  # fmt: skip


def _still_draft(cursor: Cursor, assessment_id: int) -> None:
    """Inside a write: the assessment is still a draft, and stays one until this commits
    (the no-op update holds its row, so a finalise on another replica waits for us)."""
    held = cursor.execute(
        "UPDATE sufficiency_assessments SET status = status WHERE id = ? AND status = 'draft' "
        "RETURNING id",
        [assessment_id],
    ).fetchone()
    if held is None:
        raise ChangedMeanwhile(t("someone finalised this assessment a moment ago; nothing changed"))


def _draft(found: Assessment) -> Assessment:
    if found.status != "draft":
        raise IllegalTransition(t("this assessment is final; start a new one to change it"))
    return found


@rereads_actor
def rate(
    store: Store,
    actor: Actor,
    assessment_id: int,
    criterion: str,
    rating: str,
    evidence: str,
    now: datetime,
) -> None:
    """Confirm or change one criterion's rating; evidence is always required."""
    found = _draft(_read(store, assessment_id))
    require(actor, ACTION, found.ward_ids)
    if criterion not in {c.id for c in found.framework.criteria}:
        raise InvalidInput(t("this criterion is not part of the assessment's framework"))
    if rating not in RATINGS:
        raise InvalidInput(t("choose red, amber or green"))
    evidence = _words(evidence, "evidence", MAX_EVIDENCE)
    before = found.ratings.get(criterion)
    with store.write() as cursor:
        _still_draft(cursor, assessment_id)
        cursor.execute(
            "INSERT INTO sufficiency_ratings (assessment_id, criterion, rating, evidence, "
            "rated_by, rated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, "
            "criterion) DO UPDATE SET rating = excluded.rating, evidence = excluded.evidence, "
            "rated_by = excluded.rated_by, rated_at = excluded.rated_at",
            [assessment_id, criterion, rating, evidence, _who(actor), now],
        )
        _audit(
            cursor, assessment_id, f"rating:{criterion}", before.rating if before else None,
            rating, actor, evidence, now,
        )  # fmt: skip


@rereads_actor
def add_action(
    store: Store,
    actor: Actor,
    assessment_id: int,
    criterion: str,
    what: str,
    who: str,
    due: date,
    now: datetime,
    token: str | None = None,
) -> int:
    """One line of the action plan: what will be done, by whom, by when."""
    found = _draft(_read(store, assessment_id))
    require(actor, ACTION, found.ward_ids)
    if criterion not in {c.id for c in found.framework.criteria}:
        raise InvalidInput(t("choose the criterion this action answers"))
    what, who = _words(what, "action", MAX_WHAT), _words(who, "person or team", MAX_WHO)
    if due < found.period_start:
        raise InvalidInput(t("the action is due before the assessment's period starts"))
    with store.write() as cursor:
        if (done := earlier(cursor, token, "sufficiency_action")) is not None:
            return done
        _still_draft(cursor, assessment_id)
        action_id = next_id(cursor, "sufficiency_action_ids")
        cursor.execute(
            "INSERT INTO sufficiency_actions (id, assessment_id, criterion, what, who, due, "
            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [action_id, assessment_id, criterion, what, who, due, _who(actor), now],
        )
        _audit(cursor, assessment_id, f"action:{criterion}", None, what, actor, who, now)
        remember(cursor, token, "sufficiency_action", action_id, now)
    return action_id


@rereads_actor
def finalise(
    store: Store, actor: Actor, assessment_id: int, reason: str, now: datetime, report: str
) -> None:
    """Mark the assessment final, once every criterion has a confirmed rating, keeping
    ``report`` (``record.to_json`` of the report as finalised: ``exports.finalise`` builds
    it) as the published record that later downloads lay out."""
    found = _draft(_read(store, assessment_id))
    require(actor, ACTION, found.ward_ids)
    reason = _words(reason, "reason", MAX_WHAT)
    if missing := found.unrated():
        raise IllegalTransition(
            t(
                "confirm a rating for every criterion first; still unrated: {criteria}",
                criteria="; ".join(missing),
            )
        )
    with store.write() as cursor:
        _still_draft(cursor, assessment_id)
        cursor.execute(
            "UPDATE sufficiency_assessments SET status = 'final', final_report = ? WHERE id = ?",
            [report, assessment_id],
        )
        _audit(cursor, assessment_id, "status", "draft", "final", actor, reason, now)
