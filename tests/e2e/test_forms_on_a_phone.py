"""Forms on a phone (390 × 844) in real Chromium: the thank-you shows where the person is,
without scrolling; a double click on Send sends once; the emergency number is a link to
tap; buttons are big enough for a finger."""

from __future__ import annotations

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from geo.storage.db import Store
from tests.e2e.browsing import settle, sign_in
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

COUNCIL = next((a[0], a[3]) for a in DEMO_ACCOUNTS if a[2] == "council")


LABEL = "b => b.innerText.trim() || b.getAttribute('aria-label') || b.dataset.testid"


def open_on(page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    settle(page)


def in_view(page, locator) -> bool:
    """Whether the element is wholly inside the viewport at the current scroll position."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_have_your_say_thanks_in_view_and_empties_the_form(phone, app_url):
    open_on(phone, f"{app_url}/have_your_say", "Have your say")
    phone.get_by_label("Your idea or worry").fill("A bench by the sandpit for grandparents")
    phone.get_by_role("button", name="Send to the council").click()
    thanks = phone.get_by_text("A council moderator reads every message")
    thanks.wait_for(timeout=60_000)
    settle(phone)
    assert in_view(phone, thanks), f"off-screen, the person must scroll: {thanks.bounding_box()}"
    phone.get_by_role("button", name="Send another message").click()
    settle(phone)
    assert phone.get_by_label("Your idea or worry").input_value() == ""
    assert not phone.errors


def test_report_a_concern_thanks_in_view_and_the_emergency_number_is_a_link(
    phone, app_url, demo_db_file
):
    store = Store(demo_db_file)
    place_id = store.cursor().execute("SELECT min(id) FROM places").fetchone()[0]
    store.close()
    open_on(phone, f"{app_url}/report_concern?place={place_id}", "Report a concern")
    call = phone.locator('a[href="tel:999"]')
    assert call.count() >= 1 and call.first.inner_text() == "999"
    phone.get_by_label("What is wrong? (no names or contact details, please)").fill(
        "The gate spring is broken and the gate stays open"
    )
    phone.get_by_role("button", name="Send to the council").click()
    thanks = phone.get_by_text("The council for this ward will look at it")
    thanks.wait_for(timeout=60_000)
    settle(phone)
    assert in_view(phone, thanks), f"off-screen, the person must scroll: {thanks.bounding_box()}"
    assert not phone.errors


def test_buttons_are_big_enough_for_a_finger(phone, app_url):
    open_on(phone, f"{app_url}/have_your_say", "Have your say")
    phone.get_by_text("Simple mode with pictures (for children)").click()
    phone.get_by_role("button", name="🔦 More lights").wait_for(timeout=60_000)
    settle(phone)
    pictures = phone.locator('[class*="st-key-picture_idea_"] button')
    heights = [pictures.nth(i).bounding_box()["height"] for i in range(pictures.count())]
    assert len(heights) == 7 and min(heights) >= 64, heights
    # A select box is one target (its arrow is part of it): measured whole, below.
    buttons = phone.locator(
        '[data-testid="stMain"] button:visible:not([data-testid="stSelectbox"] *)'
    )
    sizes = {
        buttons.nth(i).evaluate(LABEL): buttons.nth(i).bounding_box()["height"]
        for i in range(buttons.count())
    }
    small = {label: height for label, height in sizes.items() if height < 44}
    assert "Send" in sizes and not small, small
    boxes = phone.locator('[data-testid="stMain"] .stSelectbox [role="group"]:visible')
    assert boxes.count() and all(
        boxes.nth(i).bounding_box()["height"] >= 44 for i in range(boxes.count())
    )


def waiting_voices(new_page, app_url: str) -> int:
    """The count of voices waiting, as a moderator signing in now reads it."""
    moderator = new_page()
    sign_in(moderator, app_url, *COUNCIL)
    moderator.get_by_role("link", name="Moderation").click()
    moderator.get_by_role("heading", name="Moderation").wait_for(timeout=60_000)
    settle(moderator)
    metric = moderator.locator('[data-testid="stMetric"]', has_text="Voices waiting")
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text())


def test_a_double_click_on_send_sends_one_voice(new_page, app_url):
    before = waiting_voices(new_page, app_url)
    person = new_page()
    open_on(person, f"{app_url}/have_your_say", "Have your say")
    person.get_by_label("Your idea or worry").fill("Please paint the hopscotch again")
    person.get_by_role("button", name="Send to the council").dblclick()
    person.get_by_text("A council moderator reads every message").wait_for(timeout=60_000)
    settle(person)
    # No Send button stays under the thank-you to be pressed a second time.
    assert person.get_by_role("button", name="Send to the council").count() == 0
    assert waiting_voices(new_page, app_url) == before + 1
