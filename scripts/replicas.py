"""Serve SafePlay from several Streamlit processes behind one nginx address.

``scripts/start.sh --replicas N --database postgresql://…`` runs this once it has set up
the environment, migrated the database and loaded the demo (so the replicas start on a
schema that is already there). It starts N ``streamlit run server.py`` processes on free
local ports, waits until each answers ``/_stcore/health``, writes an nginx configuration
into the run folder and runs Debian's nginx on the public port. It then watches: a replica
that exits is started again, one that stops answering its health check is taken out of
nginx's list (``down``) until it answers again, and Ctrl-C or TERM stops everything.

Why each piece is there (docs/deploy.md says it for operators):

- **Sticky sessions by a cookie.** Streamlit keeps a tab's state, uploaded files and
  generated downloads in the process that holds the tab's WebSocket, so every request of a
  tab must reach that process. Open-source nginx has no ``sticky`` directive; nginx gives a
  browser without one a random ``safeplay_route`` cookie and hashes it (``hash …
  consistent``). ``hash $remote_addr`` would send every resident behind one council, school
  or mobile-carrier address to the same replica. Who is signed in does not depend on
  it: the session cookie is checked against the database by whichever replica answers.
- **WebSocket upgrade** on ``/_stcore/stream``, with a day's read timeout so an idle tab
  is not cut every minute.
- **Health.** nginx open source checks passively: it notices a broken replica only when a
  visitor's request to it fails (``max_fails``, then it tries the next replica). This
  script asks every replica's ``/_stcore/health`` every few seconds, so a replica that
  hangs is taken out before visitors wait on it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
HEALTH_PATH = "/_stcore/health"
ROUTE_COOKIE = "safeplay_route"
#: Seconds between two rounds of health checks, and failed checks before a replica is down.
CHECK_EVERY, FAILS_BEFORE_DOWN = 2.0, 2
START_TIMEOUT = 180.0


def app_command(port: int) -> list[str]:
    """How one SafePlay process is started (the replicas, the browser tests, the benchmarks)."""
    return [
        sys.executable,
        *("-m", "streamlit", "run", "server.py", "--server.port", str(port)),
        *("--server.address", "127.0.0.1", "--server.headless", "true"),
    ]


@dataclass
class Replica:
    """One Streamlit process, its port and what the health checks last found."""

    number: int
    port: int
    log: IO[bytes]
    process: subprocess.Popen | None = None
    fails: int = 0
    down: bool = True  # until its first health check passes

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, environment: dict[str, str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            app_command(self.port),
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def exited(self) -> bool:
        return self.process is None or self.process.poll() is not None

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + HEALTH_PATH, timeout=2) as answer:  # noqa: S310 - our own local replica
                return answer.status == 200
        except OSError:
            return False


def nginx_config(listen_port: int, replicas: list[Replica], run_dir: Path) -> str:
    """The whole nginx configuration: one public port in front of the replicas that are up.

    A replica marked down stays in the list (``down``), so the consistent hash keeps the
    other browsers where they were when it leaves and comes back. If every replica is
    down none is marked, and nginx's own passive checks decide.
    """
    all_down = all(replica.down for replica in replicas)
    servers = "\n".join(
        f"    server 127.0.0.1:{replica.port} max_fails=2 fail_timeout=10s"
        f"{' down' if replica.down and not all_down else ''};"
        for replica in replicas
    )
    forwarded = """
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_http_version 1.1;"""
    temp = run_dir / "tmp"
    return f"""# Written by scripts/replicas.py on every start; edits are lost.
