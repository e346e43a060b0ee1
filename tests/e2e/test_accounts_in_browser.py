"""Signing in with real Chromium: each demo role gets its navigation; lock-out says so."""

import re

import pytest

from geo.accounts.auth import MAX_FAILURES
from geo.io.demo import DEMO_ACCOUNTS
from tests.e2e.browsing import nav_titles, sign_in, sign_out, sign_up
from tests.e2e.conftest import running_app

pytestmark = pytest.mark.e2e

EVERYONE = {
    "Explore the map",
    "Proposals",
    "Initiatives under way",
    "Partners",
    "Newsletter",
    "Have your say",
    "Voices",
    "Report a concern",
    "Events",
    "Accessibility statement",
}
PROPOSING = {"Propose", "My proposals", "What needs me now"}
REVIEWING = {
    "Review proposals",
    "Concerns",
    "Inspections",
    "Moderation",
    "Council workspace",
    "Wards at a glance",
    "Play gaps",
    "Play sufficiency",
}
NAVIGATION = {
    "resident": EVERYONE | {"My account", "Inbox"},
    "leader": EVERYONE | PROPOSING | {"My account", "Inbox"},
    "council": EVERYONE | PROPOSING | REVIEWING | {"My account", "Inbox"},
    "admin": EVERYONE | PROPOSING | REVIEWING | {"My account", "Inbox", "Users and roles"},
}


def test_visitor_sees_sign_in_and_sign_up(page, app_url):
    page.goto(app_url)
    assert nav_titles(page) == EVERYONE | {"Sign in", "Create an account"}


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a[2] for a in DEMO_ACCOUNTS])
def test_each_demo_role_gets_its_navigation(page, app_url, account):
    login, _name, role, password = account
    sign_in(page, app_url, login, password)
    page.get_by_text("My account").first.wait_for(timeout=30_000)
    # The Inbox's title carries the unread count ("Inbox (2)" for the demo's leader).
    assert {re.sub(r" \(\d+\)$", "", title) for title in nav_titles(page)} == NAVIGATION[role]
    if role == "admin":
        page.get_by_role("link", name="Users and roles").click()
        page.get_by_role("heading", name="Users and roles").wait_for(timeout=30_000)


def test_visitor_opening_the_admin_url_does_not_get_the_page(page, app_url):
    page.goto(f"{app_url}/users")
    page.get_by_text("Sign in to open the page this link points to.").wait_for()
    assert page.get_by_role("heading", name="Users and roles").count() == 0
    assert page.get_by_text("ada@demo.example").count() == 0


def test_repeated_wrong_passwords_lock_the_account_and_say_so(page, app_url):
    # An account of its own: a demo account locked here would refuse the other browser
    # tests that share this server (the axe gate signs the resident in).
    login, password = "locked-out-e2e", "a long walk to the swings"
    sign_up(page, app_url, login, password)
    sign_out(page)
    for attempt in range(MAX_FAILURES):
        sign_in(page, app_url, login, f"a wrong password {attempt}")
        page.wait_for_timeout(800)
    page.get_by_text("too many failed sign-ins").wait_for(timeout=30_000)
    sign_in(page, app_url, login, password)  # right password, still locked
    page.get_by_text("locked until").wait_for(timeout=30_000)


def test_a_deep_link_on_a_freshly_started_server_still_goes_through_the_navigation(
    page, demo_db_file, tmp_path
):
    # A `pages/` folder would make Streamlit run /users on its own for the first visitor of
    # a new server, without the entry script; app_pages/ keeps every visit routed.
    with running_app(demo_db_file, tmp_path) as fresh_url:
        page.goto(f"{fresh_url}/proposals")
        assert nav_titles(page) == EVERYONE | {"Sign in", "Create an account"}
        page.get_by_role("heading", name="Proposals").first.wait_for()
