"""Public and private records planted in a copy of the demo town for the OGC API tests.

The demo has no voices or events; these add both kinds of each, so a test can count what
is public and look for what is not: a draft's and a withdrawn proposal's titles, a pending
voice's original (with an e-mail address in it), a hidden voice, and an event whose
initiative was withdrawn afterwards, and an account's e-mail address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from geo.accountability import events
from geo.permissions import COMMAND_LINE
from geo.safeguarding import voices
from geo.storage.db import Store

NOW = datetime(2026, 6, 1, 9, 0)
DRAFT_TITLE = "Secret draft of Priya"
WITHDRAWN_TITLE = "Secret withdrawn proposal"
ORIGINAL_EMAIL = "tom.secret@example.org"
HIDDEN_WORDS = "Hidden words about the bins"
PERSON_EMAIL = "priya.private@example.net"


@dataclass(frozen=True)
class Planted:
    """What a test looks for: values that must never appear, and how many are public."""

    private: tuple[str, ...]
    published_voices: int
    events: int


def plant(store: Store) -> Planted:
    wards = store.rows(
        "SELECT id, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM areas "
        "WHERE level = 'ward' ORDER BY id"
    )
    with store.write() as cursor:
        cursor.execute(
            "UPDATE initiatives SET title = ? WHERE id = (SELECT min(id) FROM initiatives "
            "WHERE status = 'draft')",
            [DRAFT_TITLE],
        )
        cursor.execute(
            "UPDATE initiatives SET title = ? WHERE id = (SELECT min(id) FROM initiatives "
            "WHERE status = 'withdrawn')",
            [WITHDRAWN_TITLE],
        )
        cursor.execute(
            "UPDATE users SET email = ? WHERE id = (SELECT min(id) FROM users)", [PERSON_EMAIL]
        )
    with_points = [
        voices.submit_voice(store, words, NOW, lon=lon, lat=lat, age_band=band)
        for words, band, (_ward, lon, lat) in zip(
            (
                "The slide is broken and rusty",
                "More lights at night near the gate",
                "A zebra crossing by the shop",
            ),
            ("under_12", "12_17", None),
            wards,
            strict=False,
        )
    ]
    published = [
        *with_points,
        voices.submit_voice(store, "A bench by the pond", NOW, area_id=wards[0][0]),
    ]
    # Pending, so their originals (with an e-mail address) are still kept.
    voices.submit_voice(
        store, f"My name is Tom, write to {ORIGINAL_EMAIL}", NOW, lon=wards[0][1], lat=wards[0][2]
    )
    voices.submit_voice(store, f"Pending: mail me at {ORIGINAL_EMAIL}", NOW)
    hidden = voices.submit_voice(store, HIDDEN_WORDS, NOW, lon=wards[1][1], lat=wards[1][2])
    for voice_id in published:
        voices.moderate_voice(store, COMMAND_LINE, voice_id, "published", None, NOW)
    voices.moderate_voice(store, COMMAND_LINE, hidden, "hidden", "Off topic.", NOW)
    posted = []
    for days, (_ward, lon, lat) in zip((1, 10, 40), wards, strict=False):
        posted.append(
            events.post_event(
                store,
                COMMAND_LINE,
                f"Play day {days}",
                "play_day",
                NOW + timedelta(days=days),
                NOW + timedelta(days=days, hours=3),
                "Friends of the Park",
                lon,
                lat,
                NOW,
            )
        )
    with store.write() as cursor:
        cursor.execute(
            "UPDATE events SET initiative_id = (SELECT min(id) FROM initiatives "
            "WHERE status = 'withdrawn') WHERE id = ?",
            [posted[0]],
        )
    return Planted(
        private=(
            DRAFT_TITLE,
            WITHDRAWN_TITLE,
            ORIGINAL_EMAIL,
            HIDDEN_WORDS,
            "Pending:",
            "My name is",
        ),
        published_voices=len(published),
        events=len(posted),
    )
