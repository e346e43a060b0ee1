"""The lifecycle of an initiative (DESIGN.md §3): which step is legal, for whom, and the audit.

``draft → submitted → (changes_requested ⇄ submitted) → approved | rejected``,
``approved → in_progress → completed``, and ``withdrawn`` by the proposer before a decision.
Every step goes through ``record`` so that no status changes without an audit row saying
who, from what, to what, why and when — and without telling whom it concerns (``tell``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import duckdb

from geo.errors import ChangedMeanwhile, IllegalTransition
from geo.i18n import t, tp
from geo.notify.audiences import initiative_link, initiative_title, tell_initiative
from geo.notify.follows import followers_of_initiative_area
from geo.notify.notices import notify
from geo.permissions import Actor
from geo.permissions.check import allowed
from geo.permissions.rules import owns
from geo.storage import membership
from geo.vocabulary import label

Party = Literal["proposer", "reviewer", "either"]

# (from, to) -> who may take the step.
TRANSITIONS: dict[tuple[str, str], Party] = {
    ("draft", "submitted"): "proposer",
    ("changes_requested", "submitted"): "proposer",
    ("draft", "withdrawn"): "proposer",
    ("submitted", "withdrawn"): "proposer",
    ("changes_requested", "withdrawn"): "proposer",
    ("submitted", "approved"): "reviewer",
    ("submitted", "rejected"): "reviewer",
    ("submitted", "changes_requested"): "reviewer",
    ("approved", "in_progress"): "either",
    ("in_progress", "completed"): "either",
}
DECISIONS: tuple[str, ...] = ("approved", "rejected", "changes_requested")


def told(to_status: str, title: str) -> tuple[str, str] | None:
    """The subject and the sentence a step's notice starts with, or None when the step is
    nobody's news; whole sentences, because word order differs by language."""
    steps: dict[str, tuple[str, str]] = {
        "approved": (
            t("Approved: {title}", title=title),
            t("“{title}” was approved by the council.", title=title),
        ),
        "rejected": (
            t("Not approved: {title}", title=title),
            t("“{title}” was not approved by the council.", title=title),
        ),
        "changes_requested": (
            t("Changes requested: {title}", title=title),
            t("“{title}” needs changes before the council decides.", title=title),
        ),
        "in_progress": (
            t("Started: {title}", title=title),
            t("“{title}” has started.", title=title),
        ),
        "completed": (
            t("Completed: {title}", title=title),
            t("“{title}” is completed.", title=title),
        ),
    }
    return steps.get(to_status)


def in_a_sentence(status: str) -> str:
    """A status as it reads inside a sentence ("a proposal that is rejected"): lower case in
    English, but German keeps its nouns capitalised, so each language words it itself."""
    words = {
        "draft": tp("status in a sentence", "draft"),
        "submitted": tp("status in a sentence", "submitted for review"),
        "changes_requested": tp("status in a sentence", "changes requested"),
        "approved": tp("status in a sentence", "approved"),
        "rejected": tp("status in a sentence", "rejected"),
        "in_progress": tp("status in a sentence", "in progress"),
        "completed": tp("status in a sentence", "completed"),
        "withdrawn": tp("status in a sentence", "withdrawn"),
    }
    return words.get(status) or label({}, status).lower()


def check_step(from_status: str, to_status: str, party: Literal["proposer", "reviewer"]) -> None:
    """Raise ``IllegalTransition`` unless ``party`` may move ``from_status`` → ``to_status``."""
    allowed = TRANSITIONS.get((from_status, to_status))
    if allowed is None:
        raise IllegalTransition(
            t(
                "a proposal that is {before} cannot become {after}",
                before=in_a_sentence(from_status),
                after=in_a_sentence(to_status),
            )
        )
    if allowed not in (party, "either"):
        after = in_a_sentence(to_status)
        raise IllegalTransition(
            t("only a council reviewer can make it {status}", status=after)
            if allowed == "reviewer"
            else t("only the proposer can make it {status}", status=after)
        )


