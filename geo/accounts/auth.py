"""Accounts: creating them, signing in, lock-out, roles.

Passwords exist in clear only in the arguments of these functions: they are hashed with
argon2id, never stored, logged or put in an error message. A failed sign-in says "wrong
login or password" whether or not the login exists, and takes the same time either way
(a dummy hash is verified for unknown logins, and for locked ones). After ``MAX_FAILURES``
failures in a row an account is locked for ``LOCK_MINUTES`` and unlocks by itself. Time
comes in as ``now`` so the rules are tested around their boundaries without sleeping.

Signing up answers the same whether or not the login is taken (``SIGN_UP_ANSWER``), and
does the same hashing work either way, so the form cannot be used to learn who has an
account. Passwords are scored by zxcvbn (Dropbox's strength estimator: dictionaries of
common passwords, names, words, keyboard patterns and dates); display names of residents
and leaders may not contain the words that mark staff.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from typing import NoReturn

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pandas.api.types import is_list_like
from zxcvbn import zxcvbn

from geo.accounts import sessions
from geo.accounts.rate_limits import Client, attempt
from geo.errors import (
    AccountLocked,
    AccountProtected,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    WeakPassword,
)
from geo.i18n import N_, t, tn
from geo.permissions import Actor, account_wards, require, rereads_actor
from geo.storage.db import Store, take_turns

ACCOUNT_ROLES: tuple[str, ...] = ("resident", "leader", "council", "admin")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
MAX_FAILURES = 5
LOCK_MINUTES = 15
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._%+-]{0,63}(@[a-z0-9.-]{1,190}\.[a-z]{2,})?$")
MIN_STRENGTH = 3  # zxcvbn's score 0-4; 3 means "safely unguessable" (about 10^8 guesses)
PRODUCT_WORDS = ("safeplay",)  # guessers try the site's own name first
STAFF_ROLES = ("council", "admin")
# Words that make a name look like staff; matched at the start of a word, so "Badminton
# fan" is fine and "Councillor Olu" or "Administrator" are not.
STAFF_WORDS = ("council", "officer", "official", "admin", "moderat")
_STAFF_WORD = re.compile(r"\b(?:" + "|".join(STAFF_WORDS) + ")")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "OluCouncil" is two words
_LEET = str.maketrans("013457@$|", "oieastasl")  # "C0unc1l" reads as "Council"
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Marked, translated where the sign-up page says it: the same answer whether or not the
# login was free, so the form cannot be used to find out which logins exist.
SIGN_UP_ANSWER = N_(
    "Thank you. If nobody had that login yet, your account is ready: sign in with it now. "
    "If signing in does not work, the login belongs to someone else — create an account with "
    "another login."
)
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a real password, only for timing")


def check_password(login: str, password: str, display_name: str = "") -> None:
    """Rules a person can meet: long enough, not the login or the product's name, and not
    guessable by the dictionaries and patterns password crackers use (zxcvbn)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            tn(
                "a password needs at least {n} character",
                "a password needs at least {n} characters",
                MIN_PASSWORD_LENGTH,
            )
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(
            tn(
                "a password may have at most {n} character",
                "a password may have at most {n} characters",
                MAX_PASSWORD_LENGTH,
            )
        )
    lowered = password.lower()
    name = login.split("@")[0].lower()
    if len(name) >= 3 and name in lowered:
        raise WeakPassword(t("a password must not contain the login"))
    if any(word in lowered for word in PRODUCT_WORDS):
        raise WeakPassword(t("a password must not contain the name SafePlay"))
    personal = [name, *display_name.lower().split(), *PRODUCT_WORDS]
    # zxcvbn refuses to score more than 72 characters; a longer one is judged by its start.
    if len(set(password)) < 4 or zxcvbn(password[:72], personal)["score"] < MIN_STRENGTH:
        raise WeakPassword(
            t(
                "that password is too easy to guess; a short sentence of four or more words "
                "works well"
            )
        )


def check_display_name(display_name: str, role: str) -> str:
    """The name as stored (whitespace collapsed); residents and leaders may not use the
    words that mark staff, so nobody passes for a council officer in a comment."""
    cleaned = " ".join(display_name.split())
    if not 1 <= len(cleaned) <= 80:
        raise InvalidInput(t("a display name needs 1 to 80 characters"))
    if role not in STAFF_ROLES:
        visible = _CAMEL.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFKC", cleaned)))
        folded = _NOT_LETTERS.sub(" ", visible.translate(_LEET)).casefold()
        if _STAFF_WORD.search(folded):
            raise InvalidInput(
                t(
                    "a display name may not contain council, officer, official, admin or "
                    "moderator: comments by staff carry their own badge"
                )
            )
    return cleaned


