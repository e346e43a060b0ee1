"""A child's voice in real Chromium: picture mode, moderation, a redacted public view with
only a rough area on the map."""

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from geo.safeguarding.voices import generalise
from tests.e2e.browsing import MAP_FRAME, leaflet, settle, sign_in

pytestmark = pytest.mark.e2e

COUNCIL = next((a[0], a[3]) for a in DEMO_ACCOUNTS if a[2] == "council")
TYPED = "More lights so it is not dark. My name is Lily and I live at 4 Mill Lane"
SHOWN = "More lights so it is not dark. My name is [name] and I live at [address]"


def test_a_child_leaves_a_voice_a_moderator_publishes_it_redacted(new_page, app_url):
    child = new_page()
    child.goto(f"{app_url}/have_your_say")
    child.get_by_text("Simple mode with pictures (for children)").click()
    child.get_by_role("button", name="🔦 More lights").click()
    settle(child)
    assert child.get_by_label("Your idea").input_value() == "More lights so it is not dark."
    child.get_by_label("Your idea").fill(TYPED)
    child.get_by_text("👧 Under 12").click()
    frame = child.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    settle(child)
    child.locator(MAP_FRAME).scroll_into_view_if_needed()
    box = child.locator(MAP_FRAME).bounding_box()
    child.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    child.get_by_text("Got it: a rough area").wait_for(timeout=30_000)
    child.get_by_role("button", name="Send").click()
    child.get_by_text("A grown-up from the council will read it").wait_for(timeout=30_000)

    moderator = new_page()
    sign_in(moderator, app_url, *COUNCIL)
    moderator.get_by_role("link", name="Moderation").click()
    moderator.get_by_role("heading", name="Moderation").wait_for(timeout=60_000)
    settle(moderator)
    publish = moderator.get_by_role("button", name="Publish")
    blocks = moderator.locator('[data-testid="stVerticalBlock"]').filter(has_text=SHOWN)
    blocks.filter(has=publish).last.get_by_role("button", name="Publish").click()
    moderator.get_by_text("Voice published.").wait_for(timeout=30_000)

    visitor = new_page()
    visitor.goto(f"{app_url}/voices")
    visitor.get_by_text("Published voices", exact=True).wait_for(timeout=60_000)
    settle(visitor)
    said = visitor.locator('[data-testid="stDataFrame"]').nth(1)
    said.wait_for(timeout=30_000)
    map_frame = leaflet(visitor)
    points = map_frame.evaluate(
        """() => { const found = [];
            map_div.eachLayer(l => { if (l instanceof L.CircleMarker && !l.feature)
                found.push([l.getLatLng().lng, l.getLatLng().lat]); });
            return found; }"""
    )
    assert points, "the published voice is not on the map"
    for lon, lat in points:  # every point is a grid-cell centre, not where the child tapped
        assert generalise(lon, lat) == (round(lon, 6), round(lat, 6))
    page_text = visitor.content()
    assert "Lily" not in page_text and "4 Mill Lane" not in page_text
    assert not child.dialogs and not visitor.dialogs
