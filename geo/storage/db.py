"""The database behind SafePlay, whichever it is: a DuckDB file or a PostgreSQL server.

Every feature talks to a ``Store`` and never to a driver, so the same services give the same
answers on both. ``Store(location)`` opens what the location names: a
``postgresql://`` URL opens PostgreSQL + PostGIS (``postgres_backend``), anything else is a
DuckDB file (``duckdb_backend``). With no location, ``SAFEPLAY_DATABASE_URL`` chooses
PostgreSQL and otherwise ``SAFEPLAY_DB`` (or ``data/safeplay.duckdb``) is the file.

What differs between the two lives in those two modules; this one holds what both share:
the reading methods, drawing ids and bulk inserts, which ask the backend only for a cursor.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

import geopandas as gpd
import pandas as pd
import pyarrow as pa

from geo.errors import WriteConflict
from geo.storage.frames import to_geodataframe

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "safeplay.duckdb"
Params = Sequence[Any] | Mapping[str, Any] | None
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_URL = re.compile(r"^postgres(ql)?://", re.IGNORECASE)
#: Tables each store keeps for itself: what was migrated, and the cache counter.
BOOKKEEPING_TABLES = frozenset({"schema_version", "data_version"})
CONFLICT_ATTEMPTS = 3
P = ParamSpec("P")
T = TypeVar("T")


class Cursor(Protocol):
    """What services use of a cursor; DuckDB's own and ``postgres_backend.PgCursor`` have it."""

    def execute(self, sql: str, params: Params = None) -> Cursor: ...
    def fetchone(self) -> tuple[Any, ...] | None: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...
    def df(self) -> pd.DataFrame: ...


def database_path() -> Path:
    """Where the DuckDB file lives: ``SAFEPLAY_DB`` if set, else ``data/safeplay.duckdb``."""
    configured = os.environ.get("SAFEPLAY_DB")
    return Path(configured) if configured else DEFAULT_DB_PATH


def database_location() -> str:
    """The store the app, the command line and the tests open when told nothing else."""
    return os.environ.get("SAFEPLAY_DATABASE_URL") or str(database_path())


def is_postgres(location: str | Path) -> bool:
    return bool(_URL.match(str(location)))


def shown_location(location: str | Path) -> str:
    """A location fit to print or log: a URL's password becomes ``***``."""
    parts = urlsplit(str(location))
    if parts.password is None:
        return str(location)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def numbered_sql(folder: Path) -> list[tuple[int, str]]:
    """The numbered ``NNN_name.sql`` files of a folder, in order."""
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrations() -> list[tuple[int, str]]:
    """The DuckDB migrations; PostgreSQL's carry the same numbers (a test keeps them equal)."""
    return numbered_sql(Path(__file__).parent / "migrations")


class Store:
    """An open SafePlay database. ``Store(location)`` returns the backend that location names.

    Subclasses provide ``cursor``, ``write``, ``snapshot_to``, ``table_checksums``,
    ``data_version`` and ``close``; the reading methods below are written once on top.
    """

    backend = "none"
    #: A name for the store safe to show and to use as a cache key (no password in it).
    location: str
    #: The DuckDB file, or None for a server.
    path: Path | None = None

    def __new__(cls, location: str | Path | None = None, **_options: Any) -> Store:
        if cls is Store:
            chosen = database_location() if location is None else location
            if is_postgres(chosen):
                from geo.storage.postgres_backend import PostgresStore

                cls = PostgresStore
            else:
                from geo.storage.duckdb_backend import DuckStore

                cls = DuckStore
        return super().__new__(cls)

    def cursor(self) -> Cursor:
        raise NotImplementedError

    def write(self, *, shown: bool = True) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        """A query's rows as a DataFrame: the one way every feature reads a table of rows.

        Reading through the Store, not through ``cursor().execute(...).df()`` in each
        module, keeps one place that knows how a backend hands results back.
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

    def column_names(self, table: str) -> list[str]:
        """A table's columns in their order, read once from the catalogue (both databases
        answer it alike) and then kept: the schema is fixed once the store has migrated."""
        cache = self.__dict__.setdefault("_column_names", {})
        if table not in cache:
            cache[table] = [
                name
                for (name,) in self.rows(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "AND table_schema = current_schema() AND table_catalog = current_database() "
                    "ORDER BY ordinal_position",
                    [table],
                )
            ]
        return cache[table]

    def columns(self, table: str, alias: str = "", without: tuple[str, ...] = ("geom",)) -> str:
        """A table's columns but ``without``, as a select list (``alias.name, …``): the
        portable spelling of DuckDB's ``SELECT * EXCLUDE (geom)``."""
        prefix = f"{alias}." if alias else ""
        return ", ".join(
            f"{prefix}{name}" for name in self.column_names(table) if name not in without
        )

    def data_version(self) -> int:
        """A number that changes whenever a write commits (a cache key for public layers)."""
        raise NotImplementedError

    def metres_from(self, geom: str, lon: float, lat: float) -> tuple[str, dict[str, Any]]:
        """SQL for the distance in metres from the geometry ``geom`` (an SQL expression in
        longitude/latitude) to the point ``lon``/``lat``, with its parameters.

        The one measurement each database makes its own way (DuckDB in an azimuthal
        equidistant frame, PostGIS on the spheroid with ``geography``), each its database's
        own path. They agree within 6 mm on 19,897 features up to 1.5 km from a point
        (bench/README.md), so only a feature that close to the circle can fall either side.
        The parameters' names start with ``centre_``.
        """
        raise NotImplementedError

    def schema_version(self) -> int:
        return int(self.value("SELECT max(version) FROM schema_version") or 0)

    def table_names(self) -> list[str]:
        """SafePlay's tables, by name (what a copy or a checksum walks)."""
        raise NotImplementedError

    def table_checksums(self) -> dict[str, tuple[int, str]]:
        """Rows and a content hash of every table: to prove a copy or a rollback exact.

        The hashes are the database's own, so they compare two stores of the same kind only;
        ``geo.io.moving.fingerprints`` compares across kinds.
        """
        raise NotImplementedError

    def read_tables(
        self, tables: Sequence[str], rows_per_batch: int
    ) -> Iterator[tuple[str, pa.Table]]:
        """Every row of ``tables`` as Arrow batches (``geom`` as WKB), from one snapshot.

        One snapshot, so a copy taken while the app writes is still the database of one
        moment. Tables are read in the order given; an empty table yields no batch.
        """
        raise NotImplementedError

    def sequence_values(self) -> dict[str, int]:
        """The last number each id sequence gave out (0 for one never used)."""
        raise NotImplementedError

    def continue_sequences(self, cursor: Cursor, values: Mapping[str, int]) -> None:
        """Inside a write: make each sequence give ``values[name] + 1`` next.

        A sequence already past its value stays where it is (a DuckDB sequence cannot go
        back), which only leaves a gap in the numbers.
        """
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def retry_on_conflict(operation: Callable[P, T]) -> Callable[P, T]:
    """Run a whole write again when it lost a race with another replica's (``WriteConflict``).

    A transaction that lost is rolled back whole, so running it again is safe; the second run
    sees the winner's row (a form's token already used, say) and answers from it. DuckDB's
    one writer never loses such a race; PostgreSQL's several replicas can.
    """

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                return operation(*args, **kwargs)
            except WriteConflict:
                if attempt == CONFLICT_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    return run


