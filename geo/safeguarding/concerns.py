"""Concern reports at play areas: routed to the ward's council queue, answered in public.

Anyone may report, with no account: a category, a short text (redacted before storing) and
the play area. The council updates the status with a public note; the place's page shows
its open concerns (category, status and note — never the reporter's words, which stay with
the council). A worry about a child's safety is not taken in at all: the reporter is shown
the local safeguarding contact and the emergency number instead, because a web portal
cannot respond to a child at risk. Status updates go through the one moderation skeleton
(``geo.moderation``, as ``CONCERNS``).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime
from typing import Any

import pandas as pd

from geo.accounts.rate_limits import Client, attempt
from geo.errors import InvalidInput, NotFound
from geo.i18n import N_, Words, number, t, tp
from geo.moderation import Moderated, decide, in_its_ward, log_change, logged_as
from geo.notify.audiences import place_link
from geo.notify.follows import followers
from geo.notify.notices import notify
from geo.permissions import Actor, rereads_actor, scope
from geo.safeguarding.redaction import redact
from geo.storage.db import Cursor, Store, next_id, retry_on_conflict
from geo.storage.membership import place_ward_id
from geo.storage.submissions import earlier, remember

CATEGORIES = Words(
    {
        "broken_equipment": N_("Broken equipment"),
        "unsafe_surface": N_("Unsafe surface"),
        "glass_or_sharps": N_("Glass, needles or sharp objects"),
        "lighting": N_("Lighting"),
        "behaviour": N_("A behaviour worry (adults or older young people)"),
        "other": N_("Something else"),
        "child_safety": N_("I am worried about a child's safety"),
    }
)


class _Statuses(Words):
    """Concern statuses, where "Open" is a state ("status" context), not a button's verb."""

    def __getitem__(self, key: str) -> str:
        return tp("status", "Open") if key == "open" else super().__getitem__(key)


STATUSES = _Statuses(
    {
        "open": "Open",  # read through tp("status", …) above
        "investigating": N_("Investigating"),
        "action_scheduled": N_("Action scheduled"),
        "fixed": N_("Fixed"),
        "not_ours": N_("Not the council's (passed on)"),
    }
)
OPEN_STATUSES = ("open", "investigating", "action_scheduled")
MAX_TEXT = 1_000


def safeguarding_contact() -> dict[str, str]:
    """Where a worry about a child goes: set per council, with safe defaults."""
    return {
        "contact": os.environ.get(
            "SAFEPLAY_SAFEGUARDING_CONTACT",
            t("your council's children's services (safeguarding) team"),
        ),
        "emergency": os.environ.get("SAFEPLAY_EMERGENCY_NUMBER", "999"),
    }


class ChildSafetyConcern(InvalidInput):
    """A worry about a child: not stored; the page shows who to contact instead."""


def new_tracking_code() -> str:
    """A private code for following one's report without an account or an address. Only
    its hash is stored (``tracking_hash``), so the link is shown once, to the reporter."""
    return secrets.token_urlsafe(18)


def _tracking_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


@retry_on_conflict
def report_concern(
    store: Store,
    place_id: int,
    category: str,
    text: str,
    now: datetime,
    token: str | None = None,
    client: Client | None = None,
    *,
    reporter: Actor | None = None,
    tracking_code: str | None = None,
) -> int:
    """File a concern about a play area in its ward's queue (anyone; no account); a second
    send of the same form render (``token``) returns the first concern; ``client`` limits
    how many one sender files at a time. A signed-in ``reporter`` is told when it moves on;
    ``tracking_code`` (``new_tracking_code``) lets anyone holding it read its status."""
    if category not in CATEGORIES:
        raise InvalidInput(t("choose what the concern is about"))
    if category == "child_safety":
        contact = safeguarding_contact()
        raise ChildSafetyConcern(
            t(
                "If a child is in danger now, call {emergency}. Otherwise contact {contact}. "
                "SafePlay cannot respond to a child at risk, so this report has not been sent "
                "through it.",
                emergency=contact["emergency"],
                contact=contact["contact"],
            )
        )
    text = " ".join(text.split())
    if not 3 <= len(text) <= MAX_TEXT:
        raise InvalidInput(
            t("describe the problem in 3 to {limit} characters", limit=number(MAX_TEXT))
        )
    with attempt(store, client, "concern", now), store.write() as cursor:
        if (done := earlier(cursor, token, "concern")) is not None:
            return done
        place = cursor.execute("SELECT id FROM places WHERE id = ?", [place_id]).fetchone()
        if place is None:
            raise NotFound(t("there is no play area number {number}", number=place_id))
        concern_id = next_id(cursor, "concern_ids")
        cursor.execute(
            "INSERT INTO concerns (id, place_id, area_id, category, text, status, public_note, "
            "created_at, updated_at, reporter_id, tracking_hash) "
            "VALUES (?, ?, ?, ?, ?, 'open', NULL, ?, ?, ?, ?)",
            [
                concern_id,
                place_id,
                place_ward_id(cursor, place_id),
                category,
                redact(text).text,
                now,
                now,
                reporter.user_id if reporter is not None and reporter.signed_in else None,
                _tracking_hash(tracking_code) if tracking_code else None,
            ],
        )
        log_change(cursor, "concern", concern_id, None, "open", "SafePlay", "Reported.", now)
        _tell_reported(cursor, place_id, category, reporter, now)
        remember(cursor, token, "concern", concern_id, now)
    return concern_id


