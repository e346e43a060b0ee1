"""The browser: headless Chromium opening the Explore page until the map's features are
painted (a first-time and a returning visitor), and the app server's peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

from city import make_city
from measure import ROOT, add_wards, load_places

from geo.storage.db import Store
from scripts.replicas import app_command

# Visits per measurement: a page paint varies by ±0.3 s from one visit to the next here.
BROWSER_VISITS = 7


def browser_at(places: int, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _wait_healthy
    from tests.e2e.conftest import _free_port as port_for

    city = make_city(0, places)
    database = folder / f"browser-{places}.duckdb"
    store = Store(database)
    add_wards(store, city)
    load_places(store, city.places)
    store.close()
    port = port_for()
    server = subprocess.Popen(
        app_command(port),
        cwd=ROOT,
        env={**os.environ, "SAFEPLAY_DB": str(database), "SAFEPLAY_TILES": "none"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            size = {"viewport": {"width": 1400, "height": 1000}}
            returning = browser.new_context(**size)
            _painted_after(returning.new_page(), url)  # warms the server and this cache
            first_visit = statistics.median(
                _painted_after(browser.new_context(**size).new_page(), url)
                for _ in range(BROWSER_VISITS)
            )
            again = statistics.median(
                _painted_after(returning.new_page(), url) for _ in range(BROWSER_VISITS)
            )
            browser.close()
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak_kb = int(
            next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "places": places,
        "painted_s": first_visit,
        "returning_s": again,
        "peak_mb": peak_kb / 1024,
    }


def _painted_after(page, url: str) -> float:
    """Seconds from opening the Explore page until the map's first feature is drawn."""
    start = time.perf_counter()
    page.goto(url)
    page.frame_locator('iframe[title*="folium"]').locator(".leaflet-interactive").first.wait_for(
        timeout=180_000
    )
    return time.perf_counter() - start
