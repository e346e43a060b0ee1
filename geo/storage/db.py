"""The one DuckDB file behind SafePlay: opening it, loading spatial, migrating, writing.

DuckDB lets one process hold a database file for writing. Inside that process a single
connection is shared; each thread (Streamlit runs one per session) reads through its own
cursor, because a DuckDB connection is not thread-safe. Writes go through ``Store.write``,
which serialises them with a lock and wraps each in a transaction, so a failed write leaves
nothing half-done and the data version (used to invalidate cached map layers) moves only
when something was committed.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import duckdb_extension_spatial
import geopandas as gpd
import pandas as pd
import pyarrow as pa

from geo.errors import DatabaseBusy, SpatialUnavailable
from geo.storage.frames import to_geodataframe

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "safeplay.duckdb"
Params = Sequence[Any] | Mapping[str, Any] | None
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def database_path() -> Path:
    """Where the database lives: ``SAFEPLAY_DB`` if set, else ``data/safeplay.duckdb``."""
    configured = os.environ.get("SAFEPLAY_DB")
    return Path(configured) if configured else DEFAULT_DB_PATH


def spatial_extension_file() -> Path:
    """The spatial extension binary shipped by the ``duckdb-extension-spatial`` wheel.

    Loading the file directly avoids DuckDB's download at run time, which cannot work on
    machines without internet. The wheel's version must equal DuckDB's.
    """
    package_dir = Path(duckdb_extension_spatial.__file__).parent
    path = package_dir / "extensions" / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if not path.is_file():
        shipped = sorted(p.name for p in (package_dir / "extensions").glob("v*"))
        raise SpatialUnavailable(
            f"DuckDB {duckdb.__version__} needs duckdb-extension-spatial=={duckdb.__version__}; "
            f"the installed package ships {', '.join(shipped) or 'nothing'}. "
            "Reinstall from requirements.txt."
        )
    return path


def migrations() -> list[tuple[int, str]]:
    """The numbered SQL migrations in ``geo/storage/migrations``, in order."""
    found = []
    for entry in (Path(__file__).parent / "migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """An open SafePlay database: one connection, a cursor per thread, serialised writes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else database_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Spatial is loaded *before* the file is attached: after a crash DuckDB replays the
        # file's write-ahead log on opening, and entries with geometry or RTREE indexes
        # cannot be replayed without the extension (found by the crash-safety test).
        self._connection = duckdb.connect(":memory:")
        # DuckDB draws a progress bar on standard output for queries over 2 s, even into a
        # pipe: it landed inside `python -m geo coverage --format csv > file.csv` on a busy
        # machine. Cursors inherit the setting.
        self._connection.execute("SET enable_progress_bar = false")
        self._connection.execute(f"LOAD '{spatial_extension_file()}'")
        quoted = str(self.path).replace("'", "''")
        try:
            self._connection.execute(f"ATTACH '{quoted}' AS safeplay")
            self._connection.execute("USE safeplay")
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise DatabaseBusy(
                    f"{self.path} is in use by another SafePlay process (is the app running?). "
                    "Stop it, or run this command from the app's machine when it is idle."
                ) from error
            raise
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._migrate()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (created on first use)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._connection.cursor()
            cursor.execute("USE safeplay")  # each cursor starts in the in-memory catalog
            self._local.cursor = cursor
        return cursor

    @contextmanager
    def write(self, *, shown: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block of writes as one transaction, one writer at a time.

        On any exception the transaction is rolled back and the exception re-raised, so
        callers never see partial results. Nested use joins the outer transaction.
        ``shown=False`` is for bookkeeping nobody sees on a page (a session's last-seen
        time): it leaves the data version, and so every cached layer, as it was.
        """
        with self._write_lock:
            cursor = self.cursor()
            if getattr(self._local, "in_transaction", False):
                yield cursor
                return
            cursor.begin()
            self._local.in_transaction = True
            try:
                yield cursor
                if shown:
                    cursor.execute("UPDATE data_version SET version = version + 1")
                cursor.commit()
            except BaseException:
                cursor.rollback()
                raise
            finally:
                self._local.in_transaction = False

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        """A query's rows as a DataFrame: the one way every feature reads a table of rows.

        Reading through the Store, not through ``cursor().execute(...).df()`` in each
        module, keeps one place that knows how this database hands results back — the place
        a second backend (PostgreSQL) has to change.
        """
        return self.cursor().execute(sql, params).df()

    def geoframe(self, sql: str, params: Params = None) -> gpd.GeoDataFrame:
        """A query whose geometry is selected as WKB in a ``wkb`` column, as a GeoDataFrame."""
        return to_geodataframe(self.frame(sql, params))

    def row(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        """The first row of a query, or None when it finds nothing."""
        return self.cursor().execute(sql, params).fetchone()

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Every row of a query, as tuples (for small lookups, not for tables to show)."""
        return self.cursor().execute(sql, params).fetchall()

    def value(self, sql: str, params: Params = None, default: Any = None) -> Any:
        """The first column of the first row, or ``default`` when there is no row."""
        found = self.row(sql, params)
        return default if found is None else found[0]

    def data_version(self) -> int:
        """A number that changes whenever a write commits (a cache key for public layers)."""
        return int(self.value("SELECT version FROM data_version", default=0))

    def schema_version(self) -> int:
        return int(self.value("SELECT max(version) FROM schema_version") or 0)

    def snapshot_to(self, target: Path) -> None:
        """Copy the whole database, consistently, into a new file at ``target``.

        Holding the write lock means no write lands half-way through the copy; readers
        carry on. Used for backups while the app runs.
        """
        with self._write_lock:
            cursor = self.cursor()
            name = cursor.execute("SELECT current_database()").fetchone()[0]
            # ATTACH takes no parameters; the path is quoted as an SQL string literal.
            quoted = str(target).replace("'", "''")
            cursor.execute(f"ATTACH '{quoted}' AS snapshot")
            try:
                cursor.execute(f'COPY FROM DATABASE "{name}" TO snapshot')
            finally:
                cursor.execute("DETACH snapshot")

    def table_checksums(self) -> dict[str, tuple[int, str]]:
        """Rows and a content hash of every table: to prove a copy or a rollback exact."""
        cursor = self.cursor()
        tables = [
            r[0]
            for r in cursor.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "ORDER BY table_name"
            ).fetchall()
        ]
        sums = {}
        for table in tables:
            columns = [
                r[0] if r[1] != "GEOMETRY" else f"ST_AsText({r[0]})"
                for r in cursor.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() "
                    "WHERE table_name = ? AND database_name = current_database() "
                    "ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            row = cursor.execute(
                f"SELECT count(*), coalesce(sum(hash({', '.join(columns)}))::VARCHAR, '0') "  # noqa: S608 - names from the catalog
                f'FROM "{table}"'
            ).fetchone()
            sums[table] = (int(row[0]), str(row[1]))
        return sums

    def close(self) -> None:
        self._connection.close()

    def _migrate(self) -> None:
        """Apply every migration newer than the database, each in its own transaction."""
        with self._write_lock:
            cursor = self.cursor()
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
            )
            current = self.schema_version()
            for number, sql in migrations():
                if number <= current:
                    continue
                cursor.begin()
                try:
                    cursor.execute(sql)
                    cursor.execute(
                        "INSERT INTO schema_version (version, applied_at) "
                        "VALUES (?, current_timestamp)",
                        [number],
                    )
                    cursor.commit()
                except BaseException:
                    cursor.rollback()
                    raise


