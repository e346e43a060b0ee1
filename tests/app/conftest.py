"""AppTest fixtures: the app's entry file and a private copy of the demo database."""

from pathlib import Path

import pytest

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def database(demo_db_file, tmp_path, monkeypatch):
    copy = tmp_path / "app.duckdb"
    copy.write_bytes(demo_db_file.read_bytes())
    monkeypatch.setenv("SAFEPLAY_DB", str(copy))
    monkeypatch.setenv("SAFEPLAY_TILES", "none")
    return copy
