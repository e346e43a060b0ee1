"""The table of actions: each one's name, the roles that may take it and what it acts on.

Default deny: an action not in the table is refused to everyone. Roles grow by inclusion
(a leader can do what a resident can, and more); docs/permissions.md holds the same table
cell by cell, and a test compares the two. What an action acts on (``resource``, a kind in
``resources.RESOURCES``) says where its ward scope and its ownership rule come from.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.errors import PermissionDenied

ROLES: tuple[str, ...] = ("visitor", "resident", "leader", "council", "admin")

ADMINS = frozenset({"admin"})
COUNCIL = ADMINS | {"council"}
LEADERS = COUNCIL | {"leader"}
SIGNED_IN = LEADERS | {"resident"}


@dataclass(frozen=True)
class Action:
    """Who may take an action, and the kinds of thing it acts on."""

    roles: frozenset[str]
    resources: tuple[str, ...]


ACTIONS: dict[str, Action] = {
    "manage_users": Action(ADMINS, ("account",)),
    "manage_api_keys": Action(ADMINS, ("account",)),
    "manage_boundaries": Action(ADMINS, ("area",)),
    "manage_places": Action(COUNCIL, ("place",)),
    "load_initiatives": Action(ADMINS, ("initiative",)),
    "propose": Action(LEADERS, ("initiative",)),
    "review_proposals": Action(COUNCIL, ("initiative",)),
    "give_feedback": Action(SIGNED_IN, ("initiative", "comment")),
    "answer_comments": Action(COUNCIL, ("comment",)),
    "moderate_comments": Action(COUNCIL, ("comment", "voice")),
    "import_population": Action(COUNCIL, ("area",)),
    "use_workspace": Action(COUNCIL, ("initiative", "area")),
    "track_progress": Action(LEADERS, ("initiative",)),
    "manage_partners": Action(COUNCIL, ("partner",)),
    "handle_concerns": Action(COUNCIL, ("concern",)),
    "record_inspections": Action(COUNCIL, ("place",)),
    "post_events": Action(LEADERS, ("event",)),
    "manage_events": Action(COUNCIL, ("event",)),
    "manage_backups": Action(ADMINS, ("database",)),
    "follow": Action(SIGNED_IN, ("account",)),
    "send_newsletters": Action(COUNCIL, ("area",)),
    "assess_play_sufficiency": Action(COUNCIL, ("area",)),
}

# action -> roles allowed: the table as docs/permissions.md shows it.
PERMISSIONS: dict[str, frozenset[str]] = {name: a.roles for name, a in ACTIONS.items()}


def role_may(role: str, action: str) -> bool:
    """Whether ``role`` may take ``action`` anywhere (unknown actions: nobody)."""
    return role in PERMISSIONS.get(action, frozenset())


def refusal(role: str, action: str) -> PermissionDenied:
    """The refusal for a role that may not take ``action`` at all, in words."""
    who = "visitors" if role == "visitor" else f"{role} accounts"
    return PermissionDenied(f"{who} may not {action.replace('_', ' ')}")
