"""One moderation skeleton: how a moderator's decision on a record is checked and kept.

Comments (``geo.proposals.feedback``), voices and concern reports (``geo.safeguarding``) are
each described once as a ``Moderated`` table, and every decision goes through ``decide``,
which always takes the same steps in the same order: the role may moderate at all; the
decision is one the table knows; the reason is cleaned; then, in one transaction, the record
is loaded, its wards are checked against the moderator's scope, the step from its state is
checked against the table's legal transitions, the record is changed and one audit row says
who, from what, to what, why and when. A refusal at any step writes nothing.

The reasons a person gives for a step (a proposal decision, hiding a comment) are cleaned
here too (``clean_reason``), so every reason is stored within the same limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from geo.errors import ChangedMeanwhile, IllegalTransition, InvalidInput, NotFound
from geo.i18n import N_, Words, number, t
from geo.permissions import Actor, require, rereads_actor
from geo.storage.db import Store

Cursor = duckdb.DuckDBPyConnection
# (cursor, record id, from state, to state, who, why, when): appends one audit row.
AuditWriter = Callable[[Cursor, int, str | None, str, str, str | None, datetime], None]
# (cursor, record id, from state, to state, stored reason, who decided, when): tells whom
# the decision concerns, less who decided.
Announcer = Callable[[Cursor, int, str, str, str | None, Actor, datetime], None]
MAX_REASON_CHARS = 1_000
# What a moderated record is called in a refusal ("someone else decided on this voice").
_NOUNS = Words({"comment": N_("comment"), "voice": N_("voice"), "concern": N_("concern")})


def clean_reason(
    reason: str | None,
    required: bool,
    missing: str | None = None,
) -> str | None:
    """The reason as stored: trimmed, within the limit, present when the step needs one
    (``missing`` says who reads it: a proposal's reason is public, a comment's is not; the
    caller passes it translated, and without one the proposal's words are used)."""
    text = (reason or "").strip()
    if required and not text:
        raise InvalidInput(missing or t("write a reason: the proposer and the public will read it"))
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(
            t(
                "the reason is {length} characters long; keep it under {limit}",
                length=number(len(text)),
                limit=number(MAX_REASON_CHARS),
            )
        )
    return text or None


def log_change(
    cursor: Cursor,
    kind: str,
    item_id: int,
    before: str | None,
    after: str,
    who: str,
    why: str | None,
    now: datetime,
) -> None:
    """Append a row to ``moderation_log``, the audit trail of voices and concerns."""
    cursor.execute(
        "INSERT INTO moderation_log (item_kind, item_id, from_state, to_state, actor, reason, "
        "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [kind, item_id, before, after, who, why, now],
    )


def logged_as(kind: str) -> AuditWriter:
    """The audit writer for records of ``kind`` ("voice", "concern") in ``moderation_log``."""

    def write(
        cursor: Cursor,
        item_id: int,
        before: str | None,
        after: str,
        who: str,
        why: str | None,
        now: datetime,
    ) -> None:
        log_change(cursor, kind, item_id, before, after, who, why, now)

    return write


def in_its_ward(_cursor: Cursor, area_id: Any) -> list[int]:
    """The scope rule of a record that holds its own ward (``area_id``). A record in no ward
    is in the scope of an officer for the whole council area only."""
    return [int(area_id)] if area_id is not None else []


def no_changes(_reason: str | None, _now: datetime) -> dict[str, Any]:
    return {}


def tell_nobody(*_args: Any) -> None:
    """The announcer of a record whose decisions concern nobody outside the council."""


@dataclass(frozen=True)
class Moderated:
    """A table whose records a moderator moves from state to state, described once.

    ``transitions`` are the legal (from, to) steps; the states a moderator may choose are
    their "to" sides. ``ward_column`` is read with the state and ``wards`` turns it into the
    record's wards (the scope rule). ``clean`` turns the given reason into the stored one
    (or refuses it), ``also_set`` names the other columns every decision writes,
    ``audit`` appends the audit row and ``announce`` tells whom the decision concerns, in
    the same transaction (``geo.notify`` sits above this module, so the tables bring it).
    """

    noun: str
    table: str
    state_column: str
    action: str
    transitions: frozenset[tuple[str, str]]
    unknown_decision: str
    illegal: Callable[[str, str], str]
    ward_column: str
    wards: Callable[[Cursor, Any], Iterable[int]]
    clean: Callable[[str, str | None], str | None]
    audit: AuditWriter
    also_set: Callable[[str | None, datetime], Mapping[str, Any]] = field(default=no_changes)
    announce: Announcer = field(default=tell_nobody)

    @property
    def decisions(self) -> frozenset[str]:
        return frozenset(after for _before, after in self.transitions)


@rereads_actor
def decide(
    store: Store,
    actor: Actor,
    moderated: Moderated,
    item_id: int,
    decision: str,
    reason: str | None,
    now: datetime,
    edits: Callable[[], Mapping[str, Any]] | None = None,
) -> str:
    """Move record ``item_id`` of ``moderated`` to ``decision`` for ``actor``, with its audit
    row, and return the state it was in. ``edits`` gives further column values (a voice's
    edited text); it runs after every check, so a refused decision never looks at them.

    Raises ``PermissionDenied`` (role, or a record outside the actor's wards),
    ``InvalidInput`` (an unknown decision, a reason ``clean`` refuses), ``NotFound`` and
    ``IllegalTransition``; nothing is written then.
    """
    require(actor, moderated.action)
    if decision not in moderated.decisions:
        raise InvalidInput(t(moderated.unknown_decision))  # marked by the table's module
    stored_reason = moderated.clean(decision, reason)
    with store.write() as cursor:
        row = cursor.execute(
            f"SELECT {moderated.state_column}, {moderated.ward_column} "  # noqa: S608 - names
            f"FROM {moderated.table} WHERE id = ?",
            [item_id],
        ).fetchone()
        if row is None:
            raise NotFound(
                t("there is no {noun} number {number}", noun=_noun(moderated), number=item_id)
            )
        before, ward_value = str(row[0]), row[1]
        require(actor, moderated.action, list(moderated.wards(cursor, ward_value)))
        if (before, decision) not in moderated.transitions:
            raise IllegalTransition(moderated.illegal(before, decision))
        values = {
            moderated.state_column: decision,
            **moderated.also_set(stored_reason, now),
            **(edits() if edits is not None else {}),
        }
        assignments = ", ".join(f"{column} = ?" for column in values)
        # Written only if still in the state read above: two moderators deciding at once on
        # two replicas — the second waits for the first's commit, then finds it moved.
        changed = cursor.execute(
            f"UPDATE {moderated.table} SET {assignments} "  # noqa: S608 - names
            f"WHERE id = ? AND {moderated.state_column} = ? RETURNING id",
            [*values.values(), item_id, before],
        ).fetchone()
        if changed is None:
            raise ChangedMeanwhile(
                t(
                    "someone else decided on this {noun} a moment ago, so nothing was "
                    "changed; open it again to see where it stands",
                    noun=_noun(moderated),
                )
            )
        moderated.audit(cursor, item_id, before, decision, actor.display_name, stored_reason, now)
        moderated.announce(cursor, item_id, before, decision, stored_reason, actor, now)
    return before


def _noun(moderated: Moderated) -> str:
    """The record's noun in the reader's language (a table's own noun as it is otherwise)."""
    return _NOUNS.get(moderated.noun, moderated.noun)
