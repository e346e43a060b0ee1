"""Shared accountability: milestones, check-ins, and what is stale or overdue.

An approved initiative is broken into small milestones (owner, due date, done with a note)
and reported on in regular check-ins. Its progress is the latest check-in's stated figure
if one was given, else the share of milestones done. An initiative under way with no
check-in within its cadence is *stale*; a milestone past its due date and not done is
*overdue*. Every rule takes ``now`` as an argument, so the boundaries are testable.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from geo.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from geo.i18n import number, percent, t
from geo.notify.audiences import initiative_title, tell_initiative
from geo.permissions import Actor, allowed, owns, require, rereads_actor
from geo.storage.db import Store, next_id, retry_on_conflict
from geo.storage.membership import initiative_area_ids
from geo.storage.submissions import earlier, remember

DEFAULT_CADENCE_DAYS = 14
TRACKED = ("approved", "in_progress")  # stale applies to these
MAX_TEXT = 1_000
MAX_TITLE = 200


def may_track(cursor: duckdb.DuckDBPyConnection, actor: Actor, initiative_id: int) -> None:
    """Raise unless ``actor`` may report on this initiative (its leader, a member of one of
    its partners, a council officer for its wards, or an administrator)."""
    require(actor, "track_progress")
    row = cursor.execute(
        "SELECT owner_id, partners, status FROM initiatives WHERE id = ?", [initiative_id]
    ).fetchone()
    if row is None:
        raise NotFound(t("there is no initiative number {number}", number=initiative_id))
    owner_id, partner_names, status = row
    if status not in ("approved", "in_progress", "completed"):
        raise IllegalTransition(t("progress is tracked once an initiative is approved"))
    if actor.role == "admin":
        return
    if actor.role == "council":
        require(actor, "track_progress", initiative_area_ids(cursor, initiative_id))
        return
    if owns(actor, owner_id):
        return
    member = cursor.execute(
        "SELECT count(*) FROM partner_members m JOIN partners p ON p.id = m.partner_id "
        "WHERE m.user_id = ? AND list_contains(?, p.name)",
        [actor.user_id, list(partner_names or [])],
    ).fetchone()[0]
    if not member:
        raise PermissionDenied(
            t("only the initiative's leader, its partners' members and the council can do this")
        )


def _text(value: str | None, what: str, limit: int = MAX_TEXT, required: bool = False) -> str:
    """``value`` trimmed, refused when missing or too long; ``what`` is the field as a
    translated noun phrase ("the note"), named in the message."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(t("write {what}", what=what))
    if len(text) > limit:
        raise InvalidInput(
            t(
                "{what} is {count} characters; keep it under {limit}",
                what=what,
                count=number(len(text)),
                limit=number(limit),
            )
        )
    return text


@retry_on_conflict
@rereads_actor
def add_milestone(
    store: Store,
    actor: Actor,
    initiative_id: int,
    title: str,
    owner: str | None,
    due: date | None,
    now: datetime,
    token: str | None = None,
) -> int:
    """Add a milestone at the end; a second press of the same form render (``token``)
    returns the first."""
    title = _text(title, t("the milestone's title"), MAX_TITLE, required=True)
    owner = _text(owner, t("the owner"), MAX_TITLE) or None
    with store.write() as cursor:
        may_track(cursor, actor, initiative_id)
        if (done := earlier(cursor, token, "milestone")) is not None:
            return done
        position = cursor.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM milestones WHERE initiative_id = ?",
            [initiative_id],
        ).fetchone()[0]
        milestone_id = next_id(cursor, "milestone_ids")
        cursor.execute(
            "INSERT INTO milestones (id, initiative_id, position, title, owner, due_date, "
            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [milestone_id, initiative_id, position, title, owner, due, actor.display_name, now],
        )
        remember(cursor, token, "milestone", milestone_id, now)
    return milestone_id


def _milestone_initiative(cursor: duckdb.DuckDBPyConnection, milestone_id: int) -> int:
    row = cursor.execute(
        "SELECT initiative_id FROM milestones WHERE id = ?", [milestone_id]
    ).fetchone()
    if row is None:
        raise NotFound(t("there is no milestone number {number}", number=milestone_id))
    return int(row[0])


