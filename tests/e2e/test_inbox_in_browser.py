"""The inbox in real Chromium on a phone (390 × 844): a resident with notices sees the count
in the menu, opens a notice with the keyboard, lands on its proposal, and the count drops."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from geo.notify import notices
from geo.storage.db import Store
from tests.e2e.browsing import settle, sign_in
from tests.e2e.conftest import running_app

pytestmark = pytest.mark.e2e

RESIDENT = next((a[0], a[3]) for a in DEMO_ACCOUNTS if a[2] == "resident")


@pytest.fixture
def told(demo_db_file, tmp_path):
    """An app whose resident has two unread notices, one about a submitted proposal;
    yields the app's address and the proposal's title."""
    prepared = tmp_path / "told.duckdb"
    shutil.copy(demo_db_file, prepared)
    db = Store(str(prepared))
    try:
        user_id = db.value("SELECT id FROM users WHERE login = ?", [RESIDENT[0]])
        proposal, title = db.rows(
            "SELECT id, title FROM initiatives WHERE status = 'submitted' ORDER BY id LIMIT 1"
        )[0]
        now = datetime(2026, 11, 20, 9, 0)
        with db.write() as cursor:
            notices.notify(cursor, [user_id], "comment", "A comment elsewhere", "Hello.", now)
            notices.notify(
                cursor,
                [user_id],
                "decision",
                "A proposal you follow was decided",
                "The council asked for changes.",
                now,
                link=f"proposals?id={proposal}",
            )
    finally:
        db.close()
    scratch = tmp_path / "app"
    scratch.mkdir()
    with running_app(prepared, scratch) as url:
        yield url, title


def menu_link(page, name: str):
    """The sidebar's link named ``name`` (the sidebar is folded away on a phone)."""
    nav = page.locator(".st-key-menu")  # our menu (ui/menu.py)
    opener = page.get_by_test_id("stExpandSidebarButton")
    if opener.is_visible():  # a folded sidebar still holds the menu, off the screen
        opener.click()
    link = nav.get_by_role("link", name=name)
    link.wait_for(timeout=30_000)
    return link


def test_a_resident_opens_a_notice_and_the_count_drops(phone, told):
    url, title = told
    sign_in(phone, url, *RESIDENT)
    menu_link(phone, "Inbox (2)").click()
    phone.get_by_role("heading", name="Inbox").wait_for(timeout=60_000)
    settle(phone)
    subject = phone.get_by_text("A proposal you follow was decided")
    assert subject.is_visible()
    # With the keyboard: focus the first Open button (the newest notice) and press Enter.
    main = phone.get_by_test_id("stMain")  # not the sidebar's language list, whose menu opens too
    opening = main.get_by_role("button", name="Open", exact=True).first
    opening.focus()
    phone.keyboard.press("Enter")
    phone.get_by_role("heading", name=title).wait_for(timeout=60_000)
    settle(phone)
    assert "id=" in phone.url
    assert menu_link(phone, "Inbox (1)").is_visible()
    assert not phone.errors
