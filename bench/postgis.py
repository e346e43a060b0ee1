"""Plain PostGIS holding the same city, for the filters' comparison, on the throwaway
PostgreSQL 15 + PostGIS 3 server the tests use (``tests/pg_cluster.Cluster``).

The same server also holds SafePlay's own store on PostgreSQL (``safeplay_url``), in a
database of its own, so both are measured with the same memory settings on the same disk.
"""

from __future__ import annotations

import psycopg
import shapely

from tests.pg_cluster import Cluster

#: Memory for a city of a million features: the whole GiST index and the hit rows stay cached.
SETTINGS = ("shared_buffers=512MB", "work_mem=64MB")


class PostGIS:
    """Plain PostGIS tables ``wards`` and ``initiatives`` with GiST indexes, in the
    server's default database; stopped (and its folder removed) by ``stop``."""

    def __init__(self) -> None:
        self.cluster = Cluster(settings=SETTINGS)
        self.connection = psycopg.connect(self.cluster.url(), autocommit=True)
        self.connection.execute("CREATE EXTENSION postgis")
        self._safeplay: str | None = None

    def safeplay_url(self) -> str:
        """A new, empty database on the same server for a SafePlay store (``Store(url)``
        migrates it); each call drops the previous one, one city at a time."""
        if self._safeplay is not None:
            name = self._safeplay.rsplit("/", 1)[1]
            self.connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            number = int(name.rsplit("_", 1)[1]) + 1
        else:
            number = 1
        name = f"safeplay_{number}"
        self.connection.execute(f'CREATE DATABASE "{name}"')
        self._safeplay = self.cluster.url(name)
        return self._safeplay

    def load(self, city) -> None:
        cur = self.connection.cursor()
        cur.execute("DROP TABLE IF EXISTS initiatives, wards")
        cur.execute("CREATE TABLE wards (id int PRIMARY KEY, geom geometry(Geometry, 4326))")
        cur.execute(
            "CREATE TABLE initiatives (id int PRIMARY KEY, title text, status text, "
            "geom geometry(Geometry, 4326))"
        )
        for table, frame, columns in (
            ("wards", city.wards, "id, geom"),
            ("initiatives", city.initiatives, "id, title, status, geom"),
        ):
            hexes = shapely.to_wkb(frame.geometry.to_numpy(), hex=True, include_srid=False)
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row, wkb in zip(frame.itertuples(), hexes, strict=True):
                    values = (
                        [row.id, f"Initiative {row.id}", row.status]
                        if table == "initiatives"
                        else [row.id]
                    )
                    copy.write_row([*values, f"SRID=4326;{wkb}"])
        cur.execute("CREATE INDEX ON initiatives USING gist (geom)")
        cur.execute("CREATE INDEX ON wards USING gist (geom)")
        cur.execute("ANALYZE")

    def query(self, sql: str, params: list) -> list:
        return self.connection.execute(sql, params).fetchall()

    def stop(self) -> None:
        self.connection.close()
        self.cluster.stop()
