"""Sessions in a real browser: a reload, a new tab and a shared link keep a person signed
in; signing out, "Sign out everywhere" and a deactivation end it at once."""

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from tests.e2e.browsing import choose, nav_titles, settle, sign_in, sign_out, sign_up

pytestmark = pytest.mark.e2e

ACCOUNTS = {role: (login, password) for login, _name, role, password in DEMO_ACCOUNTS}


def signed_in(page) -> bool:
    """Whether the app shows this person signed in; a page behind sign-in opened signed
    out shows the sign-in form instead of the app."""
    if "/session/sign-in" in page.url:
        return False
    return "My account" in nav_titles(page)


def test_reload_and_a_new_tab_keep_the_person_signed_in_and_sign_out_ends_it(page, app_url):
    sign_in(page, app_url, *ACCOUNTS["leader"])
    assert signed_in(page)
    page.reload()
    assert signed_in(page)
    tab = page.context.new_page()
    tab.goto(f"{app_url}/my_proposals")
    tab.get_by_role("heading", name="My proposals").wait_for(timeout=60_000)
    assert signed_in(tab)
    sign_out(page)
    assert not signed_in(page)
    page.reload()
    assert not signed_in(page)
    tab.reload()  # the other tab shared the session, so it ended there too
    assert not signed_in(tab) and tab.get_by_label("Login (name or e-mail)").count() == 1


def test_a_shared_link_signed_out_asks_to_sign_in_then_opens_it_with_its_query(page, app_url):
    page.goto(f"{app_url}/workspace?status=approved")
    page.get_by_text("Sign in to open the page this link points to.").wait_for()
    assert "not found" not in page.content().lower()
    page.get_by_label("Login (name or e-mail)").fill(ACCOUNTS["council"][0])
    page.get_by_label("Password", exact=True).fill(ACCOUNTS["council"][1])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Council workspace").wait_for(timeout=60_000)
    settle(page)
    assert page.url.endswith("/workspace?status=approved")
    assert "not found" not in page.locator("body").inner_text().lower()
    assert page.dialogs == []


def test_a_wrong_password_keeps_the_login_and_says_so(page, app_url):
    # The leader's account: the accounts tests lock the resident's on the same server.
    sign_in(page, app_url, ACCOUNTS["leader"][0], "not the right password")
    page.get_by_text("Wrong login or password.").wait_for()
    assert page.get_by_label("Login (name or e-mail)").input_value() == ACCOUNTS["leader"][0]
    assert page.get_by_label("Password", exact=True).input_value() == ""


def test_a_new_account_signs_in_and_is_welcomed_once(page, app_url):
    sign_up(page, app_url, "newcomer-e2e", "a sunny afternoon in the park")
    page.get_by_text("Welcome to SafePlay").wait_for(timeout=60_000)
    assert signed_in(page)
    page.reload()
    assert signed_in(page)
    settle(page)
    assert page.get_by_text("Welcome to SafePlay").count() == 0  # welcomed once


def test_sign_out_everywhere_asks_first_then_ends_every_browsers_session(new_page, app_url):
    here, there = new_page(), new_page()
    for browser_page in (here, there):
        sign_in(browser_page, app_url, *ACCOUNTS["leader"])
    here.get_by_role("link", name="My account").click()
    here.get_by_text("Where you are signed in").wait_for()
    here.get_by_role("button", name="Sign out everywhere…").click()
    here.get_by_text("This signs you out in every browser").wait_for()
    assert signed_in(here)  # nothing happened yet
    here.get_by_role("button", name="Yes, sign out everywhere").click()
    here.get_by_text("You were signed out because you chose").wait_for(timeout=30_000)
    assert not signed_in(here)
    there.reload()
    assert not signed_in(there)


def test_an_account_deactivated_mid_task_is_refused_its_next_write(new_page, app_url):
    person, admin = new_page(), new_page()
    sign_up(person, app_url, "sam-e2e", "a quiet corner of the library")
    person.get_by_text("Welcome to SafePlay").wait_for(timeout=60_000)
    settle(person)
    consent = person.get_by_text("Name me in public thank-you lists")

    sign_in(admin, app_url, *ACCOUNTS["admin"])
    admin.get_by_role("link", name="Users and roles").click()
    settle(admin)
    choose(admin, "Account", "sam-e2e")
    admin.get_by_role("button", name="Deactivate").click()
    settle(admin)
    admin.get_by_role("button", name="Confirm: deactivate").click()
    admin.get_by_text("sam-e2e is deactivated").wait_for(timeout=30_000)

    consent.click()  # the person's next write
    person.get_by_text("You were signed out because the account was deactivated").wait_for(
        timeout=30_000
    )
    assert person.get_by_text("Anything you were sending was not saved").count() == 1
    assert not signed_in(person)
    assert "not found" not in person.locator("body").inner_text().lower()
    person.reload()
    assert not signed_in(person)
