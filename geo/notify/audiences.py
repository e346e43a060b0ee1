"""Who hears of a change, and the app path its notice links to.

The services call these inside their own ``store.write()``, so a rolled-back change tells
nobody. The people who take part in an initiative (its proposer, its partners' members)
hear of it even from before following existed, unless they stopped following it: a stop
is respected everywhere, so "stop following" really ends the messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from geo.i18n import t
from geo.notify.follows import followers, initiative_people
from geo.notify.notices import Wording, notify
from geo.storage.db import Cursor


def initiative_link(initiative_id: int) -> str:
    """The Proposals page opens any proposal the reader may see by ``?id=``."""
    return f"proposals?id={int(initiative_id)}"


def place_link(place_id: int) -> str:
    """The public map opens a play area's details by ``?place=``."""
    return f"explore_map?place={int(place_id)}"


def stopped(cursor: Cursor, target_kind: str, target_id: int) -> set[int]:
    """Who once followed this and stopped."""
    rows = cursor.execute(
        "SELECT user_id FROM follows WHERE target_kind = ? AND target_id = ? "
        "AND stopped_at IS NOT NULL",
        [target_kind, target_id],
    ).fetchall()
    return {int(row[0]) for row in rows}


def taking_part(cursor: Cursor, initiative_id: int) -> set[int]:
    """The proposer and partners' members, less those who stopped following it."""
    return initiative_people(cursor, initiative_id) - stopped(cursor, "initiative", initiative_id)


def initiative_title(cursor: Cursor, initiative_id: int) -> str:
    row = cursor.execute("SELECT title FROM initiatives WHERE id = ?", [initiative_id]).fetchone()
    return str(row[0]) if row else t("initiative {number}", number=initiative_id)


def tell_initiative(
    cursor: Cursor,
    initiative_id: int,
    kind: str,
    subject: Wording,
    body: Wording,
    now: datetime,
    *,
    skip: Iterable[int | None] = (),
    with_followers: bool = True,
    dedupe_key: str | None = None,
) -> list[int]:
    """Tell those taking part in an initiative (and, unless ``with_followers`` is False,
    everyone following it) of a change, linking to the proposal. The words are written in
    each recipient's language (``notices.Wording``)."""
    people = taking_part(cursor, initiative_id)
    if with_followers:
        people |= followers(cursor, "initiative", initiative_id)
    return notify(
        cursor,
        people,
        kind,
        subject,
        body,
        now,
        link=initiative_link(initiative_id),
        initiative_id=initiative_id,
        skip=skip,
        dedupe_key=dedupe_key,
    )
