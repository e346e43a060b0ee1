"""Thank-you rolls: contributions recognised in public, with consent, never naming children.

A roll lists the partner organisations of an initiative, and people: its proposer and
those who reported progress (if their account consents to being named), and people the
leader thanked by name after confirming they are adults who agreed. Consent is stored
with its date and can be withdrawn at any time; an account marked as a young person's is
never named, whatever its consent says.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from geo.accountability.progress import may_track
from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.i18n import t
from geo.notify.audiences import initiative_title, tell_initiative
from geo.permissions import Actor, rereads_actor
from geo.storage.db import Store, next_id, retry_on_conflict
from geo.storage.submissions import earlier, remember


@rereads_actor
def set_named_consent(store: Store, actor: Actor, consent: bool, now: datetime) -> None:
    """The signed-in person agrees (or no longer agrees) to be named in thank-you rolls."""
    if actor.user_id is None:
        raise PermissionDenied(t("sign in to choose whether you are named"))
    with store.write() as cursor:
        minor = cursor.execute(
            "SELECT coalesce(is_minor, false) FROM users WHERE id = ?", [actor.user_id]
        ).fetchone()
        if minor and minor[0] and consent:
            raise InvalidInput(t("accounts of under-18s are never named in thank-you lists"))
        cursor.execute(
            "UPDATE users SET named_consent_at = ? WHERE id = ?",
            [now if consent else None, actor.user_id],
        )


def has_named_consent(store: Store, actor: Actor) -> bool:
    row = store.row("SELECT named_consent_at IS NOT NULL FROM users WHERE id = ?", [actor.user_id])
    return bool(row and row[0])


@retry_on_conflict
@rereads_actor
def thank(
    store: Store,
    actor: Actor,
    initiative_id: int,
    name: str,
    contribution: str,
    adult_confirmed: bool,
    consent_confirmed: bool,
    now: datetime,
    token: str | None = None,
) -> int:
    """Thank someone by name on an initiative, once the leader confirms they are an adult
    who agreed to be named; a second press of the same form render (``token``) returns the
    first."""
    name, contribution = " ".join(name.split()), " ".join(contribution.split())
    if not adult_confirmed or not consent_confirmed:
        raise InvalidInput(
            t(
                "name only adults who agreed to be named; never name a child — thank "
                "'the young people of …' instead"
            )
        )
    if not 2 <= len(name) <= 80 or not 2 <= len(contribution) <= 200:
        raise InvalidInput(t("give a name (2–80 characters) and what they did (2–200)"))
    with store.write() as cursor:
        may_track(cursor, actor, initiative_id)
        if (done := earlier(cursor, token, "thanks")) is not None:
            return done
        thanks_id = next_id(cursor, "thanks_ids")
        cursor.execute(
            "INSERT INTO thanks (id, initiative_id, name, contribution, adult_confirmed, "
            "consent_at, added_by) VALUES (?, ?, ?, ?, true, ?, ?)",
            [thanks_id, initiative_id, name, contribution, now, actor.display_name],
        )
        remember(cursor, token, "thanks", thanks_id, now)
        # A thank-you names a person, not an account, so the team of the initiative (its
        # proposer and partners' members) hears that it was thanked.
        title = initiative_title(cursor, initiative_id)
        tell_initiative(
            cursor,
            initiative_id,
            "thanks",
            f"Thanks on {title}",
            f"{name} was thanked on “{title}” for: {contribution}.",
            now,
            skip=[actor.user_id],
            with_followers=False,
        )
    return thanks_id


@rereads_actor
def revoke_thanks(store: Store, actor: Actor, thanks_id: int, now: datetime) -> None:
    """Take a name off the roll (the person changed their mind)."""
    with store.write() as cursor:
        row = cursor.execute(
            "SELECT initiative_id FROM thanks WHERE id = ?", [thanks_id]
        ).fetchone()
        if row is None:
            raise NotFound(t("there is no thank-you number {number}", number=thanks_id))
        may_track(cursor, actor, int(row[0]))
        cursor.execute("UPDATE thanks SET revoked_at = ? WHERE id = ?", [now, thanks_id])


_NAMEABLE = "u.named_consent_at IS NOT NULL AND NOT coalesce(u.is_minor, false)"


def roll(store: Store, initiative_ids: list[int]) -> pd.DataFrame:
    """Who is thanked on these initiatives: partners, then consenting adults; one row per
    name and initiative, with what they did."""
    return store.frame(
        f"""
        SELECT DISTINCT * FROM (
            SELECT i.id AS initiative_id, unnest(i.partners) AS name,
                   'Partner' AS contribution, 0 AS sort FROM initiatives i
            WHERE list_contains(CAST($ids AS INTEGER[]), i.id)
            UNION ALL
            SELECT i.id, u.display_name, 'Proposed it', 1 FROM initiatives i
            JOIN users u ON u.id = i.owner_id
            WHERE list_contains(CAST($ids AS INTEGER[]), i.id) AND {_NAMEABLE}
            UNION ALL
            SELECT c.initiative_id, u.display_name, 'Reported progress', 2 FROM checkins c
            JOIN users u ON u.id = c.author_id
            WHERE list_contains(CAST($ids AS INTEGER[]), c.initiative_id) AND {_NAMEABLE}
              AND u.role NOT IN ('council', 'admin')
            UNION ALL
            SELECT t.initiative_id, t.name, t.contribution, 3 FROM thanks t
            WHERE list_contains(CAST($ids AS INTEGER[]), t.initiative_id) AND t.revoked_at IS NULL
              AND t.adult_confirmed
        ) AS thanked ORDER BY initiative_id, sort, name
        """,  # noqa: S608 - a constant condition; values are parameters
        {"ids": initiative_ids},
    ).drop(columns="sort")


def thanks_entries(store: Store, initiative_id: int) -> pd.DataFrame:
    """Named thanks on one initiative, with whether each is still shown."""
    return store.frame(
        "SELECT id, name, contribution, revoked_at IS NULL AS shown FROM thanks "
        "WHERE initiative_id = ? ORDER BY id",
        [initiative_id],
    )
