"""Sending the outbox: each e-mail once, however many senders run.

A sender claims a row by moving it ``waiting`` → ``sending`` with a compare-and-set
(``UPDATE … WHERE id = ? AND state = 'waiting' RETURNING id``): of two senders, on two
replicas or in two threads, only one gets the row back, on DuckDB and on PostgreSQL alike,
without row locks. It sends outside any transaction and then marks the row ``sent``. A
sender that dies after claiming leaves the row ``sending``; once its lease is over the
next round puts it back to ``waiting`` (it may then go twice, never not at all, and with
the same ``Message-ID``).

Failures move ``due_at`` back (1 min, 5 min, 30 min, 2 h, 12 h); after five attempts the
row is ``failed``. A permanent refusal (5xx) or repeated failures to one address stop
e-mail to it (``users.email_stopped_at``; My account says so). When our own SMTP server
cannot be used the round ends at once, so one outage does not count against every row.
Each person gets at most ``DAILY_CAP`` e-mails a day; the rest wait for the next day.
Rows whose person meanwhile lost or never confirmed their address, or turned the kind off,
are ``dropped``.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from geo.errors import NotFound
from geo.notify import mail
from geo.notify.addresses import CONFIRM_KIND
from geo.notify.mail import DIGESTS, Outgoing
from geo.notify.notices import EMAILABLE_SQL
from geo.notify.smtp import DeliveryFailed, Transport
from geo.storage.db import Store

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=10)
DAILY_CAP = 20
DEFAULT_LIMIT = 100


@dataclass
class Round:
    """What one round did, for the log and the command line."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0
    deferred: int = 0
    released: int = 0
    server_error: str | None = None

    def summary(self) -> str:
        said = (
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed, "
            f"{self.dropped} dropped, {self.deferred} over the daily cap"
        )
        return said + (f"; stopped: {self.server_error}" if self.server_error else "")


def outbox_counts(store: Store) -> dict[str, int]:
    """How many e-mails are in each state (for the administrators' page; no content)."""
    found = dict(store.rows("SELECT state, count(*) FROM outbox GROUP BY state"))
    return {
        state: int(found.get(state, 0))
        for state in ("waiting", "sending", "sent", "failed", "dropped")
    }


def sender_name() -> str:
    """Who claims rows, for ``outbox.claimed_by``: host, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def send_due(
    store: Store, now: datetime, transport: Transport, name: str, limit: int = DEFAULT_LIMIT
) -> Round:
    """Send up to ``limit`` due e-mails (a digest counts once)."""
    done = Round()
    done.released = _release_stale(store, now)
    done.dropped = _drop_undeliverable(store, now)
    for outgoing in _due(store, now, limit):
        claimed = _claim(store, outgoing, name, now)
        if claimed is None:
            continue  # another sender has it
        if _sent_today(store, claimed.user_id, now) >= DAILY_CAP:
            _put_back(store, claimed, name, _next_day(now))
            done.deferred += 1
            continue
        try:
            message = mail.compose(store, claimed, transport.sender, now)
        except NotFound as gone:
            _finish(store, claimed, name, "dropped", str(gone))
            done.dropped += 1
            continue
        try:
            transport.send(message)
        except DeliveryFailed as failure:
            if _failed(store, claimed, name, failure, now):
                done.failed += 1
            else:
                done.retrying += 1
            if failure.reason == "server":
                done.server_error = str(failure)
                break
            continue
        _sent(store, claimed, name, message["Message-ID"], now)
        done.sent += 1
    return done


def _release_stale(store: Store, now: datetime) -> int:
    with store.write(shown=False) as cursor:
        released = cursor.execute(
            "UPDATE outbox SET state = CASE WHEN attempts + 1 >= ? THEN 'failed' "
            "ELSE 'waiting' END, attempts = attempts + 1, claimed_by = NULL, "
            "claimed_at = NULL, last_error = 'the sender stopped while sending' "
            "WHERE state = 'sending' AND claimed_at < ? RETURNING id",
            [MAX_ATTEMPTS, now - LEASE],
        ).fetchall()
    return len(released)


def _drop_undeliverable(store: Store, now: datetime) -> int:
    """Drop due rows nobody can receive now: no usable address, or the kind turned off."""
    with store.write(shown=False) as cursor:
        dropped = cursor.execute(
            "UPDATE outbox SET state = 'dropped', last_error = 'no confirmed address' "  # noqa: S608
            "WHERE state = 'waiting' AND due_at <= ? AND kind <> ? AND NOT EXISTS "
            f"(SELECT 1 FROM users u WHERE u.id = outbox.user_id AND {EMAILABLE_SQL}) "
            "RETURNING id",
            [now, CONFIRM_KIND],
        ).fetchall()
        dropped += cursor.execute(
            "UPDATE outbox SET state = 'dropped', last_error = 'turned off by the person' "
            "WHERE state = 'waiting' AND due_at <= ? AND EXISTS (SELECT 1 FROM email_choices c "
            "WHERE c.user_id = outbox.user_id AND c.kind = outbox.kind AND c.choice = 'off') "
            "RETURNING id",
            [now],
        ).fetchall()
        dropped += cursor.execute(
            "UPDATE outbox SET state = 'dropped', last_error = 'nothing left to confirm' "
            "WHERE state = 'waiting' AND due_at <= ? AND kind = ? AND NOT EXISTS "
            "(SELECT 1 FROM users u WHERE u.id = outbox.user_id AND u.active "
            "AND u.email IS NOT NULL AND u.email_confirmed_at IS NULL)"
            "RETURNING id",
            [now, CONFIRM_KIND],
        ).fetchall()
    return len(dropped)


def _due(store: Store, now: datetime, limit: int) -> list[Outgoing]:
    """The due e-mails, oldest first: a person's due rows of one digest make one."""
    rows = store.rows(
        "SELECT id, user_id, kind, batch, issue_id FROM outbox "
        "WHERE state = 'waiting' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
        [now, limit],
    )
    found: list[Outgoing] = []
    digests: set[tuple[int, str]] = set()
    for outbox_id, user_id, kind, batch, issue_id in rows:
        if batch in DIGESTS:
            if (user_id, batch) in digests:
                continue
            digests.add((user_id, batch))
        found.append(Outgoing((int(outbox_id),), int(user_id), kind, batch, issue_id))
    return found


