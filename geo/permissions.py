"""Who may do what, and where: one default-deny table that every service in ``geo`` consults.

Roles grow by inclusion (a leader can do what a resident can, and more), but the table
lists every role explicitly so it reads the same as the permission table in the docs, and
a test compares the two. An action not in the table is denied to everyone.

Where an actor may act is the other half of a permission: ``scope`` answers "which wards
may this actor see or act on" for an action, once, and every list, queue, count, map layer
and export of the core turns that answer into the same SQL condition (``Scope.ward_sql``,
``Scope.initiative_sql``). A council account limited to some wards sees and acts only
there; everyone else allowed the action has the whole council area. Drafts and withdrawn
proposals of other people are never listed (``private_sql``).

Write services re-read the acting account from the database before they check anything
(``rereads_actor``): a session keeps the ``Actor`` it signed in with, and an account
deactivated, demoted or given other wards since then must be refused at its next write.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from geo.errors import AccountChanged, PermissionDenied

if TYPE_CHECKING:
    from geo.storage.db import Store

ROLES: tuple[str, ...] = ("visitor", "resident", "leader", "council", "admin")

# action -> roles allowed. Keep in step with docs/permissions.md (a test checks).
PERMISSIONS: dict[str, frozenset[str]] = {
    "manage_users": frozenset({"admin"}),
    "manage_boundaries": frozenset({"admin"}),
    "manage_places": frozenset({"council", "admin"}),
    "load_initiatives": frozenset({"admin"}),
    "propose": frozenset({"leader", "council", "admin"}),
    "review_proposals": frozenset({"council", "admin"}),
    "give_feedback": frozenset({"resident", "leader", "council", "admin"}),
    "answer_comments": frozenset({"council", "admin"}),
    "moderate_comments": frozenset({"council", "admin"}),
    "import_population": frozenset({"council", "admin"}),
    "use_workspace": frozenset({"council", "admin"}),
    "track_progress": frozenset({"leader", "council", "admin"}),
    "manage_partners": frozenset({"council", "admin"}),
    "handle_concerns": frozenset({"council", "admin"}),
    "record_inspections": frozenset({"council", "admin"}),
    "post_events": frozenset({"leader", "council", "admin"}),
    "manage_events": frozenset({"council", "admin"}),
    "manage_backups": frozenset({"admin"}),
}

# Drafts belong to their proposer; withdrawn proposals were taken down by theirs.
PRIVATE_STATUSES: tuple[str, ...] = ("draft", "withdrawn")


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, a visitor, or the trusted command line."""

    role: str
    login: str | None = None
    display_name: str = "Visitor"
    user_id: int | None = None
    ward_ids: frozenset[int] = field(default_factory=frozenset)


VISITOR = Actor(role="visitor")
# Whoever can run `python -m geo` on the server already owns the database file.
COMMAND_LINE = Actor(role="admin", login="command-line", display_name="Command line")


@dataclass(frozen=True)
class Scope:
    """The wards an actor may see or act on for one action: every ward (``ward_ids`` is
    None, which also covers things that lie in no ward), or exactly these."""

    ward_ids: frozenset[int] | None = None

    @property
    def everywhere(self) -> bool:
        return self.ward_ids is None

    def covers(self, ward_ids: Iterable[int]) -> bool:
        """Whether a thing lying in ``ward_ids`` is in scope (a thing in no ward is in the
        scope of the whole council area only)."""
        return self.ward_ids is None or not self.ward_ids.isdisjoint(ward_ids)

    def holds(self, ward_ids: Iterable[int]) -> bool:
        """Whether a thing lying in ``ward_ids`` lies wholly in scope: what a ward-limited
        officer may change the wards of (a partner), so that they cannot move it out of
        another ward's hands."""
        wards = frozenset(ward_ids)
        return self.ward_ids is None or (bool(wards) and wards <= self.ward_ids)

    def narrow(self, picked: Iterable[int]) -> Scope:
        """The wards a filter picked, within this scope: nothing picked is the whole scope;
        wards outside it are dropped, so picking only other wards leaves nothing."""
        chosen = frozenset(picked)
        if not chosen:
            return self
        return Scope(chosen if self.ward_ids is None else chosen & self.ward_ids)

    def ward_sql(self, ward_column: str, name: str = "scope_wards") -> tuple[str, dict]:
        """A condition (and its parameters) true where ``ward_column`` is in scope."""
        if self.ward_ids is None:
            return "true", {}
        if not self.ward_ids:
            return "false", {}
        return (
            f"coalesce(list_contains(${name}, {ward_column}), false)",
            {name: sorted(self.ward_ids)},
        )

    def initiative_sql(self, id_column: str, name: str = "scope_wards") -> tuple[str, dict]:
        """A condition true where the initiative ``id_column`` touches a ward in scope."""
        if self.ward_ids is None:
            return "true", {}
        if not self.ward_ids:
            return "false", {}
        return (
            f"{id_column} IN (SELECT initiative_id FROM initiative_areas "  # noqa: S608 - names
            f"WHERE list_contains(${name}, area_id))",
            {name: sorted(self.ward_ids)},
        )