def _tell_reported(
    cursor: Cursor, place_id: int, category: str, reporter: Actor | None, now: datetime
) -> None:
    """The play area's followers learn that a concern of a kind was reported — the kind
    only: the report's words wait for the council and are never sent to anyone."""
    (place,) = cursor.execute("SELECT name FROM places WHERE id = ?", [place_id]).fetchone()
    notify(
        cursor,
        followers(cursor, "place", place_id),
        "concern",
        lambda: t("A concern was reported at {place}", place=place),
        lambda: t(
            "Someone reported a concern at {place}: {category}. The council will look at it; "
            "you will read here when it moves on.",
            place=place,
            category=CATEGORIES[category],
        ),
        now,
        link=place_link(place_id),
        place_id=place_id,
        skip=[reporter.user_id if reporter is not None else None],
    )


def _public_note(_status: str, public_note: str | None) -> str:
    """A concern's reason is its public note: the words people read on the place's page."""
    note = " ".join((public_note or "").split())
    if not 3 <= len(note) <= 500:
        raise InvalidInput(t("write a public note of 3 to {limit} characters", limit=number(500)))
    return note


def _tell_moved(
    cursor: Cursor,
    concern_id: int,
    _before: str,
    after: str,
    note: str | None,
    actor: Actor,
    now: datetime,
) -> None:
    """Its signed-in reporter and the play area's followers read the new status and the
    public note — never the report's text, which stays with the council."""
    place_id, place, category, reporter_id = cursor.execute(
        "SELECT c.place_id, p.name, c.category, c.reporter_id FROM concerns c "
        "JOIN places p ON p.id = c.place_id WHERE c.id = ?",
        [concern_id],
    ).fetchone()
    notify(
        cursor,
        {reporter_id} | followers(cursor, "place", place_id),
        "concern",
        lambda: t("A concern at {place}: {status}", place=place, status=STATUSES[after]),
        lambda: t(
            "A concern at {place} ({category}) has a new status: {status}. The council's "
            "note: {note}",
            place=place,
            category=CATEGORIES[category],
            status=STATUSES[after],
            note=note,
        ),
        now,
        link=place_link(place_id),
        place_id=place_id,
        skip=[actor.user_id],
    )


# A concern may move from any status to any other, or keep its status with a new note; the
# note is both the audit reason and what the public reads.
CONCERNS = Moderated(
    noun="concern",
    table="concerns",
    state_column="status",
    action="handle_concerns",
    transitions=frozenset((before, after) for before in STATUSES for after in STATUSES),
    unknown_decision=N_("choose a status from the list"),
    illegal=lambda before, after: t(
        "a concern that is “{before}” cannot become “{after}”",
        before=STATUSES.get(before, before),
        after=STATUSES[after],
    ),
    ward_column="area_id",
    wards=in_its_ward,
    clean=_public_note,
    audit=logged_as("concern"),
    also_set=lambda note, now: {"public_note": note, "updated_at": now},
    announce=_tell_moved,
)


@rereads_actor
def update_concern(
    store: Store, actor: Actor, concern_id: int, status: str, public_note: str, now: datetime
) -> None:
    """Move a concern on, with a note the public reads on the place's page."""
    decide(store, actor, CONCERNS, concern_id, status, public_note, now)


def concern_queue(store: Store, actor: Actor, include_closed: bool = False) -> pd.DataFrame:
    """Concerns in the officer's wards, oldest open first."""
    in_scope, params = scope(actor, "handle_concerns").ward_sql("c.area_id")
    return store.frame(
        "SELECT c.id, p.name AS place, a.name AS ward, c.category, c.text, c.status, "  # noqa: S608
        "c.public_note, c.created_at, c.updated_at FROM concerns c "
        "JOIN places p ON p.id = c.place_id LEFT JOIN areas a ON a.id = c.area_id "
        f"WHERE {in_scope} AND ($all OR list_contains($open, c.status)) "
        "ORDER BY c.created_at, c.id",
        {**params, "all": include_closed, "open": list(OPEN_STATUSES)},
    )


def open_concerns(store: Store, place_id: int) -> pd.DataFrame:
    """What the public sees on a place: category, status, note and dates (not the text)."""
    return store.frame(
        "SELECT category, status, public_note, created_at, updated_at FROM concerns "
        "WHERE place_id = ? AND list_contains(?, status) ORDER BY created_at",
        [place_id, list(OPEN_STATUSES)],
    )


def tracked(store: Store, code: str | None) -> dict[str, Any] | None:
    """What the holder of a tracking code may read: the play area, the category, the
    status, the dates and the council's public notes — not the text, not who handles it.
    None for a missing or unknown code (the same answer, so codes cannot be probed)."""
    code = (code or "").strip()
    if not 10 <= len(code) <= 64:
        return None
    row = store.row(
        "SELECT c.id, p.name, c.category, c.status, c.created_at, c.updated_at FROM concerns c "
        "JOIN places p ON p.id = c.place_id WHERE c.tracking_hash = ?",
        [_tracking_hash(code)],
    )
    if row is None:
        return None
    concern_id, place, category, status, created_at, updated_at = row
    notes = store.rows(
        "SELECT changed_at, to_state, reason FROM moderation_log WHERE item_kind = 'concern' "
        "AND item_id = ? AND from_state IS NOT NULL ORDER BY changed_at, id",
        [concern_id],
    )
    return {
        "place": place,
        "category": CATEGORIES[category],
        "status": STATUSES[status],
        "reported": created_at,
        "updated": updated_at,
        "notes": [(at, STATUSES[state], note) for at, state, note in notes],
    }
