"""The inbox and following through the pages in AppTest, on both stores: notices listed
newest first and marked read, the unread count in the menu, Follow and stop on every page
that offers it, the visitor's sign-in words, and hostile notice text shown as typed."""

from datetime import datetime, timedelta

import pytest
import shapely
import streamlit
import streamlit_folium

from geo.escape import for_markdown
from geo.notify import follows, notices
from geo.permissions import VISITOR
from tests.app.conftest import open_page, person, read
from ui.common import store

NOW = datetime(2026, 11, 20, 9, 0)
HOSTILE = "<img src=x onerror=alert(1)> **bold** [click](https://evil.example) {{7*7}}"


def rosa_following_nothing():
    """The demo's resident with the follows the demo gave her taken away, so a test sees
    only what it follows itself."""
    rosa = person("rosa@demo.example")
    with store().write() as cursor:
        cursor.execute("DELETE FROM follows WHERE user_id = ?", [rosa.user_id])
    return rosa


def public_proposal() -> tuple[int, str]:
    """A proposal anyone may read (submitted), and its title."""
    row = (
        store()
        .cursor()
        .execute("SELECT id, title FROM initiatives WHERE status = 'submitted' ORDER BY id LIMIT 1")
        .fetchone()
    )
    return int(row[0]), row[1]


def tell(login: str, subject: str, body: str = "The council decided.", **extra) -> int:
    """Give ``login`` one notice, written the way services write them."""
    db = store()
    user_id = person(login).user_id
    with db.write() as cursor:
        made = notices.notify(
            cursor, [user_id], "decision", subject, body, extra.pop("now", NOW), **extra
        )
    return made[0]


def unread(login: str) -> int:
    return notices.unread_count(store(), person(login))


def texts(at) -> str:
    return "\n".join(read(m.value) for m in [*at.markdown, *at.info, *at.success, *at.caption])


def button(at, label):
    return next(b for b in at.button if b.label == label)


def labelled(widgets, label):
    """The widget called ``label`` (its key changes once a form is sent)."""
    return next(w for w in widgets if w.label == label)


@pytest.fixture
def menu_titles(monkeypatch):
    """The titles streamlit_app.py gives its pages, run by run (AppTest has no sidebar
    navigation to read them from)."""
    titles: list[str] = []
    real = streamlit.Page

    def recording(page, *args, **kwargs):
        titles.append(kwargs.get("title"))
        return real(page, *args, **kwargs)

    monkeypatch.setattr(streamlit, "Page", recording)
    return titles


def test_the_inbox_lists_newest_first_with_the_unread_marked_in_words(database):
    proposal, _ = public_proposal()
    tell("rosa@demo.example", "Older news", now=NOW - timedelta(days=2))
    tell("rosa@demo.example", "Newest news", link=f"proposals?id={proposal}")
    at = open_page(person("rosa@demo.example"), "app_pages/inbox.py")
    shown = texts(at)
    assert shown.index("Newest news") < shown.index("Older news")
    assert "**New** · **Newest news**" in shown  # the word, not only a colour
    assert "20 Nov 2026, 09:00 UTC" in shown
    assert "2 unread notices." in shown


def test_opening_a_notice_marks_it_read_and_goes_to_its_proposal(database):
    proposal, title = public_proposal()
    tell("rosa@demo.example", "Your proposal was decided", link=f"proposals?id={proposal}")
    at = open_page(person("rosa@demo.example"), "app_pages/inbox.py")
    button(at, "Open").click().run()
    assert not at.exception, at.exception
    assert unread("rosa@demo.example") == 0
    assert title in "\n".join(read(m.value) for m in at.markdown)


def test_mark_all_as_read_empties_the_count_and_says_so(database):
    for n in range(3):
        tell("rosa@demo.example", f"News {n}")
    at = open_page(person("rosa@demo.example"), "app_pages/inbox.py")
    button(at, "Mark all as read").click().run()
    assert unread("rosa@demo.example") == 0
    assert "Marked 3 notices as read." in texts(at)
    assert "No unread notices." in texts(at)  # not "0 unread notices"
    assert not [b for b in at.button if b.label == "Mark all as read"]


def test_a_notice_without_a_link_is_marked_read_where_it_is(database):
    tell("rosa@demo.example", "A note with nowhere to go")
    at = open_page(person("rosa@demo.example"), "app_pages/inbox.py")
    button(at, "Mark as read").click().run()
    assert unread("rosa@demo.example") == 0
    assert "New ·" not in texts(at)


