"""Every form keeps what was typed on an error, and on success clears, confirms next to its
button and writes exactly one row — a rerun or a second press included."""

from datetime import date, timedelta

import streamlit_folium

from geo.accountability import progress
from geo.permissions import VISITOR
from tests.app.conftest import open_page, person, read
from ui.common import store
from ui.session import utc_now


def count(table: str) -> int:
    return store().cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def labelled(widgets, label: str):
    return next(w for w in widgets if w.label.startswith(label))


def first_place() -> int:
    return store().cursor().execute("SELECT min(id) FROM places").fetchone()[0]


def press(at, label: str):
    return labelled(at.button, label).click().run()


def test_have_your_say_keeps_input_on_an_error_and_clears_after_one_voice(database):
    at = open_page(VISITOR, "app_pages/have_your_say.py")
    labelled(at.radio, "Age band").set_value("12_17")
    labelled(at.selectbox, "Which play area?").set_value(first_place())
    labelled(at.text_area, "Your idea or worry").input("ok")
    press(at, "Send to the council")
    assert any("write a few words" in read(e.value).lower() for e in at.error)
    assert labelled(at.text_area, "Your idea or worry").value == "ok"
    assert labelled(at.radio, "Age band").value == "12_17"
    assert labelled(at.selectbox, "Which play area?").value is not None

    before = count("voices")
    labelled(at.text_area, "Your idea or worry").input("More swings for the little ones")
    press(at, "Send to the council")
    assert [s.value for s in at.success] == [
        "Thank you. A council moderator reads every message before it is published."
    ]
    assert not at.text_area  # the thank-you takes the form's place
    press(at, "Send another message")
    assert labelled(at.text_area, "Your idea or worry").value == ""
    assert labelled(at.radio, "Age band").value is None
    assert labelled(at.selectbox, "Which play area?").value is None
    at.run()  # a rerun of the page after the thank-you (a reconnect, a widget) adds nothing
    assert count("voices") == before + 1


def test_a_childs_picture_idea_is_sent_once_and_the_form_empties(database):
    at = open_page(VISITOR, "app_pages/have_your_say.py")
    at.toggle[0].set_value(True).run()
    press(at, "🔦 More lights")
    assert labelled(at.text_area, "Your idea").value == "More lights so it is not dark."
    before = count("voices")
    press(at, "Send")
    assert any("A grown-up from the council will read it" in read(s.value) for s in at.success)
    press(at, "Send another idea")
    assert labelled(at.text_area, "Your idea").value == ""
    assert count("voices") == before + 1


def test_report_a_concern_keeps_the_words_when_the_play_area_was_forgotten(database):
    at = open_page(VISITOR, "app_pages/report_concern.py")
    labelled(at.radio, "What is it about?").set_value("glass_or_sharps")
    labelled(at.text_area, "What is wrong?").input("Broken glass under the swings")
    press(at, "Send to the council")
    assert any("Choose the play area." in e.value for e in at.error)
    assert labelled(at.radio, "What is it about?").value == "glass_or_sharps"
    assert labelled(at.text_area, "What is wrong?").value == "Broken glass under the swings"

    labelled(at.selectbox, "Play area").set_value(first_place())
    press(at, "Send to the council")
    assert count("concerns") == 1
    # The thank-you takes the form's place, at the top, so a phone shows it unscrolled.
    assert "The council for this ward will look at it" in at.success[0].value
    assert not at.main.text_area and not at.main.selectbox  # the sidebar's language list stays
    press(at, "Report another concern")
    assert labelled(at.text_area, "What is wrong?").value == ""
    assert labelled(at.radio, "What is it about?").value == "broken_equipment"
    at.run()
    assert count("concerns") == 1


def test_a_worry_about_a_child_keeps_the_text_and_gives_a_number_to_tap(database):
    place_id = store().cursor().execute("SELECT min(id) FROM places").fetchone()[0]
    at = open_page(VISITOR, "app_pages/report_concern.py", place=str(place_id))
    assert "(tel:999)" in at.info[0].value
    labelled(at.radio, "What is it about?").set_value("child_safety")
    labelled(at.text_area, "What is wrong?").input("A man keeps watching the children")
    press(at, "Send to the council")
    assert any("(tel:999)" in e.value for e in at.error)
    assert labelled(at.text_area, "What is wrong?").value == "A man keeps watching the children"
    assert count("concerns") == 0


def click_map(monkeypatch, lon: float, lat: float) -> None:
    """What st_folium returns after a click (AppTest cannot click inside the map's frame)."""
    drawn = streamlit_folium.st_folium

    def clicked(*args, **kwargs):
        drawn(*args, **kwargs)
        return {"last_clicked": {"lng": lon, "lat": lat}}

    monkeypatch.setattr(streamlit_folium, "st_folium", clicked)


