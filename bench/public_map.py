"""The public map (/map) against the Streamlit Explore page and a Streamlit page that holds
only the same map, in headless Chromium, on a town and on the 100k city.

The town is what most councils are: about 800 play areas, every one sent, and ward
boundaries as detailed as the official files (thousands of vertices a ward). For each
page: seconds from opening it until its features are painted, for a first-time visitor
(a fresh browser profile) and a returning one (the same profile again), and the bytes
the browser received on the first visit (HTTP bodies as sent, gzipped or not, and
Streamlit's WebSocket messages). Run: bash bench/run.sh --public-map
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import shapely
from city import make_city
from measure import ROOT, add_wards, load_places

from geo.storage.db import Store
from scripts.replicas import app_command

VISITS = 5
# First visits after a server start, per Streamlit page (each costs a restart).
RESTARTS = 3
TOWN_PLACES = 800
TOWN_WARDS = 20
CITY_PLACES = 100_000
# Official ward boundaries follow streets and streams: a vertex every few metres.
VERTEX_EVERY_DEG = 0.00004  # about 3-4 m
TARGET_S, TARGET_KB = 0.5, 250


def detailed(ward: shapely.Geometry) -> shapely.Geometry:
    """A ward outline with a vertex every few metres that wanders like a real one (15 m
    bends every ~200 m, 2 m wiggles every ~20 m); the shift depends only on where a vertex
    is, so two wards still share their common edge exactly."""
    dense = shapely.segmentize(ward, VERTEX_EVERY_DEG)

    def wander(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0:1], xy[:, 1:2]
        big = 0.00015 * np.sin(x * 2.1e3 + y * 1.3e3)
        small = 0.00002 * np.sin(x * 2.1e4 - y * 1.9e4)
        return xy + np.hstack([big + small, big - small])

    return shapely.make_valid(shapely.transform(dense, wander))


def town_database(folder: Path) -> Path:
    city = make_city(0, TOWN_PLACES, ward_count=TOWN_WARDS)
    wards = city.wards.set_geometry([detailed(w) for w in city.wards.geometry])
    city = type(city)(wards=wards, places=city.places, initiatives=city.initiatives)
    return _database(folder / "town.duckdb", city)


def city_database(folder: Path) -> Path:
    return _database(folder / "city.duckdb", make_city(0, CITY_PLACES))


def _database(path: Path, city) -> Path:
    store = Store(path)
    add_wards(store, city)
    load_places(store, city.places)
    store.close()
    return path


@contextmanager
def serving(script: str, database: Path) -> Iterator[str]:
    """Streamlit running ``script`` (the app's ``server.py`` or the map-only page) over
    ``database`` on a free port, stopped afterwards."""
    from tests.e2e.conftest import _free_port, _wait_healthy

    port = _free_port()
    command = app_command(port)
    command[command.index("server.py")] = script
    env = {
        **os.environ,
        "SAFEPLAY_DB": str(database),
        "SAFEPLAY_TILES": "none",
        "SAFEPLAY_SENDER": "off",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def bare_page(folder: Path) -> str:
    """``bare_map_page.py`` in a folder where ``static/`` is the app's (Streamlit serves
    static files beside the script it runs, and the map's Leaflet is there)."""
    page = folder / "bare"
    page.mkdir(exist_ok=True)
    shutil.copy(ROOT / "bench" / "bare_map_page.py", page / "bare_map_page.py")
    if not (page / "static").exists():
        (page / "static").symlink_to(ROOT / "static")
    return str(page / "bare_map_page.py")


def _public_map_painted(page, url: str) -> None:
    page.goto(f"{url}/map")
    page.wait_for_selector("body[data-painted]", timeout=60_000)
    page.evaluate("new Promise(done => requestAnimationFrame(() => done()))")


def _streamlit_painted(page, url: str) -> None:
    page.goto(url)
    page.frame_locator('iframe[title*="folium"]').locator(".leaflet-interactive").first.wait_for(
        timeout=180_000
    )


def _timed(page, url: str, painted: Callable) -> float:
    """Seconds from opening ``url`` until ``painted``; the page is closed afterwards, so
    no earlier visit's session is still open on the server during the next."""
    start = time.perf_counter()
    painted(page, url)
    took = time.perf_counter() - start
    page.close()
    return took


def _bytes_of_visit(context, url: str, painted: Callable) -> int:
    """Bytes the browser received opening the page once (HTTP as sent on the wire,
    WebSocket messages as their payloads)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = {"http": 0, "ws": 0}

    def http(event: dict) -> None:
        received["http"] += int(event.get("encodedDataLength", 0))

    def frame(event: dict) -> None:
        answer = event["response"]
        data = answer.get("payloadData", "")
        received["ws"] += len(data) * 3 // 4 if answer.get("opcode") == 2 else len(data)

    cdp.on("Network.loadingFinished", http)
    cdp.on("Network.webSocketFrameReceived", frame)
    painted(page, url)
    page.wait_for_timeout(300)  # the last messages of the run
    page.close()
    return received["http"] + received["ws"]


# The pages compared, each with how to tell it has painted; ``url`` of the server it is on.
PAGES: tuple[tuple[str, Callable], ...] = (
    ("public_map", _public_map_painted),
    ("explore", _streamlit_painted),
    ("bare", _streamlit_painted),
)
VIEWPORT = {"viewport": {"width": 1400, "height": 1000}}


def _in_turn(visit: int, pages: tuple) -> tuple:
    """The pages in the order of one round: reversed every other round, so no page always
    follows the same one (a page opened after a heavy one meets its leftover work)."""
    return pages if visit % 2 == 0 else pages[::-1]


def measure_pages(browser, urls: dict[str, str]) -> dict[str, dict]:
    """Every page of ``urls`` opened visit by visit in turn: drift in the machine's load
    during the run falls on all of them alike, rather than on whichever page's visits
    happened to come last. Each page: median and range of its first visits (a fresh
    profile each) and of its returning ones (one warmed profile), and the bytes of one
    first visit."""
    warm = {key: browser.new_context(**VIEWPORT) for key, _ in PAGES}
    for key, painted in PAGES:  # warms the server and this profile's cache
        _timed(warm[key].new_page(), urls[key], painted)
    first: dict[str, list[float]] = {key: [] for key, _ in PAGES}
    again: dict[str, list[float]] = {key: [] for key, _ in PAGES}
    for visit in range(VISITS):
        for key, painted in _in_turn(visit, PAGES):
            fresh = browser.new_context(**VIEWPORT)
            first[key].append(_timed(fresh.new_page(), urls[key], painted))
            fresh.close()
        for key, painted in _in_turn(visit, PAGES):
            again[key].append(_timed(warm[key].new_page(), urls[key], painted))
    results = {}
    for key, painted in PAGES:
        warm[key].close()
        fresh = browser.new_context(**VIEWPORT)
        sent = _bytes_of_visit(fresh, urls[key], painted)
        fresh.close()
        results[key] = {**_spread("first", first[key]), **_spread("returning", again[key])}
        results[key]["kb"] = sent / 1000
    return results


def after_a_start(browser, scripts: dict[str, str], database: Path) -> dict[str, dict]:
    """The first visit after the server starts (nothing imported, nothing cached), for
    the two Streamlit pages: each round restarts both servers in turn and opens each page
    once in a fresh profile."""
    times: dict[str, list[float]] = {key: [] for key in scripts}
    for restart in range(RESTARTS):
        for key in _in_turn(restart, tuple(scripts)):
            with serving(scripts[key], database) as url:
                fresh = browser.new_context(**VIEWPORT)
                times[key].append(_timed(fresh.new_page(), url, _streamlit_painted))
                fresh.close()
    return {key: _spread("started", got) for key, got in times.items()}


def _spread(name: str, times: list[float]) -> dict:
    return {f"{name}_s": statistics.median(times), f"{name}_range": (min(times), max(times))}


def public_map_bench(folder: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, build in (("town", town_database), ("city", city_database)):
            database = build(folder)
            row: dict = {"data": name, "places": _count(database), "load": os.getloadavg()[0]}
            bare = bare_page(folder)
            # Both servers run at once so their visits can alternate, and a DuckDB file
            # is opened by one process only: the map-only page reads a copy.
            copy = shutil.copy(database, database.with_name(f"bare-{database.name}"))
            with serving("server.py", database) as app, serving(bare, Path(copy)) as only_map:
                urls = {"public_map": app, "explore": app, "bare": only_map}
                row.update(measure_pages(browser, urls))
            started = after_a_start(browser, {"explore": "server.py", "bare": bare}, database)
            for key, got in started.items():
                row[key].update(got)
            row["load_after"] = os.getloadavg()[0]
            results.append(row)
        browser.close()
    return results


def _count(database: Path) -> int:
    store = Store(database)
    try:
        return int(store.value("SELECT count(*) FROM places"))
    finally:
        store.close()


def _time(got: dict, name: str) -> str:
    """A median with the range of the visits it is the median of."""
    if f"{name}_s" not in got:
        return "–"
    low, high = got[f"{name}_range"]
    return f"{got[f'{name}_s']:.2f} s ({low:.2f}–{high:.2f})"


def public_map_report(results: list[dict], command: str) -> str:
    """The table for bench/README.md: each page's times (median and range) and bytes,
    the load average around the run, and the ratios of the medians."""
    lines = [
        f"Public map against Streamlit, Chromium, `{command}` (median and range of {VISITS} "
        f"visits, pages opened in turn; after a start: {RESTARTS} restarts each)",
        "",
        "| Data | Page | First visit | Returning | After a start | Sent (first visit) |",
        "|---|---|---|---|---|---|",
    ]
    names = {"public_map": "/map", "explore": "Explore", "bare": "Streamlit, map only"}
    for row in results:
        for key, label in names.items():
            got = row[key]
            lines.append(
                f"| {row['data']} ({row['places']:,} places) | {label} | {_time(got, 'first')} "
                f"| {_time(got, 'returning')} | {_time(got, 'started')} | {got['kb']:,.0f} kB |"
            )
    lines += [
        "",
        "| Data | Explore ÷ map-only page | map-only page ÷ /map | /map meets ≤ 0.5 s, ≤ 250 kB "
        "| Load average (start → end) |",
        "|---|---|---|---|---|",
    ]
    for row in results:
        explore, bare, fast = row["explore"], row["bare"], row["public_map"]
        meets = fast["first_s"] <= TARGET_S and fast["kb"] <= TARGET_KB
        lines.append(
            f"| {row['data']} | {explore['first_s'] / bare['first_s']:.2f} × first, "
            f"{explore['returning_s'] / bare['returning_s']:.2f} × returning, "
            f"{explore['started_s'] / bare['started_s']:.2f} × after a start "
            f"| {bare['first_s'] / fast['first_s']:.1f} × "
            f"| {'yes' if meets else 'no'} ({fast['first_s']:.2f} s, {fast['kb']:,.0f} kB) "
            f"| {row['load']:.1f} → {row['load_after']:.1f} |"
        )
    return "\n".join(lines)