def test_a_link_outside_the_app_or_the_readers_pages_is_not_followed(database):
    tell("rosa@demo.example", "Elsewhere", link="https://evil.example/proposals")
    tell("rosa@demo.example", "Staff only", link="review?id=1")
    at = open_page(person("rosa@demo.example"), "app_pages/inbox.py")
    assert not [b for b in at.button if b.label == "Open"]


def test_an_empty_inbox_says_what_arrives_there_and_links_to_following(database):
    at = open_page(person("rosa@demo.example"), "app_pages/inbox.py")
    assert "Nothing here yet" in at.info[0].value
    assert any("My account" in link.label for link in at.get("page_link"))


def test_hostile_notice_text_is_shown_literally(database):
    tell("rosa@demo.example", HOSTILE, HOSTILE)
    at = open_page(person("rosa@demo.example"), "app_pages/inbox.py")
    sources = [m.value for m in at.markdown]
    assert sum(HOSTILE in read(s) for s in sources) == 2
    # Every character Markdown or HTML would act on arrives escaped.
    assert all(for_markdown(HOSTILE) in s for s in sources if HOSTILE in read(s))


def test_the_menu_says_how_many_are_unread(database, menu_titles):
    tell("rosa@demo.example", "One")
    tell("rosa@demo.example", "Two")
    open_page(person("rosa@demo.example"), "app_pages/account.py")
    assert "Inbox (2)" in menu_titles
    menu_titles.clear()
    notices.mark_read(store(), person("rosa@demo.example"), NOW)
    open_page(person("rosa@demo.example"), "app_pages/account.py")
    assert "Inbox" in menu_titles and not any(t.startswith("Inbox (") for t in menu_titles)


def test_follow_and_stop_on_a_proposal(database):
    proposal, _ = public_proposal()
    rosa = person("rosa@demo.example")
    at = open_page(rosa, "app_pages/proposals.py", id=str(proposal))
    button(at, "🔔 Follow").click().run()
    assert follows.is_following(store(), rosa, "initiative", proposal)
    assert "You follow this proposal" in texts(at)
    button(at, "Following ✓ — stop").click().run()
    assert not follows.is_following(store(), rosa, "initiative", proposal)
    assert "Press Follow again" in texts(at)


def test_follow_a_play_area_on_explore(database):
    place_id, name = (
        store().cursor().execute("SELECT id, name FROM places ORDER BY id LIMIT 1").fetchone()
    )
    rosa = person("rosa@demo.example")
    at = open_page(rosa, "app_pages/explore_map.py", place=str(place_id))
    button(at, "🔔 Follow").click().run()
    assert follows.is_following(store(), rosa, "place", int(place_id))
    assert f"You follow {name}" in texts(at)


def test_follow_a_ward_and_the_council_on_the_wards_page(database):
    olu = person("olu@demo.example")
    at = open_page(olu, "app_pages/wards.py")
    first = int(store().value("SELECT id FROM areas WHERE level = 'ward' ORDER BY name LIMIT 1"))
    at.selectbox(key="follow_ward").set_value(first).run()
    button(at, "🔔 Follow").click().run()
    assert follows.is_following(store(), olu, "area", first)
    at.button(key="follow_council_all").click().run()
    assert "council" in set(follows.following(store(), olu)["target_kind"])
    at.button(key="follow_council_all").click().run()
    assert "council" not in set(follows.following(store(), olu)["target_kind"])


def test_visitors_see_sign_in_to_follow(database):
    proposal, _ = public_proposal()
    at = open_page(VISITOR, "app_pages/proposals.py", id=str(proposal))
    assert any("Sign in to follow" in link.proto.body for link in at.get("html"))
    assert not [b for b in at.button if "Follow" in b.label]