def normalise_login(login: str) -> str:
    cleaned = login.strip().lower()
    if not _LOGIN.match(cleaned):
        raise AuthenticationFailed(
            t("a login is a name or an e-mail address: letters, digits and . _ % + - only")
        )
    return cleaned


@rereads_actor
def create_user(
    store: Store,
    actor: Actor,
    login: str,
    display_name: str,
    role: str,
    password: str,
    ward_ids: tuple[int, ...] = (),
) -> int:
    """Create an account (admins only; residents sign themselves up with ``sign_up``)."""
    require(actor, "manage_users")
    return _insert_user(store, login, display_name, role, password, ward_ids)


def sign_up(
    store: Store,
    login: str,
    display_name: str,
    password: str,
    is_minor: bool = False,
    *,
    client: Client | None = None,
    now: datetime | None = None,
) -> int | None:
    """Anyone may create a resident account for themselves.

    Returns the new account's id, or None when the login was taken — the page shows
    ``SIGN_UP_ANSWER`` either way and signs nobody in, so a stranger cannot learn from the
    form which logins exist. A taken login costs the same hashing work as a new one.

    Young people say so (and nothing more about themselves): their names are then never
    shown in thank-you rolls, whatever else happens to the account. ``client`` (with the
    time ``now``) limits how many accounts one browser or address creates in an hour.
    """
    with attempt(store, client, "sign_up", now):
        user_id = _insert_user(store, login, display_name, "resident", password, (), quiet=True)
    if user_id is not None and is_minor:
        with store.write() as cursor:
            cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [user_id])
    return user_id


def _insert_user(
    store: Store,
    login: str,
    display_name: str,
    role: str,
    password: str,
    ward_ids: tuple[int, ...],
    *,
    quiet: bool = False,
) -> int | None:
    """Insert an account; a taken login is an error for administrators, and ``quiet`` (the
    public sign-up) makes it None after the same hashing work."""
    if role not in ACCOUNT_ROLES:
        raise NotFound(_unknown_role())
    login = normalise_login(login)
    display_name = check_display_name(display_name, role)
    check_password(login, password, display_name)
    password_hash = _HASHER.hash(password)  # before the look-up: the same work either way
    with store.write() as cursor:
        if cursor.execute("SELECT 1 FROM users WHERE login = ?", [login]).fetchone():
            if quiet:
                return None
            raise AuthenticationFailed(
                t("the login “{login}” is taken; choose another", login=login)
            )
        row = cursor.execute(
            "INSERT INTO users (login, display_name, role, password_hash) "
            "VALUES (?, ?, ?, ?) RETURNING id",
            [login, display_name, role, password_hash],
        ).fetchone()
        user_id = int(row[0])
        _set_wards(cursor, user_id, ward_ids)
    return user_id


def sso_account(store: Store, email: str, name: str | None, email_verified: bool) -> Actor:
    """The account of someone signed in by the council's identity provider.

    Their role still comes from our users table; a first visit creates a resident account
    with no password (it can only be reached through single sign-on). Accounts are matched
    by e-mail only when the provider says it has verified the address: otherwise anybody
    who can register an unverified address at the provider would take over our account.
    """
    if not email_verified:
        raise AuthenticationFailed(
            t(
                "your identity provider has not confirmed this e-mail address, so SafePlay "
                "cannot match it to an account: confirm the address with the provider, or sign "
                "in with a SafePlay login and password"
            )
        )
    login = normalise_login(email)
    find = "SELECT id FROM users WHERE login = ?"
    row = store.row(find, [login])  # every page run: read only
    if row is not None:
        return load_actor(store, int(row[0]))
    with store.write() as cursor:
        row = cursor.execute(find, [login]).fetchone()
        if row is None:
            row = cursor.execute(
                "INSERT INTO users (login, display_name, role) VALUES (?, ?, 'resident') "
                "RETURNING id",
                [login, " ".join((name or login.split("@")[0]).split())[:80]],
            ).fetchone()
    return load_actor(store, int(row[0]))


