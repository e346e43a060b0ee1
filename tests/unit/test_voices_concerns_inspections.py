"""Voices, concern reports, inspections and events: safeguarding rules with a fixed clock."""

import math
from datetime import date, timedelta

import pytest

from geo.accountability import events
from geo.errors import IllegalTransition, InvalidInput, PermissionDenied
from geo.permissions import COMMAND_LINE, VISITOR
from geo.safeguarding import concerns, inspections, voices
from tests.unit.conftest import NOW

DAY = timedelta(days=1)
WEST_POINT = (-1.0321, 52.0213)  # precise, inside West
EAST_POINT = (-0.9712, 52.0155)


def row(town, voice_id):
    return (
        town.store.cursor()
        .execute(
            "SELECT text, original, state, area_id, lon, lat, redactions FROM voices WHERE id = ?",
            [voice_id],
        )
        .fetchone()
    )


def test_a_voice_is_redacted_before_it_is_stored_and_the_original_goes_at_the_decision(town):
    said = "My name is Tom and I'm 9, call 07700 900123. More swings please!"
    voice_id = voices.submit_voice(
        town.store,
        said,
        NOW,
        lon=WEST_POINT[0],
        lat=WEST_POINT[1],
        age_band="under_12",
        child_mode=True,
    )
    text, original, state, area_id, *_rest, removed = row(town, voice_id)
    assert text == "My name is [name] and I'm 9, call [phone]. More swings please!"
    assert original == said and state == "pending" and area_id == town.west_id
    assert list(removed) == ["name: Tom", "phone: 07700 900123"]  # in the order written
    assert voices.published_voices(town.store).empty  # nothing public before moderation
    voices.moderate_voice(town.store, town.council, voice_id, "published", None, NOW)
    text, original, state, *_ = row(town, voice_id)
    assert original is None and state == "published"
    public = voices.published_voices(town.store)
    assert public["text"].tolist() == [text] and "Tom" not in public.to_string()


def test_no_precise_point_is_ever_stored(town):
    voice_id = voices.submit_voice(
        town.store, "More lights here", NOW, lon=WEST_POINT[0], lat=WEST_POINT[1]
    )
    *_start, lon, lat, _removed = row(town, voice_id)
    assert (lon, lat) == voices.generalise(*WEST_POINT) != WEST_POINT
    dump = str(town.store.cursor().execute("SELECT * FROM voices").fetchall())
    assert str(WEST_POINT[0]) not in dump and str(WEST_POINT[1]) not in dump


def test_generalising_snaps_every_point_of_a_cell_to_its_centre():
    centre = voices.generalise(-1.4746, 52.9225)
    # Distances in metres from the centre stay within half the cell's diagonal.
    for dx, dy in ((0, 0), (0.0009, 0.0005), (-0.0011, -0.001), (0.0016, 0.0011)):
        lon, lat = -1.4746 + dx, 52.9225 + dy
        snapped = voices.generalise(lon, lat)
        metres = math.hypot(
            (snapped[0] - lon) * 111_320 * math.cos(math.radians(lat)), (snapped[1] - lat) * 110_540
        )
        assert metres <= voices.GRID_M / math.sqrt(2) + 1
    assert voices.generalise(-1.4746, 52.9225 + 0.0001) == centre  # same cell, same point
    assert voices.generalise(-1.4746, 52.9225 + 0.003) != centre  # 330 m north: another cell


def test_voices_are_routed_to_the_ward_of_their_point_or_place(town):
    east = voices.submit_voice(town.store, "A bench", NOW, lon=EAST_POINT[0], lat=EAST_POINT[1])
    at_place = voices.submit_voice(town.store, "Fix the gate", NOW, place_id=town.playground_id)
    assert row(town, east)[3] == town.east_id and row(town, at_place)[3] == town.west_id
    queue = voices.voice_queue(town.store, town.east_officer)
    assert queue["id"].tolist() == [east]
    with pytest.raises(PermissionDenied, match="outside the wards"):
        voices.moderate_voice(town.store, town.east_officer, at_place, "published", None, NOW)