def next_id(cursor: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """The next number of ``sequence``, drawn inside the caller's transaction.

    A record's id is drawn before its INSERT so the same transaction can write the rows that
    point at it (audit, form token) — one place that knows how this database numbers rows.
    """
    return int(cursor.execute("SELECT nextval(?)", [sequence]).fetchone()[0])


def insert_rows(
    cursor: duckdb.DuckDBPyConnection, table: str, sequence: str, rows: pa.Table
) -> list[int]:
    """Insert an Arrow table whose ``geom`` column holds WKB; return the new ids, row by row.

    Ids are drawn from the table's sequence first, so the i-th id belongs to the i-th row
    (a parallel INSERT … RETURNING gives no such order). One set-based INSERT instead of a
    statement per row: thousands of rows take milliseconds. ``table``, ``sequence`` and the
    column names come from our own code, never from user input; values travel as data.
    """
    ids = [
        int(row[0])
        for row in cursor.execute(
            "SELECT nextval(?) FROM range(?)", [sequence, rows.num_rows]
        ).fetchall()
    ]
    rows = rows.append_column("id", pa.array(ids, pa.int32()))
    columns = rows.column_names
    select = ", ".join(
        "ST_GeomFromWKB(geom)" if name == "geom" else f'"{name}"' for name in columns
    )
    cursor.register("incoming_rows", rows)
    try:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - identifiers are ours
            f"SELECT {select} FROM incoming_rows"
        )
    finally:
        cursor.unregister("incoming_rows")
    return ids
