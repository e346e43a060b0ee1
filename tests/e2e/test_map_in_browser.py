"""What only a browser shows: the map's features, offline assets, and inert hostile names."""

from urllib.parse import urlparse

import pytest

from tests.e2e.browsing import (
    MAP_FRAME,
    find_on_explore,
    leaflet,
    settle,
    wait_for_fewer_places_shown,
)

pytestmark = pytest.mark.e2e


def open_map(page, app_url):
    page.goto(app_url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=90_000)
    frame.locator(".marker-cluster").first.wait_for(timeout=30_000)
    settle(page)
    return frame


def test_map_shows_wards_play_areas_and_clusters(page, app_url):
    frame = open_map(page, app_url)
    assert frame.locator("path.leaflet-interactive").count() > 100  # wards and areas
    assert frame.locator(".marker-cluster").count() > 0  # clustered points
    assert not page.errors, page.errors


def test_no_request_leaves_localhost_and_none_fails(page, app_url):
    open_map(page, app_url)
    page.wait_for_timeout(1_500)
    hosts = {urlparse(u).hostname for u in page.requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert not page.failed, page.failed


def test_hostile_name_in_a_map_tooltip_shows_as_text_and_runs_nothing(page, app_url):
    frame_locator = open_map(page, app_url)
    frame = leaflet(page)
    # Streamlit may re-send the layers once after the first render, replacing every
    # marker object; so look the marker up afresh on each poll.
    find_marker = """() => {
        let found = null;
        map_div.eachLayer(layer => {
            if (layer.getLayers && layer.zoomToShowLayer) {
                layer.getLayers().forEach(m => {
                    const t = m.getTooltip && m.getTooltip();
                    if (t && String(t.getContent()).includes('onerror')) found = m;
                });
            }
        });
        return found;
    }"""
    spot = frame.evaluate(f"() => {{ const m = ({find_marker})(); return m && m.getLatLng(); }}")
    assert spot, "the hostile place is not on the map"
    frame.evaluate(f"() => map_div.setView([{spot['lat']}, {spot['lng']}], 18, {{animate: false}})")
    # Past the clustering zoom the marker sits on the map itself; open its tooltip.
    frame.wait_for_function(
        f"() => {{ const m = ({find_marker})(); if (m && map_div.hasLayer(m)) {{"
        " m.openTooltip(); return document.querySelector('.leaflet-tooltip') !== null; }"
        " return false; }",
        timeout=30_000,
    )
    tooltip = frame_locator.locator(".leaflet-tooltip").first.text_content()
    assert tooltip is not None, "the hostile place is not on the map"
    assert "<img src=x onerror=" in tooltip and "<script>" in tooltip  # literally, as text
    assert frame_locator.locator(".leaflet-tooltip img, .leaflet-tooltip script").count() == 0
    assert not page.dialogs and not page.errors


def test_hostile_names_in_details_show_literally(page, app_url):
    open_map(page, app_url)
    for typed, expected in [("onerror", "<img src=x onerror="), ("cycler", "{{ cycler")]:
        find_on_explore(page, typed)
        page.wait_for_function(
            "t => [...document.querySelectorAll('h3')].some(h => h.textContent.includes(t))",
            arg=expected,
            timeout=30_000,
        )
        text = page.locator("h3", has_text=expected).first.text_content()
        assert expected in text and "PWNED-42" not in text
    assert page.locator('img[src="x"]').count() == 0
    assert not page.dialogs, page.dialogs


def test_clicking_a_play_area_on_the_map_opens_its_details(page, app_url):
    open_map(page, app_url)
    frame = leaflet(page)
    name = frame.evaluate(
        """() => {
            let target = null;
            map_div.eachLayer(layer => {
                if (!target && layer.feature && layer.feature.geometry.type === 'Polygon'
                    && layer.feature.properties.kind === 'Park or green') target = layer;
            });
            map_div.fitBounds(target.getBounds(), {animate: false, maxZoom: 17});
            window.clickTarget = target;
            return target.feature.properties.name;
        }"""
    )
    page.wait_for_timeout(500)
    box = frame.evaluate(
        "() => { const r = window.clickTarget._path.getBoundingClientRect();"
        " return [r.x + r.width / 2, r.y + r.height / 2]; }"
    )
    offset = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(offset["x"] + box[0], offset["y"] + box[1])
    page.wait_for_function(
        "t => [...document.querySelectorAll('h3')].some(h => h.textContent.includes(t))",
        arg=name,
        timeout=30_000,
    )
    assert "Session State API" not in page.content()  # no Streamlit warning shown to users


def test_every_map_asset_is_served_by_the_app(app_url):
    import urllib.request

    from geo.mapping.assets import LOCAL_ASSETS, url

    for name in LOCAL_ASSETS:
        with urllib.request.urlopen(app_url + url(name), timeout=10) as answer:
            kind = answer.headers["Content-Type"]
            assert answer.status == 200
            assert (
                ("javascript" in kind)
                if name.endswith("js") or name == "leaflet"
                else ("css" in kind)
            ), (name, kind)


def test_changing_a_filter_keeps_the_readers_pan_and_zoom(page, app_url):
    open_map(page, app_url)
    frame = leaflet(page)
    frame.evaluate("() => map_div.setView([52.925, -1.47], 16, {animate: false})")
    page.get_by_role("button", name="Filter the map").click()  # the filters' popover
    page.get_by_text("Fully accessible").click()
    wait_for_fewer_places_shown(page, than=273)  # the whole town has 273
    page.wait_for_timeout(1_500)
    frame = leaflet(page)
    zoom, lat = frame.evaluate("() => [map_div.getZoom(), map_div.getCenter().lat]")
    assert zoom == 16 and abs(lat - 52.925) < 0.001
