"""The kinds of notice: what each one tells, who gets it, and how it is e-mailed by default.

A person chooses per kind whether e-mail comes at once, in a daily or weekly digest, or not
at all; the in-app inbox always has every notice. The defaults send at once only what a
person is waiting for (a decision on their proposal, an answer to their comment, their
concern moving on, thanks) and put the rest in a daily digest, so following a busy ward
does not mean twenty e-mails a day.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.i18n import N_, Words, t

EMAIL_CHOICES = Words(
    {
        "now": N_("At once"),
        "daily": N_("Daily digest"),
        "weekly": N_("Weekly digest"),
        "off": N_("Not by e-mail"),
    }
)


@dataclass(frozen=True)
class Kind:
    """One kind of notice, in words for the person choosing how to receive it.

    The table is built at import, before anyone's language is known: the English is kept
    and ``label``/``about`` are read in the language of whoever the words are for."""

    english_label: str
    english_about: str
    default: str

    @property
    def label(self) -> str:
        return t(self.english_label)

    @property
    def about(self) -> str:
        return t(self.english_about)


KINDS: dict[str, Kind] = {
    "decision": Kind(
        N_("Decisions"),
        N_(
            "a council decision on a proposal you made or follow, with its reason, and when it "
            "starts or is completed"
        ),
        "now",
    ),
    "reply": Kind(N_("Answers to your comments"), N_("someone answered a comment of yours"), "now"),
    "comment": Kind(
        N_("Comments on your proposals"), N_("a new comment on a proposal of yours"), "daily"
    ),
    "checkin": Kind(
        N_("Check-ins"),
        N_("a progress check-in on an initiative you lead, support or follow"),
        "daily",
    ),
    "milestone": Kind(
        N_("Milestones done"), N_("a milestone of an initiative you follow is done"), "daily"
    ),
    "overdue": Kind(
        N_("Overdue and quiet work"),
        N_("a milestone is overdue, or an initiative has had no check-in for too long"),
        "daily",
    ),
    "concern": Kind(
        N_("Concerns"),
        N_("a concern you reported, or one about a play area you follow, moved on"),
        "now",
    ),
    "inspection": Kind(N_("Inspections"), N_("a play area you follow was inspected"), "daily"),
    "new_proposal": Kind(
        N_("New proposals"), N_("a new proposal in a ward or an area you follow"), "daily"
    ),
    "thanks": Kind(
        N_("Thanks"), N_("someone was thanked on an initiative you lead or are a partner in"), "now"
    ),
    "event": Kind(N_("Coming events"), N_("an event is coming up in a ward you follow"), "daily"),
    "queue": Kind(
        N_("What waits for you"), N_("how many items wait in your queues (staff only)"), "daily"
    ),
    "newsletter": Kind(N_("Newsletters"), N_("the newsletter of a ward you follow"), "now"),
}


def default_choice(kind: str) -> str:
    return KINDS[kind].default
