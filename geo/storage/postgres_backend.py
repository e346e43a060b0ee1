"""The store beyond one process: PostgreSQL 15+ with PostGIS 3, shared by several replicas.

Chosen by a ``postgresql://`` location (``SAFEPLAY_DATABASE_URL``). The services' SQL is
written once, in DuckDB's dialect with ``?`` and ``$name`` parameters; this module is the
one place that knows PostgreSQL:

- ``translate`` turns the placeholders into psycopg's (``%s``, ``%(name)s``), and the
  functions DuckDB names differently exist in the schema ``safeplay_compat``
  (migrations_pg/compat.sql), first on each connection's search path;
- geometry columns are ``geometry(…, 4326)`` with GiST indexes (migrations_pg/);
- bulk inserts travel by COPY;
- correctness across replicas comes from the database, not from a lock in one process:
  each ``write`` is one transaction on a pooled connection, migrations run under an
  advisory lock, and the data version is spread over 16 rows so that writers on several
  replicas do not queue on one row (the version is their sum, read afresh on every rerun).
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import shapely
from psycopg import postgres
from psycopg.types.numeric import FloatLoader, Int8Dumper
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.errors import DatabaseUnavailable, WriteConflict
from geo.i18n import t
from geo.storage.db import (
    Params,
    Store,
    database_location,
    migrations,
    numbered_sql,
    select_list,
    shown_location,
)

MIGRATIONS = Path(__file__).parent / "migrations_pg"
#: SafePlay's tables live in the schema ``safeplay`` (the first on the path, so CREATE TABLE
#: lands there), DuckDB's function names in ``safeplay_compat``, PostGIS in ``public``.
SEARCH_PATH = "safeplay,safeplay_compat,public"
DATA_VERSION_SLOTS = 16
#: Connections per process: Streamlit runs a thread per session, and a read holds one only
#: while its statement runs, a write for its transaction.
POOL_SIZE = 10
#: How long a statement waits for a free connection before the person is told to retry.
POOL_WAIT_SECONDS = 30
#: The key of the advisory lock that lets one replica migrate while the others wait.
MIGRATION_LOCK = 0x5AFE_0001
_DATE_TYPES = {"date", "timestamp", "timestamptz"}
_INT_TYPES = {"int2", "int4", "int8"}
#: DuckDB's DDL words and PostgreSQL's: text, doubles, geometry in EPSG:4326 (PostGIS then
#: refuses any other SRID in the column), GiST for RTREE, an empty array literal.
_DDL_RULES = [
    (re.compile(r"\bVARCHAR\b"), "TEXT"),
    (re.compile(r"\bDOUBLE\b(?! PRECISION)"), "DOUBLE PRECISION"),
    (re.compile(r"\bGEOMETRY\b"), "geometry(Geometry, 4326)"),
    (re.compile(r"\bUSING RTREE\b"), "USING GIST"),
    (re.compile(r"DEFAULT \[\]"), "DEFAULT '{}'"),
]
_TOKENS = re.compile(
    r"'(?:[^']|'')*'"  # a string literal
    r'|"(?:[^"]|"")*"'  # a quoted identifier
    r"|--[^\n]*"  # a comment
    r"|\?|\$[A-Za-z_]\w*|%",
)


def to_postgres(ddl: str) -> str:
    """A DuckDB migration spelled for PostgreSQL + PostGIS, rule by rule (``_DDL_RULES``)."""
    for pattern, spelling in _DDL_RULES:
        ddl = pattern.sub(spelling, ddl)
    return ddl


def pg_migrations() -> list[tuple[int, str]]:
    """The DuckDB migrations as PostgreSQL runs them: each translated by ``to_postgres``,
    followed by PostgreSQL's own addition of the same number in ``migrations_pg/``, if any.
    A migration is written once; a test compares the two schemas it gives."""
    additions = dict(numbered_sql(MIGRATIONS))
    return [
        (number, to_postgres(sql) + ("\n" + additions[number] if number in additions else ""))
        for number, sql in migrations()
    ]


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """DuckDB's placeholders as psycopg's: ``?`` → ``%s``, ``$name`` → ``%(name)s``.

    Inside string literals, quoted names and comments ``?`` and ``$name`` are text and stay;
    every ``%`` is doubled, there too, because psycopg reads each one as a placeholder
    wherever it stands (a check-in's ``'%)'`` in the timeline failed on PostgreSQL).
    """

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        if found == "?":
            return "%s"
        if found == "%":
            return "%%"
        if found.startswith("$"):
            return f"%({found[1:]})s"
        return found.replace("%", "%%")

    return _TOKENS.sub(swap, sql)


def _plain(value: Any) -> Any:
    """A parameter as psycopg adapts it: sets and tuples as lists, NumPy scalars as Python's."""
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _params(params: Params) -> Any:
    if params is None:
        return None
    if isinstance(params, Mapping):
        return {key: _plain(value) for key, value in params.items()}
    return [_plain(value) for value in params]


