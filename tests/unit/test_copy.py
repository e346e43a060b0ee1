"""Moving an installation: DuckDB → PostgreSQL → DuckDB keeps every row, id and answer.

The demo town is given a voice (lists, doubles, nulls), an event (a point) and a session
first, so the tables the demo leaves empty are copied with something in them too.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import shapely

from geo.accountability.events import post_event
from geo.accounts import sessions
from geo.accounts.auth import load_actor
from geo.cli import main
from geo.errors import CopyFailed, CopyRefused
from geo.io import moving
from geo.io.backup import check_backup
from geo.io.moving import copy_store, fingerprints
from geo.permissions import COMMAND_LINE
from geo.proposals import timeline
from geo.registry.areas import area_stats
from geo.registry.places import PlaceRecord, add_places
from geo.safeguarding.voices import submit_voice
from geo.storage.db import Store, migrations
from tests.stores import POSTGRESQL, Places

NOW = datetime(2026, 12, 2, 10, 30)


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Places]:
    """Empty PostgreSQL databases on one throwaway cluster (skips where none can start)."""
    made = Places(POSTGRESQL, tmp_path_factory.mktemp("copy-pg"))
    yield made
    made.stop()


@pytest.fixture(scope="module")
def town(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo file plus a voice, an event and a session (closed, to be copied)."""
    path = tmp_path_factory.mktemp("copy-town") / "town.duckdb"
    shutil.copy(demo_db_file, path)
    store = Store(path)
    leader_id = store.value("SELECT id FROM users WHERE role = 'leader'")
    lon, lat = store.row(
        "SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM areas "
        "WHERE level = 'ward' ORDER BY id LIMIT 1"
    )
    submit_voice(store, "More swings near the river please", NOW, lon=lon, lat=lat)
    post_event(
        store,
        load_actor(store, leader_id),
        "Play day",
        "play_day",
        NOW,
        None,
        "Leo",
        -1.5,
        52.2,
        NOW,
    )
    sessions.create(store, leader_id, NOW)
    store.close()
    return path


