"""The lifecycle of an initiative (DESIGN.md §3): which step is legal, for whom, and the audit.

``draft → submitted → (changes_requested ⇄ submitted) → approved | rejected``,
``approved → in_progress → completed``, and ``withdrawn`` by the proposer before a decision.
Every step goes through ``move`` so that no status changes without an audit row saying
who, from what, to what, why and when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import duckdb

from geo.errors import IllegalTransition
from geo.permissions import Actor
from geo.storage import membership
from geo.vocabulary import INITIATIVE_STATUSES, label

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


def check_step(from_status: str, to_status: str, party: Literal["proposer", "reviewer"]) -> None:
    """Raise ``IllegalTransition`` unless ``party`` may move ``from_status`` → ``to_status``."""
    allowed = TRANSITIONS.get((from_status, to_status))
    if allowed is None:
        raise IllegalTransition(
            f"a proposal that is {label(INITIATIVE_STATUSES, from_status).lower()} cannot become "
            f"{label(INITIATIVE_STATUSES, to_status).lower()}"
        )
    if allowed not in (party, "either"):
        doer = "a council reviewer" if allowed == "reviewer" else "the proposer"
        raise IllegalTransition(f"only {doer} can make it {INITIATIVE_STATUSES[to_status].lower()}")


def record(
    cursor: duckdb.DuckDBPyConnection,
    initiative_id: int,
    from_status: str | None,
    to_status: str,
    actor: Actor,
    reason: str | None,
    now: datetime,
) -> None:
    """Set the status and append the audit row, inside the caller's transaction."""
    cursor.execute(
        "UPDATE initiatives SET status = ?, updated_at = ? WHERE id = ?",
        [to_status, now, initiative_id],
    )
    membership.follow_initiative(cursor, initiative_id)
    cursor.execute(
        "INSERT INTO status_changes "
        "(initiative_id, from_status, to_status, actor, reason, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [initiative_id, from_status, to_status, actor.display_name, reason, now],
    )
