"""A throwaway PostgreSQL 15 + PostGIS 3 server for the tests, the benchmarks and a trial run.

Debian's packages (``postgresql-15``, ``postgresql-15-postgis-3``) give the binaries; the
cluster lives in a temporary folder, listens on 127.0.0.1 at a free port, trusts local
connections and is stopped afterwards. As root the server runs as the ``postgres`` user,
because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
START_ATTEMPTS = 5


def missing() -> str | None:
    """Why no cluster can start here, in words, or None when everything is installed."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL 15 is not installed ({PG_BIN / 'initdb'} is missing)"
    if not POSTGIS_CONTROL.exists():
        return "PostGIS 3 for PostgreSQL 15 is not installed (postgresql-15-postgis-3)"
    return None


class Cluster:
    """One running server; ``url(db)`` names a database on it.

    Its folder is a new one under the system's temporary folder, not pytest's: as root the
    server runs as ``postgres``, which may not enter pytest's private folders.
    """

    def __init__(self, *, settings: tuple[str, ...] = ()) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="safeplay-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if self._user:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        # The free port is probed, then bound by the server: another test worker can take it
        # in between, so a start refused for its port is tried again on a new one.
        for attempt in range(1, START_ATTEMPTS + 1):
            options = " ".join(
                [
                    f"-p {self.port}",
                    "-c listen_addresses=127.0.0.1",
                    f"-k {self.folder}",
                    "-c fsync=off",  # throwaway: speed over durability
                    "-c max_connections=300",
                    *(f"-c {setting}" for setting in settings),
                ]
            )
            try:
                self._run(
                    "pg_ctl", "-D", self.data, "-w", "-l", self.data / "log", "-o", options, "start"
                )
                return
            except RuntimeError:
                log = (self.data / "log").read_text(errors="replace")
                if "could not bind" not in log or attempt == START_ATTEMPTS:
                    raise
                self.port = _free_port()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        subprocess.run(
            [*self._user, PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: object) -> None:
        done = subprocess.run(
            [*self._user, PG_BIN / program, *args], capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
