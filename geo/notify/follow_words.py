"""What a person follows, said the way they would say it on My account.

``follows.following`` names each row; a person managing their follows also needs to know
what kind of thing each is ("West (ward)", "Mill Lane Playground (play area)") and, for the
follows SafePlay started for them, why ("because you proposed it"), or a row they never
asked for looks like a mistake and its messages like spam.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.i18n import N_, t
from geo.notify.follows import around_words, following
from geo.permissions import Actor
from geo.storage.db import Store
from geo.vocabulary import AREA_LEVEL_NAMES
from geo.wording import text

# What a follow of each kind is called after its name.
_KIND_WORDS = {
    "initiative": N_("proposal"),
    "place": N_("play area"),
    "shape": N_("drawn area"),
}
_WHY = {
    "proposed": N_("because you proposed it"),
    "support": N_("because you support it"),
    "partner": N_("because you are a partner"),
}


@dataclass(frozen=True)
class Followed:
    """One thing followed: the follow's id (for Stop), its words, and the kind and id of
    its target (for a link to it)."""

    follow_id: int
    words: str
    target_kind: str
    target_id: int | None
    automatic: bool


def followed_things(store: Store, actor: Actor) -> list[Followed]:
    """What ``actor`` follows now, in words, in the order they started following."""
    rows = following(store, actor)
    if rows.empty:
        return []
    area_ids = [int(i) for i in rows.loc[rows["target_kind"] == "area", "target_id"]]
    levels = (
        dict(
            store.rows(
                "SELECT id, level FROM areas WHERE list_contains(CAST(? AS INTEGER[]), id)",
                [area_ids],
            )
        )
        if area_ids
        else {}
    )
    reasons = _reasons(store, actor)
    things = []
    for row in rows.itertuples():
        target_id = None if row.target_kind == "council" else _int(row.target_id)
        name = text(row.what, t("Something no longer shown"))
        if row.target_kind == "area":
            level = levels.get(target_id)
            kind = AREA_LEVEL_NAMES.get(level, level) if level else t("area")
            words = t("{name} ({kind})", name=name, kind=kind)
        elif row.target_kind in _KIND_WORDS:
            words = t("{name} ({kind})", name=name, kind=t(_KIND_WORDS[row.target_kind]))
        elif row.target_kind == "radius" and name != (around := around_words(row.radius_m)):
            # a circle named "Near school" says what it is
            words = t("{name} ({kind})", name=name, kind=around)
        else:  # the council, and a circle whose label already says "500 m around a point"
            words = name
        if bool(row.automatic) and row.target_kind == "initiative":
            why = t(_WHY[reasons.get(target_id, "partner")])
            words = t("{what}, {why}", what=words, why=why)
        things.append(Followed(int(row.id), words, row.target_kind, target_id, bool(row.automatic)))
    return things


def _reasons(store: Store, actor: Actor) -> dict[int, str]:
    """Why each automatic follow of an initiative exists: the person proposed it, supports
    it, or else belongs to one of its partners."""
    return {
        int(initiative_id): reason
        for initiative_id, reason in store.rows(
            "SELECT f.target_id, CASE WHEN i.owner_id = f.user_id THEN 'proposed' "
            "WHEN s.user_id IS NOT NULL THEN 'support' ELSE 'partner' END "
            "FROM follows f JOIN initiatives i ON i.id = f.target_id "
            "LEFT JOIN supports s ON s.initiative_id = f.target_id AND s.user_id = f.user_id "
            "WHERE f.user_id = ? AND f.automatic AND f.target_kind = 'initiative' "
            "AND f.stopped_at IS NULL",
            [actor.user_id],
        )
    }


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
