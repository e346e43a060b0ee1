"""What only a browser shows on Explore: the box letting go of a hidden selection, the map
moving to what was picked or filtered, tooltips kept inside the map, and the page on a phone."""

import pytest

from tests.e2e.browsing import (
    EXPLORE_FINDER,
    MAP_FRAME,
    find_on_explore,
    leaflet,
    settle,
    wait_for_fewer_places_shown,
)

pytestmark = pytest.mark.e2e

PLACE = "Ash Terrace Playground"  # a point, not wheelchair accessible
DETAILS_BOX = "Choose a play area"
PICKED_RING = "#fab005"


def open_explore(page, app_url):
    page.goto(app_url)
    page.frame_locator(MAP_FRAME).locator(".marker-cluster").first.wait_for(timeout=90_000)
    settle(page)


def details_box_text(page) -> str:
    """What the finder's select box shows (its input holds the chosen option's label); the
    finder is a popover, opened to read it and closed again with Escape."""
    box = page.locator('[data-testid="stSelectbox"]', has_text=DETAILS_BOX)
    if not box.is_visible():
        page.get_by_role("button", name=EXPLORE_FINDER).click()
        box.wait_for(timeout=30_000)
    shown = box.locator("input").input_value()
    page.keyboard.press("Escape")
    settle(page)
    return shown


def test_a_selection_the_filter_hides_is_cleared_from_the_box(page, app_url):
    open_explore(page, app_url)
    find_on_explore(page, PLACE)
    page.locator("h3", has_text=PLACE).wait_for(timeout=30_000)
    assert PLACE in details_box_text(page)
    page.get_by_role("button", name="Filter the map").click()  # the filters' popover
    page.get_by_text("Fully accessible").click()  # hides it: no wheelchair access
    page.get_by_text("Select something to see everything known about it.").wait_for(timeout=30_000)
    settle(page)
    assert details_box_text(page) == ""  # the box shows its placeholder, not the old name


def ringed(frame) -> bool:
    return frame.evaluate(
        "c => { let n = 0; map_div.eachLayer(l => { if (l.options && l.options.color === c)"
        " n++; }); return n > 0; }",
        PICKED_RING,
    )


def test_picking_a_place_from_the_list_zooms_to_it_and_rings_it(page, app_url):
    open_explore(page, app_url)
    frame = leaflet(page)
    start = frame.evaluate("() => map_div.getZoom()")
    assert not ringed(frame)
    find_on_explore(page, PLACE)
    frame = leaflet(page)
    frame.wait_for_function(f"() => map_div.getZoom() >= {start + 3}", timeout=30_000)
    assert ringed(frame)
    # The ringed place is in the middle of the view, outside any cluster.
    inside = frame.evaluate(
        "c => { let inView = false; map_div.eachLayer(l => { if (l.options &&"
        " l.options.color === c && l.getLatLng) inView ="
        " map_div.getBounds().pad(-0.3).contains(l.getLatLng()); }); return inView; }",
        PICKED_RING,
    )
    assert inside


def test_a_ward_filter_zooms_to_the_ward_and_clearing_it_frames_the_town(page, app_url):
    open_explore(page, app_url)
    frame = leaflet(page)
    town = frame.evaluate("() => map_div.getZoom()")
    filters = page.get_by_role("button", name="Filter the map")
    filters.click()  # the filters are in a popover above the map
    wards = page.locator('[data-testid="stMultiSelect"]', has_text="Wards")
    wards.locator("input").click()
    page.keyboard.type("Riverside")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    frame = leaflet(page)
    frame.wait_for_function(f"() => map_div.getZoom() > {town}", timeout=30_000)
    riverside = frame.evaluate(
        """() => { let b = null; map_div.eachLayer(l => { if (l.feature &&
            l.feature.properties.name === 'Riverside' && l.feature.properties.code)
            b = l.getBounds(); }); return map_div.getBounds().pad(0.05).contains(b); }"""
    )
    assert riverside  # the whole ward is in view
    settle(page)
    if not wards.is_visible():  # Escape closed the list, and may have closed the popover
        filters.click()
    wards.locator("input").click()
    page.keyboard.press("Backspace")
    page.keyboard.press("Escape")
    frame.wait_for_function(f"() => map_div.getZoom() === {town}", timeout=30_000)


def test_a_tooltip_at_the_edge_of_the_map_stays_inside_it(page, app_url):
    open_explore(page, app_url)
    frame = leaflet(page)
    # A play area right at the bottom edge of the map, past the clustering zoom.
    frame.evaluate(
        """() => {
            let marker = null;
            map_div.eachLayer(l => { if (!marker && l.getLayers && l.zoomToShowLayer)
                marker = l.getLayers()[0]; });
            window.edgeMarker = marker;
            map_div.setView(marker.getLatLng(), 18, {animate: false});
            map_div.panBy([0, -(map_div.getSize().y / 2 - 6)], {animate: false});
        }"""
    )
    frame.wait_for_function(
        "() => map_div.hasLayer(window.edgeMarker) && (window.edgeMarker.openTooltip(),"
        " document.querySelector('.leaflet-tooltip') !== null)",
        timeout=30_000,
    )
    tooltip, map_box = frame.evaluate(
        """() => [document.querySelector('.leaflet-tooltip').getBoundingClientRect().toJSON(),
                  map_div.getContainer().getBoundingClientRect().toJSON()]"""
    )
    assert tooltip["top"] >= map_box["top"] and tooltip["bottom"] <= map_box["bottom"]
    assert tooltip["left"] >= map_box["left"] and tooltip["right"] <= map_box["right"]


def test_explore_on_a_phone_has_a_usable_map_and_filters_and_no_sideways_scroll(page, app_url):
    page.set_viewport_size({"width": 390, "height": 844})
    open_explore(page, app_url)
    # The page itself never scrolls sideways: neither the document nor the scrolling box
    # that holds the map (a wide table may scroll inside its own frame, as tables do).
    wide = page.evaluate(
        f"""() => {{
            const wide = [];
            for (let e = document.querySelector('{MAP_FRAME}'); e; e = e.parentElement) {{
                const scrolls = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                    || e === document.documentElement;
                if (scrolls && e.scrollWidth > e.clientWidth) wide.push(
                    e.getAttribute('data-testid') || e.tagName);
            }}
            return wide;
        }}"""
    )
    assert not wide, wide
    map_box = page.locator(MAP_FRAME).bounding_box()
    assert 300 <= map_box["width"] <= 390 and map_box["x"] >= 0
    key = page.frame_locator(MAP_FRAME).locator("details.safeplay-key")
    assert key.get_attribute("open") is None  # the key waits, folded, in the corner
    key.locator("summary").click()
    assert key.get_attribute("open") is not None
    page.get_by_role("button", name="Filter the map").click()  # the filters' popover
    page.get_by_text("Fully accessible").click()
    wait_for_fewer_places_shown(page, than=273)  # the whole town has 273
