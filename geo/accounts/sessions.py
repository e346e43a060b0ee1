"""Signed-in sessions, kept on the server like any web application's.

Signing in creates a session: a random token goes to the browser (in an HttpOnly cookie,
see ``ui/session_routes.py``) and only its SHA-256 hash is stored, with the account, when
it was created and last used, and its absolute end. Every page run looks the token up
(``resolve``): a session unused for longer than its idle limit, or older than its
lifetime, ends there. Council and admin accounts get shorter limits, because what they can
change matters more. Ending a session keeps its row with the reason, so the person can be
told why they were signed out; a password, role or ward change and a deactivation end all
of that account's sessions (``end_all``), so a changed account is never used under its old
terms. Time comes in as ``now`` so the limits are tested exactly, without sleeping.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from geo.i18n import N_
from geo.storage.db import Store

STAFF_ROLES = frozenset({"council", "admin"})
TOUCH_EVERY = timedelta(minutes=1)
"""Last-seen moves at most this often: a page run does not write on every click."""
KEEP_ENDED = timedelta(days=30)
"""Ended sessions are kept this long (to say why), then deleted."""

# Why a session ended: stored as written here (``sessions.end_reason``) and shown translated
# where the person is told, ``t(resolved.ended)``, so each is a catalogue message too.
SIGNED_OUT = N_("you signed out")
SIGNED_OUT_EVERYWHERE = N_("you chose “Sign out everywhere”")
PASSWORD_CHANGED = N_("the account's password was changed")
ACCESS_CHANGED = N_("the account's role or wards were changed")
DEACTIVATED = N_("the account was deactivated")


@dataclass(frozen=True)
class Limits:
    """How long a session lasts without use (``idle``) and at most (``lifetime``)."""

    idle: timedelta
    lifetime: timedelta


@dataclass(frozen=True)
class Policy:
    """Limits for residents and leaders, and the shorter ones for council and admin."""

    everyone: Limits = Limits(timedelta(minutes=60), timedelta(hours=12))
    staff: Limits = Limits(timedelta(minutes=20), timedelta(hours=8))

    def for_role(self, role: str) -> Limits:
        return self.staff if role in STAFF_ROLES else self.everyone

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Policy:
        """Limits from ``SAFEPLAY_IDLE_MINUTES``, ``SAFEPLAY_SESSION_HOURS`` and their
        ``SAFEPLAY_STAFF_…`` twins; any not set keeps its default."""
        env = os.environ if env is None else env
        default = cls()

        def limits(prefix: str, fallback: Limits) -> Limits:
            idle = env.get(f"SAFEPLAY_{prefix}IDLE_MINUTES")
            hours = env.get(f"SAFEPLAY_{prefix}SESSION_HOURS")
            return Limits(
                timedelta(minutes=float(idle)) if idle else fallback.idle,
                timedelta(hours=float(hours)) if hours else fallback.lifetime,
            )

        return cls(limits("", default.everyone), limits("STAFF_", default.staff))


@dataclass(frozen=True)
class Resolved:
    """What a token stands for now: an account and its session, or why it no longer does.

    ``ended`` is None for a token never issued (nothing to tell the person).
    """

    user_id: int | None = None
    session_id: int | None = None
    ended: str | None = None


@dataclass(frozen=True)
class SessionRow:
    """One of a person's active sessions, for "My account"."""

    session_id: int
    created_at: datetime
    last_seen: datetime


def utc_now() -> datetime:
    """Naive UTC, the form timestamps take in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(store: Store, user_id: int, now: datetime, policy: Policy | None = None) -> str:
    """Start a session for an account that just proved who it is; return the token.

    The token is returned once, for the cookie, and never stored.
    """
    policy = policy or Policy.from_env()
    token = secrets.token_urlsafe(32)
    with store.write(shown=False) as cursor:
        role = cursor.execute("SELECT role FROM users WHERE id = ?", [user_id]).fetchone()[0]
        cursor.execute(
            "DELETE FROM sessions WHERE ended_at < ? OR expires_at < ?",
            [now - KEEP_ENDED, now - KEEP_ENDED],
        )
        cursor.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [token_hash(token), user_id, now, now, now + policy.for_role(role).lifetime],
        )
    return token


def resolve(store: Store, token: str, now: datetime, policy: Policy | None = None) -> Resolved:
    """The account behind ``token``, ending the session here if it has run out.

    The role is read afresh, so a promotion to council brings the shorter limits at once.
    """
    policy = policy or Policy.from_env()
    row = store.row(
        "SELECT s.id, s.user_id, s.created_at, s.last_seen, s.expires_at, s.ended_at, "
        "s.end_reason, u.role, u.active FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ?",
        [token_hash(token)],
    )
    if row is None:
        return Resolved()
    session_id, user_id, created_at, last_seen, expires_at, ended_at, reason, role, active = row
    if ended_at is not None:
        return Resolved(ended=reason)
    limits = policy.for_role(role)
    ending = None
    if not active:
        ending = DEACTIVATED
    elif now >= min(expires_at, created_at + limits.lifetime):
        ending = f"a session lasts at most {_duration(limits.lifetime)}; sign in again"
    elif now - last_seen > limits.idle:
        ending = f"it was not used for {_duration(limits.idle)}"
    if ending:
        _end_where(store, "id = ?", [session_id], now, ending)
        return Resolved(ended=ending)
    if now - last_seen >= TOUCH_EVERY:
        with store.write(shown=False) as cursor:
            cursor.execute("UPDATE sessions SET last_seen = ? WHERE id = ?", [now, session_id])
    return Resolved(user_id=int(user_id), session_id=int(session_id))


def end(store: Store, token: str, now: datetime, reason: str = SIGNED_OUT) -> None:
    """Sign out: this session ends, whoever holds its token."""
    _end_where(store, "token_hash = ?", [token_hash(token)], now, reason)


def end_all(
    store: Store,
    user_id: int,
    reason: str,
    keep: int | None = None,
    now: datetime | None = None,
) -> None:
    """End every active session of an account, except ``keep`` (the one making a change)."""
    _end_where(store, "user_id = ? AND id <> ?", [user_id, keep or -1], now or utc_now(), reason)


def first_sign_in(store: Store, user_id: int) -> bool:
    """Whether the account has never had a session: the sign-in that follows creating an
    account is welcomed (sign-up itself signs nobody in, so it cannot tell who exists)."""
    query = "SELECT count(*) FROM sessions WHERE user_id = ?"
    return store.value(query, [user_id]) == 0


def active_sessions(
    store: Store, user_id: int, now: datetime, policy: Policy | None = None
) -> list[SessionRow]:
    """The account's sessions still usable at ``now``, most recently used first."""
    policy = policy or Policy.from_env()
    role = store.value("SELECT role FROM users WHERE id = ?", [user_id])
    if role is None:
        return []
    limits = policy.for_role(role)
    rows = store.rows(
        "SELECT id, created_at, last_seen FROM sessions WHERE user_id = ? "
        "AND ended_at IS NULL AND expires_at > ? AND last_seen >= ? ORDER BY last_seen DESC",
        [user_id, now, now - limits.idle],
    )
    return [SessionRow(int(r[0]), r[1], r[2]) for r in rows]


def _end_where(store: Store, where: str, values: list, now: datetime, reason: str) -> None:
    with store.write(shown=False) as cursor:
        cursor.execute(
            f"UPDATE sessions SET ended_at = ?, end_reason = ? "  # noqa: S608 - clauses are ours
            f"WHERE ended_at IS NULL AND {where}",
            [now, reason, *values],
        )


def _duration(span: timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    if minutes % 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"
