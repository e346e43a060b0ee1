"""Who may do what: one default-deny table that every write service in ``geo`` consults.

Roles grow by inclusion (a leader can do what a resident can, and more), but the table
lists every role explicitly so it reads the same as the permission table in the docs, and
a test compares the two. An action not in the table is denied to everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from geo.errors import PermissionDenied

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
    "moderate_comments": frozenset({"council", "admin"}),
    "import_population": frozenset({"council", "admin"}),
    "use_workspace": frozenset({"council", "admin"}),
    "track_progress": frozenset({"leader", "council", "admin"}),
    "manage_partners": frozenset({"council", "admin"}),
    "handle_concerns": frozenset({"council", "admin"}),
    "record_inspections": frozenset({"council", "admin"}),
    "post_events": frozenset({"leader", "council", "admin"}),
    "manage_backups": frozenset({"admin"}),
}


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


def allowed(actor: Actor, action: str, ward_ids: Iterable[int] = ()) -> bool:
    if actor.role not in PERMISSIONS.get(action, frozenset()):
        return False
    wards = set(ward_ids)
    if actor.role == "council" and actor.ward_ids and wards:
        return bool(wards & actor.ward_ids)
    return True


def require(actor: Actor, action: str, ward_ids: Iterable[int] = ()) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may do ``action`` (in those wards)."""
    wards = list(ward_ids)
    if allowed(actor, action, wards):
        return
    if actor.role in PERMISSIONS.get(action, frozenset()):
        raise PermissionDenied("this is outside the wards your council account covers")
    who = "visitors" if actor.role == "visitor" else f"{actor.role} accounts"
    raise PermissionDenied(f"{who} may not {action.replace('_', ' ')}")
