"""Steps the browser tests share: waiting for Streamlit, reading the navigation, signing in,
choosing in a select box."""

from __future__ import annotations

from urllib.parse import urlencode

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


def sign_in(page, app_url: str, login: str, password: str, next_path: str = "/") -> None:
    """Sign in through the sign-in form (a plain page beside the app, which sets the session
    cookie), then wait for the app's own navigation; a refused sign-in stays on the form."""
    query = f"?{urlencode({'next': next_path})}" if next_path != "/" else ""
    page.goto(f"{app_url}/session/sign-in{query}")
    page.get_by_label("Login (name or e-mail)").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/session/" not in page.url:
        page.get_by_role("link", name="Explore the map").wait_for(timeout=60_000)
        settle(page)


def sign_out(page) -> None:
    """Press "Sign out" in the sidebar; the app reloads signed out."""
    with page.expect_navigation():
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Explore the map").wait_for(timeout=60_000)
    settle(page)


def choose(page, box_label: str, typed: str) -> None:
    """Pick an option in the select box labelled ``box_label`` by typing, as a person would."""
    chooser = page.locator('[data-testid="stSelectbox"]', has_text=box_label)
    chooser.locator("input").click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    settle(page)


def leaflet(page):
    """The first folium map's own frame, where ``map_div`` is the Leaflet map.

    The frame exists before its script has made the map; asking ``map_div`` for layers at
    once failed on a busy machine ("map_div.eachLayer is not a function"), so this waits.
    """
    frame = next(f for f in page.frames if "folium" in f.url)
    frame.wait_for_function(
        "() => typeof map_div !== 'undefined' && typeof map_div.eachLayer === 'function'",
        timeout=30_000,
    )
    return frame