@rereads_actor
def complete_milestone(
    store: Store, actor: Actor, milestone_id: int, note: str | None, now: datetime
) -> None:
    note = _text(note, t("the note")) or None
    with store.write() as cursor:
        initiative_id = _milestone_initiative(cursor, milestone_id)
        may_track(cursor, actor, initiative_id)
        done, title = cursor.execute(
            "SELECT done_at, title FROM milestones WHERE id = ?", [milestone_id]
        ).fetchone()
        if done is not None:
            raise IllegalTransition(t("this milestone is already done"))
        cursor.execute(
            "UPDATE milestones SET done_at = ?, done_note = ? WHERE id = ?",
            [now, note, milestone_id],
        )
        initiative = initiative_title(cursor, initiative_id)
        tell_initiative(
            cursor,
            initiative_id,
            "milestone",
            lambda: t("Milestone done: {title}", title=title),
            lambda: t(
                "{person} marked “{title}” done on “{initiative}”.",
                person=actor.display_name,
                title=title,
                initiative=initiative,
            ),
            now,
            skip=[actor.user_id],
        )


@rereads_actor
def move_milestone(store: Store, actor: Actor, milestone_id: int, step: int) -> None:
    """Move a milestone up (-1) or down (+1) the list by swapping with its neighbour."""
    with store.write() as cursor:
        initiative_id = _milestone_initiative(cursor, milestone_id)
        may_track(cursor, actor, initiative_id)
        order = [
            r[0]
            for r in cursor.execute(
                "SELECT id FROM milestones WHERE initiative_id = ? ORDER BY position, id",
                [initiative_id],
            ).fetchall()
        ]
        here = order.index(milestone_id)
        there = here + step
        if not 0 <= there < len(order):
            return
        order[here], order[there] = order[there], order[here]
        cursor.executemany(
            "UPDATE milestones SET position = ? WHERE id = ?",
            [[position, mid] for position, mid in enumerate(order, start=1)],
        )


@retry_on_conflict
@rereads_actor
def post_checkin(
    store: Store,
    actor: Actor,
    initiative_id: int,
    happened: str,
    now: datetime,
    *,
    progress: int | None = None,
    blocked: str | None = None,
    next_step: str | None = None,
    token: str | None = None,
) -> int:
    """Post a check-in; a second press of the same form render (``token``) returns the first."""
    happened = _text(happened, t("what happened"), required=True)
    blocked = _text(blocked, t("what is blocked")) or None
    next_step = _text(next_step, t("the next step")) or None
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput(t("progress is a percentage from 0 to 100"))
    with store.write() as cursor:
        may_track(cursor, actor, initiative_id)
        if (done := earlier(cursor, token, "checkin")) is not None:
            return done
        checkin_id = next_id(cursor, "checkin_ids")
        cursor.execute(
            "INSERT INTO checkins (id, initiative_id, author_id, author_name, progress, "
            "happened, blocked, next_step, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                checkin_id,
                initiative_id,
                actor.user_id,
                actor.display_name,
                progress,
                happened,
                blocked,
                next_step,
                now,
            ],
        )
        remember(cursor, token, "checkin", checkin_id, now)
        title = initiative_title(cursor, initiative_id)

        def said() -> str:  # in each recipient's language
            words = [
                t(
                    "{person} posted a check-in on “{title}”.",
                    person=actor.display_name,
                    title=title,
                )
            ]
            if progress is not None:
                words.append(t("Progress: {share}.", share=percent(progress / 100)))
            if blocked:
                words.append(t("Something is blocked."))
            return " ".join(words)

        tell_initiative(
            cursor,
            initiative_id,
            "checkin",
            lambda: t("A check-in on {title}", title=title),
            said,
            now,
            skip=[actor.user_id],
        )
    return checkin_id


@rereads_actor
def set_cadence(store: Store, actor: Actor, initiative_id: int, days: int) -> None:
    if not 1 <= days <= 120:
        raise InvalidInput(t("check in every 1 to 120 days"))
    with store.write() as cursor:
        may_track(cursor, actor, initiative_id)
        cursor.execute(
            "UPDATE initiatives SET checkin_every_days = ? WHERE id = ?", [days, initiative_id]
        )


def milestones(store: Store, initiative_id: int, today: date) -> pd.DataFrame:
    frame = store.frame(
        "SELECT id, position, title, owner, due_date, done_at, done_note FROM milestones "
        "WHERE initiative_id = ? ORDER BY position, id",
        [initiative_id],
    )
    frame["overdue"] = [
        pd.isna(done) and pd.notna(due) and pd.Timestamp(due).date() < today
        for due, done in zip(frame["due_date"], frame["done_at"], strict=True)
    ]
    return frame


