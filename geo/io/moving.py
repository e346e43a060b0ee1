"""Moving an installation between stores: DuckDB file to PostgreSQL and back.

``copy_store`` writes every table of one store into a new, empty one, keeping every id, and
sets each id sequence where the source's stands, so the next record is numbered as it would
have been. It reads the source in one snapshot and writes the target in one transaction:
a failure half-way leaves the target as empty as it was.

The two databases' own checksums (``Store.table_checksums``) hash their own text forms and
cannot be compared with each other, so a copy is verified by ``fingerprints``, computed in
Python over values put in one form first (dates as ISO text, numbers as floats, lists as
tuples, geometry as WKB written by GEOS). Rows are hashed one by one and the hashes added
up, so the order rows come back in — which the two databases' collations would change —
does not matter, and no table has to be held in memory to be sorted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
import shapely

from geo.errors import CopyFailed, CopyRefused
from geo.i18n import t
from geo.permissions import Actor, require
from geo.storage.db import BOOKKEEPING_TABLES, Cursor, Store, bulk_insert, migrations

#: Rows read and written per bulk step: big enough that per-batch costs vanish, small enough
#: that a million-row table never sits in memory whole.
BATCH_ROWS = 50_000
_SUM_MODULUS = 1 << 256


def copy_store(source: Store, actor: Actor, target_location: str) -> dict[str, tuple[int, str]]:
    """Copy ``source`` into the empty store at ``target_location`` and prove the copy equal.

    Opening the target migrates it to the newest schema. Refused (``CopyRefused``, before
    anything is written) when the source is not at the newest schema or the target holds
    any data; ``CopyFailed`` if the copy, read back, differs from what was read. Returns
    each copied table's fingerprint (rows, hash). Copying a whole installation, people's
    accounts included, is for whoever may make backups.
    """
    require(actor, "manage_backups")
    newest = migrations()[-1][0]
    if source.schema_version() != newest:
        raise CopyRefused(
            t(
                "{source} is at schema version {version}, not {newest}: open it once with "
                "this SafePlay (python -m geo init) and copy again",
                source=source.location,
                version=source.schema_version(),
                newest=newest,
            )
        )
    tables = sorted(set(source.table_names()) - BOOKKEEPING_TABLES)
    target = Store(target_location)
    try:
        expected = _copy(source, target, tables)
        found = fingerprints(target, tables)
    finally:
        target.close()
    differing = sorted(table for table in tables if found[table] != expected[table])
    if differing:
        raise CopyFailed(
            t(
                "the copy in {target} differs from {source} in {tables}; do not use it (drop "
                "it and copy again)",
                target=target.location,
                source=source.location,
                tables=", ".join(differing),
            )
        )
    return found


def fingerprints(store: Store, tables: Iterable[str] | None = None) -> dict[str, tuple[int, str]]:
    """Rows and a hash of every table's content, equal for equal content in any store.

    Without ``tables``: every table but the stores' own bookkeeping (schema and data
    version), which a copy does not carry over.
    """
    chosen = sorted(set(store.table_names()) - BOOKKEEPING_TABLES) if tables is None else tables
    sums = {table: Fingerprint() for table in chosen}
    for table, batch in store.read_tables(list(sums), BATCH_ROWS):
        sums[table].add(batch)
    return {table: found.result() for table, found in sums.items()}


class Fingerprint:
    """One table's row count and order-free content hash, fed batch by batch."""

    def __init__(self) -> None:
        self.rows = 0
        self._names: tuple[str, ...] | None = None
        self._sum = 0

    def add(self, batch: pa.Table) -> None:
        names = self._names = tuple(sorted(batch.column_names))
        columns = [_normal_column(name, batch.column(name).to_pylist()) for name in names]
        for row in zip(*columns, strict=True):
            digest = hashlib.sha256(repr(row).encode("utf-8")).digest()
            self._sum = (self._sum + int.from_bytes(digest, "big")) % _SUM_MODULUS
        self.rows += batch.num_rows

    def result(self) -> tuple[int, str]:
        content = repr((self._names or (), self.rows, self._sum)).encode("utf-8")
        return self.rows, hashlib.sha256(content).hexdigest()


def _copy(source: Store, target: Store, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Write every batch of ``source`` into ``target`` in one transaction; return the
    fingerprints of exactly the rows written (read in the same snapshot)."""
    sums = {table: Fingerprint() for table in tables}
    with target.write() as cursor:
        held = [table for table in tables if _holds_rows(cursor, table)]
        if held:
            raise CopyRefused(
                t(
                    "{target} already holds data (in {tables}); copy into a new, empty database",
                    target=target.location,
                    tables=", ".join(held),
                )
            )
        for table, batch in source.read_tables(tables, BATCH_ROWS):
            bulk_insert(cursor, table, batch)
            sums[table].add(batch)
        # Last, after every row: PostgreSQL's setval and DuckDB's nextval are not undone by a
        # rollback, so a failure among the tables leaves the sequences untouched too.
        target.continue_sequences(cursor, source.sequence_values())
    return {table: found.result() for table, found in sums.items()}


def _holds_rows(cursor: Cursor, table: str) -> bool:
    return cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None  # noqa: S608 - names from the catalog


def _normal_column(name: str, values: list[Any]) -> list[Any]:
    """A column's values in one form whichever store they came from."""
    if name == "geom":
        return shapely.to_wkb(shapely.from_wkb(values)).tolist()
    return [_normal(value) for value in values]


def _normal(value: Any) -> Any:
    """One value in a form both stores' values agree on (``bool`` before ``int``: it is one)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (float, Decimal)):
        return repr(float(value))  # DECIMAL(12, 2) arrives as Decimal here, as float there
    if isinstance(value, datetime):
        moment = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return moment.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return tuple(_normal(item) for item in value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    raise CopyFailed(t("a value of type {type} cannot be fingerprinted", type=type(value).__name__))