EVERYWHERE = Scope()


def scope(actor: Actor, action: str) -> Scope:
    """Where ``actor`` may do ``action``; ``PermissionDenied`` if their role may not at all."""
    require(actor, action)
    if actor.role == "council" and actor.ward_ids:
        return Scope(frozenset(actor.ward_ids))
    return EVERYWHERE


def allowed(actor: Actor, action: str, ward_ids: Iterable[int] | None = None) -> bool:
    """Whether the role may do ``action`` and, when ``ward_ids`` (the wards of the thing
    acted on) is given, whether they are within the actor's scope."""
    if actor.role not in PERMISSIONS.get(action, frozenset()):
        return False
    return ward_ids is None or scope(actor, action).covers(ward_ids)


def require(actor: Actor, action: str, ward_ids: Iterable[int] | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may do ``action`` (on a thing lying in
    ``ward_ids``, when given: an empty list is a thing in no ward)."""
    if actor.role not in PERMISSIONS.get(action, frozenset()):
        who = "visitors" if actor.role == "visitor" else f"{actor.role} accounts"
        raise PermissionDenied(f"{who} may not {action.replace('_', ' ')}")
    if ward_ids is not None and not scope(actor, action).covers(ward_ids):
        raise PermissionDenied("this is outside the wards your council account covers")


def private_sql(actor: Actor, alias: str = "i") -> tuple[str, dict]:
    """A condition on initiatives ``alias`` that leaves out other people's drafts and
    withdrawn proposals (a draft its proposer opened for feedback is listed to everyone
    signed in, as it is shown to them)."""
    return (
        f"(NOT list_contains($private, {alias}.status) "
        f"OR coalesce({alias}.owner_id = $me, false) "
        f"OR ({alias}.status = 'draft' AND coalesce({alias}.open_for_feedback, false) "
        "AND $signed_in))",
        {
            "private": list(PRIVATE_STATUSES),
            "me": actor.user_id,
            "signed_in": actor.role != "visitor",
        },
    )


def may_see(
    actor: Actor, status: str, owner_id: int | None, feedback_open: bool, ward_ids: Iterable[int]
) -> bool:
    """Whether ``actor`` may open one proposal: public statuses for everyone; a private one
    for its proposer, for everyone signed in if it is a draft opened for feedback, and for
    reviewers whose scope covers its wards (``ward_ids``). Lists never show private ones
    of other people (``private_sql``); opening one by its number is the reviewer's need."""
    if status not in PRIVATE_STATUSES:
        return True
    if owner_id is not None and owner_id == actor.user_id:
        return True
    if status == "draft" and feedback_open and actor.role != "visitor":
        return True
    return allowed(actor, "review_proposals", ward_ids)


def _is_command_line(actor: Actor) -> bool:
    """The command line, also under another display name (the demo loader reports progress
    in its leaders' names). A signed-in account always carries its user id."""
    return actor.user_id is None and actor.login == COMMAND_LINE.login and actor.role == "admin"


def fresh_actor(store: Store, actor: Actor) -> Actor:
    """``actor`` as the database holds it now, or ``AccountChanged`` if the account was
    deactivated, or its role or wards changed, since the actor was read.

    Visitors have no account and the command line is trusted (it owns the database file).
    """
    if actor.role == "visitor" or _is_command_line(actor):
        return actor
    cursor = store.cursor()
    key, value = ("id", actor.user_id) if actor.user_id is not None else ("login", actor.login)
    row = cursor.execute(
        f"SELECT id, role, active FROM users WHERE {key} = ?",  # noqa: S608 - a constant
        [value],
    ).fetchone()
    if row is None or not row[2]:
        raise AccountChanged("Your account is no longer active; sign in again.")
    if row[1] != actor.role:
        raise AccountChanged(
            "Your account's role changed since you signed in; sign in again to continue."
        )
    wards = cursor.execute("SELECT area_id FROM user_wards WHERE user_id = ?", [row[0]]).fetchall()
    if frozenset(int(w[0]) for w in wards) != actor.ward_ids:
        raise AccountChanged(
            "The wards your account covers changed since you signed in; sign in again."
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
