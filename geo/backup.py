"""Backups of the one database file, and restoring one.

A backup is a complete DuckDB database written by ``Store.snapshot_to`` under the write
lock, so it is consistent even while the app runs (the administrators' page offers it).
The command line cannot open the file while the app holds it, and says so. Restoring
checks that the backup opens as a SafePlay database first, keeps the current file beside
it, and swaps the files in one rename.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from geo.db import Store, migrations
from geo.errors import ImportRejected
from geo.permissions import Actor, require, rereads_actor


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
        store.snapshot_to(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return store.table_checksums()


def restore(source: Path, target: Path) -> dict[str, tuple[int, str]]:
    """Replace the database at ``target`` by the backup at ``source``.

    The backup is checked by opening it (a file that is not a SafePlay database, or comes
    from a newer version, is refused before anything changes). The replaced file is kept
    as ``<target>.before-restore``.
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise ImportRejected(f"there is no backup file {source}")
    newest = max(version for version, _sql in migrations())
    staged = target.with_name(target.name + ".restoring")
    staged.unlink(missing_ok=True)
    shutil.copyfile(source, staged)
    try:
        try:
            opened = Store(staged)
        except Exception as error:
            raise ImportRejected(f"{source} is not a SafePlay backup ({error})") from error
        try:
            if opened.schema_version() > newest:
                raise ImportRejected(f"{source} comes from a newer SafePlay; update first")
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


def _check_not_in_use(path: Path) -> None:
    """Raise ``DatabaseBusy`` if another process (the app) holds the file."""
    probe = Store(path)  # raises DatabaseBusy with the usual message
    probe.close()
