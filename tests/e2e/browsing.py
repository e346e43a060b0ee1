"""Steps the browser tests share: waiting for Streamlit, reading the navigation, signing in,
choosing in a select box."""

from __future__ import annotations

MAP_FRAME = 'iframe[title*="folium"]'


def settle(page) -> None:
    """Wait until Streamlit has finished its reruns (its status widget is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000
    )
    page.wait_for_timeout(1_000)


def nav_titles(page) -> set[str]:
    # Until the entry script has run, Streamlit may list placeholder pages; wait for the
    # navigation our script builds (its titles, not file names).
    page.get_by_role("link", name="Explore the map").wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    links = page.locator('[data-testid="stSidebarNav"] a')
    return {links.nth(i).inner_text().split("\n")[-1].strip() for i in range(links.count())}


def sign_in(page, app_url: str, login: str, password: str) -> None:
    """Sign in through the form, once the app's own navigation has arrived.

    Submitting before the first script run finished races Streamlit's page routing.
    """
    page.goto(f"{app_url}/sign_in")
    page.get_by_role("link", name="Explore the map").wait_for(timeout=60_000)
    settle(page)
    page.get_by_label("Login (name or e-mail)").fill(login)
    page.get_by_label("Password", exact=True).and_(page.locator("input")).fill(password)
    page.get_by_role("button", name="Sign in").click()
    settle(page)


def choose(page, box_label: str, typed: str) -> None:
    """Pick an option in the select box labelled ``box_label`` by typing, as a person would."""
    chooser = page.locator('[data-testid="stSelectbox"]', has_text=box_label)
    chooser.locator("input").click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    settle(page)
