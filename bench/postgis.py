"""A throw-away PostgreSQL 15 + PostGIS 3 server holding the same city, for the filters'
comparison (Debian's packages, installed by bench/run.sh)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import shapely

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PostGIS:
    """A throw-away PostgreSQL 15 + PostGIS 3 server on 127.0.0.1, stopped afterwards."""

    def __init__(self, folder: Path) -> None:
        import psycopg

        self.data = folder / "pg"
        self.port = _free_port()
        run = {"check": True, "capture_output": True}
        user = [] if os.getuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if user:
            shutil.chown(folder, "postgres")
        subprocess.run(
            [*user, PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust"], **run
        )
        subprocess.run(
            [
                *user,
                PG_BIN / "pg_ctl",
                "-D",
                self.data,
                "-w",
                "-l",
                self.data / "log",
                "-o",
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {folder} "
                "-c shared_buffers=512MB -c work_mem=64MB",
                "start",
            ],
            **run,
        )
        self._user = user
        self.connection = psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres", autocommit=True
        )
        self.connection.execute("CREATE EXTENSION postgis")

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
        subprocess.run(
            [*self._user, PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
