"""One form render writes one record: a second press with the same token returns the first."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from geo.accountability import events, progress, recognition
from geo.errors import InvalidInput
from geo.safeguarding import concerns, inspections, voices
from tests.unit.conftest import NOW
from tests.unit.test_progress import approved
from tests.unit.test_voices_concerns_inspections import WEST_POINT

WRITERS = {
    "voices": lambda town, token: voices.submit_voice(
        town.store, "More swings please", NOW, token=token
    ),
    "concerns": lambda town, token: concerns.report_concern(
        town.store, town.playground_id, "glass_or_sharps", "Broken glass", NOW, token=token
    ),
    "events": lambda town, token: events.post_event(
        town.store,
        town.leader,
        "Play day",
        "play_day",
        NOW + timedelta(days=2),
        None,
        "Lee",
        *WEST_POINT,
        NOW,
        token=token,
    ),
    "inspections": lambda town, token: inspections.record_inspection(
        town.store,
        town.council,
        town.playground_id,
        "routine",
        NOW.date(),
        "Ivy",
        "pass",
        None,
        NOW,
        token=token,
    ),
    "milestones": lambda town, token: progress.add_milestone(
        town.store, town.leader, town.prepared, "Order swings", None, None, NOW, token=token
    ),
    "checkins": lambda town, token: progress.post_checkin(
        town.store, town.leader, town.prepared, "Met the council", NOW, token=token
    ),
    "thanks": lambda town, token: recognition.thank(
        town.store,
        town.leader,
        town.prepared,
        "Sam Smith",
        "Built the den",
        True,
        True,
        NOW,
        token=token,
    ),
}


def rows(town, table: str) -> int:
    return town.store.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.mark.parametrize("table", list(WRITERS))
def test_a_second_press_of_the_same_form_writes_nothing_and_returns_the_first(town, table):
    town = replace(town, prepared=approved(town))
    write, before = WRITERS[table], rows(town, table)
    token = uuid4().hex
    first = write(town, token)
    assert write(town, token) == first
    assert rows(town, table) == before + 1
    assert write(town, uuid4().hex) != first  # a new render (a new token) is a new record
    assert write(town, None) and rows(town, table) == before + 3  # no token: no dedupe


def test_two_presses_racing_each_other_write_once(town):
    token = uuid4().hex
    with ThreadPoolExecutor(4) as pool:
        ids = set(pool.map(lambda _: WRITERS["voices"](town, token), range(4)))
    assert len(ids) == 1 and rows(town, "voices") == 1


def test_a_forged_token_is_refused_with_a_message(town):
    with pytest.raises(InvalidInput, match="reload the page"):
        WRITERS["voices"](town, "x")
