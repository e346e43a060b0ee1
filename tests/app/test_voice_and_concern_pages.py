"""A visitor's voice and concern through the pages: moderation, publication, public status."""

from geo.escape import for_markdown
from geo.permissions import VISITOR
from geo.safeguarding import concerns
from tests.app.conftest import open_page, person, read
from ui.common import store
from ui.session import utc_now

SAID = "My name is Tom and my mum's number is 07700 900123. More swings please!"
SHOWN = "My name is [name] and my mum's number is [phone]. More swings please!"


def test_an_anonymous_voice_is_moderated_then_published_redacted(database):
    at = open_page(VISITOR, "app_pages/have_your_say.py")
    next(t for t in at.text_area if t.label == "Your idea or worry").input(SAID)
    next(r for r in at.radio if r.label == "Age band (optional)").set_value("under_12")
    next(b for b in at.button if b.label == "Send to the council").click().run()
    assert any("A council moderator reads every message" in s.value for s in at.success)

    public = open_page(VISITOR, "app_pages/voices.py")  # nothing before moderation:
    assert any("No voices published yet" in i.value for i in public.info)  # it says what
    assert SHOWN not in str([d.value for d in public.dataframe])  # the page is for instead

    moderator = open_page(person("olu@demo.example"), "app_pages/moderation.py")
    assert SHOWN in [t.value for t in moderator.text]
    removed = "Removed: " + for_markdown("name: Tom") + "; " + for_markdown("phone: 07700 900123")
    assert removed in [c.value for c in moderator.caption]
    voice_id = store().cursor().execute("SELECT max(id) FROM voices").fetchone()[0]
    moderator.button(key=f"voice_publish_{voice_id}").click().run()
    assert any("Voice published." in s.value for s in moderator.success)

    public = open_page(VISITOR, "app_pages/voices.py")
    said = public.dataframe[1].value
    assert SHOWN in said["Said"].tolist() and "Tom" not in said.to_string()
    assert said.loc[said["Said"] == SHOWN, "Age"].tolist() == ["Under 12"]


def test_a_concern_reaches_the_ward_queue_and_its_status_shows_on_the_place(database):
    place_id = (
        store()
        .cursor()
        .execute("SELECT min(id) FROM places WHERE kind = 'playground'")
        .fetchone()[0]
    )
    at = open_page(VISITOR, "app_pages/report_concern.py", place=str(place_id))
    next(r for r in at.radio if r.label == "What is it about?").set_value("glass_or_sharps")
    next(t for t in at.text_area if t.label.startswith("What is wrong?")).input(
        "Broken glass by the slide"
    )
    next(b for b in at.button if b.label == "Send to the council").click().run()
    assert any("The council for this ward will look at it" in s.value for s in at.success)

    council = open_page(person("olu@demo.example"), "app_pages/concerns.py")
    assert any("Broken glass by the slide" in t.value for t in council.text)
    next(s for s in council.selectbox if s.label == "Status").set_value("action_scheduled")
    next(t for t in council.text_input if t.label.startswith("Public note")).input(
        "Cleaning crew booked for Monday."
    )
    next(b for b in council.button if b.label == "Update").click().run()
    assert not council.exception

    explore = open_page(VISITOR, "app_pages/explore_map.py", place=str(place_id))
    shown = [t.value for t in explore.table if "Council's note" in t.value.columns]
    note = for_markdown("Cleaning crew booked for Monday.")
    assert shown and shown[0]["Council's note"].tolist() == [note]
    assert shown[0]["Status"].tolist() == ["Action scheduled"]


def test_a_worry_about_a_child_is_answered_with_who_to_call(database):
    place_id = store().cursor().execute("SELECT min(id) FROM places").fetchone()[0]
    at = open_page(VISITOR, "app_pages/report_concern.py", place=str(place_id))
    next(r for r in at.radio if r.label == "What is it about?").set_value("child_safety")
    next(t for t in at.text_area if t.label.startswith("What is wrong?")).input("A worry")
    next(b for b in at.button if b.label == "Send to the council").click().run()
    assert any("call 999" in e.value for e in at.error)
    assert store().cursor().execute("SELECT count(*) FROM concerns").fetchone()[0] == 0


def test_the_tracking_link_shows_the_status_and_public_notes_and_nothing_more(database):
    place_id = store().cursor().execute("SELECT min(id) FROM places").fetchone()[0]
    at = open_page(VISITOR, "app_pages/report_concern.py", place=str(place_id))
    next(r for r in at.radio if r.label == "What is it about?").set_value("glass_or_sharps")
    next(t for t in at.text_area if t.label.startswith("What is wrong?")).input(
        "Broken glass by the slide, ring Tom on 07700 900123"
    )
    next(b for b in at.button if b.label == "Send to the council").click().run()
    (shown,) = at.code  # the link, shown once, with a copy button
    code = shown.value.rsplit("code=", 1)[1]
    assert open_page(VISITOR, "app_pages/report_concern.py").code == []  # not again

    concern_id = store().cursor().execute("SELECT max(id) FROM concerns").fetchone()[0]
    council = person("olu@demo.example")
    concerns.update_concern(store(), council, concern_id, "fixed", "Swept on Monday.", utc_now())
    page = open_page(VISITOR, "app_pages/track_concern.py", code=code)
    words = " ".join(read(m.value) for m in [*page.markdown, *page.caption])
    assert "Status: **Fixed**" in words and "Swept on Monday." in words
    assert "Broken glass by the slide" not in words and "07700" not in words
    assert council.display_name not in words  # not who handles it
    wrong = open_page(VISITOR, "app_pages/track_concern.py", code="not-a-code-at-all")
    assert any("does not match a concern" in i.value for i in wrong.info)