@pytest.fixture
def source(town: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "source.duckdb"
    shutil.copy(town, path)
    opened = Store(path)
    yield opened
    opened.close()


def _fingerprints_at(location: str) -> dict[str, tuple[int, str]]:
    opened = Store(location)
    try:
        return fingerprints(opened)
    finally:
        opened.close()


def _answers(store: Store) -> dict[str, object]:
    """What people read, asked through the services: it must not change with the store."""
    ids = [row[0] for row in store.rows("SELECT id FROM initiatives ORDER BY id")]
    return {
        "wards": area_stats(store),
        "timelines": {i: timeline.for_initiative(store, i).to_dict("records") for i in ids},
        "audit": store.rows(
            f"SELECT {store.columns('status_changes')} FROM status_changes ORDER BY id"
        ),
        "users": store.rows("SELECT id, login, role FROM users ORDER BY id"),
    }


def test_duckdb_to_postgresql_and_back_keeps_every_row_id_and_answer(source, pg, tmp_path):
    before = fingerprints(source)
    assert before["voices"][0] == before["events"][0] == before["sessions"][0] == 1
    url = pg.new("moved")
    to_pg = copy_store(source, COMMAND_LINE, url)
    assert to_pg == before

    on_pg = Store(url)
    back_file = tmp_path / "back.duckdb"
    back = copy_store(on_pg, COMMAND_LINE, str(back_file))
    assert back == before
    on_file = Store(back_file)
    try:
        expected = _answers(source)
        assert _answers(on_pg) == expected
        assert _answers(on_file) == expected
        assert on_pg.sequence_values() == on_file.sequence_values() == source.sequence_values()
    finally:
        on_pg.close()
        on_file.close()
        pg.drop(url)


def test_the_next_record_after_a_copy_gets_the_next_number(source, pg, tmp_path):
    last_place = source.value("SELECT max(id) FROM places")
    last_voice = source.value("SELECT max(id) FROM voices")
    url = pg.new("numbers")
    copy_store(source, COMMAND_LINE, url)
    back_file = tmp_path / "back.duckdb"
    on_pg = Store(url)
    copy_store(on_pg, COMMAND_LINE, str(back_file))
    for target in (on_pg, Store(back_file)):
        try:
            (place_id,) = add_places(
                target,
                COMMAND_LINE,
                [PlaceRecord("New park", "playground", shapely.Point(-1.5, 52.2), "test")],
            )
            assert place_id == last_place + 1
            assert submit_voice(target, "A bench by the slide", NOW) == last_voice + 1
        finally:
            target.close()
    pg.drop(url)


def test_a_target_holding_data_is_refused_and_left_alone(source, pg):
    url = pg.new("full")
    copy_store(source, COMMAND_LINE, url)
    held = _fingerprints_at(url)
    with pytest.raises(CopyRefused, match="already holds data"):
        copy_store(source, COMMAND_LINE, url)
    assert _fingerprints_at(url) == held
    pg.drop(url)


def test_a_source_behind_the_newest_schema_is_refused_before_the_target_exists(source, tmp_path):
    with source.write() as cursor:
        cursor.execute("DELETE FROM schema_version WHERE version = ?", [migrations()[-1][0]])
    target = tmp_path / "never.duckdb"
    with pytest.raises(CopyRefused, match="schema version"):
        copy_store(source, COMMAND_LINE, str(target))
    assert not target.exists()


@pytest.mark.parametrize("kind", ["duckdb", "postgresql"])
def test_a_failure_part_way_leaves_the_target_empty(source, pg, tmp_path, monkeypatch, kind):
    location = str(tmp_path / "target.duckdb") if kind == "duckdb" else pg.new("failed")
    real_insert = moving.bulk_insert
    written = []

    def failing(cursor, table, rows):
        if table == "status_changes":
            raise RuntimeError("the disk is full")
        real_insert(cursor, table, rows)
        written.append(table)

    monkeypatch.setattr(moving, "bulk_insert", failing)
    with pytest.raises(RuntimeError, match="disk is full"):
        copy_store(source, COMMAND_LINE, location)
    assert "areas" in written and "places" in written  # it did fail part-way
    target = Store(location)
    try:
        assert all(rows == 0 for rows, _ in fingerprints(target).values())
        assert set(target.sequence_values().values()) == {0}
    finally:
        target.close()
    monkeypatch.setattr(moving, "bulk_insert", real_insert)
    assert copy_store(source, COMMAND_LINE, location) == fingerprints(source)  # still a fit target
    pg.drop(location)


def test_a_copy_that_differs_from_its_source_is_reported(source, tmp_path, monkeypatch):
    real_insert = moving.bulk_insert

    def losing_a_row(cursor, table, rows):
        real_insert(cursor, table, rows.slice(0, rows.num_rows - 1) if table == "places" else rows)

    monkeypatch.setattr(moving, "bulk_insert", losing_a_row)
    with pytest.raises(CopyFailed, match=r"differs from .* in places;"):
        copy_store(source, COMMAND_LINE, str(tmp_path / "short.duckdb"))


def test_fingerprints_change_with_one_value_and_only_for_its_table(source, tmp_path):
    before = fingerprints(source)
    with source.write() as cursor:
        cursor.execute("UPDATE places SET name = name || '.' WHERE id = 1")
    after = fingerprints(source)
    assert [table for table in before if before[table] != after[table]] == ["places"]
    assert after["places"][0] == before["places"][0]


def test_cli_copies_and_never_prints_the_password(source, pg, tmp_path, capsys):
    path = source.path
    source.close()
    url = pg.new("cli").replace("postgres@", "postgres:s3cret-word@")
    assert main(["copy", "--from", str(path), "--to", url]) == 0
    out, err = capsys.readouterr()
    assert "verified" in out and "status_changes" in out
    assert "s3cret-word" not in out + err and ":***@" in out
    assert main(["copy", "--from", str(path), "--to", url]) == 1
    out, err = capsys.readouterr()
    assert "already holds data" in err and "s3cret-word" not in out + err
    pg.drop(url)


def test_backup_of_postgresql_is_a_duckdb_file_restore_accepts(
    source, pg, tmp_path, monkeypatch, capsys
):
    url = pg.new("backed")
    expected = copy_store(source, COMMAND_LINE, url)
    monkeypatch.setenv("SAFEPLAY_DATABASE_URL", url)
    target = tmp_path / "backup.duckdb"
    assert main(["backup", str(target)]) == 0
    assert check_backup(target) == migrations()[-1][0]
    assert _fingerprints_at(str(target)) == expected
    assert main(["restore", str(target)]) == 1
    assert "copy --from" in capsys.readouterr().err
    pg.drop(url)