@rereads_actor
def set_role(
    store: Store, actor: Actor, login: str, role: str, ward_ids: tuple[int, ...] = ()
) -> None:
    """Change an account's role and, for council accounts, the wards it covers."""
    require(actor, "manage_users")
    if role not in ACCOUNT_ROLES:
        raise NotFound(_unknown_role())
    with store.write() as cursor:
        take_turns(cursor, "administrators")
        row = _refuse_lockout(cursor, actor, login, role=role)
        cursor.execute("UPDATE users SET role = ? WHERE id = ?", [role, row[0]])
        _set_wards(cursor, int(row[0]), ward_ids if role == "council" else ())
    sessions.end_all(store, int(row[0]), sessions.ACCESS_CHANGED)


@rereads_actor
def change_password(
    store: Store,
    actor: Actor,
    current: str,
    new: str,
    now: datetime,
    keep_session: int | None = None,
) -> None:
    """A signed-in person changes their own password, proving they know the current one.

    Every other session of the account ends (``keep_session`` is the one in use).
    """
    if actor.user_id is None or actor.login is None:
        raise AuthenticationFailed(t("sign in to change your password"))
    authenticate(store, actor.login, current, now)  # counts towards lock-out like a sign-in
    check_password(actor.login, new, actor.display_name or "")
    with store.write() as cursor:
        cursor.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?", [_HASHER.hash(new), actor.user_id]
        )
    sessions.end_all(store, actor.user_id, sessions.PASSWORD_CHANGED, keep=keep_session, now=now)


@rereads_actor
def set_account_state(
    store: Store, actor: Actor, login: str, *, active: bool | None = None, unlock: bool = False
) -> None:
    """Deactivate or reactivate an account, or lift a lock-out early (admins only)."""
    require(actor, "manage_users")
    with store.write() as cursor:
        take_turns(cursor, "administrators")
        row = _refuse_lockout(cursor, actor, login, active=active)
        if active is not None:
            cursor.execute("UPDATE users SET active = ? WHERE id = ?", [active, row[0]])
        if unlock:
            cursor.execute(
                "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?", [row[0]]
            )
    if active is False:
        sessions.end_all(store, int(row[0]), sessions.DEACTIVATED)


def refuse_lockout(
    store: Store, actor: Actor, login: str, *, role: str | None = None, active: bool | None = None
) -> None:
    """Raise ``AccountProtected`` if giving ``login`` this role or state would lock
    administrators out; the page asks before offering to confirm, the write asks again."""
    _refuse_lockout(store.cursor(), actor, login, role=role, active=active)


def _refuse_lockout(
    cursor: duckdb.DuckDBPyConnection,
    actor: Actor,
    login: str,
    *,
    role: str | None = None,
    active: bool | None = None,
) -> tuple[int, str, str, bool]:
    """The account's row (id, login, role, active), unless the change is refused.

    Nobody demotes or deactivates themself (they would lose the page they are on, and the
    next thing they read would be "wrong login or password"), and the last active
    administrator stays one, so someone can always manage accounts from the app.
    """
    row = cursor.execute(
        "SELECT id, login, role, active FROM users WHERE login = ?", [login.lower()]
    ).fetchone()
    if row is None:
        raise NotFound(t("there is no account “{login}”", login=login))
    user_id, target, current_role, is_active = row
    demoted = current_role == "admin" and role is not None and role != "admin"
    deactivated = active is False and bool(is_active)
    if not (demoted or deactivated):
        return row
    if user_id == actor.user_id or target == actor.login:
        raise AccountProtected(
            t("you cannot deactivate your own account; another administrator can do it")
            if deactivated
            else t("you cannot remove your own administrator role; another administrator can do it")
        )
    others = cursor.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active AND id <> ?", [user_id]
    ).fetchone()[0]
    if current_role == "admin" and is_active and others == 0:
        raise AccountProtected(
            t(
                "{login} is the last active administrator; make another account an "
                "administrator first",
                login=target,
            )
        )
    return row


def list_users(store: Store, actor: Actor) -> list[dict[str, object]]:
    """Accounts for the admin page, with their wards as names and ids: never the hashes."""
    require(actor, "manage_users")
    frame = store.frame(
        "SELECT u.id, u.login, u.display_name, u.role, u.active, u.created_at, "
        "u.last_login, u.locked_until, (SELECT string_agg(a.name, ', ' ORDER BY a.name) "
        "FROM user_wards w JOIN areas a ON a.id = w.area_id WHERE w.user_id = u.id) AS wards, "
        "(SELECT array_agg(w.area_id ORDER BY w.area_id) FROM user_wards w "
        "WHERE w.user_id = u.id) AS ward_ids FROM users u ORDER BY u.login"
    )
    # The page keys its widgets by id and fills the wards box from ward_ids. No wards is a
    # NULL list, which DuckDB hands back as pandas' NA and PostgreSQL as None.
    frame["ward_ids"] = [
        tuple(int(w) for w in ids) if is_list_like(ids) else () for ids in frame["ward_ids"]
    ]
    return frame.to_dict("records")


