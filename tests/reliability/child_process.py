"""A Python child process the reliability tests start, wait for and kill (SIGKILL): the
crash tests and the delivery tests kill one at a chosen moment."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_until(script: str, location: str, ready: str, *args: str) -> subprocess.Popen:
    """Start ``script`` with the database and ``args``; return once it printed ``ready``."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), location, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    for line in process.stdout:
        if ready in line:
            return process
    raise AssertionError(f"the child process ended before saying {ready!r}")
