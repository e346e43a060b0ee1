"""Voices: ideas and worries from anyone — quiet residents and children included.

Nothing about the person is asked beyond an optional age band. The text is redacted
before it is stored (``redaction.redact``); the original is kept only until a moderator
decides, then deleted. A point on the map is generalised to the centre of a coarse grid
cell before it is stored, so nobody can learn where a child spends time; the ward is taken
from the precise point first. Everything waits for moderation before it is public; the
decision goes through the one moderation skeleton (``geo.moderation``, as ``VOICES``).
"""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd

from geo.accounts.rate_limits import Client, attempt
from geo.errors import InvalidInput
from geo.i18n import N_, Words, number, t
from geo.moderation import Moderated, clean_reason, decide, in_its_ward, log_change, logged_as
from geo.permissions import Actor, point_ward_ids, rereads_actor, scope
from geo.registry.areas import in_council_area
from geo.safeguarding.redaction import redact
from geo.storage.db import Store, next_id, retry_on_conflict
from geo.storage.membership import place_ward_id
from geo.storage.submissions import earlier, remember

MAX_VOICE = 1_000
GRID_M = 250.0  # published points are cell centres of a 250 m grid
AGE_BANDS = Words({"under_12": N_("Under 12"), "12_17": N_("12–17"), "adult": N_("Adult")})
# Simple keyword themes, first match wins; a child's words count as much as an adult's. The
# theme stored is the English name (a key); pages read it through ``t``.
THEMES: dict[str, tuple[str, ...]] = {
    N_("Lighting"): ("light", "dark", "lamp", "night"),
    N_("Traffic and crossings"): ("car", "traffic", "road", "crossing", "speed", "zebra"),
    N_("Broken or unsafe equipment"): ("broken", "fix", "repair", "unsafe", "rusty", "glass"),
    N_("Behaviour and bullying"): (
        "bully",
        "bullies",
        "push",
        "smok",
        "drunk",
        "teen",
        "scared",
        "fight",
        "gang",
    ),
    N_("Litter and cleanliness"): ("litter", "bin", "rubbish", "dog poo", "dirty", "needle"),
    N_("Accessibility"): ("wheelchair", "accessible", "ramp", "disab", "pushchair"),
    N_("Nature and shade"): ("tree", "shade", "flower", "grass", "garden", "nature"),
    N_("New things to play on"): (
        "swing",
        "slide",
        "zip",
        "trampoline",
        "climb",
        "goal",
        "skate",
        "football",
        "den",
        "play",
    ),
}
OTHER_THEME = N_("Other ideas")
# Big buttons in child-friendly mode: the picture, the words, what gets written (both read
# through ``t``: a child writes in their own language).
PICTURE_IDEAS: dict[str, str] = {
    N_("🔦 More lights"): N_("More lights so it is not dark."),
    N_("🛝 New things to play on"): N_("New things to play on."),
    N_("🚸 Safer crossing"): N_("A safer way to cross the road."),
    N_("🗑️ Less litter"): N_("Less litter and more bins."),
    N_("🌳 More trees and shade"): N_("More trees and shade."),
    N_("🤝 A grown-up to help"): N_("A friendly grown-up around to help."),
    N_("🚫 No bullying"): N_("Stop older kids pushing or scaring us."),
}


def theme_of(text: str) -> str:
    lowered = text.lower()
    for theme, words in THEMES.items():
        if any(word in lowered for word in words):
            return theme
    return OTHER_THEME


def generalise(lon: float, lat: float, cell_m: float = GRID_M) -> tuple[float, float]:
    """The centre of the ``cell_m`` grid cell holding the point (cells are square in
    metres at that latitude band, so every point in a cell maps to the same centre)."""
    dlat = cell_m / 110_540.0
    row = math.floor(lat / dlat)
    centre_lat = (row + 0.5) * dlat
    dlon = cell_m / (111_320.0 * math.cos(math.radians(centre_lat)))
    column = math.floor(lon / dlon)
    return round((column + 0.5) * dlon, 6), round(centre_lat, 6)


@retry_on_conflict
def submit_voice(
    store: Store,
    text: str,
    now: datetime,
    *,
    lon: float | None = None,
    lat: float | None = None,
    age_band: str | None = None,
    place_id: int | None = None,
    area_id: int | None = None,
    child_mode: bool = False,
    token: str | None = None,
    client: Client | None = None,
) -> int:
    """Store a voice for moderation. Anyone may: no account, no personal data. A second
    send of the same form render (``token``) returns the first voice; ``client`` (the
    browser's session and address) limits how many one sender leaves at a time."""
    text = " ".join(text.split())
    if len(text) < 3:
        raise InvalidInput(t("write a few words (or pick an idea)"))
    if len(text) > MAX_VOICE:
        raise InvalidInput(
            t(
                "that is {count} characters; please keep it under {limit}",
                count=number(len(text)),
                limit=number(MAX_VOICE),
            )
        )
    if age_band is not None and age_band not in AGE_BANDS:
        raise InvalidInput(t("choose an age band from the list, or none"))
    if (lon is None) != (lat is None):
        raise InvalidInput(t("a point needs both longitude and latitude"))
    if lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(t("that point is not on the map"))
    if lon is not None and not in_council_area(store, lon, lat):
        raise InvalidInput(t("That spot is outside the council area: tap inside the ward lines."))
    cleaned = redact(text)
    with attempt(store, client, "voice", now), store.write() as cursor:
        if (done := earlier(cursor, token, "voice")) is not None:
            return done
        if lon is not None and area_id is None:
            area_id = next(iter(point_ward_ids(cursor, lon, lat)), None)
        if place_id is not None and area_id is None:
            area_id = place_ward_id(cursor, place_id)
        public = generalise(lon, lat) if lon is not None else (None, None)
        voice_id = next_id(cursor, "voice_ids")
        cursor.execute(
            "INSERT INTO voices (id, text, original, redactions, theme, age_band, child_mode, "
            "area_id, place_id, lon, lat, state, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
            [
                voice_id,
                cleaned.text,
                text if cleaned.changed else None,
                [f"{kind}: {found}" for kind, found in cleaned.found],
                theme_of(cleaned.text),
                age_band,
                child_mode,
                area_id,
                place_id,
                public[0],
                public[1],
                now,
            ],
        )
        log_change(
            cursor, "voice", voice_id, None, "pending", "SafePlay", "Waiting for moderation.", now
        )
        remember(cursor, token, "voice", voice_id, now)
    return voice_id


