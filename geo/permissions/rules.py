"""Named rules on one owned or private thing, on top of the table of actions.

Each rule is the one answer to its question: the write service that acts checks it, and a
page that offers the button asks the same function. Rules of a proposal's steps live with
the steps (``geo.proposals.lifecycle.may_withdraw``).
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.permissions.actors import Actor
from geo.permissions.check import allowed
from geo.permissions.scope import PRIVATE_STATUSES


def owns(actor: Actor, owner_id: int | None) -> bool:
    """Whether ``actor`` is the account that owns a thing (a thing nobody owns: no one)."""
    return owner_id is not None and owner_id == actor.user_id


def may_see(
    actor: Actor, status: str, owner_id: int | None, feedback_open: bool, ward_ids: Iterable[int]
) -> bool:
    """Whether ``actor`` may open one proposal: public statuses for everyone; a private one
    for its proposer, for everyone signed in if it is a draft opened for feedback, and for
    reviewers whose scope covers its wards (``ward_ids``). Lists never show private ones
    of other people (``scope.private_sql``); opening one by its number is the reviewer's need."""
    if status not in PRIVATE_STATUSES:
        return True
    if owns(actor, owner_id):
        return True
    if status == "draft" and feedback_open and actor.signed_in:
        return True
    return allowed(actor, "review_proposals", ward_ids)


def may_answer(actor: Actor, owner_id: int | None, ward_ids: Iterable[int]) -> bool:
    """Whether ``actor`` may answer a comment on a proposal owned by ``owner_id`` lying in
    ``ward_ids``: its proposer, or a council officer whose wards it touches."""
    return owns(actor, owner_id) or allowed(actor, "answer_comments", ward_ids)


def may_summarise_event(actor: Actor, organiser_id: int | None, ward_ids: Iterable[int]) -> bool:
    """Whether ``actor`` may add the public summary of an event posted by ``organiser_id``
    at a point in ``ward_ids``: the organiser (while they may still post events), or a
    council officer whose wards hold the event (``manage_events``)."""
    if not allowed(actor, "post_events"):
        return False
    return owns(actor, organiser_id) or allowed(actor, "manage_events", ward_ids)
