"""Shared fixtures: an empty store and a store holding the demo town, both in temp files."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.io.demo import load_demo
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "test.duckdb")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    built = Store(path)
    load_demo(built, COMMAND_LINE)
    built.close()
    return path


@pytest.fixture
def demo_store(demo_db_file: Path, tmp_path: Path) -> Store:
    """A private copy of the demo database, so a test may write to it."""
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(demo_db_file.read_bytes())
    opened = Store(copy)
    yield opened
    opened.close()