def _column(values: list[Any], type_name: str) -> Any:
    """One result column with the dtype DuckDB's ``df()`` gives, so pages read both alike."""
    if type_name in _DATE_TYPES:
        return pd.to_datetime(pd.Series(values, dtype=object), utc=type_name == "timestamptz")
    if type_name in _INT_TYPES:
        column = pd.array(values, dtype="Int64")
        return column if column.isna().any() else column.astype("int64")
    if type_name == "bool":
        column = pd.array(values, dtype="boolean")
        return column if column.isna().any() else column.astype(bool)
    if type_name in {"float4", "float8", "numeric"}:
        return pd.array([np.nan if v is None else v for v in values], dtype="float64")
    return pd.Series(values, dtype=object)


def _type_name(oid: int) -> str:
    """A result column's type by name; only built-in types change how a column is read, and
    psycopg knows those without asking the server (a question would need a connection)."""
    known = postgres.types.get(oid)
    if known is None:
        return "other"
    return known.name if known.oid == oid else f"{known.name}[]"  # psycopg files arrays too


class PgCursor:
    """DuckDB's cursor manners on PostgreSQL: ``execute(...)`` returns the cursor, results
    are held until fetched, ``df()`` gives a DataFrame.

    Outside a write the statement runs on a pooled connection that goes straight back
    (autocommit), so a page that reads and never writes holds no connection between reruns.
    Inside ``Store.write`` it runs on that block's connection, inside its transaction.
    """

    def __init__(self, store: PostgresStore, connection: psycopg.Connection | None) -> None:
        self._store = store
        self._connection = connection
        self._names: list[str] = []
        self._types: list[str] = []
        self._rows: list[tuple[Any, ...]] | None = None
        self.rowcount = -1

    def execute(self, sql: str, params: Params = None) -> PgCursor:
        query = translate(sql) if params is not None else sql
        if self._connection is not None:
            self._run(self._connection, query, _params(params))
        else:
            with self._store.connection() as connection:
                self._run(connection, query, _params(params))
        return self

    def executemany(self, sql: str, rows: list[Params]) -> PgCursor:
        """One statement for many rows, inside the caller's write."""
        if self._connection is None:
            raise RuntimeError("executemany runs inside Store.write")
        with self._connection.cursor() as cursor:
            cursor.executemany(translate(sql), [_params(row) for row in rows])
        return self

    def _run(self, connection: psycopg.Connection, query: str, params: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            self.rowcount = cursor.rowcount
            if cursor.description is None:
                self._names, self._types, self._rows = [], [], None
                return
            self._names = [column.name for column in cursor.description]
            self._types = [_type_name(column.type_code) for column in cursor.description]
            self._rows = cursor.fetchall()

    def fetchone(self) -> tuple[Any, ...] | None:
        if not self._rows:
            return None
        return self._rows.pop(0)

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows or [], []
        return rows

    def df(self) -> pd.DataFrame:
        rows = self.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in self._names]
        return pd.DataFrame(
            {
                name: _column(list(values), type_name)
                for name, type_name, values in zip(self._names, self._types, columns, strict=True)
            }
        )

    def take_turns(self, name: str) -> None:
        """Wait for, then hold until commit, the advisory lock named ``name``."""
        self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [name])

    def copy_rows(self, table: str, rows: pa.Table) -> None:
        """Bulk insert by COPY (the ``geom`` column's WKB as EWKB with SRID 4326)."""
        columns = rows.column_names
        data = rows.to_pydict()
        if "geom" in data:
            shapes = shapely.set_srid(shapely.from_wkb(data["geom"]), 4326)
            data["geom"] = shapely.to_wkb(shapes, hex=True, include_srid=True).tolist()
        quoted = ", ".join(f'"{name}"' for name in columns)
        if self._connection is None:
            raise RuntimeError("copy_rows runs inside Store.write")
        with (
            self._connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for values in zip(*(data[name] for name in columns), strict=True):
                copy.write_row(values)


class PostgresStore(Store):
    """A PostgreSQL + PostGIS database: a pool of connections, one transaction per write."""

    backend = "postgresql"

    def __init__(self, url: str | None = None, *, pool_size: int = POOL_SIZE) -> None:
        self.url = str(url or database_location())
        self.location = shown_location(self.url)
        self._local = threading.local()
        try:  # one plain attempt first: a pool would retry quietly until its timeout
            psycopg.connect(self.url, connect_timeout=5).close()
        except psycopg.OperationalError as error:
            raise DatabaseUnavailable(
                f"PostgreSQL at {self.location} does not answer. Check that it runs and that "
                "the address, user and password in SAFEPLAY_DATABASE_URL are right."
            ) from error
        self._pool = ConnectionPool(
            self.url,
            min_size=1,
            max_size=pool_size,
            kwargs={
                "autocommit": True,
                # JIT compiling took 35-65 ms of a workspace filter's 100-300 ms at 1M
                # features (bench/README.md) and pays only for long analytic queries.
                "options": f"-c search_path={SEARCH_PATH} -c TimeZone=UTC -c jit=off",
            },
            configure=_configure,
            # A connection idle in the pool while the server restarted is dead; without a
            # check the next person on this replica was told "not answering" by a server
            # that was back (an empty query each time a connection is lent out).
            check=ConnectionPool.check_connection,
            timeout=POOL_WAIT_SECONDS,
            open=False,
            name="safeplay",
        )
        self._pool.open(wait=True, timeout=10)
        self._migrate()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection. A lost race (serialisation failure, deadlock, a unique key
        taken meanwhile) reads as ``WriteConflict``; a server gone away as
        ``DatabaseUnavailable``. Either way the transaction was rolled back whole."""
        try:
            with self._pool.connection() as connection:
                yield connection
        except (psycopg.errors.TransactionRollback, psycopg.errors.UniqueViolation) as error:
            raise WriteConflict(
                "another change was saved at the same moment, so nothing of yours was saved; "
                "please try again"
            ) from error
        except (PoolTimeout, psycopg.OperationalError) as error:
            raise DatabaseUnavailable(  # a page shows it: in the reader's language
                t(
                    "The database is not answering at the moment; nothing was saved. "
                    "Please try again in a minute."
                )
            ) from error

    def cursor(self) -> PgCursor:
        return PgCursor(self, getattr(self._local, "connection", None))

    @contextmanager
    def write(self, *, shown: bool = True) -> Iterator[PgCursor]:
        """Run a block of writes as one transaction; nested use joins the outer one.

        Any exception rolls the whole block back. A visible write bumps one of the data
        version's rows, chosen at random, in the same transaction.
        """
        held = getattr(self._local, "connection", None)
        if held is not None:
            yield PgCursor(self, held)
            return
        with self.connection() as connection:
            self._local.connection = connection
            try:
                with connection.transaction():
                    cursor = PgCursor(self, connection)
                    yield cursor
                    if shown:
                        cursor.execute(
                            "UPDATE data_version SET version = version + 1 WHERE slot = ?",
                            [random.randrange(DATA_VERSION_SLOTS)],  # noqa: S311 - spreading, not secrecy
                        )
            finally:
                self._local.connection = None

    def data_version(self) -> int:
        return int(self.value("SELECT coalesce(sum(version), 0) FROM data_version", default=0))

    def metres_from(self, geom: str, lon: float, lat: float) -> tuple[str, dict[str, Any]]:
        """On the WGS 84 spheroid through ``geography``: PostGIS's own way to metres, as
        plain PostGIS's radius query measures, with no PROJ pipeline per candidate."""
        sql = f"ST_Distance({geom}::geography, ST_Point($centre_lon, $centre_lat)::geography)"
        return sql, {"centre_lon": lon, "centre_lat": lat}

    def table_names(self) -> list[str]:
        return [
            name
            for (name,) in self.rows(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'safeplay' AND table_type = 'BASE TABLE' "
                "ORDER BY table_name"
            )
        ]

    def table_checksums(self) -> dict[str, tuple[int, str]]:
        """Rows and an md5 of every table's rows in order (geometry as text)."""
        sums = {}
        for table in self.table_names():
            columns = [
                f"ST_AsText({name})" if kind == "USER-DEFINED" else name
                for name, kind in self.rows(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'safeplay' AND table_name = ? ORDER BY ordinal_position",
                    [table],
                )
            ]
            row_text = f"concat_ws('|', {', '.join(f'{c}::text' for c in columns)})"
            found = self.row(
                f"SELECT count(*), coalesce(md5(string_agg({row_text}, E'\\n' "  # noqa: S608 - names from the catalog
                f"ORDER BY {row_text})), '0') FROM \"{table}\""
            )
            sums[table] = (int(found[0]), str(found[1]))
        return sums

    def read_tables(
        self, tables: Sequence[str], rows_per_batch: int
    ) -> Iterator[tuple[str, pa.Table]]:
        """In one REPEATABLE READ transaction (one snapshot, however long the copy takes and
        whoever writes meanwhile), through a server-side cursor per table, so a table of a
        million rows never sits in memory at once."""
        with self.connection() as connection, connection.transaction():
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for table in tables:
                names = self.column_names(table)
                select = select_list(names, "ST_AsBinary")
                with connection.cursor(name="safeplay_read_tables") as cursor:
                    cursor.execute(f'SELECT {select} FROM "{table}"')  # noqa: S608 - names from the catalog
                    while found := cursor.fetchmany(rows_per_batch):
                        columns = zip(*found, strict=True)
                        yield table, pa.table(dict(zip(names, map(pa.array, columns), strict=True)))

    def sequence_values(self) -> dict[str, int]:
        return dict(
            self.rows(
                "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
                "WHERE schemaname = 'safeplay'"
            )
        )

    def continue_sequences(self, cursor: PgCursor, values: Mapping[str, int]) -> None:
        current = self.sequence_values()
        for name, last in values.items():
            if last > current[name]:
                cursor.execute("SELECT setval(?, ?)", [name, last])

    def close(self) -> None:
        self._pool.close()

    def _migrate(self) -> None:
        """Bring the database to the newest schema; replicas starting together take turns.

        The advisory lock is held on one connection for the whole run, so a second replica
        waits, then finds nothing left to do. Each migration is one transaction.
        """
        with self.connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
            try:
                _ensure_postgis(connection, self.location)
                connection.execute("CREATE SCHEMA IF NOT EXISTS safeplay")
                connection.execute((MIGRATIONS / "compat.sql").read_text(encoding="utf-8"))
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    " version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
                )
                current = connection.execute(
                    "SELECT coalesce(max(version), 0) FROM schema_version"
                ).fetchone()[0]
                for number, sql in pg_migrations():
                    if number <= current:
                        continue
                    with connection.transaction():
                        connection.execute(sql)
                        connection.execute(
                            "INSERT INTO schema_version (version, applied_at) "
                            "VALUES (%s, current_timestamp)",
                            [number],
                        )
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])


def _configure(connection: psycopg.Connection) -> None:
    """Every pooled connection: ints as bigint (so lists of them are ``bigint[]``, which the
    compat functions take) and NUMERIC as float (DuckDB's ``df()`` gives floats too)."""
    connection.adapters.register_dumper(int, Int8Dumper)
    connection.adapters.register_loader("numeric", FloatLoader)


def _ensure_postgis(connection: psycopg.Connection, location: str) -> None:
    if connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
        return
    try:
        connection.execute("CREATE EXTENSION postgis")
    except psycopg.errors.InsufficientPrivilege as error:
        raise DatabaseUnavailable(
            f"PostGIS is not enabled in {location} and this user may not enable it. "
            "Ask the database's administrator to run: CREATE EXTENSION postgis;"
        ) from error
