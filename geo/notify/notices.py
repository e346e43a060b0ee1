"""Notices: the inbox row each recipient gets, and the e-mail queued for it in the same
transaction.

``notify`` is called by a service inside its ``store.write()``: if the change rolls back,
so do its notices and e-mails; once it commits, nothing is lost if the process dies before
the sender runs. A notice's subject and body are plain text that can hold other people's
words (a proposal's title, a reviewer's reason); every place that shows one escapes it for
what it is shown in (``geo.escape``). A notice never carries the text of a voice or a
concern, an anonymous report's location, or anyone's e-mail address.

Each notice is written in its recipient's language (the one their account chose, else
English), not in the language of whoever acted: a caller passes its words as a function
(``lambda: t("Overdue: {title}", title=title)``) that ``notify`` calls once per language
among the recipients. Fixed text (already in someone's words) may be passed as it is.

Whether a notice is also e-mailed, and when, is the recipient's choice for its kind
(``email_choices``, else ``kinds.KINDS``'s default): at once, in the next daily or weekly
digest, or never. Only a confirmed address that has not failed repeatedly is used, and a
young person's account is e-mailed only with a guardian's consent recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import pandas as pd

from geo.errors import InvalidInput, NotFound
from geo.i18n import speaking, t
from geo.notify.kinds import EMAIL_CHOICES, KINDS
from geo.permissions import Actor, require, rereads_actor
from geo.storage.db import Cursor, Store, next_id

#: Digests go out at this hour (UTC); a weekly digest on Mondays.
DIGEST_HOUR = 7
WEEKLY_DIGEST_WEEKDAY = 0
MAX_SUBJECT = 200
MAX_BODY = 2000
INBOX_LIMIT = 200
# People who may be e-mailed: confirmed, not stopped after failures, active, and a young
# person only with a guardian's consent recorded.
EMAILABLE_SQL = (
    "u.active AND u.email IS NOT NULL AND u.email_confirmed_at IS NOT NULL "
    "AND u.email_stopped_at IS NULL "
    "AND (NOT coalesce(u.is_minor, false) OR u.guardian_consent_at IS NOT NULL)"
)
#: A notice's words: text as it is, or a function writing them in the language in force.
Wording = str | Callable[[], str]


def notify(
    cursor: Cursor,
    recipients: Iterable[int | None],
    kind: str,
    subject: Wording,
    body: Wording,
    now: datetime,
    *,
    link: str | None = None,
    initiative_id: int | None = None,
    place_id: int | None = None,
    area_id: int | None = None,
    dedupe_key: str | None = None,
    skip: Iterable[int | None] = (),
    email: bool = True,
) -> list[int]:
    """Inside a write: give each active recipient (less ``skip``, usually whoever acted)
    one notice, and queue its e-mail as they chose. A ``dedupe_key`` makes it once per
    person however often it is raised. ``email=False`` for a notice whose e-mail is queued
    by its caller (a newsletter issue is itself the e-mail). Returns the new notices' ids."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    skipped = {s for s in skip if s is not None}
    people = sorted({int(r) for r in recipients if r is not None} - skipped)
    if not people:
        return []
    languages = {
        int(row[0]): row[1]
        for row in cursor.execute(
            "SELECT id, language FROM users WHERE active "
            "AND list_contains(CAST(? AS INTEGER[]), id)",
            [people],
        ).fetchall()
    }
    active = set(languages)
    if dedupe_key is not None and active:
        already = cursor.execute(
            "SELECT user_id FROM notices WHERE dedupe_key = ? "
            "AND list_contains(CAST(? AS INTEGER[]), user_id)",
            [dedupe_key, sorted(active)],
        ).fetchall()
        active -= {int(row[0]) for row in already}
    made = []
    written: dict[str | None, tuple[str, str]] = {}
    for user_id in sorted(active):
        language = languages[user_id]
        if language not in written:
            with speaking(language):
                written[language] = (
                    _clip(_words(subject), MAX_SUBJECT),
                    _clip(_words(body), MAX_BODY),
                )
        subject_text, body_text = written[language]
        notice_id = next_id(cursor, "notice_ids")
        cursor.execute(
            "INSERT INTO notices (id, user_id, kind, subject, body, link, initiative_id, "
            "place_id, area_id, dedupe_key, created_at, read_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                notice_id,
                user_id,
                kind,
                subject_text,
                body_text,
                link,
                initiative_id,
                place_id,
                area_id,
                dedupe_key,
                now,
            ],
        )
        made.append(notice_id)
    if made and email:
        _queue_email(cursor, made, kind, now)
    return made


def _queue_email(cursor: Cursor, notice_ids: list[int], kind: str, now: datetime) -> None:
    rows = cursor.execute(
        "SELECT n.id, n.user_id, coalesce(c.choice, ?) FROM notices n "  # noqa: S608
        "JOIN users u ON u.id = n.user_id "
        "LEFT JOIN email_choices c ON c.user_id = n.user_id AND c.kind = n.kind "
        f"WHERE list_contains(CAST(? AS INTEGER[]), n.id) AND {EMAILABLE_SQL}",
        [KINDS[kind].default, notice_ids],
    ).fetchall()
    for notice_id, user_id, choice in rows:
        if choice == "off":
            continue
        queue(cursor, int(user_id), kind, choice, now, notice_id=int(notice_id))


