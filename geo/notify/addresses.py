"""A person's e-mail address: set, confirmed by a link, changed, removed.

An address is stored unconfirmed and used only once its confirmation link is opened, so
nobody can have SafePlay e-mail someone else by typing their address. A young person's
account (``users.is_minor``) takes an address only after an administrator records a
guardian's consent; withdrawing it removes the address. An address is shown to its owner
only: no staff list, export or message carries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.i18n import t
from geo.notify import signing
from geo.notify.notices import queue
from geo.permissions import Actor, require, rereads_actor
from geo.storage.db import Cursor, Store, next_id

#: The outbox kind of a confirmation e-mail and of a test e-mail (not notice kinds: no
#: choice turns them off).
CONFIRM_KIND = "address"
TEST_KIND = "test"
CONFIRM_PURPOSE = "confirm-email"
CONFIRM_DAYS = 7
MAX_ADDRESS = 254
_ADDRESS = re.compile(r"^[^\s@<>()\[\],;:\"\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class EmailStatus:
    """One's own address and where it stands: ``none``, ``waiting`` (for confirmation),
    ``confirmed``, ``stopped`` (failed repeatedly) or ``needs_consent`` (a young person
    without a guardian's consent recorded)."""

    address: str | None
    state: str


def email_status(store: Store, actor: Actor) -> EmailStatus:
    row = store.row(
        "SELECT email, email_confirmed_at, email_stopped_at, coalesce(is_minor, false), "
        "guardian_consent_at FROM users WHERE id = ?",
        [actor.user_id],
    )
    if row is None:
        return EmailStatus(None, "none")
    address, confirmed, stopped, minor, consent = row
    if minor and consent is None:
        return EmailStatus(None, "needs_consent")
    if address is None:
        return EmailStatus(None, "none")
    if stopped is not None:
        return EmailStatus(address, "stopped")
    return EmailStatus(address, "confirmed" if confirmed is not None else "waiting")


def valid_address(address: str) -> str:
    """``address`` as it will be stored (trimmed, domain in lower case), or ``InvalidInput``."""
    typed = str(address).strip()
    if len(typed) > MAX_ADDRESS or not _ADDRESS.match(typed):
        raise InvalidInput(t("enter an e-mail address like name@example.org"))
    local, _, domain = typed.rpartition("@")
    return f"{local}@{domain.lower()}"


@rereads_actor
def set_email(store: Store, actor: Actor, address: str, now: datetime) -> None:
    """Set or change one's address. It waits for confirmation: the link goes out at once,
    and nothing else is e-mailed until it is opened."""
    require(actor, "follow")
    address = valid_address(address)
    with store.write(shown=False) as cursor:
        minor, consent, current, confirmed, stopped = cursor.execute(
            "SELECT coalesce(is_minor, false), guardian_consent_at, email, email_confirmed_at, "
            "email_stopped_at FROM users WHERE id = ?",
            [actor.user_id],
        ).fetchone()
        if minor and consent is None:
            raise PermissionDenied(
                t(
                    "an account of a young person gets notices in the app only, unless an "
                    "administrator records a parent's or guardian's consent"
                )
            )
        if current == address and confirmed is not None and stopped is None:
            return  # already in use: no new link needed
        cursor.execute(
            "UPDATE users SET email = ?, email_confirmed_at = NULL, email_stopped_at = NULL "
            "WHERE id = ?",
            [address, actor.user_id],
        )
        _drop_waiting(cursor, int(actor.user_id), "the address changed")
        queue(cursor, int(actor.user_id), CONFIRM_KIND, "now", now)


@rereads_actor
def remove_email(store: Store, actor: Actor, now: datetime) -> None:
    """Remove one's address; waiting e-mails are dropped (the inbox keeps every notice)."""
    require(actor, "follow")
    with store.write(shown=False) as cursor:
        _forget(cursor, int(actor.user_id))


@rereads_actor
def send_test(store: Store, actor: Actor, now: datetime) -> None:
    """Queue a test e-mail to one's confirmed address (it goes with the next round)."""
    require(actor, "follow")
    if email_status(store, actor).state != "confirmed":
        raise InvalidInput(t("confirm your address first: open the link we e-mailed to it"))
    with store.write(shown=False) as cursor:
        queue(cursor, int(actor.user_id), TEST_KIND, "now", now)


def confirmation_token(store: Store, user_id: int, address: str, now: datetime) -> str:
    """The link's token: the account and an expiry in the clear, bound to the address, so
    a link sent to an old address does not confirm a new one."""
    expires = int((now + timedelta(days=CONFIRM_DAYS)).timestamp())
    return signing.sign(store, CONFIRM_PURPOSE, [user_id, expires], bound=[address])


def confirmation_account(store: Store, token: str) -> tuple[int, int, str]:
    """The account, expiry and address a genuine confirmation link names (the page the
    link opens speaks that account's language); refused like ``confirm_email``."""
    shown = signing.fields(token)
    if len(shown) != 2 or not all(part.isdigit() for part in shown):
        raise InvalidInput(t("this link is incomplete; open it again from the e-mail"))
    user_id, expires = int(shown[0]), int(shown[1])
    address = store.value("SELECT email FROM users WHERE id = ? AND active", [user_id])
    if address is None:
        raise NotFound(t("this address is no longer on an account; set it again on My account"))
    signing.verify(store, CONFIRM_PURPOSE, token, bound=[address])
    return user_id, expires, str(address)


def confirm_email(store: Store, token: str, now: datetime) -> int:
    """Confirm the address a link was sent to (no sign-in needed: the link is the proof).
    Opening it twice is fine. Returns the account's id."""
    user_id, expires, address = confirmation_account(store, token)
    if now.timestamp() > expires:
        raise InvalidInput(t("this link has expired; set your address again on My account"))
    with store.write(shown=False) as cursor:
        cursor.execute(
            "UPDATE users SET email_confirmed_at = ?, email_stopped_at = NULL "
            "WHERE id = ? AND email = ? AND email_confirmed_at IS NULL",
            [now, user_id, address],
        )
    return user_id


@dataclass(frozen=True)
class Consent:
    """A young person's account and whether a guardian's consent to e-mail is recorded
    (for administrators; never the address)."""

    young: bool
    recorded_at: datetime | None
    recorded_by: str | None
    # Every consent recorded or withdrawn, newest first: (event, who, when).
    history: tuple[tuple[str, str, datetime], ...] = ()


def guardian_consent(store: Store, actor: Actor, user_id: int) -> Consent:
    require(actor, "manage_users")
    row = store.row(
        "SELECT coalesce(is_minor, false), guardian_consent_at, guardian_consent_by "
        "FROM users WHERE id = ?",
        [user_id],
    )
    if row is None:
        raise NotFound(t("there is no such account"))
    history = store.rows(
        "SELECT event, actor, changed_at FROM consent_log WHERE user_id = ? "
        "ORDER BY changed_at DESC, id DESC",
        [user_id],
    )
    return Consent(bool(row[0]), row[1], row[2], tuple(tuple(h) for h in history))


@rereads_actor
def record_guardian_consent(store: Store, actor: Actor, user_id: int, now: datetime) -> None:
    """An administrator records that a parent or guardian agreed to e-mail for a young
    person's account (the consent itself is kept outside SafePlay, by the council)."""
    require(actor, "manage_users")
    with store.write() as cursor:
        _young_person(cursor, user_id)
        cursor.execute(
            "UPDATE users SET guardian_consent_at = ?, guardian_consent_by = ? WHERE id = ?",
            [now, _who(actor), user_id],
        )
        _log_consent(cursor, actor, user_id, "recorded", now)


@rereads_actor
def withdraw_guardian_consent(store: Store, actor: Actor, user_id: int, now: datetime) -> None:
    """Consent withdrawn: the address is removed and nothing more is e-mailed."""
    require(actor, "manage_users")
    with store.write() as cursor:
        _young_person(cursor, user_id)
        cursor.execute(
            "UPDATE users SET guardian_consent_at = NULL, guardian_consent_by = NULL WHERE id = ?",
            [user_id],
        )
        _log_consent(cursor, actor, user_id, "withdrawn", now)
        _forget(cursor, user_id)


def _who(actor: Actor) -> str:
    return actor.login or actor.display_name


def _log_consent(cursor: Cursor, actor: Actor, user_id: int, event: str, now: datetime) -> None:
    """Append to ``consent_log``: the users row keeps only the consent in force, so a
    withdrawal would otherwise erase who had recorded it."""
    cursor.execute(
        "INSERT INTO consent_log (id, user_id, event, actor, changed_at) VALUES (?, ?, ?, ?, ?)",
        [next_id(cursor, "consent_log_ids"), user_id, event, _who(actor), now],
    )


def _young_person(cursor: Cursor, user_id: int) -> None:
    row = cursor.execute(
        "SELECT coalesce(is_minor, false) FROM users WHERE id = ?", [user_id]
    ).fetchone()
    if row is None:
        raise NotFound(t("there is no such account"))
    if not row[0]:
        raise InvalidInput(t("this account is not marked as a young person's"))


def _forget(cursor: Cursor, user_id: int) -> None:
    cursor.execute(
        "UPDATE users SET email = NULL, email_confirmed_at = NULL, email_stopped_at = NULL "
        "WHERE id = ?",
        [user_id],
    )
    _drop_waiting(cursor, user_id, "the address was removed")


def _drop_waiting(cursor: Cursor, user_id: int, why: str) -> None:
    cursor.execute(
        "UPDATE outbox SET state = 'dropped', last_error = ? WHERE user_id = ? "
        "AND state = 'waiting' AND kind IN (?, ?)",
        [why, user_id, CONFIRM_KIND, TEST_KIND],
    )