def test_my_account_lists_follows_in_words_and_stops_one(database):
    rosa = rosa_following_nothing()
    proposal, title = public_proposal()
    db = store()
    ward_id, ward = db.rows("SELECT id, name FROM areas WHERE level = 'ward' ORDER BY id")[0]
    follow_id = follows.follow(db, rosa, "area", NOW, int(ward_id))
    with db.write() as cursor:
        cursor.execute(
            "INSERT INTO supports (initiative_id, user_id, created_at) VALUES (?, ?, ?)",
            [proposal, rosa.user_id, NOW],
        )
        follows.follow_automatically(cursor, [rosa.user_id], "initiative", proposal, NOW)
    at = open_page(rosa, "app_pages/account.py")
    shown = texts(at)
    assert f"{ward} (ward)" in shown
    assert f"{title} (proposal), because you support it" in shown
    at.button(key=f"stop_follow_{follow_id}").click().run()  # the demo's Rosa follows more
    assert "To follow it again" in texts(at)
    assert not follows.is_following(db, rosa, "area", int(ward_id))


def test_my_account_follows_an_area_and_the_council(database):
    rosa = person("rosa@demo.example")
    at = open_page(rosa, "app_pages/account.py")
    ward_id = int(store().value("SELECT id FROM areas WHERE level = 'ward' ORDER BY id LIMIT 1"))
    at.selectbox(key="follow_area").set_value(ward_id).run()
    button(at, "Follow this area").click().run()
    assert follows.is_following(store(), rosa, "area", ward_id)
    at.radio(key="follow_way").set_value("council").run()
    button(at, "Follow the whole council").click().run()
    assert "The whole council" in texts(at)


@pytest.fixture
def map_returns(monkeypatch):
    """What the follow map sends back, as leaflet.draw and a click send it: on every run
    to the map it was drawn on (the first key asking), nothing to a new map (another key)."""
    returned = {"value": None}
    drawn_on: list[str] = []

    def fake_st_folium(*_args, key: str, **_kwargs):
        drawn_on.append(drawn_on[0] if drawn_on else key)
        return returned["value"] if key == drawn_on[0] else None

    monkeypatch.setattr(streamlit_folium, "st_folium", fake_st_folium)
    monkeypatch.setattr("ui.area_map.st_folium", fake_st_folium)
    return returned


def ward_centre() -> shapely.Point:
    return shapely.from_wkt(
        store().value(
            "SELECT ST_AsText(ST_PointOnSurface(geom)) FROM areas WHERE level = 'ward' "
            "ORDER BY id LIMIT 1"
        )
    )


def test_my_account_follows_a_drawn_area_with_its_own_name(database, map_returns):
    centre = ward_centre()
    square = shapely.box(centre.x, centre.y, centre.x + 0.002, centre.y + 0.001)
    map_returns["value"] = {
        "all_drawings": [{"type": "Feature", "geometry": shapely.geometry.mapping(square)}]
    }
    rosa = rosa_following_nothing()
    at = open_page(rosa, "app_pages/account.py")
    at.radio(key="follow_way").set_value("shape").run()
    name = labelled(at.text_input, "A name for it (optional), such as My street")
    name.input("My street").run()
    button(at, "Follow this area").click().run()
    assert "My street (drawn area)" in texts(at)
    # The map is new and empty: what the old one still sends is not taken again, so the
    # confirmation shows and there is no button to follow the same area twice.
    assert "You follow My street. It is listed above; Stop ends it." in texts(at)
    assert not [b for b in at.button if b.label == "Follow this area"]
    assert list(follows.following(store(), rosa)["target_kind"]).count("shape") == 1


def test_my_account_follows_a_circle_around_a_clicked_point(database, map_returns):
    centre = ward_centre()
    map_returns["value"] = {"last_clicked": {"lng": centre.x, "lat": centre.y}}
    rosa = person("rosa@demo.example")
    at = open_page(rosa, "app_pages/account.py")
    at.radio(key="follow_way").set_value("radius").run()
    at.number_input(key="follow_radius").set_value(300).run()
    button(at, "Follow this area").click().run()
    assert "300 m around a point" in texts(at)
    assert "You follow 300 m around the point. It is listed above; Stop ends it." in texts(at)
    assert not [b for b in at.button if b.label == "Follow this area"]


def test_a_named_circle_says_it_is_a_circle(database, map_returns):
    centre = ward_centre()
    map_returns["value"] = {"last_clicked": {"lng": centre.x, "lat": centre.y}}
    rosa = person("rosa@demo.example")
    at = open_page(rosa, "app_pages/account.py")
    at.radio(key="follow_way").set_value("radius").run()
    name = labelled(at.text_input, "A name for it (optional), such as My street")
    name.input("Near school").run()
    button(at, "Follow this area").click().run()
    assert "Near school (500 m around a point)" in texts(at)