def test_moderation_rules_for_voices(town):
    voice_id = voices.submit_voice(town.store, "Nice park", NOW)
    with pytest.raises(PermissionDenied):
        voices.moderate_voice(town.store, town.resident, voice_id, "published", None, NOW)
    with pytest.raises(InvalidInput, match="write a reason"):
        voices.moderate_voice(town.store, town.council, voice_id, "hidden", "", NOW)
    voices.moderate_voice(
        town.store,
        town.council,
        voice_id,
        "published",
        None,
        NOW,
        edited_text="Nice park, email me on a@b.example",
    )
    assert row(town, voice_id)[0] == "Nice park, email me on [e-mail]"
    with pytest.raises(IllegalTransition):
        voices.moderate_voice(town.store, town.council, voice_id, "hidden", "Late.", NOW)
    log = (
        town.store.cursor()
        .execute(
            "SELECT from_state, to_state, actor FROM moderation_log WHERE item_kind = 'voice' "
            "ORDER BY id"
        )
        .fetchall()
    )
    assert log == [(None, "pending", "SafePlay"), ("pending", "published", "Cora Council")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "x"}, "a few words"),
        ({"text": "y" * 1001}, "keep it under"),
        ({"age_band": "toddler"}, "age band"),
        ({"lon": 1.0}, "both longitude and latitude"),
        ({"lon": 500.0, "lat": 1.0}, "not on the map"),
    ],
)
def test_bad_voices_get_a_specific_message(town, kwargs, message):
    values = {"text": "A good idea", **kwargs}
    text = values.pop("text")
    with pytest.raises(InvalidInput, match=message):
        voices.submit_voice(town.store, text, NOW, **values)


def test_themes_age_bands_and_participation(town):
    for text, band in (
        ("More lights at night", "under_12"),
        ("Broken swing", "12_17"),
        ("Dark path, more lamps", "adult"),
        ("Hello", None),
    ):
        voice_id = voices.submit_voice(
            town.store, text, NOW, place_id=town.playground_id, age_band=band
        )
        voices.moderate_voice(town.store, town.council, voice_id, "published", None, NOW)
    table = voices.themes_by_age(voices.published_voices(town.store)).set_index("Theme")
    assert table.loc["Lighting", "Voices"] == 2 and table.loc["Lighting", "Under 12"] == 1
    assert table.loc["Broken or unsafe equipment", "12–17"] == 1
    taking_part = voices.participation(town.store).set_index("name")
    assert taking_part.loc["West", "voices"] == 4 and taking_part.loc["West", "young_voices"] == 2
    assert taking_part.loc["West", "per_1000"] == 1.0  # 4 voices, 4,000 residents
    assert bool(taking_part.loc["East", "outreach_needed"])


def test_a_worry_about_a_child_shows_who_to_call_and_stores_nothing(town, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_SAFEGUARDING_CONTACT", "Millbrook MASH on 0300 123 4567")
    monkeypatch.setenv("SAFEPLAY_EMERGENCY_NUMBER", "112")
    with pytest.raises(concerns.ChildSafetyConcern, match=r"call 112.*Millbrook MASH"):
        concerns.report_concern(town.store, town.playground_id, "child_safety", "A man…", NOW)
    assert town.store.cursor().execute("SELECT count(*) FROM concerns").fetchone()[0] == 0


def test_a_concern_goes_to_the_wards_queue_and_its_status_shows_on_the_place(town):
    concern_id = concerns.report_concern(
        town.store,
        town.playground_id,
        "glass_or_sharps",
        "Broken glass under the slide, I'm at 07700 900123",
        NOW,
    )
    assert concerns.concern_queue(town.store, town.east_officer).empty  # not their ward
    queue = concerns.concern_queue(town.store, town.council)
    assert queue["text"].tolist() == ["Broken glass under the slide, I'm at [phone]"]
    with pytest.raises(PermissionDenied):
        concerns.update_concern(town.store, town.resident, concern_id, "fixed", "Done", NOW)
    concerns.update_concern(
        town.store,
        town.council,
        concern_id,
        "action_scheduled",
        "Cleaning crew booked for Monday.",
        NOW + DAY,
    )
    public = concerns.open_concerns(town.store, town.playground_id)
    assert public[["status", "public_note"]].values.tolist() == [
        ["action_scheduled", "Cleaning crew booked for Monday."]
    ]
    assert "text" not in public.columns
    concerns.update_concern(town.store, town.council, concern_id, "fixed", "Swept.", NOW + 3 * DAY)
    assert concerns.open_concerns(town.store, town.playground_id).empty


def test_inspections_are_overdue_after_their_interval_and_set_the_public_badge(town):
    today = NOW.date()
    due = inspections.overdue(town.store, COMMAND_LINE, today)
    assert set(due["kind"]) == {"routine", "operational", "annual"}  # never inspected
    inspections.record_inspection(
        town.store,
        town.council,
        town.playground_id,
        "routine",
        today - 7 * DAY,
        "Ian Inspector",
        "pass",
        None,
        NOW,
    )
    kinds = set(inspections.overdue(town.store, COMMAND_LINE, today)["kind"])
    assert "routine" not in kinds  # exactly seven days: on time
    assert "routine" in set(inspections.overdue(town.store, COMMAND_LINE, today + DAY)["kind"])
    inspections.set_schedule(
        town.store, town.council, town.playground_id, inspections.Schedule(routine_days=14)
    )
    assert "routine" not in set(inspections.overdue(town.store, COMMAND_LINE, today + DAY)["kind"])
    badge = (
        town.store.cursor()
        .execute(
            "SELECT last_inspection, inspection_result FROM places WHERE id = ?",
            [town.playground_id],
        )
        .fetchone()
    )
    assert badge == (today - 7 * DAY, "Routine visual: Pass")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"inspected_on": date(2027, 1, 1)}, "in the future"),
        ({"result": "defects", "defects": ""}, "list the defects"),
        ({"inspector": "x"}, "name the inspector"),
        ({"inspected_on": date(2020, 1, 1)}, "three years ago"),
    ],
)
def test_bad_inspections_get_a_specific_message(town, kwargs, message):
    values = {
        "kind": "annual",
        "inspected_on": NOW.date(),
        "inspector": "Ian Inspector",
        "result": "pass",
        "defects": None,
        **kwargs,
    }
    with pytest.raises(InvalidInput, match=message):
        inspections.record_inspection(
            town.store, town.council, town.playground_id, now=NOW, **values
        )


