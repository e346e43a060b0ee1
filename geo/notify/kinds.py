"""The kinds of notice: what each one tells, who gets it, and how it is e-mailed by default.

A person chooses per kind whether e-mail comes at once, in a daily or weekly digest, or not
at all; the in-app inbox always has every notice. The defaults send at once only what a
person is waiting for (a decision on their proposal, an answer to their comment, their
concern moving on, thanks) and put the rest in a daily digest, so following a busy ward
does not mean twenty e-mails a day.
"""

from __future__ import annotations

from dataclasses import dataclass

EMAIL_CHOICES: dict[str, str] = {
    "now": "At once",
    "daily": "Daily digest",
    "weekly": "Weekly digest",
    "off": "Not by e-mail",
}


@dataclass(frozen=True)
class Kind:
    """One kind of notice, in words for the person choosing how to receive it."""

    label: str
    about: str
    default: str


KINDS: dict[str, Kind] = {
    "decision": Kind(
        "Decisions",
        "a council decision on a proposal you made or follow, with its reason, and when it "
        "starts or is completed",
        "now",
    ),
    "reply": Kind("Answers to your comments", "someone answered a comment of yours", "now"),
    "comment": Kind("Comments on your proposals", "a new comment on a proposal of yours", "daily"),
    "checkin": Kind(
        "Check-ins", "a progress check-in on an initiative you lead, support or follow", "daily"
    ),
    "milestone": Kind(
        "Milestones done", "a milestone of an initiative you follow is done", "daily"
    ),
    "overdue": Kind(
        "Overdue and quiet work",
        "a milestone is overdue, or an initiative has had no check-in for too long",
        "daily",
    ),
    "concern": Kind(
        "Concerns", "a concern you reported, or one about a play area you follow, moved on", "now"
    ),
    "inspection": Kind("Inspections", "a play area you follow was inspected", "daily"),
    "new_proposal": Kind(
        "New proposals", "a new proposal in a ward or an area you follow", "daily"
    ),
    "thanks": Kind(
        "Thanks", "someone was thanked on an initiative you lead or are a partner in", "now"
    ),
    "event": Kind("Coming events", "an event is coming up in a ward you follow", "daily"),
    "queue": Kind("What waits for you", "how many items wait in your queues (staff only)", "daily"),
    "newsletter": Kind("Newsletters", "the newsletter of a ward you follow", "now"),
}


def default_choice(kind: str) -> str:
    return KINDS[kind].default