def record(
    cursor: duckdb.DuckDBPyConnection,
    initiative_id: int,
    from_status: str | None,
    to_status: str,
    actor: Actor,
    reason: str | None,
    now: datetime,
) -> None:
    """Set the status and append the audit row, inside the caller's transaction.

    The status changes only if it is still ``from_status``: on PostgreSQL a second decision
    made at the same moment waits for the first to commit, then finds the status moved and
    raises ``ChangedMeanwhile`` (one wins; the other writes nothing)."""
    changed = cursor.execute(
        "UPDATE initiatives SET status = ?, updated_at = ? WHERE id = ? "
        "AND (CAST(? AS TEXT) IS NULL OR status = ?) RETURNING id",
        [to_status, now, initiative_id, from_status, from_status],
    ).fetchone()
    if changed is None:
        raise ChangedMeanwhile(
            t(
                "someone else changed this proposal a moment ago, so nothing was saved; "
                "open it again to see where it stands"
            )
        )
    membership.follow_initiative(cursor, initiative_id)
    cursor.execute(
        "INSERT INTO status_changes "
        "(initiative_id, from_status, to_status, actor, reason, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [initiative_id, from_status, to_status, actor.display_name, reason, now],
    )
    tell(cursor, initiative_id, from_status, to_status, actor, reason, now)


def tell(
    cursor: duckdb.DuckDBPyConnection,
    initiative_id: int,
    from_status: str | None,
    to_status: str,
    actor: Actor,
    reason: str | None,
    now: datetime,
) -> None:
    """Inside the step's transaction: a decision, a start or a completion tells the
    proposer, its partners' members and its followers, with the reason; a first submission
    tells who follows where it lies (a draft is nobody's news). The proposer's own other
    steps (a revision, a withdrawal) tell nobody."""
    title = initiative_title(cursor, initiative_id)
    if told(to_status, title) is not None:
        tell_initiative(
            cursor,
            initiative_id,
            "decision",
            lambda: told(to_status, title)[0],  # written once per recipient's language
            lambda: (
                told(to_status, title)[1]
                + (" " + t("The reason given: {reason}", reason=reason) if reason else "")
            ),
            now,
            skip=[actor.user_id],
        )
    elif from_status == "draft" and to_status == "submitted":
        notify(
            cursor,
            followers_of_initiative_area(cursor, initiative_id),
            "new_proposal",
            lambda: t("New proposal: {title}", title=title),
            lambda: t(
                "“{title}” was proposed in an area you follow and is open for support and "
                "comments.",
                title=title,
            ),
            now,
            link=initiative_link(initiative_id),
            initiative_id=initiative_id,
            skip=[actor.user_id],
        )


def proposer_may(actor: Actor, proposal: Mapping[str, Any], to_status: str) -> bool:
    """Whether ``actor`` may take the proposer's step to ``to_status`` on ``proposal`` (as
    ``workflow.get_proposal`` returns it): their own proposal, and a step ``TRANSITIONS``
    gives the proposer. What a page asks before offering the button; the write checks
    the same again."""
    return (
        allowed(actor, "propose")
        and owns(actor, proposal["owner_id"])
        and TRANSITIONS.get((proposal["status"], to_status)) in ("proposer", "either")
    )


def may_withdraw(actor: Actor, proposal: Mapping[str, Any]) -> bool:
    """Whether ``actor`` may withdraw ``proposal``: their own, before a decision."""
    return proposer_may(actor, proposal, "withdrawn")


def may_open_for_feedback(actor: Actor, proposal: Mapping[str, Any]) -> bool:
    """Whether ``actor`` may open ``proposal`` to feedback (or close it again): their own
    draft only; once submitted, the council's review takes over."""
    return (
        allowed(actor, "propose")
        and owns(actor, proposal["owner_id"])
        and proposal["status"] == "draft"
    )


def may_review(actor: Actor, proposal: Mapping[str, Any]) -> bool:
    """Whether ``actor`` may decide on ``proposal`` (as ``reading.get_proposal`` returns it):
    a council officer for every ward it touches, on a proposal waiting for a decision, and
    never on their own — another officer must. ``workflow.review`` checks the same again."""
    waiting = any(
        TRANSITIONS.get((proposal["status"], decision)) in ("reviewer", "either")
        for decision in DECISIONS
    )
    return (
        waiting
        and allowed(actor, "review_proposals", proposal["ward_ids"])
        and not owns(actor, proposal["owner_id"])
    )
