"""A proposal's journey in real Chromium: drawn with the mouse, submitted, approved, public.

The title carries markup, a Jinja expression and a template literal: it must show as text in
the review queue, the map tooltip and the timeline, and nothing in it may run.
"""

import re

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from tests.e2e.browsing import MAP_FRAME, choose, find_on_explore, leaflet, settle, sign_in

pytestmark = pytest.mark.e2e

ACCOUNTS = {role: (login, password) for login, _name, role, password in DEMO_ACCOUNTS}
TITLE = "<img src=x onerror=\"alert('proposal')\"> Play {{ 6*7 }} corner ${7*6}"
EVALUATED = "Play 42 corner"  # what the title would read had Jinja run on the server


def draw_rectangle(page) -> None:
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-draw-draw-rectangle").wait_for(timeout=60_000)
    settle(page)
    frame.locator(".leaflet-draw-draw-rectangle").click()
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 15, y + 10, steps=5)
    page.mouse.move(x + 30, y + 22, steps=5)
    page.mouse.up()
    settle(page)


def assert_inert(page) -> None:
    assert page.locator('img[src="x"]').count() == 0
    assert not page.dialogs and not page.errors, (page.dialogs, page.errors)
    assert EVALUATED not in page.content()


def test_leader_draws_and_submits_council_approves_visitor_sees_it(new_page, app_url):
    leader = new_page()
    sign_in(leader, app_url, *ACCOUNTS["leader"])
    leader.get_by_role("link", name="Propose").click()
    draw_rectangle(leader)
    leader.get_by_text("The drawing passes every check.").wait_for(timeout=30_000)
    leader.get_by_label("Title").fill(TITLE)
    leader.get_by_label("Summary: what, why, and how children will be kept safe").fill(
        "A small fenced play corner for under-8s, drawn in the browser test."
    )
    leader.get_by_role("button", name="Save and submit for review").click()
    submitted = leader.get_by_text("was submitted")
    submitted.wait_for(timeout=30_000)
    number = re.search(r"Proposal (\d+) was submitted", submitted.text_content()).group(1)
    assert_inert(leader)

    council = new_page()
    sign_in(council, app_url, *ACCOUNTS["council"])
    council.get_by_role("link", name="Review proposals").click()
    settle(council)
    choose(council, "Open a proposal to review", "Play {{")
    heading = council.locator("h2", has_text="onerror")
    heading.wait_for(timeout=30_000)
    assert TITLE in heading.text_content()
    council.get_by_text("Approve", exact=True).click()
    council.get_by_label("Reason (the proposer and the public read it)").fill(
        "Fills a doorstep play gap; approved in the browser test."
    )
    council.get_by_role("button", name="Record decision").click()
    council.get_by_role("button", name="Confirm: approve").click()
    council.get_by_text("approved.").wait_for(timeout=30_000)
    assert_inert(council)

    visitor = new_page()
    visitor.goto(app_url)
    frame = visitor.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=90_000)
    settle(visitor)
    map_frame = leaflet(visitor)
    # The approved proposal is one of the initiative shapes; folium binds the tooltip to
    # their GeoJSON layer, which opens it when a child shape is hovered.
    map_frame.wait_for_function(
        """() => {
            let opened = false;
            map_div.eachLayer(group => {
                if (opened || !group.getLayers || !group.getTooltip || !group.getTooltip()) return;
                group.getLayers().forEach(shape => {
                    const p = shape.feature && shape.feature.properties;
                    if (!opened && p && p.title && p.title.includes('onerror')
                        && p.status === 'Approved') {
                        const at = shape.getBounds ? shape.getBounds().getCenter()
                                                   : shape.getLatLng();
                        shape.fire('mouseover', {latlng: at}, true);  // as a hover does
                        opened = true;
                    }
                });
            });
            return opened && document.querySelector('.leaflet-tooltip') !== null;
        }""",
        timeout=30_000,
    )
    tooltip = frame.locator(".leaflet-tooltip").first.text_content()
    assert "<img src=x onerror=" in tooltip and "{{ 6*7 }}" in tooltip and "${7*6}" in tooltip
    assert frame.locator(".leaflet-tooltip img").count() == 0
    find_on_explore(visitor, "Play {{")
    visitor.locator("h3", has_text="onerror").wait_for(timeout=30_000)
    assert TITLE in visitor.locator("h3", has_text="onerror").text_content()
    assert_inert(visitor)

    # Its own page: the title as text, the decision and the council's reason in public.
    visitor.goto(f"{app_url}/proposals?id={number}")
    visitor.locator("h2", has_text="onerror").wait_for(timeout=60_000)
    settle(visitor)
    assert TITLE in visitor.locator("h2", has_text="onerror").text_content()
    visitor.get_by_text("Council's reason: Fills a doorstep play gap").wait_for(timeout=30_000)
    assert_inert(visitor)