def queue(
    cursor: Cursor,
    user_id: int,
    kind: str,
    batch: str,
    now: datetime,
    *,
    notice_id: int | None = None,
    issue_id: int | None = None,
) -> int:
    """Inside a write: one e-mail row in the outbox, due when its batch goes out."""
    outbox_id = next_id(cursor, "outbox_ids")
    cursor.execute(
        "INSERT INTO outbox (id, user_id, kind, batch, notice_id, issue_id, state, due_at, "
        "attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, 0, ?)",
        [outbox_id, user_id, kind, batch, notice_id, issue_id, due_time(batch, now), now],
    )
    return outbox_id


def due_time(batch: str, now: datetime) -> datetime:
    """When an e-mail of ``batch`` goes out: now, or the next daily or weekly digest."""
    if batch in ("now", "newsletter"):
        return now
    at = now.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    if batch == "weekly":
        at += timedelta(days=(WEEKLY_DIGEST_WEEKDAY - at.weekday()) % 7)
    return at


def _words(wording: Wording) -> str:
    return wording() if callable(wording) else wording


def _clip(text: str, limit: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- reading the inbox -------------------------------------------------------------------


def inbox(store: Store, actor: Actor, unread_only: bool = False) -> pd.DataFrame:
    """The actor's notices, newest first: id, kind, subject, body, link, created_at, read_at."""
    if not actor.signed_in or actor.user_id is None:
        return pd.DataFrame(
            columns=["id", "kind", "subject", "body", "link", "created_at", "read_at"]
        )
    return store.frame(
        "SELECT id, kind, subject, body, link, created_at, read_at FROM notices "  # noqa: S608
        "WHERE user_id = ? AND (NOT ? OR read_at IS NULL) "
        f"ORDER BY created_at DESC, id DESC LIMIT {INBOX_LIMIT}",
        [actor.user_id, unread_only],
    )


def unread_count(store: Store, actor: Actor) -> int:
    if not actor.signed_in or actor.user_id is None:
        return 0
    return int(
        store.value(
            "SELECT count(*) FROM notices WHERE user_id = ? AND read_at IS NULL",
            [actor.user_id],
            0,
        )
    )


@rereads_actor
def mark_read(
    store: Store, actor: Actor, now: datetime, notice_ids: Iterable[int] | None = None
) -> int:
    """Mark some of one's notices (None: all of them) as read; returns how many changed."""
    require(actor, "follow")
    ids = None if notice_ids is None else sorted({int(i) for i in notice_ids})
    with store.write(shown=False) as cursor:
        changed = cursor.execute(
            "UPDATE notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL "
            "AND (CAST(? AS INTEGER[]) IS NULL OR list_contains(CAST(? AS INTEGER[]), id)) "
            "RETURNING id",
            [now, actor.user_id, ids, ids],
        ).fetchall()
    return len(changed)


# --- e-mail choices -----------------------------------------------------------------------


def email_choices(store: Store, actor: Actor) -> dict[str, str]:
    """The actor's choice per kind, defaults filled in."""
    chosen = {}
    if actor.signed_in and actor.user_id is not None:
        chosen = dict(
            store.rows("SELECT kind, choice FROM email_choices WHERE user_id = ?", [actor.user_id])
        )
    return {kind: chosen.get(kind, spec.default) for kind, spec in KINDS.items()}


@rereads_actor
def set_email_choice(store: Store, actor: Actor, kind: str, choice: str) -> None:
    """How one kind of notice reaches the actor by e-mail. Waiting e-mails of that kind
    follow the new choice: off drops them, another batch moves them to its time."""
    require(actor, "follow")
    if kind not in KINDS:
        raise NotFound(t("there is no such kind of notice"))
    if choice not in EMAIL_CHOICES:
        raise InvalidInput(t("choose at once, daily digest, weekly digest or not by e-mail"))
    with store.write(shown=False) as cursor:
        cursor.execute(
            "DELETE FROM email_choices WHERE user_id = ? AND kind = ?", [actor.user_id, kind]
        )
        cursor.execute(
            "INSERT INTO email_choices (user_id, kind, choice) VALUES (?, ?, ?)",
            [actor.user_id, kind, choice],
        )
        if choice == "off":
            cursor.execute(
                "UPDATE outbox SET state = 'dropped', last_error = 'turned off by the person' "
                "WHERE user_id = ? AND kind = ? AND state = 'waiting' AND notice_id IS NOT NULL",
                [actor.user_id, kind],
            )
        else:
            for outbox_id, created_at in cursor.execute(
                "SELECT id, created_at FROM outbox WHERE user_id = ? AND kind = ? "
                "AND state = 'waiting' AND notice_id IS NOT NULL",
                [actor.user_id, kind],
            ).fetchall():
                cursor.execute(
                    "UPDATE outbox SET batch = ?, due_at = ? WHERE id = ?",
                    [choice, due_time(choice, created_at), outbox_id],
                )
