"""Keyboard-only journeys in Chromium: Tab, Shift+Tab, Enter, Space, arrow keys and typing,
no mouse and no ``.click()``. Each counts its Tab presses to where the person is going, so
a change that adds stops in the way (or loses a skip link) fails here.
"""

from __future__ import annotations

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from geo.storage.db import Store
from tests.e2e.browsing import settle

pytestmark = pytest.mark.e2e

RESIDENT = DEMO_ACCOUNTS[0]
COUNCIL = next(account for account in DEMO_ACCOUNTS if account[2] == "council")
# Where the focus is, as a person hears it: the element's name, its label or its text.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "";
    const labelled = el.getAttribute("aria-label")
        || (el.labels && el.labels.length && el.labels[0].innerText)
        || (el.id && document.querySelector(`label[for="${el.id}"]`)?.innerText)
        || (el.type === "radio" && el.closest("label")?.innerText);
    return (labelled || el.innerText || el.value || "").trim();
}"""


def tab_to(page, name: str, limit: int = 60, key: str = "Tab") -> int:
    """Press ``key`` until the focus is on the element whose name starts with ``name``;
    how many presses it took (none if it is there already)."""
    for presses in range(limit + 1):
        if page.evaluate(FOCUSED).startswith(name):
            return presses
        page.keyboard.press(key)
    raise AssertionError(f"{name!r} not reached in {limit} presses of {key}")


def open_app_page(page, url: str) -> None:
    """Open a page of the app and wait until it has finished drawing."""
    page.goto(url)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    settle(page)
    page.locator("body").focus()  # the keyboard starts at the top of the document


def skip_to_main(page) -> None:
    """The first Tab lands on "Skip to main content" (Streamlit's); Enter puts the focus in
    the page, past the menu."""
    assert tab_to(page, "Skip to main content", limit=1) == 1
    page.keyboard.press("Enter")


def sign_in_by_keyboard(page, app_url: str, account: tuple[str, str, str, str]) -> None:
    """Sign in on the form with the keys alone; the form opens with the focus in Login."""
    page.goto(f"{app_url}/session/sign-in")
    assert tab_to(page, "Login (name or e-mail)") == 0
    page.keyboard.type(account[0])
    assert tab_to(page, "Password", limit=2) == 1
    page.keyboard.type(account[3])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Signed in as").first.wait_for(timeout=60_000)
    settle(page)


def test_sign_in_with_the_keyboard(page, app_url):
    sign_in_by_keyboard(page, app_url, RESIDENT)


def test_comment_on_a_proposal(page, app_url, demo_db_file):
    db = Store(str(demo_db_file))  # the demo's own file: the app runs on a copy of it
    try:
        number = (
            db.cursor()
            .execute("SELECT id FROM initiatives WHERE status = 'submitted' ORDER BY id LIMIT 1")
            .fetchone()[0]
        )
    finally:
        db.close()
    sign_in_by_keyboard(page, app_url, RESIDENT)
    open_app_page(page, f"{app_url}/proposals?id={number}")
    skip_to_main(page)
    tab_to(page, "Your comment", limit=120)
    page.keyboard.type("Could the gate face the quiet street?")
    assert tab_to(page, "Send comment") <= 2
    page.keyboard.press("Enter")
    page.get_by_text("A moderator will read your comment").or_(
        page.get_by_text("Your comment is published.")
    ).first.wait_for(timeout=60_000)


def test_have_your_say_past_the_map(page, app_url):
    open_app_page(page, f"{app_url}/have_your_say")
    skip_to_main(page)
    to_idea = tab_to(page, "Your idea or worry")
    page.keyboard.type("A bench by the sandpit, please")
    # Past the map: its skip link, Enter, then the Send button straight after it.
    tab_to(page, "Skip the map")
    page.keyboard.press("Enter")
    to_send = tab_to(page, "Send to the council")
    assert to_idea <= 12 and to_send <= 2, (to_idea, to_send)
    page.keyboard.press("Enter")
    page.get_by_text("Thank you.").first.wait_for(timeout=60_000)


def test_report_a_concern(page, app_url):
    open_app_page(page, f"{app_url}/report_concern")
    skip_to_main(page)
    assert tab_to(page, "Play area") <= 8
    page.keyboard.press("ArrowDown")  # the list opens; the first play area is chosen
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, "What is wrong?")
    page.keyboard.type("The gate does not close")
    # The categories are a radio group: Shift+Tab back into it, an arrow picks the next.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowDown")
    tab_to(page, "What is wrong?")
    assert tab_to(page, "Send to the council") <= 2
    page.keyboard.press("Space")
    page.get_by_text("Keep this link").wait_for(timeout=60_000)


def test_a_council_review_decision_with_a_reason(page, app_url, demo_db_file):
    db = Store(str(demo_db_file))
    try:
        number = (
            db.cursor()
            .execute(
                "SELECT i.id FROM initiatives i LEFT JOIN users u ON u.id = i.owner_id "
                "WHERE i.status = 'submitted' AND coalesce(u.login, '') <> ? ORDER BY i.id LIMIT 1",
                [COUNCIL[0]],
            )
            .fetchone()[0]
        )
    finally:
        db.close()
    sign_in_by_keyboard(page, app_url, COUNCIL)
    open_app_page(page, f"{app_url}/review?id={number}")
    skip_to_main(page)
    # The decisions are one radio group, one Tab stop: arrows move along it and choose.
    tab_to(page, "Approve", limit=150)
    assert tab_to(page, "Ask for changes", limit=2, key="ArrowRight") == 2
    settle(page)
    tab_to(page, "Reason (the proposer and the public read it)")
    page.keyboard.type("Please show where the bins go.")
    assert tab_to(page, "Record decision") <= 2
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, "Confirm: ask for changes", limit=10, key="Tab")
    page.keyboard.press("Enter")
    page.get_by_text(f"Proposal {number}: changes requested.").wait_for(timeout=60_000)
