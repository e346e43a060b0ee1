"""Browser tests: a real app server on a free port and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scripts.replicas import app_command

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("SAFEPLAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PortTaken(RuntimeError):
    """Another process bound the free port between our probe and the app's start."""


def _wait_healthy(
    url: str, process: subprocess.Popen, log: Path | None = None, timeout: float = 90.0
) -> None:
    """Wait for ``url`` to answer its health check; ``log`` (the app's output) tells a
    port taken meanwhile (``PortTaken``) from any other exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if log is not None and "is not available" in log.read_text(errors="replace"):
                raise PortTaken(url)
            raise RuntimeError(f"the app exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app did not answer at {url} within {timeout:.0f} s")


def _start_app(database: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Start the app on a free port and wait until it answers.

    A probed port is free only until someone binds it: with tests in parallel (pytest -n),
    another worker's server or browser may take it first, so a clash is retried on a new
    port rather than failing the test.
    """
    # No delivery rounds in the app under test: what a page shows must not change by itself.
    env = {
        **os.environ,
        "SAFEPLAY_DB": str(database),
        "SAFEPLAY_TILES": "none",
        "SAFEPLAY_SENDER": "off",
    }
    for _attempt in range(5):
        port = _free_port()
        with log.open("w") as output:
            process = subprocess.Popen(
                app_command(port),
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process, log)
        except PortTaken:
            continue
        except BaseException:
            _stop(process)
            raise
        return process, url
    raise RuntimeError("no free port for the app after 5 attempts")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


@contextmanager
def running_app(demo_db_file: Path, scratch: Path) -> Iterator[str]:
    """A fresh app server on a free port over a copy of the demo database."""
    database = scratch / "e2e.duckdb"
    shutil.copy(demo_db_file, database)
    process, url = _start_app(database, scratch / "streamlit.log")
    try:
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def app_url(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(demo_db_file, tmp_path_factory.mktemp("e2e")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/test.sh`, which installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh contexts (one per person); each records requests, failures,
    dialogs and script errors, and is screenshotted if the test fails."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        opened = context.new_page()
        opened.requests, opened.failed, opened.dialogs, opened.errors = [], [], [], []
        opened.on("request", lambda r: opened.requests.append(r.url))
        opened.on("requestfailed", lambda r: opened.failed.append(r.url))
        opened.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        opened.on("pageerror", lambda e: opened.errors.append(str(e)))
        return opened

    yield open_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            context.pages[0].screenshot(
                path=str(ARTIFACTS / f"{request.node.name}-{number}.png"), full_page=True
            )
        context.close()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """A page the size of a phone (390 × 844, touch), collecting script errors in
    ``.errors``."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda e: opened.errors.append(str(e)))
    yield opened
    context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
