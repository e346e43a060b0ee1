import subprocess
import sys

import pytest

from geo.storage.db import Store, migrations


def test_new_database_is_migrated_to_the_latest_schema(store):
    assert store.schema_version() == migrations()[-1][0]
    tables = set(store.table_names())
    assert {"areas", "places", "initiatives", "status_changes", "place_areas"} <= tables


def test_reopening_does_not_reapply_migrations(tmp_path):
    first = Store(tmp_path / "x.duckdb")
    first.close()
    again = Store(tmp_path / "x.duckdb")
    rows = again.cursor().execute("SELECT count(*) FROM schema_version").fetchone()
    assert rows[0] == len(migrations())


def test_every_geometry_column_has_a_spatial_index(store):
    """RTREE on DuckDB, GiST on PostGIS: the filters by shape and by ward need them."""
    if store.backend == "duckdb":
        indexes = store.rows("SELECT table_name, sql FROM duckdb_indexes()")
        kind = "RTREE"
    else:
        indexes = store.rows(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'safeplay'"
        )
        kind = "USING GIST"
    spatial = {table for table, sql in indexes if kind in sql.upper()}
    assert {"areas", "places", "initiatives", "events"} <= spatial


def test_failed_write_leaves_nothing_and_keeps_the_data_version(store):
    before = store.data_version()
    with pytest.raises(RuntimeError), store.write() as cursor:
        cursor.execute(
            "INSERT INTO areas (level, code, name, source, geom) "
            "VALUES ('ward', 'W1', 'A', 't', ST_Point(0, 0))"
        )
        raise RuntimeError("boom")
    assert store.cursor().execute("SELECT count(*) FROM areas").fetchone()[0] == 0
    assert store.data_version() == before


def test_committed_write_moves_the_data_version(store):
    before = store.data_version()
    with store.write() as cursor:
        cursor.execute(
            "INSERT INTO areas (level, code, name, source, geom) "
            "VALUES ('ward', 'W1', 'A', 't', ST_Point(0, 0))"
        )
    assert store.data_version() == before + 1


def test_second_process_is_told_the_database_is_in_use(tmp_path):
    store = Store(tmp_path / "held.duckdb")  # a file's lock: DuckDB only
    code = (
        "import sys\n"
        "from geo.storage.db import Store\n"
        "from geo.errors import DatabaseBusy\n"
        f"try:\n    Store({str(store.path)!r})\n"
        "except DatabaseBusy as e:\n    print('BUSY', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("BUSY") and "in use" in out.stdout


def test_writes_from_any_thread_reach_the_file(tmp_path):
    """Every cursor works in the attached file, not in DuckDB's in-memory default catalog."""
    import threading

    from geo.storage.db import Store

    path = tmp_path / "threads.duckdb"
    store = Store(path)

    def write() -> None:
        with store.write() as cursor:
            cursor.execute("UPDATE data_version SET version = 41")

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    store.close()
    reopened = Store(path)
    assert reopened.data_version() == 42  # 41, then the commit's own bump
    reopened.close()


def test_upgrading_copies_each_initiatives_status_onto_its_ward_membership(tmp_path, monkeypatch):
    """A database made before migration 007 keeps answering ward filters after upgrading."""
    import geo.storage.duckdb_backend

    everything = migrations()
    monkeypatch.setattr(geo.storage.duckdb_backend, "migrations", lambda: everything[:6])
    old = Store(tmp_path / "old.duckdb")
    with old.write() as cursor:
        cursor.execute(
            "INSERT INTO areas (level, code, name, source, geom) "
            "VALUES ('ward', 'W', 'West', 'test', ST_MakeEnvelope(0, 0, 1, 1))"
        )
        cursor.execute(
            "INSERT INTO initiatives (title, summary, kind, status, proposer, updated_at, geom) "
            "VALUES ('Play street', 'Sundays', 'event', 'approved', 'Residents', "
            "TIMESTAMP '2026-05-01 10:00', ST_Point(0.5, 0.5))"
        )
        cursor.execute("INSERT INTO initiative_areas SELECT i.id, a.id FROM initiatives i, areas a")
    old.close()
    monkeypatch.setattr(geo.storage.duckdb_backend, "migrations", lambda: everything)
    upgraded = Store(tmp_path / "old.duckdb")
    copied = upgraded.cursor().execute("SELECT status, updated_at FROM initiative_areas").fetchall()
    assert [(status, str(when)) for status, when in copied] == [("approved", "2026-05-01 10:00:00")]