def test_only_council_records_inspections_in_their_wards(town):
    with pytest.raises(PermissionDenied):
        inspections.record_inspection(
            town.store,
            town.leader,
            town.playground_id,
            "routine",
            NOW.date(),
            "Lee",
            "pass",
            None,
            NOW,
        )
    with pytest.raises(PermissionDenied, match="outside the wards"):
        inspections.record_inspection(
            town.store,
            town.east_officer,
            town.playground_id,
            "routine",
            NOW.date(),
            "Ed",
            "pass",
            None,
            NOW,
        )


def test_events_are_listed_upcoming_and_past_and_summarised_after(town):
    start, end = NOW + 2 * DAY, NOW + 2 * DAY + timedelta(hours=3)
    soon = events.post_event(
        town.store, town.leader, "Play day", "play_day", start, end, "Lee", *WEST_POINT, NOW
    )
    with pytest.raises(InvalidInput, match="once the event has happened"):
        events.add_summary(town.store, town.leader, soon, "Great fun.", NOW)
    coming = events.events(town.store, NOW)
    assert coming["title"].tolist() == ["Play day"]
    later = NOW + 3 * DAY
    with pytest.raises(PermissionDenied, match="only the organiser"):
        events.add_summary(town.store, town.other_leader, soon, "Not mine.", later)
    events.add_summary(town.store, town.leader, soon, "Forty families came.", later)
    past = events.events(town.store, later, upcoming=False)
    assert past["summary"].tolist() == ["Forty families came."]
    for bad, message in (
        ({"starts_at": NOW - 2 * DAY}, "starts in the past"),
        ({"title": "x"}, "title of 3"),
    ):
        values = {"title": "Coffee chat", "starts_at": NOW + DAY, **bad}
        with pytest.raises(InvalidInput, match=message):
            events.post_event(
                town.store,
                town.leader,
                values["title"],
                "coffee_chat",
                values["starts_at"],
                None,
                "Lee",
                *WEST_POINT,
                NOW,
            )
    with pytest.raises(PermissionDenied):
        events.post_event(
            town.store, VISITOR, "Hi there", "other", NOW + DAY, None, "Me", *WEST_POINT, NOW
        )


def test_the_ward_dashboard_counts_overdue_inspections(town):
    from geo.council import dashboard

    overview = dashboard.ward_overview(town.store, COMMAND_LINE, NOW).set_index("name")
    assert overview.loc["West", "inspections_overdue"] == 3  # never inspected: all three kinds
    assert overview.loc["East", "inspections_overdue"] == 0
    inspections.record_inspection(
        town.store,
        town.council,
        town.playground_id,
        "routine",
        NOW.date(),
        "Ian Inspector",
        "pass",
        None,
        NOW,
    )
    assert (
        dashboard.ward_overview(town.store, COMMAND_LINE, NOW)
        .set_index("name")
        .loc["West", "inspections_overdue"]
        == 2
    )
