"""Shared fixtures: an empty store and a store holding the demo town, on each store kind.

``store`` and ``demo_store`` (and everything built on ``places``) run a test once per kind
in ``tests.stores.STORE_KINDS``: DuckDB and PostgreSQL. ``demo_db_file`` stays a DuckDB
file for what only a file can do (the browser tests' app, backups, crash tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.io.demo import load_demo
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store
from tests.mailbox import smtp  # noqa: F401 - a real SMTP server, as a fixture by name
from tests.stores import POSTGRESQL, STORE_KINDS, Places


@pytest.fixture(scope="session", params=STORE_KINDS)
def places(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Places:
    made = Places(request.param, tmp_path_factory.mktemp(request.param))
    yield made
    made.stop()


@pytest.fixture
def store(places: Places) -> Iterator[Store]:
    location = places.new("test")
    opened = Store(location)
    yield opened
    opened.close()
    places.drop(location)


def _build_demo(location: str) -> str:
    built = Store(location)
    load_demo(built, COMMAND_LINE)
    built.close()
    return location


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(_build_demo(str(tmp_path_factory.mktemp("demo") / "demo.duckdb")))


@pytest.fixture(scope="session")
def demo_location(places: Places, demo_db_file: Path) -> str:
    """The demo town on this kind of store, built once (DuckDB's is ``demo_db_file``)."""
    if places.kind == POSTGRESQL:
        return _build_demo(places.new("demo"))
    return str(demo_db_file)


@pytest.fixture
def demo_store(places: Places, demo_location: str) -> Iterator[Store]:
    """A private copy of the demo database, so a test may write to it."""
    location = places.copy(demo_location)
    opened = Store(location)
    yield opened
    opened.close()
    places.drop(location)


@pytest.fixture(autouse=True)
def _no_store_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A SAFEPLAY_DATABASE_URL in the developer's shell must not redirect the tests."""
    monkeypatch.delenv("SAFEPLAY_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAFEPLAY_SENDER", "off")  # no delivery thread in a test's app


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly when the PostgreSQL half did not run, so a green run cannot hide it."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "PostgreSQL half skipped" in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_sep(
            "!", f"{len(skipped)} TESTS ON POSTGRESQL WERE SKIPPED", red=True
        )
        terminalreporter.write_line(str(skipped[0].longrepr[-1]), red=True)