def test_an_event_keeps_every_field_without_a_map_click_and_lists_once_posted(
    database, monkeypatch
):
    store().cursor().execute("DELETE FROM events")
    at = open_page(person("leo@demo.example"), "app_pages/events.py")
    assert next(s.value for s in at.header) == "Coming up (0)"
    assert any("No events coming up yet" in i.value for i in at.info)
    day = date.today() + timedelta(days=3)
    labelled(at.text_input, "Title").input("Saturday play day")
    labelled(at.selectbox, "Kind").set_value("play_day")
    labelled(at.date_input, "Day").set_value(day)
    labelled(at.text_input, "Organiser").input("Friends of Mill Park")
    press(at, "Post event")
    assert any("Click the map to place the event first" in e.value for e in at.error)
    assert labelled(at.text_input, "Title").value == "Saturday play day"
    assert labelled(at.selectbox, "Kind").value == "play_day"
    assert labelled(at.date_input, "Day").value == day
    assert labelled(at.text_input, "Organiser").value == "Friends of Mill Park"

    west, south, east, north = (
        store()
        .cursor()
        .execute(
            "SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM areas "
            "WHERE level = 'ward' LIMIT 1"
        )
        .fetchone()
    )
    click_map(monkeypatch, (west + east) / 2, (south + north) / 2)
    at.run()
    press(at, "Post event")
    assert not at.error, [e.value for e in at.error]
    assert any(read(s.value).startswith("Posted.") for s in at.success)
    assert next(s.value for s in at.header) == "Coming up (1)"
    assert at.dataframe[0].value["What"].tolist() == ["Saturday play day"]
    assert labelled(at.text_input, "Title").value == ""
    at.run()
    assert count("events") == 1


def test_a_milestone_added_or_done_is_confirmed_and_its_section_stays_open(database):
    leo = person("leo@demo.example")
    state = progress.tracking_state(store(), utc_now())
    chosen = int(state[(state["owner_id"] == leo.user_id)]["id"].iloc[0])
    at = open_page(leo, "app_pages/initiatives_under_way.py", id=str(chosen))
    before = count("milestones")
    labelled(at.text_input, "New milestone").input("Order the new swings")
    press(at, "Add milestone")
    assert any("Milestone added: Order the new swings." in read(s.value) for s in at.success)
    assert labelled(at.text_input, "New milestone").value == ""
    assert at.session_state[f"milestones_open_{chosen}"] is True  # drawn open
    at.run()
    assert count("milestones") == before + 1

    added = store().cursor().execute("SELECT max(id) FROM milestones").fetchone()[0]
    done = next(b for b in at.button if b.key and f":done_{added}:" in b.key)
    done.click().run()
    assert any("Marked done: Order the new swings." in s.value for s in at.success)
    assert at.session_state[f"milestones_open_{chosen}"] is True
    finished = "SELECT done_at IS NOT NULL FROM milestones WHERE id = ?"
    assert store().cursor().execute(finished, [added]).fetchone()[0]


def test_a_concern_update_is_confirmed_next_to_its_button(database):
    place_id = store().cursor().execute("SELECT min(id) FROM places").fetchone()[0]
    reporter = open_page(VISITOR, "app_pages/report_concern.py", place=str(place_id))
    labelled(reporter.text_area, "What is wrong?").input("The gate does not close")
    press(reporter, "Send to the council")
    council = open_page(person("olu@demo.example"), "app_pages/concerns.py")
    labelled(council.selectbox, "Status").set_value("investigating")
    labelled(council.text_input, "Public note").input("We are looking at the gate.")
    press(council, "Update")
    assert any("Updated: Investigating" in read(s.value) for s in council.success)
    assert labelled(council.text_input, "Public note").value == "We are looking at the gate."
    labelled(council.selectbox, "Status").set_value("fixed")
    press(council, "Update")
    assert any("has left the queue" in s.value for s in council.success)


def test_an_inspection_keeps_its_fields_when_the_play_area_is_missing(database):
    at = open_page(person("olu@demo.example"), "app_pages/inspections.py")
    labelled(at.text_input, "Inspector").input("Ivy Inspector")
    labelled(at.radio, "Result").set_value("defects")
    labelled(at.text_area, "Defects found").input("Loose bolt on the slide")
    press(at, "Record")
    assert any("Choose the play area." in e.value for e in at.error)
    assert labelled(at.text_input, "Inspector").value == "Ivy Inspector"
    assert labelled(at.text_area, "Defects found").value == "Loose bolt on the slide"
    before = count("inspections")
    labelled(at.selectbox, "Play area").set_value(first_place())
    press(at, "Record")
    assert any("Recorded" in s.value for s in at.success)
    assert labelled(at.text_input, "Inspector").value == ""
    at.run()
    assert count("inspections") == before + 1
