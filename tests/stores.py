"""Where a test's databases live, for each store the suite runs on.

The unit, reliability and page tests run once on DuckDB and once on PostgreSQL: a test
asks for a new database or for a private copy of a prepared one (the demo town, the
hand-built town), and ``Places`` gives a location that ``Store(location)`` opens. On
DuckDB a database is a file and a copy is a file copy; on PostgreSQL it is a database on
one throwaway cluster per test worker and a copy is ``CREATE DATABASE … TEMPLATE``, which
takes milliseconds instead of loading the demo again.

``SAFEPLAY_TEST_STORES`` (``duckdb,postgresql`` by default) chooses which stores run.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from geo.storage.db import Store, is_postgres
from tests.pg_cluster import Cluster, missing

DUCKDB, POSTGRESQL = "duckdb", "postgresql"
STORE_KINDS = [
    kind.strip()
    for kind in os.environ.get("SAFEPLAY_TEST_STORES", f"{DUCKDB},{POSTGRESQL}").split(",")
    if kind.strip()
]
_numbers = itertools.count(1)


class Places:
    """New and copied databases of one kind; PostgreSQL's are dropped at the end."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.folder = folder
        self._cluster: Cluster | None = None
        self._empty: str | None = None

    def new(self, name: str) -> str:
        """A location for an empty database (``Store`` creates the schema on opening).

        On PostgreSQL it is a copy of one migrated empty database: enabling PostGIS and
        migrating take seconds, a copy a fraction of one.
        """
        if self.kind == DUCKDB:
            return str(self._fresh_folder() / f"{name}.duckdb")
        if self._empty is None:
            self._empty = self._create("empty", template=None)
            Store(self._empty).close()
        return self.copy(self._empty)

    def copy(self, source: str) -> str:
        """A private copy of a closed database, which a test may change."""
        if self.kind == DUCKDB:
            target = self._fresh_folder() / Path(source).name
            shutil.copy(source, target)
            return str(target)
        return self._create("copy", template=source.rsplit("/", 1)[1])

    def drop(self, location: str) -> None:
        """Remove a PostgreSQL database a test made (the cluster would fill its disk)."""
        if self.kind == POSTGRESQL and self._cluster is not None:
            import psycopg

            with psycopg.connect(self._cluster.url(), autocommit=True) as admin:
                admin.execute(
                    f'DROP DATABASE IF EXISTS "{location.rsplit("/", 1)[1]}" WITH (FORCE)'
                )

    def stop(self) -> None:
        if self._cluster is not None:
            self._cluster.stop()

    def _fresh_folder(self) -> Path:
        folder = self.folder / f"db{next(_numbers)}"
        folder.mkdir()
        return folder

    def _create(self, name: str, template: str | None) -> str:
        import psycopg

        cluster = self._server()
        database = f"{name}_{next(_numbers)}"
        # FILE_COPY: for a small database, copying its files beats logging every page.
        clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"{clause}')
        return cluster.url(database)

    def _server(self) -> Cluster:
        if self._cluster is None:
            why = missing()
            if why:
                pytest.skip(f"PostgreSQL half skipped: {why}")
            self._cluster = Cluster()
        return self._cluster


def point_at(monkeypatch: pytest.MonkeyPatch, location: str) -> None:
    """Make ``Store()`` (the app, the command line) open ``location``, whichever kind."""
    if is_postgres(location):
        monkeypatch.setenv("SAFEPLAY_DATABASE_URL", location)
    else:
        monkeypatch.delenv("SAFEPLAY_DATABASE_URL", raising=False)
        monkeypatch.setenv("SAFEPLAY_DB", location)
