"""The axe gate: every page, for every role, has no critical or serious WCAG 2.2 AA finding.

axe-core (the copy shipped inside the ``axe-playwright-python`` package: no network at run
time) runs in Chromium on each page of each person's menu, one page load each. What it
reports is named by rule, page and element, all pages at once, so one run shows the work.
The maps' own frames (Leaflet, drawn by folium) are left out of the scan: their content
is also a list on every map page, which is scanned, and a "Skip the map" link passes them.
docs/accessibility.md says what is checked and why each exclusion below is there.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from geo.io.demo import DEMO_ACCOUNTS
from geo.permissions import VISITOR, Actor
from geo.storage.db import Store
from tests.e2e.browsing import settle, sign_in
from tests.e2e.conftest import PHONE
from ui.pages_table import menu
from ui.touch_targets import MIN_TOUCH_PX

pytestmark = pytest.mark.e2e

# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices; only
# findings axe rates critical or serious fail the gate.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING = {"critical", "serious"}

# Streamlit's own markup that we cannot replace, each excluded by its exact selector.
EXCLUDED: list[str] = [
    # The maps' frames: scanned as their lists instead (see the module docstring).
    'iframe[title*="folium"]',
]

ROLES = {"visitor": VISITOR} | {
    role: Actor(role=role, login=login, display_name=name)
    for login, name, role, _password in DEMO_ACCOUNTS
}


def audit(page) -> list[str]:
    """axe's critical and serious findings on ``page`` as it stands, one line per element."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):  # once per page load
        page.evaluate(AXE_SCRIPT)
    found = page.evaluate(
        """([exclude, tags]) => axe.run(
            {exclude: exclude.map((selector) => [selector])},
            {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], iframes: false}
        ).then((results) => results.violations)""",
        [EXCLUDED, TAGS],
    )
    return [
        f"{finding['id']} ({finding['impact']}): {' '.join(node['target'])} — "
        f"{node['failureSummary'].splitlines()[-1].strip()}"
        for finding in found
        if finding["impact"] in FAILING
        for node in finding["nodes"]
    ]


# axe rates a skipped heading level "moderate"; we hold every page to one h1, first, and
# no level skipped on the way down (WCAG 1.3.1, 2.4.6), and to the menu marking the page open.
OUTLINE = """() => {
    const found = [];
    const levels = [...document.querySelectorAll('[data-testid="stMain"] :is(h1,h2,h3,h4,h5,h6)')]
        .map((h) => [Number(h.tagName[1]), h.innerText.trim()]);
    const ones = levels.filter(([level]) => level === 1).length;
    if (ones !== 1 || (levels.length && levels[0][0] !== 1))
        found.push(`${ones} h1, the first heading an h${levels.length ? levels[0][0] : "-"}`);
    levels.forEach(([level, words], i) => {
        if (i && level > levels[i - 1][0] + 1)
            found.push(`h${levels[i - 1][0]} then h${level} "${words}"`);
    });
    if (!document.querySelector('.st-key-menu a[aria-current="page"]'))
        found.push("the menu does not mark the page open");
    return found;
}"""


def outline(page) -> list[str]:
    """Where the page's headings break the outline, and whether the menu marks the page."""
    return [f"outline: {line}" for line in page.evaluate(OUTLINE)]


def pages_of(role: str) -> list[str]:
    """The addresses on ``role``'s menu (hidden pages are reached by a link only)."""
    return [
        page.url_path for listed in menu(ROLES[role]).values() for page in listed if not page.hidden
    ]


