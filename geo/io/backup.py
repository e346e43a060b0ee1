"""Backups of the database, and restoring one.

A backup is a complete DuckDB database written by ``Store.snapshot_to`` under the write
lock, so it is consistent even while the app runs (the administrators' page offers it).
On PostgreSQL the same file is written by ``moving.copy_store`` from one snapshot.
The command line cannot open the file while the app holds it, and says so. Restoring
first reads the file's catalogue without changing it (``check_backup``): any other DuckDB
file would otherwise be migrated into an empty SafePlay and replace everything. Then it
keeps the current file beside it and swaps the files in one rename.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from geo.errors import ImportRejected, NotABackup
from geo.io.moving import copy_store
from geo.permissions import Actor, require, rereads_actor
from geo.storage.db import Store, migrations
from geo.storage.duckdb_backend import spatial_extension_file

# Tables every SafePlay database has had since migration 002; a file without them is not one.
CORE_TABLES = frozenset(
    {"schema_version", "data_version", "areas", "places", "initiatives", "users"}
)


@rereads_actor
def backup(store: Store, actor: Actor, target: Path) -> dict[str, tuple[int, str]]:
    """Write a consistent copy of ``store`` to ``target`` (which must not exist yet)."""
    require(actor, "manage_backups")
    target = Path(target)
    if target.exists():
        raise ImportRejected(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise ImportRejected(f"the folder {target.parent} does not exist")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        sums = _snapshot(store, actor, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return sums


def _snapshot(store: Store, actor: Actor, target: Path) -> dict[str, tuple[int, str]]:
    """A DuckDB file holding all of ``store``, and the checksums that prove it.

    A DuckDB store copies its own file; a PostgreSQL one is copied table by table
    (``moving.copy_store``, one snapshot, verified), so its backup is a file ``restore``
    and ``copy --from`` read like any other.
    """
    if store.path is None:
        return copy_store(store, actor, str(target))
    store.snapshot_to(target)
    return store.table_checksums()


def restore(source: Path, target: Path) -> dict[str, tuple[int, str]]:
    """Replace the database at ``target`` by the backup at ``source``.

    The backup's catalogue is read first (``check_backup``: a file that is not a SafePlay
    database, or comes from a newer version, is refused with ``NotABackup`` before anything
    changes); an older one is then brought up to date. The replaced file is kept as
    ``<target>.before-restore``.
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise ImportRejected(f"there is no backup file {source}")
    staged = target.with_name(target.name + ".restoring")
    staged.unlink(missing_ok=True)
    shutil.copyfile(source, staged)
    try:
        check_backup(staged, source)
        try:
            opened = Store(staged)
        except Exception as error:
            raise NotABackup(f"{source} is not a SafePlay backup ({error})") from error
        try:
            sums = opened.table_checksums()
        finally:
            opened.close()
        if target.exists():
            _check_not_in_use(target)
            shutil.copyfile(target, target.with_name(target.name + ".before-restore"))
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    return sums


def check_backup(path: Path, shown_as: Path | None = None) -> int:
    """The schema version of the SafePlay database at ``path``, read without changing it;
    ``NotABackup`` for anything else (another program's DuckDB file, a file that is not a
    database, one from a newer SafePlay, or one whose migrations do not add up)."""
    name = shown_as or path
    known = [version for version, _sql in migrations()]
    connection = duckdb.connect(":memory:")
    try:
        connection.execute(f"LOAD '{spatial_extension_file()}'")
        quoted = str(path).replace("'", "''")
        try:
            connection.execute(f"ATTACH '{quoted}' AS candidate (READ_ONLY)")
        except duckdb.Error as error:
            raise NotABackup(f"{name} is not a SafePlay backup (not a DuckDB database)") from error
        catalogue = "SELECT table_name FROM duckdb_tables() WHERE database_name = 'candidate'"
        tables = {row[0] for row in connection.execute(catalogue).fetchall()}
        missing = sorted(CORE_TABLES - tables)
        if missing:
            raise NotABackup(
                f"{name} is not a SafePlay backup: it has no {', '.join(missing)} table"
                f"{'s' if len(missing) > 1 else ''}; nothing was replaced"
            )
        recorded = "SELECT version FROM candidate.schema_version ORDER BY version"
        versions = [row[0] for row in connection.execute(recorded).fetchall()]
    finally:
        connection.close()
    if not versions:
        raise NotABackup(f"{name} is not a SafePlay backup: it records no schema version")
    if versions[-1] > known[-1]:
        raise NotABackup(f"{name} comes from a newer SafePlay; update first")
    if versions != [version for version in known if version <= versions[-1]]:
        raise NotABackup(
            f"{name} is not a SafePlay backup: its schema versions do not match SafePlay's"
        )
    return versions[-1]


def _check_not_in_use(path: Path) -> None:
    """Raise ``DatabaseBusy`` if another process (the app) holds the file."""
    probe = Store(path)  # raises DatabaseBusy with the usual message
    probe.close()
