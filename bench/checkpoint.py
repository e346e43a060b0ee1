"""What checkpointing every commit costs a DuckDB write (``checkpoint_threshold = '0b'`` in
``duckdb_backend``, against DuckDB's default of 16 MB of log before a checkpoint).

DuckDB 1.5.5 replays a logged UPDATE of a table with an RTREE index after a crash but cannot
checkpoint it ("requires a flat vector"), which invalidates the database; checkpointing
every commit leaves no log to replay. This times the writes people make most — a review
decision (an UPDATE of ``initiatives``, RTREE-indexed, with its audit row and notices) and a
check-in — on cities of 1,000 to 100,000 initiatives with 5,000 play areas, both ways in
the same rounds.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from itertools import count
from pathlib import Path

from city import make_city
from filters import load_safeplay
from measure import interleaved_medians, load_places

from geo.permissions import COMMAND_LINE
from geo.proposals import lifecycle
from geo.storage.db import Store

NOW = datetime(2026, 12, 3, 12, 0)
DEFAULT_THRESHOLD = "16MB"


def checkpoint_cost(folder: Path, sizes: tuple[int, ...], repeat: int) -> list[dict]:
    found = []
    for size in sizes:
        city = make_city(size, 5_000)
        built = folder / f"checkpoint-{size}.duckdb"
        store = Store(built)
        load_safeplay(store, city)
        load_places(store, city.places)
        store.close()
        stores = {}
        for way in ("every commit", "default"):
            copy = folder / f"checkpoint-{size}-{way.replace(' ', '-')}.duckdb"
            shutil.copy(built, copy)
            stores[way] = Store(copy)
        stores["default"].cursor().execute(f"SET checkpoint_threshold = '{DEFAULT_THRESHOLD}'")
        ids = {way: count(1) for way in stores}
        calls = {
            f"{what} ({way})": _write(what, store, ids[way])
            for way, store in stores.items()
            for what in ("decision", "check-in")
        }
        medians, _ = interleaved_medians(calls, max(repeat, 20))
        for store in stores.values():
            store.close()
        for what in ("decision", "check-in"):
            every, default = medians[f"{what} (every commit)"], medians[f"{what} (default)"]
            found.append(
                {
                    "initiatives": size,
                    "write": what,
                    "every_commit_ms": every * 1000,
                    "default_ms": default * 1000,
                    "ratio": every / default,
                }
            )
    return found


def _write(what: str, store: Store, ids):
    """One write as the services make it, on the next initiative each time."""

    def decision() -> None:
        initiative_id = next(ids)
        with store.write() as cursor:
            (status,) = cursor.execute(
                "SELECT status FROM initiatives WHERE id = ?", [initiative_id]
            ).fetchone()
            to = "rejected" if status != "rejected" else "approved"
            cursor.execute(
                "UPDATE initiatives SET status = ?, updated_at = ? WHERE id = ?",
                [to, NOW, initiative_id],
            )
            lifecycle.tell(cursor, initiative_id, status, to, COMMAND_LINE, "Benchmark.", NOW)

    def checkin() -> None:
        with store.write() as cursor:
            cursor.execute(
                "INSERT INTO checkins (initiative_id, author_name, progress, happened, "
                "created_at) VALUES (?, 'Bench', 50, 'Sessions running.', ?)",
                [next(ids), NOW],
            )

    return decision if what == "decision" else checkin


def checkpoint_report(found: list[dict], command: str) -> str:
    lines = [
        f"### DuckDB: checkpoint every commit against the default (`{command}`)",
        "",
        "| initiatives | write | every commit ms | default ms | every ÷ default |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {f['initiatives']:,} | {f['write']} | {f['every_commit_ms']:.1f} | "
        f"{f['default_ms']:.1f} | {f['ratio']:.2f} × |"
        for f in found
    ]
    return "\n".join(lines)