def authenticate(store: Store, login: str, password: str, now: datetime) -> Actor:
    """The signed-in actor, or ``AuthenticationFailed`` / ``AccountLocked``."""
    try:
        login = normalise_login(login)
    except AuthenticationFailed:
        login = ""
    row = store.row(
        "SELECT id, password_hash, active, failed_attempts, locked_until FROM users "
        "WHERE login = ?",
        [login],
    )
    if row is None or row[1] is None or not row[2]:
        _verify(_DUMMY_HASH, password)
        _fail_unknown(store, login, now)
    user_id, password_hash, _active, failures, locked_until = row
    if locked_until is not None and locked_until > now:
        _verify(_DUMMY_HASH, password)  # as long as a locked unknown login takes
        raise AccountLocked(_locked_message(locked_until))
    if not _verify(password_hash, password):
        failures = failures + 1 if locked_until is None else 1
        lock = now + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        with store.write() as cursor:
            cursor.execute(
                "UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                [0 if lock else failures, lock, user_id],
            )
        if lock:
            raise AccountLocked(_locked_message(lock))
        raise AuthenticationFailed(t("wrong login or password"))
    with store.write() as cursor:
        cursor.execute(
            "UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login = ? "
            "WHERE id = ?",
            [now, user_id],
        )
    return load_actor(store, user_id)


def _fail_unknown(store: Store, login: str, now: datetime) -> NoReturn:
    """Count a failure for a login without a usable account, and lock it the same way."""
    # A locked login is answered from a read, as a locked real account is: no write
    # transaction, so both take the same time.
    locked = store.value("SELECT locked_until FROM login_throttle WHERE login = ?", [login])
    if locked is not None and locked > now:
        raise AccountLocked(_locked_message(locked))
    with store.write() as cursor:
        row = cursor.execute(
            "SELECT failed_attempts, locked_until FROM login_throttle WHERE login = ?", [login]
        ).fetchone()
        failures, locked_until = row if row else (0, None)
        if locked_until is not None and locked_until > now:
            raise AccountLocked(_locked_message(locked_until))
        failures = failures + 1 if locked_until is None else 1
        lock = now + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        cursor.execute(
            "INSERT INTO login_throttle (login, failed_attempts, locked_until) VALUES (?, ?, ?) "
            "ON CONFLICT (login) DO UPDATE SET failed_attempts = excluded.failed_attempts, "
            "locked_until = excluded.locked_until",
            [login, 0 if lock else failures, lock],
        )
    if lock:
        raise AccountLocked(_locked_message(lock))
    raise AuthenticationFailed(t("wrong login or password"))


def load_actor(store: Store, user_id: int) -> Actor:
    row = store.row(
        "SELECT id, login, display_name, role FROM users WHERE id = ? AND active", [user_id]
    )
    if row is None:
        raise NotFound(t("that account does not exist or was deactivated"))
    return Actor(
        role=row[3],
        login=row[1],
        display_name=row[2],
        user_id=int(row[0]),
        ward_ids=account_wards(store.cursor(), user_id),
    )


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _set_wards(cursor: duckdb.DuckDBPyConnection, user_id: int, ward_ids: tuple[int, ...]) -> None:
    cursor.execute("DELETE FROM user_wards WHERE user_id = ?", [user_id])
    if ward_ids:
        cursor.executemany(
            "INSERT INTO user_wards (user_id, area_id) VALUES (?, ?)",
            [[user_id, w] for w in ward_ids],
        )


def _locked_message(until: datetime) -> str:
    return tn(
        "too many failed sign-ins: this account is locked until {time} ({n} minute); it "
        "unlocks by itself",
        "too many failed sign-ins: this account is locked until {time} ({n} minutes); it "
        "unlocks by itself",
        LOCK_MINUTES,
        time=f"{until:%H:%M}",
    )


def _unknown_role() -> str:
    """The refusal of a role that is not an account's (the roles are stored keys)."""
    return t("role must be one of {roles}", roles=", ".join(ACCOUNT_ROLES))
