"""Who acts: a signed-in account, a visitor or the command line, and the account as it is now.

A session keeps the ``Actor`` it signed in with; every write service re-reads it from the
database first (``rereads_actor``), so an account deactivated, demoted or given other wards
since then is refused at its next write.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from geo.errors import AccountChanged
from geo.i18n import t

if TYPE_CHECKING:
    from geo.storage.db import Store


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, a visitor, or the trusted command line."""

    role: str
    login: str | None = None
    display_name: str = "Visitor"
    user_id: int | None = None
    ward_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return self.role != "visitor"


VISITOR = Actor(role="visitor")
# Whoever can run `python -m geo` on the server already owns the database file.
COMMAND_LINE = Actor(role="admin", login="command-line", display_name="Command line")


def account_wards(cursor: duckdb.DuckDBPyConnection, user_id: int) -> frozenset[int]:
    """The areas a council account is limited to (none: the whole council area)."""
    rows = cursor.execute("SELECT area_id FROM user_wards WHERE user_id = ?", [user_id])
    return frozenset(int(row[0]) for row in rows.fetchall())


def _is_command_line(actor: Actor) -> bool:
    """The command line, also under another display name (the demo loader reports progress
    in its leaders' names). A signed-in account always carries its user id."""
    return actor.user_id is None and actor.login == COMMAND_LINE.login and actor.role == "admin"


def fresh_actor(store: Store, actor: Actor) -> Actor:
    """``actor`` as the database holds it now, or ``AccountChanged`` if the account was
    deactivated, or its role or wards changed, since the actor was read.

    Visitors have no account and the command line is trusted (it owns the database file).
    """
    if not actor.signed_in or _is_command_line(actor):
        return actor
    cursor = store.cursor()
    key, value = ("id", actor.user_id) if actor.user_id is not None else ("login", actor.login)
    row = cursor.execute(
        f"SELECT id, role, active FROM users WHERE {key} = ?",  # noqa: S608 - a constant
        [value],
    ).fetchone()
    if row is None or not row[2]:
        raise AccountChanged(t("Your account is no longer active; sign in again."))
    if row[1] != actor.role:
        raise AccountChanged(
            t("Your account's role changed since you signed in; sign in again to continue.")
        )
    if account_wards(cursor, int(row[0])) != actor.ward_ids:
        raise AccountChanged(
            t("The wards your account covers changed since you signed in; sign in again.")
        )
    return actor


R = TypeVar("R")


def rereads_actor(service: Callable[..., R]) -> Callable[..., R]:
    """Decorate a service taking ``(store, actor, …)``: the actor is re-read from the
    database (``fresh_actor``) before the service runs, so every check it makes sees the
    account as it is now, not as it was at sign-in."""

    @functools.wraps(service)
    def checked(store: Store, actor: Actor, *args: Any, **kwargs: Any) -> R:
        return service(store, fresh_actor(store, actor), *args, **kwargs)

    return checked
