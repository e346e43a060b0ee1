"""Stored values read as words: OSM codes, plurals, and every spelling of "not known"."""

import math

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import wording
from geo.errors import InvalidInput
from geo.mapping import facts, maps
from geo.moderation import clean_reason
from geo.proposals import reading

MISSING = [None, math.nan, pd.NA, pd.NaT, "", "  "]


@pytest.mark.parametrize(
    ("stored", "words"),
    [
        ("sunrise-sunset", "Dawn to dusk"),
        ("24/7", "All day, every day"),
        (
            "Mo-Fr 15:30-19:00; Sa,Su 10:00-17:00",
            "Monday to Friday 15:30–19:00; Saturday and Sunday 10:00–17:00",
        ),
        ("May-Sep 10:00-19:00", "May to September 10:00–19:00"),
        (
            "Mo-Fr 08:00-12:00,13:00-17:30; PH off",
            ("Monday to Friday 08:00–12:00 and 13:00–17:30; public holidays closed"),
        ),
        ("10:00-sunset", "10:00 to dusk"),
        ("first Su 10:00-14:00", "First Sunday 10:00–14:00"),
    ],
)
def test_opening_hours_read_as_words(stored, words):
    assert wording.opening_hours(stored) == words


def test_osm_access_and_surface_read_as_words():
    assert wording.access("yes") == "Open to everyone"
    assert wording.access("Private") == "Private: not open to the public"
    assert wording.surface("rubber") == "Rubber surface"
    assert wording.surface("artificial_turf") == "Artificial grass"
    assert wording.surface("asphalt") == "Tarmac"
    assert wording.access("school_hours_only") == "School hours only"  # unknown: tidied


@pytest.mark.parametrize("missing", MISSING)
def test_every_spelling_of_not_known_reads_as_words(missing):
    assert wording.text(missing) == ""
    assert wording.text(missing, "No note yet") == "No note yet"
    assert wording.access(missing) == wording.surface(missing) == "Not known"
    assert wording.opening_hours(missing) == "Not known"
    assert wording.yes_no(missing) == "Not known"
    assert wording.percent(missing) == "Not reported yet"
    assert wording.day(missing) == "—"
    assert wording.count(missing, "supporter") == "0 supporters"


def test_plurals_are_right():
    assert wording.count(1, "supporter") == "1 supporter"
    assert wording.count(2, "supporter") == "2 supporters"
    assert wording.count(0, "comment") == "0 comments"
    assert wording.count(1_200, "day") == "1,200 days"
    assert wording.percent(33.4) == "33%"


def test_a_core_message_reads_as_a_sentence():
    assert wording.sentence("write a reason: x") == "Write a reason: x."
    assert wording.sentence("Done!") == "Done!"


def osm_place(**values):
    place = {
        "kind": "playground",
        "wards": None,
        "min_age": None,
        "max_age": None,
        "wheelchair": None,
        "surface": "rubber",
        "fenced": None,
        "lit": math.nan,
        "access": "yes",
        "fee": None,
        "opening_hours": "sunrise-sunset",
        "equipment": None,
        "operator": math.nan,
        "last_inspection": pd.NaT,
        "inspection_result": None,
        "area_m2": None,
        "description": math.nan,
        "source": None,
        "source_ref": None,
    }
    return place | values


def test_a_place_from_osm_reads_in_words_with_nothing_left_as_nan_or_none():
    shown = dict(facts.place_facts(osm_place()))
    assert shown["Access"] == "Open to everyone"
    assert shown["Opening hours"] == "Dawn to dusk"
    assert shown["Surface"] == "Rubber surface"
    assert shown["Run by"] == "Not known" and shown["Source"] == "Not recorded"
    assert "About" not in shown
    for value in shown.values():
        assert value and "nan" not in value.lower() and "None" not in value


def test_an_initiative_without_partners_goals_or_dates_says_so():
    shown = dict(
        facts.initiative_facts(
            {
                "kind": "event",
                "status": "draft",
                "wards": math.nan,
                "proposer": None,
                "partners": None,
                "goals": None,
                "min_age": None,
                "max_age": None,
                "budget": math.nan,
                "start_date": pd.NaT,
                "end_date": None,
            }
        )
    )
    assert shown["Partners"] == "No partners yet" and shown["Dates"] == "Not stated"
    assert shown["Proposed by"] == "Not stated"
    assert all("nan" not in v.lower() and "None" not in v for v in shown.values())


def test_a_timeline_names_each_step_not_decision_draft():
    steps = facts.timeline_table(
        pd.DataFrame(
            {
                "changed_at": [pd.Timestamp("2026-11-01")] * 2,
                "to_status": ["draft", "approved"],
                "actor": ["Leo", None],
                "reason": [None, "Fills a gap."],
            }
        )
    )
    assert steps["What happened"].tolist() == ["Started as a draft", "Council approved it"]
    assert steps["Reason"].tolist() == ["", "Fills a gap."]
    assert steps["By"].tolist() == ["Leo", ""]


def test_a_missing_reason_names_who_reads_it():
    with pytest.raises(InvalidInput, match="the proposer and the public will read it"):
        clean_reason("", required=True)
    with pytest.raises(InvalidInput, match=r"^write a reason for hiding the comment: its author"):
        clean_reason(
            " ", True, missing="write a reason for hiding the comment: its author will read it"
        )


def test_a_concern_without_a_note_reads_no_note_yet():
    table = facts.concern_table(
        pd.DataFrame(
            {
                "created_at": [pd.Timestamp("2026-11-20")] * 2,
                "category": ["other"] * 2,
                "status": ["investigating", "open"],
                "public_note": pd.Series(["Looking.", None], dtype="str"),
            }
        )
    )
    assert table["Council's note"].tolist() == ["Looking.", "No note yet"]


def test_a_changed_kind_reads_in_words_for_the_reviewer():
    spot = shapely.Point(-1.0, 52.0)
    changes = reading.differences(
        {"kind": "new_play_area", "min_age": 3, "geometry": spot},
        {"kind": "play_street", "min_age": 5, "geometry": spot},
    )
    assert changes == [("Kind", "New play area", "Play street"), ("Youngest age", "3", "5")]


def test_a_map_tooltip_counts_one_supporter_in_the_singular():
    one = gpd.GeoDataFrame(
        {
            "id": [1],
            "title": ["Bench"],
            "kind": ["event"],
            "status": ["submitted"],
            "supports": [1],
            "comments": [1],
        },
        geometry=[shapely.Point(-1.0, 52.0)],
        crs="EPSG:4326",
    )
    drawn = folium.Map().add_child(maps.initiative_layer(one)).get_root().render()
    assert "1 supporter \\u00b7 1 comment" in drawn and "1 supporters" not in drawn


@pytest.mark.parametrize(
    ("low", "high", "text"), [(None, None, "all ages"), (5, None, "5+"), (0, 12, "0–12")]
)
def test_age_text(low, high, text):
    assert wording.age_text(low, high) == text
