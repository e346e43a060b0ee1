"""The Explore page in AppTest: it runs, filters change counts, details show text literally."""

import pytest
from streamlit.testing.v1 import AppTest

from geo.io.demo import HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME
from geo.mapping import explore
from geo.registry.filters import MapFilter
from tests.app.conftest import ENTRY
from ui.common import store


@pytest.fixture
def app(database):
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


COUNTS = {"Play areas shown": "play area", "Initiatives shown": "initiative", "Wards": "ward"}


def metric(at, label):
    """A count from the line above the map ("**1,234** play areas shown · **5** initiatives
    shown · **3** wards")."""
    line = next(m.value for m in at.markdown if " · " in m.value and "**" in m.value)
    for part in line.split(" · "):
        number, words = part.split("** ", 1)
        if words.startswith(COUNTS[label]):
            return int(number.strip("*").replace(",", ""))
    raise AssertionError(f"no {label!r} in {line!r}")


def test_page_shows_demo_town_with_counts_and_demo_label(app):
    assert metric(app, "Play areas shown") > 200
    assert metric(app, "Initiatives shown") > 20
    assert any("Demo data" in info.value for info in app.info)


def test_filters_change_the_counts(app):
    everything = metric(app, "Play areas shown")
    app.multiselect(key="explore_kinds").set_value(["park"]).run()
    parks = metric(app, "Play areas shown")
    assert 0 < parks < everything
    app.multiselect(key="explore_wards").set_value(["Riverside"]).run()
    assert metric(app, "Play areas shown") < parks or metric(app, "Play areas shown") == 0
    assert metric(app, "Wards") == 1
    app.multiselect(key="explore_statuses").set_value(["approved"]).run()
    assert 0 < metric(app, "Initiatives shown") < 10


def test_wheelchair_and_age_filters_narrow_places(app):
    everything = metric(app, "Play areas shown")
    app.radio(key="explore_wheelchair").set_value("fully").run()
    fully = metric(app, "Play areas shown")
    assert 0 < fully < everything
    app.slider(key="explore_ages").set_value((16, 18)).run()
    assert metric(app, "Play areas shown") < fully


def choose(app, text):
    """Pick the feature whose label contains ``text`` in the details select box."""
    box = app.selectbox(key="selected_feature")
    label = next(label for label in box.options if text in label)
    kind = "place" if label.startswith("Play area") else "initiative"
    column = "name" if kind == "place" else "title"
    view = explore.explore(store(), MapFilter())
    frame = view.places if kind == "place" else view.initiatives
    match = frame[frame[column] == label.split(" · ", 1)[1]]
    box.set_value((kind, int(match["id"].iloc[0]))).run()
    assert not app.exception, app.exception


def heading(app):
    return next(m.value for m in app.markdown if m.value.startswith("### "))


def test_details_show_a_hostile_name_as_literal_text(app):
    choose(app, "onerror")
    shown = heading(app)
    assert "\\<img" in shown and "\\<script\\>" in shown  # escaped: displayed, never run
    assert HOSTILE_MARKUP_NAME not in shown


def test_template_name_details_are_not_evaluated(app):
    choose(app, "cycler")
    shown = heading(app)
    assert "PWNED-42" not in shown.replace("\\", "") and "cycler" in shown
    assert HOSTILE_TEMPLATE_NAME not in shown


def test_an_initiative_shows_status_and_timeline(app):
    choose(app, "Initiative · ")
    tables = [t.value for t in app.table]  # full height, wrapped: nothing cut or scrolled
    assert any("What happened" in t.columns and "Reason" in t.columns for t in tables)
    facts = next(t for t in tables if "Details" in t.columns)
    assert "Status" in list(facts.iloc[:, 0])


def table_captions(app):
    return [c.value for c in app.caption]


def show_tables(app):
    """The tables wait for the reader's button (their grid slowed the map's first paint)."""
    assert len(app.dataframe) == 0
    app.button(key="explore_tables_button").click().run()
    assert not app.exception, app.exception


def test_an_empty_table_says_why_instead_of_showing_an_empty_grid(app):
    show_tables(app)
    assert len(app.dataframe) == 2  # play areas and initiatives, both with rows
    app.multiselect(key="explore_wards").set_value(["Ashby Park"]).run()
    app.multiselect(key="explore_kinds").set_value(["school_yard"]).run()
    app.multiselect(key="explore_initiative_kinds").set_value(["play_street"]).run()
    assert metric(app, "Play areas shown") == 0 and metric(app, "Initiatives shown") == 0
    assert "No play areas match these filters." in table_captions(app)
    assert "No initiatives match these filters." in table_captions(app)
    assert len(app.dataframe) == 0


def test_at_city_scale_the_table_asks_the_reader_to_zoom_in(database, monkeypatch):
    monkeypatch.setattr(explore, "DETAIL_LIMIT", 50)  # the demo town becomes a "city"
    at = AppTest.from_file(ENTRY, default_timeout=60).run()
    assert not at.exception, at.exception
    show_tables(at)
    assert any("Zoom in to list those in view" in c for c in table_captions(at))


def test_the_table_button_shows_the_tables_and_hides_them_again(app):
    show_tables(app)
    hide = app.button(key="explore_tables_button")
    assert hide.label == "Hide the table"
    hide.click().run()
    assert len(app.dataframe) == 0
    assert app.button(key="explore_tables_button").label.startswith("Show the play areas")