def take_turns(cursor: Cursor, name: str) -> None:
    """Make the writes that say the same ``name`` run one after another until they commit.

    For an invariant over several rows that no single row's lock or key protects — "one
    administrator remains" read, then changed — two replicas could each read the other's
    row unchanged and both go ahead. DuckDB's one writer already takes turns; PostgreSQL
    holds a transaction-scoped advisory lock (``PgCursor.take_turns``).
    """
    wait = getattr(cursor, "take_turns", None)
    if wait is not None:
        wait(name)


def next_id(cursor: Cursor, sequence: str) -> int:
    """The next number of ``sequence``, drawn inside the caller's transaction.

    A record's id is drawn before its INSERT so the same transaction can write the rows that
    point at it (audit, form token) — one place that knows how a database numbers rows.
    """
    return int(cursor.execute("SELECT nextval(?)", [sequence]).fetchone()[0])


def next_ids(cursor: Cursor, sequence: str, count: int) -> list[int]:
    """``count`` numbers of ``sequence`` in order, in one statement both databases accept."""
    found = cursor.execute(
        "SELECT nextval(?) FROM generate_series(1, ?) ORDER BY 1", [sequence, count]
    ).fetchall()
    return [int(row[0]) for row in found]


def insert_rows(cursor: Cursor, table: str, sequence: str, rows: pa.Table) -> list[int]:
    """Insert an Arrow table whose ``geom`` column holds WKB; return the new ids, row by row.

    Ids are drawn from the table's sequence first, so the i-th id belongs to the i-th row
    (a parallel INSERT … RETURNING gives no such order). The rows then travel in one bulk
    operation of the backend's own (Arrow on DuckDB, COPY on PostgreSQL): thousands of rows
    take milliseconds. ``table``, ``sequence`` and the column names come from our own code.
    """
    ids = next_ids(cursor, sequence, rows.num_rows) if rows.num_rows else []
    bulk_insert(cursor, table, rows.append_column("id", pa.array(ids, pa.int32())))
    return ids


def bulk_insert(cursor: Cursor, table: str, rows: pa.Table) -> None:
    """Insert an Arrow table as it is (its ``geom`` column WKB) in the backend's bulk way:
    Arrow on DuckDB, COPY on PostgreSQL. ``table`` and the column names are ours."""
    bulk = getattr(cursor, "copy_rows", None)
    if bulk is not None:
        bulk(table, rows)
    else:
        from geo.storage.duckdb_backend import insert_arrow

        insert_arrow(cursor, table, rows)


def select_list(names: Sequence[str], wkb: str) -> str:
    """The columns ``names`` for a bulk read, the geometry as WKB through ``wkb`` (the
    backend's function name), so every store hands geometry over in the same form."""
    return ", ".join(f"{wkb}(geom) AS geom" if name == "geom" else f'"{name}"' for name in names)
