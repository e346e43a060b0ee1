"""Restore refuses any file that is not a SafePlay database, before replacing anything."""

import duckdb
import pytest

from geo.errors import NotABackup
from geo.io import backup
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store, migrations


@pytest.fixture
def current(tmp_path):
    """The database a restore would replace, with one row to prove it was left alone."""
    path = tmp_path / "safeplay.duckdb"
    store = Store(path)
    with store.write() as cursor:
        cursor.execute(
            "INSERT INTO users (login, display_name, role) VALUES ('ada', 'Ada', 'admin')"
        )
    store.close()
    return path


def _users(path):
    store = Store(path)
    try:
        return store.cursor().execute("SELECT login FROM users").fetchall()
    finally:
        store.close()


def _foreign(path, *statements):
    connection = duckdb.connect(str(path))
    for statement in statements:
        connection.execute(statement)
    connection.close()
    return path


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            ["CREATE TABLE sales (id INTEGER, amount DOUBLE)", "INSERT INTO sales VALUES (1, 9.5)"],
            "no areas, data_version, initiatives, places, schema_version, users tables",
        ),
        (
            [
                "CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)",
                "CREATE TABLE data_version (version INTEGER)",
                "CREATE TABLE areas (id INTEGER)",
                "CREATE TABLE places (id INTEGER)",
                "CREATE TABLE initiatives (id INTEGER)",
                "CREATE TABLE users (id INTEGER)",
            ],
            "records no schema version",
        ),
        (
            [
                "CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)",
                "INSERT INTO schema_version VALUES (1, now()), (5, now())",
                "CREATE TABLE data_version (version INTEGER)",
                "CREATE TABLE areas (id INTEGER)",
                "CREATE TABLE places (id INTEGER)",
                "CREATE TABLE initiatives (id INTEGER)",
                "CREATE TABLE users (id INTEGER)",
            ],
            "do not match",
        ),
    ],
)
def test_another_duckdb_file_is_refused_and_nothing_is_replaced(
    tmp_path, current, statements, message
):
    foreign = _foreign(tmp_path / "other.duckdb", *statements)
    with pytest.raises(NotABackup, match=message):
        backup.restore(foreign, current)
    assert _users(current) == [("ada",)]
    assert not (tmp_path / "safeplay.duckdb.before-restore").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.duckdb", "safeplay.duckdb"]


def test_a_file_that_is_not_a_database_and_one_from_a_newer_safeplay_are_refused(tmp_path, current):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4096)
    with pytest.raises(NotABackup, match="not a DuckDB database"):
        backup.restore(junk, current)
    newer = tmp_path / "newer.duckdb"
    source = Store(tmp_path / "source.duckdb")
    backup.backup(source, COMMAND_LINE, newer)
    source.close()
    newest = migrations()[-1][0]
    _foreign(newer, f"INSERT INTO schema_version VALUES ({newest + 1}, now())")
    with pytest.raises(NotABackup, match="newer SafePlay"):
        backup.restore(newer, current)
    assert _users(current) == [("ada",)]


def test_a_real_backup_passes_the_check(tmp_path, current):
    store = Store(current)
    copy = tmp_path / "copy.duckdb"
    backup.backup(store, COMMAND_LINE, copy)
    store.close()
    assert backup.check_backup(copy) == migrations()[-1][0]
    backup.restore(copy, current)
    assert _users(current) == [("ada",)]
