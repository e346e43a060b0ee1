"""The embedded store: one DuckDB file, opened by one process (SafePlay's default).

DuckDB lets one process hold a database file for writing. Inside that process a single
connection is shared; each thread (Streamlit runs one per session) reads through its own
cursor, because a DuckDB connection is not thread-safe. Writes go through ``Store.write``,
which serialises them with a lock and wraps each in a transaction, so a failed write leaves
nothing half-done and the data version (used to invalidate cached map layers) moves only
when something was committed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import duckdb_extension_spatial
import pyarrow as pa

from geo.errors import DatabaseBusy, SpatialUnavailable
from geo.geometry import local_crs
from geo.storage.db import Store, database_path, migrations, select_list


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


class DuckStore(Store):
    """A DuckDB file: one connection, a cursor per thread, serialised writes."""

    backend = "duckdb"

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else database_path()
        self.location = str(self.path)
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
        # Every commit is checkpointed at once, so the log holds nothing after it. DuckDB
        # 1.5 replays a logged UPDATE of a table with an RTREE index (initiatives: any
        # decision) but then cannot checkpoint it ("requires a flat vector"): after a kill
        # or crash the first checkpoint invalidated the database and the app hung.
        self._connection.execute("SET checkpoint_threshold = '0b'")
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

    def data_version(self) -> int:
        return int(self.value("SELECT version FROM data_version", default=0))

    def metres_from(self, geom: str, lon: float, lat: float) -> tuple[str, dict[str, Any]]:
        """In the azimuthal equidistant frame centred on the point (``local_crs``, the same
        as ``LocalFrame``'s), where the distance from the centre is the true one."""
        sql = (
            f"ST_Distance(ST_Transform({geom}, 'EPSG:4326', $centre_frame, always_xy := true), "
            "ST_Point(0, 0))"
        )
        return sql, {"centre_frame": local_crs(lon, lat)}

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

    def table_names(self) -> list[str]:
        return [
            name
            for (name,) in self.rows(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "ORDER BY table_name"
            )
        ]

    def table_checksums(self) -> dict[str, tuple[int, str]]:
        cursor = self.cursor()
        sums = {}
        for table in self.table_names():
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

    def read_tables(
        self, tables: Sequence[str], rows_per_batch: int
    ) -> Iterator[tuple[str, pa.Table]]:
        """Under the write lock (no write of this process lands meanwhile), in one read
        transaction on a cursor of its own."""
        with self._write_lock:
            cursor = self._connection.cursor()
            cursor.execute("USE safeplay")
            cursor.begin()
            try:
                for table in tables:
                    select = select_list(self.column_names(table), "ST_AsWKB")
                    found = cursor.execute(f'SELECT {select} FROM "{table}"')  # noqa: S608 - names from the catalog
                    for batch in found.to_arrow_reader(rows_per_batch):
                        if batch.num_rows:
                            yield table, pa.Table.from_batches([batch])
            finally:
                cursor.rollback()
                cursor.close()

    def sequence_values(self) -> dict[str, int]:
        """Read from the ``START n`` of each sequence's own definition, which DuckDB keeps
        at the next number to give out. ``last_value`` cannot be trusted: once the file has
        been reopened it reports that next number, not the last one (DuckDB 1.5.5)."""
        return dict(
            self.rows(
                "SELECT sequence_name, "
                "CAST(regexp_extract(sql, 'START (-?[0-9]+)', 1) AS BIGINT) - increment_by "
                "FROM duckdb_sequences() WHERE database_name = current_database()"
            )
        )

    def continue_sequences(
        self, cursor: duckdb.DuckDBPyConnection, values: Mapping[str, int]
    ) -> None:
        """DuckDB has no ``setval``: the missing numbers are drawn, in one statement each."""
        current = self.sequence_values()
        for name, last in values.items():
            missing = last - current[name]
            if missing > 0:
                cursor.execute(
                    "SELECT max(nextval(?)) FROM generate_series(1, ?)", [name, missing]
                ).fetchone()

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


def insert_arrow(cursor: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """One set-based INSERT from an Arrow table (its ``geom`` column WKB), without a copy."""
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
