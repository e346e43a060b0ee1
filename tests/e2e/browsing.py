"""Steps the browser tests share: waiting for Streamlit, reading the navigation, signing in,
choosing in a select box."""

from __future__ import annotations

import time
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
    links = page.locator(".st-key-menu a")  # our menu (ui/menu.py), not Streamlit's
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


def sign_up(page, app_url: str, login: str, password: str) -> None:
    """Create an account through the sign-up form and sign in with it, as a newcomer does."""
    page.goto(f"{app_url}/session/sign-up")
    page.get_by_label("Login (a name or an e-mail address)").fill(login)
    page.get_by_label("Name shown to others").fill(login.title())
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create account").click()
    # The same answer whether or not the login was free; then the person signs in.
    page.get_by_text("If nobody had that login yet, your account is ready").wait_for()
    assert page.get_by_label("Login (name or e-mail)").input_value() == login
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


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


EXPLORE_FINDER = "Find a play area or initiative"


def find_on_explore(page, typed: str) -> None:
    """Pick a play area or initiative in Explore's finder: open its popover, type, Enter."""
    page.get_by_role("button", name=EXPLORE_FINDER).click()
    choose(page, "Choose a play area", typed)


def wait_for_fewer_places_shown(page, than: int) -> None:
    """Wait until Explore's count line above the map shows fewer play areas than ``than``."""
    page.wait_for_function(
        "than => [...document.querySelectorAll('[data-testid=stMarkdown] strong')]"
        ".some(m => m.parentElement.textContent.includes('play areas shown')"
        " && /^\\d+$/.test(m.textContent.trim()) && Number(m.textContent.trim()) < than)",
        arg=than,
        timeout=30_000,
    )


MAP_READY = "() => typeof map_div !== 'undefined' && typeof map_div.eachLayer === 'function'"


def map_frames(page, at_least: int = 0, timeout: float = 30.0) -> list:
    """Every folium map's own frame on the page, each once its Leaflet map ``map_div`` exists.

    On a busy machine (tests in parallel beside other work) the page's map iframes are
    placed before their documents load, and a document before its script has made the map:
    looking at once found no frame (StopIteration) or too few layers. This waits until
    every map iframe the page shows (and at least ``at_least``) has a ready map.
    """
    deadline = time.monotonic() + timeout
    while True:
        wanted = max(at_least, page.locator(MAP_FRAME).count())
        frames = [f for f in page.frames if "folium" in f.url]
        if len(frames) >= wanted or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    if len(frames) < at_least:
        raise AssertionError(f"{len(frames)} map frames after {timeout:.0f} s, not {at_least}")
    for frame in frames:
        frame.wait_for_function(MAP_READY, timeout=timeout * 1000)
    return frames


def leaflet(page):
    """The first folium map's own frame, where ``map_div`` is the Leaflet map."""
    return map_frames(page, at_least=1)[0]
