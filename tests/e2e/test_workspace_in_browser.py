"""A council officer filters by a ward and downloads exactly what the page shows."""

import json

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from tests.e2e.browsing import settle, sign_in

pytestmark = pytest.mark.e2e

COUNCIL = next(
    (login, password) for login, _n, role, password in DEMO_ACCOUNTS if role == "council"
)


def metric(page, label):
    box = page.locator('[data-testid="stMetric"]', has_text=label)
    return int(box.locator('[data-testid="stMetricValue"]').inner_text())


def test_filter_by_a_ward_and_download_the_geojson_of_those_rows(page, new_page, app_url, tmp_path):
    sign_in(page, app_url, *COUNCIL)
    page.get_by_role("link", name="Council workspace").click()
    settle(page)
    everything = metric(page, "Initiatives")
    page.get_by_text("Wards or other areas").click()
    settle(page)
    chooser = page.locator('[data-testid="stMultiSelect"]', has_text="Areas")
    chooser.locator("input").click()
    page.keyboard.type("ward: Riverside")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    settle(page)
    shown = metric(page, "Initiatives")
    assert 0 < shown < everything
    assert "areas=" in page.url  # the address keeps the filter
    page.get_by_role("button", name="Prepare the file").click()
    download_button = page.get_by_role("button", name="Download initiatives.geojson")
    download_button.wait_for(timeout=30_000)
    with page.expect_download() as started:
        download_button.click()
    target = tmp_path / "riverside.geojson"
    started.value.save_as(target)
    features = json.loads(target.read_text(encoding="utf-8"))["features"]
    assert len(features) == shown
    assert all("Riverside" in f["properties"]["wards"] for f in features)
    assert len({f["properties"]["id"] for f in features}) == shown

    # The same address in a new tab keeps the session; in another browser (signed out) it
    # asks for sign-in first and then shows the same filter.
    bookmark = page.url
    again = page.context.new_page()
    again.goto(bookmark)
    again.get_by_role("heading", name="Council workspace").wait_for(timeout=60_000)
    settle(again)
    assert metric(again, "Initiatives") == shown
    elsewhere = new_page()
    elsewhere.goto(bookmark)
    elsewhere.get_by_text("Sign in to open the page this link points to.").wait_for()
    elsewhere.get_by_label("Login (name or e-mail)").fill(COUNCIL[0])
    elsewhere.get_by_label("Password", exact=True).fill(COUNCIL[1])
    elsewhere.get_by_role("button", name="Sign in").click()
    elsewhere.get_by_role("heading", name="Council workspace").wait_for(timeout=60_000)
    settle(elsewhere)
    assert metric(elsewhere, "Initiatives") == shown and "areas=" in elsewhere.url
