"""The table of actions: each one's name, the roles that may take it and what it acts on.

Default deny: an action not in the table is refused to everyone. Roles grow by inclusion
(a leader can do what a resident can, and more); docs/permissions.md holds the same table
cell by cell, and a test compares the two. What an action acts on (``resource``, a kind in
``resources.RESOURCES``) says where its ward scope and its ownership rule come from.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.errors import PermissionDenied
from geo.i18n import N_, t

ROLES: tuple[str, ...] = ("visitor", "resident", "leader", "council", "admin")

ADMINS = frozenset({"admin"})
COUNCIL = ADMINS | {"council"}
LEADERS = COUNCIL | {"leader"}
SIGNED_IN = LEADERS | {"resident"}


@dataclass(frozen=True)
class Action:
    """Who may take an action, the kinds of thing it acts on, and the action in words for a
    refusal ("… may not manage users"; marked here, translated where it is said)."""

    roles: frozenset[str]
    resources: tuple[str, ...]
    words: str


ACTIONS: dict[str, Action] = {
    "manage_users": Action(ADMINS, ("account",), N_("manage users")),
    "manage_api_keys": Action(ADMINS, ("account",), N_("manage API keys")),
    "manage_boundaries": Action(ADMINS, ("area",), N_("manage boundaries")),
    "manage_places": Action(COUNCIL, ("place",), N_("manage play areas")),
    "load_initiatives": Action(ADMINS, ("initiative",), N_("load initiatives")),
    "propose": Action(LEADERS, ("initiative",), N_("propose")),
    "review_proposals": Action(COUNCIL, ("initiative",), N_("review proposals")),
    "give_feedback": Action(SIGNED_IN, ("initiative", "comment"), N_("give feedback")),
    "answer_comments": Action(COUNCIL, ("comment",), N_("answer comments")),
    "moderate_comments": Action(COUNCIL, ("comment", "voice"), N_("moderate comments")),
    "import_population": Action(COUNCIL, ("area",), N_("import population figures")),
    "use_workspace": Action(COUNCIL, ("initiative", "area"), N_("use the council workspace")),
    "track_progress": Action(LEADERS, ("initiative",), N_("track progress")),
    "manage_partners": Action(COUNCIL, ("partner",), N_("manage partners")),
    "handle_concerns": Action(COUNCIL, ("concern",), N_("handle concerns")),
    "record_inspections": Action(COUNCIL, ("place",), N_("record inspections")),
    "post_events": Action(LEADERS, ("event",), N_("post events")),
    "manage_events": Action(COUNCIL, ("event",), N_("manage events")),
    "manage_backups": Action(ADMINS, ("database",), N_("manage backups")),
    "follow": Action(SIGNED_IN, ("account",), N_("follow")),
    "send_newsletters": Action(COUNCIL, ("area",), N_("send newsletters")),
    "assess_play_sufficiency": Action(COUNCIL, ("area",), N_("assess play sufficiency")),
}

# action -> roles allowed: the table as docs/permissions.md shows it.
PERMISSIONS: dict[str, frozenset[str]] = {name: a.roles for name, a in ACTIONS.items()}


def role_may(role: str, action: str) -> bool:
    """Whether ``role`` may take ``action`` anywhere (unknown actions: nobody)."""
    return role in PERMISSIONS.get(action, frozenset())


# Who is refused, as the subject of "… may not manage users".
_REFUSED = {
    "visitor": N_("visitors"),
    "resident": N_("resident accounts"),
    "leader": N_("leader accounts"),
    "council": N_("council accounts"),
    "admin": N_("admin accounts"),
}


def refusal(role: str, action: str) -> PermissionDenied:
    """The refusal for a role that may not take ``action`` at all, in words."""
    who = t(_REFUSED[role]) if role in _REFUSED else role
    known = ACTIONS.get(action)
    doing = t(known.words) if known else action.replace("_", " ")
    return PermissionDenied(t("{who} may not {action}", who=who, action=doing))
