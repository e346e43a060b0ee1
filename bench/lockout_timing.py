"""How long a locked real login and a locked unknown login take to answer (docs/reliability.md).

Run from the project root: ``python bench/lockout_timing.py``. Prints wall-clock and CPU
medians over interleaved attempts; on a busy machine trust the CPU figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from geo.accounts import auth
from geo.errors import SafePlayError
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store

NOW = datetime(2026, 11, 24, 12)


def main(attempts: int = 31) -> None:
    store = Store(Path(tempfile.mkdtemp()) / "timing.duckdb")
    auth.create_user(store, COMMAND_LINE, "real", "Real", "resident", "a long password 1")
    for login in ("real", "ghost"):
        for number in range(auth.MAX_FAILURES):
            with contextlib.suppress(SafePlayError):
                auth.authenticate(store, login, f"wrong {number}", NOW)
    wall: dict[str, list[float]] = {"real": [], "ghost": []}
    cpu: dict[str, list[float]] = {"real": [], "ghost": []}
    for number in range(attempts):
        for login in ("real", "ghost") if number % 2 else ("ghost", "real"):
            started, cpu_started = time.perf_counter(), time.process_time()
            with contextlib.suppress(SafePlayError):
                auth.authenticate(store, login, "another guess", NOW)
            wall[login].append((time.perf_counter() - started) * 1000)
            cpu[login].append((time.process_time() - cpu_started) * 1000)
    for name, figures in (("wall clock", wall), ("CPU time", cpu)):
        real, ghost = statistics.median(figures["real"]), statistics.median(figures["ghost"])
        print(
            f"{name}: locked real {real:.1f} ms, locked unknown {ghost:.1f} ms, "
            f"difference {abs(real - ghost):.1f} ms (median of {attempts})"
        )
    store.close()


if __name__ == "__main__":
    main()