def _claim(store: Store, outgoing: Outgoing, name: str, now: datetime) -> Outgoing | None:
    """Claim the rows of one e-mail; None if another sender was first to all of them."""
    ids = list(outgoing.outbox_ids)
    if outgoing.batch in DIGESTS:
        ids = [
            int(row[0])
            for row in store.rows(
                "SELECT id FROM outbox WHERE user_id = ? AND batch = ? AND state = 'waiting' "
                "AND due_at <= ? ORDER BY id",
                [outgoing.user_id, outgoing.batch, now],
            )
        ]
    claimed = []
    with store.write(shown=False) as cursor:
        for outbox_id in ids:
            won = cursor.execute(
                "UPDATE outbox SET state = 'sending', claimed_by = ?, claimed_at = ? "
                "WHERE id = ? AND state = 'waiting' RETURNING id",
                [name, now, outbox_id],
            ).fetchone()
            if won is not None:
                claimed.append(outbox_id)
    if not claimed:
        return None
    return Outgoing(
        tuple(claimed), outgoing.user_id, outgoing.kind, outgoing.batch, outgoing.issue_id
    )


def _sent_today(store: Store, user_id: int, now: datetime) -> int:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return int(
        store.value(
            "SELECT count(DISTINCT message_id) FROM outbox "
            "WHERE user_id = ? AND state = 'sent' AND sent_at >= ?",
            [user_id, day],
            0,
        )
    )


def _next_day(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def _put_back(store: Store, claimed: Outgoing, name: str, due_at: datetime) -> None:
    with store.write(shown=False) as cursor:
        cursor.execute(
            "UPDATE outbox SET state = 'waiting', due_at = ?, claimed_by = NULL, "
            "claimed_at = NULL WHERE list_contains(CAST(? AS INTEGER[]), id) "
            "AND claimed_by = ? AND state = 'sending'",
            [due_at, list(claimed.outbox_ids), name],
        )


def _finish(store: Store, claimed: Outgoing, name: str, state: str, why: str) -> None:
    with store.write(shown=False) as cursor:
        cursor.execute(
            "UPDATE outbox SET state = ?, last_error = ? "
            "WHERE list_contains(CAST(? AS INTEGER[]), id) AND claimed_by = ? "
            "AND state = 'sending'",
            [state, why, list(claimed.outbox_ids), name],
        )


def _sent(store: Store, claimed: Outgoing, name: str, message_id: str, now: datetime) -> None:
    with store.write(shown=False) as cursor:
        cursor.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, last_error = NULL "
            "WHERE list_contains(CAST(? AS INTEGER[]), id) AND claimed_by = ? "
            "AND state = 'sending'",
            [now, message_id, list(claimed.outbox_ids), name],
        )


def _failed(
    store: Store, claimed: Outgoing, name: str, failure: DeliveryFailed, now: datetime
) -> bool:
    """Record a failure; True if the e-mail will not be tried again."""
    gave_up = False
    with store.write(shown=False) as cursor:
        for outbox_id, attempts in cursor.execute(
            "SELECT id, attempts FROM outbox WHERE list_contains(CAST(? AS INTEGER[]), id) "
            "AND claimed_by = ? AND state = 'sending'",
            [list(claimed.outbox_ids), name],
        ).fetchall():
            tried = int(attempts) + 1
            final = failure.reason == "refused" or tried >= MAX_ATTEMPTS
            gave_up = gave_up or final
            cursor.execute(
                "UPDATE outbox SET state = ?, attempts = ?, last_error = ?, due_at = ?, "
                "claimed_by = NULL, claimed_at = NULL WHERE id = ?",
                [
                    "failed" if final else "waiting",
                    tried,
                    str(failure)[:300],
                    now + BACKOFF[min(tried, len(BACKOFF)) - 1],
                    outbox_id,
                ],
            )
        if gave_up and failure.reason in ("refused", "recipient"):
            cursor.execute(
                "UPDATE users SET email_stopped_at = ? WHERE id = ? AND email_stopped_at IS NULL",
                [now, claimed.user_id],
            )
    return gave_up
