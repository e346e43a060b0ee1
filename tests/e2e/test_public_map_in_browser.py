"""The public map (/map) in real Chromium: features painted with no tiles and no request
leaving the app, facts on a click with hostile names shown as text, the link into the
app, a phone and a keyboard."""

import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from geo.storage.db import Store
from tests.e2e.conftest import running_app

pytestmark = pytest.mark.e2e

HOSTILE = '<img src=x onerror="alert(1)">{{7*7}} Swings'


@pytest.fixture(scope="module")
def map_app(demo_db_file, tmp_path_factory) -> Iterator[tuple[str, int, str]]:
    """The app over a demo copy whose first play area has a hostile name; yields the
    address, another place's number and its name (for the link into the app)."""
    scratch = tmp_path_factory.mktemp("public-map")
    database = scratch / "hostile.duckdb"
    shutil.copy(demo_db_file, database)
    store = Store(database)
    first = store.value("SELECT min(id) FROM places")
    other, name = (
        store.cursor()
        .execute("SELECT id, name FROM places WHERE id > ? ORDER BY id LIMIT 1", [first])
        .fetchone()
    )
    with store.write() as cursor:
        cursor.execute("UPDATE places SET name = ? WHERE id = ?", [HOSTILE, first])
    store.close()
    with running_app(database, scratch) as url:
        yield url, other, name


def opened(page, url: str, query: str = "") -> int:
    page.goto(f"{url}/map{query}")
    page.wait_for_selector("body[data-painted]", timeout=20_000)
    return int(page.get_attribute("body", "data-painted"))


def test_features_are_painted_without_tiles_and_nothing_leaves_the_app(map_app, page):
    url, _other, _name = map_app
    console = []  # a Content-Security-Policy refusal is reported here
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    painted = opened(page, url)
    assert painted > 50
    assert not console
    assert page.locator("#map path.leaflet-interactive, #map canvas").count() > 0
    hosts = {urlsplit(r).netloc for r in page.requests if r.startswith("http")}
    assert hosts == {urlsplit(url).netloc}
    assert not page.errors and not page.failed
    assert "play areas and" in page.text_content("#status")


def test_a_click_shows_the_facts_and_a_hostile_name_stays_text(map_app, page):
    url, _other, _name = map_app
    opened(page, url)
    page.click("#list-box summary")
    page.get_by_role("button", name=HOSTILE).click()
    assert page.text_content("#facts h2") == HOSTILE
    assert page.locator("#facts img").count() == 0 and not page.dialogs
    # The list framed the place; a click on the map at its middle lands on it again.
    page.evaluate("document.getElementById('facts').hidden = true")
    page.wait_for_timeout(600)  # the frame's animation
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.is_visible("#facts")
    assert page.text_content("#facts h2") == HOSTILE
    assert not page.errors and not page.dialogs


def test_the_link_opens_the_place_in_the_full_app(map_app, page):
    url, other, name = map_app
    opened(page, url)
    page.click("#list-box summary")
    page.get_by_role("button", name=name).first.click()
    link = page.locator("#facts a.open")
    assert link.get_attribute("href") == f"/?place={other}"
    assert link.get_attribute("target") == "_blank"
    page.goto(f"{url}/?place={other}")
    page.get_by_text(name).first.wait_for(timeout=30_000)


def test_on_a_phone_the_map_fills_the_width_and_the_list_works_by_keyboard(map_app, phone):
    url, _other, _name = map_app
    assert opened(phone, url) > 50
    box = phone.locator("#map").bounding_box()
    assert box["width"] == 390 and 250 <= box["height"] <= 600
    phone.focus("#list-box summary")
    phone.keyboard.press("Enter")
    phone.locator("#list button").first.wait_for()  # the list is built when opened
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    assert phone.is_visible("#facts")
    assert phone.text_content("#facts h2")
    assert phone.locator("#facts a.open").bounding_box()["height"] >= 44
    assert not phone.errors


def test_in_german_the_page_and_its_facts_and_link_speak_german(map_app, page):
    url, other, name = map_app
    opened(page, url, "?lang=de")
    assert page.get_attribute("html", "lang") == "de"
    assert " und " in page.text_content("#status") and "Initiativen" in page.text_content("#status")
    page.click("#list-box summary")
    assert page.text_content("#list-box summary") == "Der Inhalt der Karte auch als Liste"
    page.get_by_role("button", name=name).first.click()
    assert page.locator("#facts dt").first.text_content() == "Art"
    link = page.locator("#facts a.open")
    assert link.text_content() == "In SafePlay öffnen"
    assert link.get_attribute("href") == f"/?place={other}&lang=de"
    assert not page.errors
