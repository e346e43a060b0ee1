"""Who may do what, and where: the table of actions, the resources they act on, named
ownership rules, one check for a single action (``allowed``) and one scope for lists.

The public face: services and pages import from here (see docs/permissions.md).
"""

from geo.permissions.actions import ACTIONS, PERMISSIONS, ROLES
from geo.permissions.actors import COMMAND_LINE, VISITOR, Actor, account_wards, rereads_actor
from geo.permissions.check import allowed, require
from geo.permissions.resources import place_area_ids, point_ward_ids
from geo.permissions.rules import may_answer, may_see, may_summarise_event, owns
from geo.permissions.scope import EVERYWHERE, PRIVATE_STATUSES, Scope, private_sql, scope

__all__ = [
    "ACTIONS",
    "COMMAND_LINE",
    "EVERYWHERE",
    "PERMISSIONS",
    "PRIVATE_STATUSES",
    "ROLES",
    "VISITOR",
    "Actor",
    "Scope",
    "account_wards",
    "allowed",
    "may_answer",
    "may_see",
    "may_summarise_event",
    "owns",
    "place_area_ids",
    "point_ward_ids",
    "private_sql",
    "require",
    "rereads_actor",
    "scope",
]