def checkins(store: Store, initiative_id: int) -> pd.DataFrame:
    return store.frame(
        "SELECT id, author_name, progress, happened, blocked, next_step, created_at "
        "FROM checkins WHERE initiative_id = ? ORDER BY created_at DESC, id DESC",
        [initiative_id],
    )


def progress_percent(stated: Any, done: int, total: int) -> int | None:
    """The latest stated figure if there is one, else milestones done over all; None when
    neither is known."""
    if stated is not None and not pd.isna(stated):
        return int(stated)
    if total == 0:
        return None
    return round(100 * done / total)


def is_stale(
    status: str, last_checkin: datetime | None, since: datetime, cadence_days: int, now: datetime
) -> bool:
    """Under way and silent for longer than the cadence (counted from the last check-in, or
    from approval when there has been none). Exactly ``cadence_days`` is still on time."""
    if status not in TRACKED:
        return False
    last = last_checkin or since
    return now - last > timedelta(days=cadence_days)


_STATE = """
    SELECT i.id, i.title, i.status, i.owner_id, i.partners,
           coalesce(i.checkin_every_days, $cadence) AS cadence_days,
           (SELECT max(created_at) FROM checkins c WHERE c.initiative_id = i.id) AS last_checkin,
           (SELECT progress FROM checkins c WHERE c.initiative_id = i.id
            ORDER BY created_at DESC, id DESC LIMIT 1) AS stated_progress,
           (SELECT max(changed_at) FROM status_changes s WHERE s.initiative_id = i.id
            AND s.to_status IN ('approved', 'in_progress')) AS since,
           (SELECT count(*) FROM milestones m WHERE m.initiative_id = i.id) AS milestones,
           (SELECT count(*) FROM milestones m WHERE m.initiative_id = i.id
            AND m.done_at IS NOT NULL) AS done,
           (SELECT count(*) FROM milestones m WHERE m.initiative_id = i.id
            AND m.done_at IS NULL AND m.due_date < $today) AS overdue
    FROM initiatives i WHERE list_contains($statuses, i.status)
"""


def tracking_state(store: Store, now: datetime, ids: list[int] | None = None) -> pd.DataFrame:
    """Per approved, running or completed initiative: progress, stale, overdue milestones."""
    frame = store.frame(
        _STATE + " AND (CAST($ids AS INTEGER[]) IS NULL "
        "OR list_contains(CAST($ids AS INTEGER[]), i.id)) ORDER BY i.id",
        {
            "cadence": DEFAULT_CADENCE_DAYS,
            "today": now.date(),
            "ids": ids,
            "statuses": ["approved", "in_progress", "completed"],
        },
    )
    frame["progress"] = [
        progress_percent(s, d, t)
        for s, d, t in zip(
            frame["stated_progress"], frame["done"], frame["milestones"], strict=True
        )
    ]
    frame["stale"] = [
        is_stale(
            status,
            None if pd.isna(last) else last.to_pydatetime(),
            since.to_pydatetime() if pd.notna(since) else now,
            int(cadence),
            now,
        )
        for status, last, since, cadence in zip(
            frame["status"],
            frame["last_checkin"],
            frame["since"],
            frame["cadence_days"],
            strict=True,
        )
    ]
    return frame


def needs_me(store: Store, actor: Actor, now: datetime) -> pd.DataFrame:
    """The actor's initiatives (as leader or partner member) that are stale or have overdue
    milestones, most urgent first."""
    state = tracking_state(store, now)
    partner_names = {
        r[0]
        for r in store.rows(
            "SELECT p.name FROM partners p JOIN partner_members m ON m.partner_id = p.id "
            "WHERE m.user_id = ?",
            [actor.user_id],
        )
    }
    mine = state[
        (state["owner_id"] == actor.user_id)
        | state["partners"].apply(lambda names: bool(set(list(names)) & partner_names))
    ]
    urgent = mine[mine["stale"] | (mine["overdue"] > 0)]
    return urgent.sort_values(["overdue", "stale"], ascending=False)


def may_track_here(store: Store, actor: Actor, initiative_id: int) -> bool:
    """Whether to show the reporting forms to ``actor`` (the services check again)."""
    if not allowed(actor, "track_progress"):
        return False
    try:
        may_track(store.cursor(), actor, initiative_id)
    except (PermissionDenied, IllegalTransition, NotFound):
        return False
    return True