def open_from_menu(page, path: str) -> None:
    """Go to the page at ``path`` as a person does, by its link in our menu: one load of
    the page, without reloading the app (a fresh load per page took five times longer)."""
    page.locator(f'.st-key-menu a[href="{path}"]').click()
    page.wait_for_url(f"**/{path}", timeout=60_000)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    # Streamlit's status widget gone: the page has finished its run (settle() also waits a
    # second more, for maps and reruns; axe needs only the page's elements).
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
    )
    page.wait_for_timeout(300)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_passes_axe(page, app_url, role):
    account = next((a for a in DEMO_ACCOUNTS if a[2] == role), None)
    problems: list[str] = []
    if account is None:  # the sign-in form is a page of its own, beside the app
        page.goto(f"{app_url}/session/sign-in")
        problems += [f"/session/sign-in: {line}" for line in audit(page)]
        page.goto(app_url)
    else:
        sign_in(page, app_url, account[0], account[3])
    first, *others = pages_of(role)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    settle(page)
    problems += [f"/{first}: {line}" for line in outline(page) + audit(page)]
    for path in others:
        open_from_menu(page, path)
        problems += [f"/{path}: {line}" for line in outline(page) + audit(page)]
    assert not problems, f"{len(problems)} findings for the {role}:\n" + "\n".join(problems)


ZOOMED = {"width": 640, "height": 400}  # 1280 × 800 at 200 % zoom: the CSS pixels left


def test_pages_zoomed_to_200_percent_scroll_only_down_and_phone_targets_are_44px(browser, app_url):
    # WCAG 1.4.10 Reflow (no sideways scroll at 1280 px wide zoomed 200 %) and our 44 px
    # touch targets at 390 × 844 (ui/touch_targets.py), on every page a visitor can open.
    problems = []
    for size, check in ((ZOOMED, "reflow"), (PHONE, "targets")):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        for path in pages_of("visitor"):
            page.goto(f"{app_url}/{path}")
            page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
            settle(page)
            if check == "reflow":
                wide = page.evaluate(
                    "() => document.documentElement.scrollWidth - "
                    "document.documentElement.clientWidth"
                )
                if wide > 0:
                    problems.append(f"/{path}: {wide} px sideways scroll at 200 %")
            else:
                small = page.evaluate(SMALL_TARGETS, MIN_TOUCH_PX)
                problems += [f"/{path}: {target} under {MIN_TOUCH_PX} px" for target in small]
        context.close()
    assert not problems, "\n".join(problems)


# Buttons, inputs and page links in the page (not the maps' frames) lower than 44 px.
SMALL_TARGETS = """(least) => [...document.querySelectorAll(
    '[data-testid="stMain"] :is(button, input:not([type=hidden]), textarea, '
    + 'a[data-testid="stPageLink-NavLink"])'
)].filter((el) => el.offsetParent !== null)
  // A select box's or date box's parts are one target: the box around them.
  .map((el) => [el, el.closest('label, [role="group"], [data-testid="stDateInputField"]') || el])
  .filter(([, box]) => box.getBoundingClientRect().height < least)
  .map(([el]) => el.tagName.toLowerCase() + " "
    + JSON.stringify((el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 40)))"""


def test_a_concern_sent_and_its_tracking_page_pass_axe(page, app_url, demo_db_file):
    # After an action, and the page reached only by its link: the thank-you of Report a
    # concern (its tracking link shown once) and *Your concern*, which the menu never lists.
    store = Store(demo_db_file)
    place_id = store.cursor().execute("SELECT min(id) FROM places").fetchone()[0]
    store.close()
    page.goto(f"{app_url}/report_concern?place={place_id}")
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    settle(page)
    page.get_by_label("What is wrong? (no names or contact details, please)").fill(
        "The gate spring is broken and the gate stays open"
    )
    page.get_by_role("button", name="Send to the council").click()
    page.get_by_text("The council for this ward will look at it").wait_for(timeout=60_000)
    settle(page)
    problems = [f"/report_concern, sent: {line}" for line in outline(page) + audit(page)]
    page.get_by_role("link", name="Open it now").click()
    page.wait_for_url("**/track_concern?code=*", timeout=60_000)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    settle(page)
    # Not on the menu, so nothing there is marked open: the rest of the outline still holds.
    shown = [line for line in outline(page) if "menu does not mark" not in line]
    problems += [f"/track_concern: {line}" for line in shown + audit(page)]
    assert not problems, "\n".join(problems)