VOICES = Moderated(
    noun="voice",
    table="voices",
    state_column="state",
    action="moderate_comments",
    transitions=frozenset({("pending", "published"), ("pending", "hidden")}),
    unknown_decision=N_("a moderator can publish or hide a voice"),
    illegal=lambda before, _after: (  # only a decided voice is refused: published or hidden
        t("this voice was already published")
        if before == "published"
        else t("this voice was already hidden")
    ),
    ward_column="area_id",
    wards=in_its_ward,
    clean=lambda decision, reason: clean_reason(
        reason,
        required=decision == "hidden",
        missing=t("write a reason for hiding the voice: it is kept in the moderation log"),
    ),
    audit=logged_as("voice"),
    # The original (unredacted) text is deleted at the decision, whichever it is.
    also_set=lambda _reason, _now: {"original": None},
)


@rereads_actor
def moderate_voice(
    store: Store,
    actor: Actor,
    voice_id: int,
    decision: str,
    reason: str | None,
    now: datetime,
    edited_text: str | None = None,
) -> None:
    """Publish (optionally with further edits, redacted again) or hide a voice; either way
    the original text is deleted now."""

    def edits() -> dict[str, str]:
        if edited_text is None:
            return {}
        text = redact(" ".join(edited_text.split())).text
        if not 3 <= len(text) <= MAX_VOICE:
            raise InvalidInput(
                t("the edited text must be 3 to {limit} characters", limit=number(MAX_VOICE))
            )
        return {"text": text, "theme": theme_of(text)}

    decide(store, actor, VOICES, voice_id, decision, reason, now, edits)


def voice_queue(store: Store, actor: Actor) -> pd.DataFrame:
    """Voices waiting for moderation in the moderator's wards, with what was redacted."""
    in_scope, params = scope(actor, "moderate_comments").ward_sql("v.area_id")
    return store.frame(
        "SELECT v.id, v.text, v.original, v.redactions, v.theme, v.age_band, v.child_mode, "  # noqa: S608
        "a.name AS ward, v.created_at FROM voices v LEFT JOIN areas a ON a.id = v.area_id "
        f"WHERE v.state = 'pending' AND {in_scope} ORDER BY v.created_at, v.id",
        params,
    )


def published_voices(store: Store, area_id: int | None = None) -> pd.DataFrame:
    """What the public sees: redacted text, theme, age band, ward, generalised point."""
    return store.frame(
        "SELECT v.id, v.text, v.theme, v.age_band, a.name AS ward, v.lon, v.lat, "
        "v.created_at FROM voices v LEFT JOIN areas a ON a.id = v.area_id "
        "WHERE v.state = 'published' AND (CAST(? AS INTEGER) IS NULL OR v.area_id = ?) "
        "ORDER BY v.created_at DESC, v.id DESC",
        [area_id, area_id],
    )


def themes_by_age(voices: pd.DataFrame) -> pd.DataFrame:
    """Published voices per theme, with a column per age band (and unstated), headed and
    worded in the reader's language (the stored themes are English keys)."""
    theme, count = t("Theme"), t("Voices")
    if voices.empty:
        return pd.DataFrame(columns=[theme, count])
    bands = voices["age_band"].map(AGE_BANDS).fillna(t("Not stated"))
    table = pd.crosstab(voices["theme"].map(t), bands)
    table.insert(0, count, table.sum(axis=1))
    return table.sort_values(count, ascending=False).rename_axis(theme).reset_index()


def participation(store: Store) -> pd.DataFrame:
    """Published voices per 1,000 residents per ward; the lowest need outreach."""
    frame = store.frame(
        "SELECT a.id, a.name, a.population, count(v.id) AS voices, "
        "count(v.id) FILTER (WHERE v.age_band IN ('under_12', '12_17')) AS young_voices "
        "FROM areas a LEFT JOIN voices v ON v.area_id = a.id AND v.state = 'published' "
        "WHERE a.level = 'ward' GROUP BY a.id, a.name, a.population ORDER BY a.name"
    )
    frame["per_1000"] = (frame["voices"] / frame["population"] * 1000).round(2)
    known = frame["per_1000"].dropna()
    threshold = known.median() / 2 if not known.empty else 0
    frame["outreach_needed"] = frame["per_1000"].fillna(0) <= threshold
    return frame