daemon off;
pid {run_dir / "nginx.pid"};
error_log stderr warn;
worker_processes 1;
events {{ worker_connections 4096; }}
http {{
  # Which replica answered each request, and for which route cookie: stickiness, visible.
  log_format safeplay '$remote_addr [$time_local] "$request" $status '
                      'upstream=$upstream_addr route=$safeplay_route';
  access_log {run_dir / "access.log"} safeplay;
  client_body_temp_path {temp / "body"};
  proxy_temp_path {temp / "proxy"};
  fastcgi_temp_path {temp / "fastcgi"};
  uwsgi_temp_path {temp / "uwsgi"};
  scgi_temp_path {temp / "scgi"};
  # Uploads up to Streamlit's own cap (.streamlit/config.toml: maxUploadSize = 50).
  client_max_body_size 50m;

  map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
  # Sticky sessions: a browser without the route cookie gets this request's random id as
  # its cookie, and is hashed by the same id, so its next requests go where this one went.
  map $cookie_{ROUTE_COOKIE} $safeplay_route {{
    "" $request_id;
    default $cookie_{ROUTE_COOKIE};
  }}
  map $cookie_{ROUTE_COOKIE} $safeplay_route_cookie {{
    "" "{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
    default "";
  }}

  upstream safeplay {{
    hash $safeplay_route consistent;
{servers}
  }}

  server {{
    listen {listen_port};
    add_header Set-Cookie $safeplay_route_cookie always;
    location / {{
      proxy_pass http://safeplay;{forwarded}
      proxy_next_upstream error timeout http_502 http_503;
    }}
    location /_stcore/stream {{
      proxy_pass http://safeplay;{forwarded}
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 1d;
      proxy_send_timeout 1d;
      proxy_buffering off;
    }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str:
    """Debian puts nginx in /usr/sbin, which is not on a normal user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        sys.exit("nginx is not installed: run scripts/start.sh, which installs Debian's nginx.")
    return found


class Replicas:
    """The replicas and nginx, started and stopped together."""

    def __init__(self, count: int, port: int, run_dir: Path) -> None:
        self.port = port
        self.run_dir = run_dir
        self.config = run_dir / "nginx.conf"
        self.nginx: subprocess.Popen | None = None
        self.stopping = False
        # Streamlit signs its own cookies (the sign-in flow's state; single sign-on's login
        # when [auth] names no cookie_secret) with this: one secret for all replicas, as
        # its documentation asks, so a cookie one replica signed is good on the others.
        self.environment = {
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),
            **os.environ,
            "SAFEPLAY_TRUSTED_PROXIES": os.environ.get("SAFEPLAY_TRUSTED_PROXIES", "1"),
        }
        self.replicas = [
            Replica(number, free_port(), (run_dir / f"replica-{number}.log").open("ab"))
            for number in range(1, count + 1)
        ]

    def run(self) -> int:
        """Start everything, then watch until a signal or nginx's exit; the exit code."""
        for replica in self.replicas:
            replica.start(self.environment)
        self._wait_until_healthy()
        self._write_config()
        self.nginx = subprocess.Popen(  # noqa: S603 - nginx with the file written above
            [nginx_binary(), "-p", str(self.run_dir), "-c", str(self.config), "-e", "stderr"]
        )
        count = len(self.replicas)
        print(f"SafePlay: {count} replica{'s' * (count > 1)} behind http://localhost:{self.port}")
        for replica in self.replicas:
            print(f"  replica {replica.number}: {replica.url} (log {replica.log.name})")
        while not self.stopping:
            if self.nginx.poll() is not None:
                print(f"nginx exited with code {self.nginx.returncode}", file=sys.stderr)
                return 1
            self._check()
            time.sleep(CHECK_EVERY)
        return 0

    def ask_to_stop(self, *_: object) -> None:
        """The signal handler: the watch loop ends at its next turn, then ``stop`` runs."""
        self.stopping = True

    def stop(self) -> None:
        """Stop nginx first (no new requests), then the replicas; kill what lingers."""
        self.stopping = True
        running = [p for p in [self.nginx, *(r.process for r in self.replicas)] if p]
        for process in running:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        for replica in self.replicas:
            replica.log.close()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        waiting = list(self.replicas)
        while waiting:
            if self.stopping:
                sys.exit("stopped before every replica had started")
            for replica in list(waiting):
                if replica.exited():
                    sys.exit(f"replica {replica.number} exited at start: see {replica.log.name}")
                if replica.healthy():
                    replica.down = False
                    waiting.remove(replica)
            if time.monotonic() > deadline:
                sys.exit(f"replicas {[r.number for r in waiting]} did not answer in time")
            time.sleep(0.3)

    def _check(self) -> None:
        """One round of health checks; nginx reloads its list when a replica's state changes."""
        changed = False
        for replica in self.replicas:
            if self.stopping:  # Ctrl-C reaches the replicas too: do not start them again
                return
            if replica.exited():
                print(f"replica {replica.number} exited; starting it again", file=sys.stderr)
                replica.start(self.environment)
                replica.fails = FAILS_BEFORE_DOWN
            elif replica.healthy():
                replica.fails = 0
            else:
                replica.fails += 1
            down = replica.fails >= FAILS_BEFORE_DOWN
            if down != replica.down:
                replica.down, changed = down, True
                state = "out of nginx's list" if down else "back in nginx's list"
                print(f"replica {replica.number} {state}", file=sys.stderr)
        if changed and self.nginx is not None:
            self._write_config()
            self.nginx.send_signal(signal.SIGHUP)  # re-read the configuration, gracefully

    def _write_config(self) -> None:
        self.config.write_text(nginx_config(self.port, self.replicas, self.run_dir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, required=True)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")))
    parser.add_argument("--run-dir", type=Path, default=ROOT / "run" / "replicas")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas needs a number of at least 1")
    (args.run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    # nginx's workers run as an unprivileged user when started as root: they must be able
    # to enter the run folder to buffer large uploads in it.
    args.run_dir.chmod(0o755)
    group = Replicas(args.replicas, args.port, args.run_dir)
    signal.signal(signal.SIGTERM, group.ask_to_stop)
    signal.signal(signal.SIGINT, group.ask_to_stop)
    try:
        return group.run()
    finally:
        group.stop()


if __name__ == "__main__":
    sys.exit(main())
