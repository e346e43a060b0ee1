"""Kill the process (SIGKILL) in the middle of a large import and of review decisions: the
database opens again, and each operation is entirely there or entirely absent.

Figure for docs/reliability.md: kills performed, databases that failed to open (0), partial
operations found (0).
"""

import json
import signal
import time
from pathlib import Path

from geo.storage.db import Store
from tests.reliability.child_process import run_until

PLACES = 60_000
# The start of the decision tests' child scripts: a ward and a leader, in a new database.
# Indented as the scripts it starts: ``run_until`` dedents the whole script.
A_WARD_AND_A_LEADER = """
        import sys
        from datetime import datetime
        import shapely
        from geo.proposals import workflow as proposals
        from geo.proposals.form import ProposalForm
        from geo.registry.areas import AreaRecord, add_areas
        from geo.accounts.auth import create_user, load_actor
        from geo.storage.db import Store
        from geo.permissions import COMMAND_LINE
        store = Store(sys.argv[1])
        add_areas(store, COMMAND_LINE, [AreaRecord("W", "W", shapely.box(-1.1, 52, -1, 52.1))],
                  level="ward", source="test")
        leader = load_actor(store, create_user(store, COMMAND_LINE, "lee", "Lee", "leader",
                                               "a long password 6"))
"""


def run_until_told(script: str, database: Path, ready: str, after: float) -> int:
    """Start ``script``, wait for it to print ``ready``, let it work ``after`` seconds, kill."""
    process = run_until(script, str(database), ready)
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=30)


def test_a_killed_import_leaves_all_or_nothing(tmp_path):
    points = [
        {
            "type": "Feature",
            "properties": {"name": f"Play {i}", "id": f"p{i}"},
            "geometry": {"type": "Point", "coordinates": [-1.0 + i * 1e-6, 52.0 + i * 1e-6]},
        }
        for i in range(PLACES)
    ]
    data = tmp_path / "places.geojson"
    data.write_text(json.dumps({"type": "FeatureCollection", "features": points}))
    database = tmp_path / "crash.duckdb"
    Store(database).close()
    code = run_until_told(
        f"""
        import sys
        from geo.storage.db import Store
        from geo.io.imports import import_places
        from geo.permissions import COMMAND_LINE
        store = Store(sys.argv[1])
        print("ready", flush=True)
        import_places(store, COMMAND_LINE, {str(data)!r}, id_field="id")
        print("done", flush=True)
        """,
        database,
        "ready",
        after=1.5,
    )
    reopened = Store(database)  # opens after the kill
    count = reopened.cursor().execute("SELECT count(*) FROM places").fetchone()[0]
    reopened.table_checksums()  # every table readable
    reopened.close()
    print(f"\ncrash during import: exit {code}, places afterwards {count} of {PLACES}")
    assert code == -signal.SIGKILL
    assert count in (0, PLACES)


def test_killed_review_decisions_leave_every_status_with_its_audit_row(tmp_path):
    database = tmp_path / "reviews.duckdb"
    code = run_until_told(
        A_WARD_AND_A_LEADER
        + """
        council = load_actor(store, create_user(store, COMMAND_LINE, "cora", "Cora",
                                                "council", "a long password 7"))
        form = ProposalForm("A play space here", "A fenced space for small children.",
                            "new_play_area")
        now = datetime(2026, 11, 24, 12)
        print("ready", flush=True)
        for n in range(100_000):
            pid = proposals.save_draft(store, leader, form,
                                       shapely.box(-1.05, 52.05, -1.0495, 52.0505), now)
            proposals.submit(store, leader, pid, now)
            proposals.review(store, council, pid, "approved", f"Decision {n}", now)
        """,
        database,
        "ready",
        after=2.0,
    )
    reopened = Store(database)
    query = reopened.cursor().execute
    decided = query("SELECT count(*) FROM initiatives WHERE status = 'approved'").fetchone()[0]
    orphans = query(
        "SELECT count(*) FROM initiatives i WHERE i.status <> coalesce((SELECT s.to_status "
        "FROM status_changes s WHERE s.initiative_id = i.id ORDER BY s.id DESC LIMIT 1), '')"
    ).fetchone()[0]
    audit_without_item = query(
        "SELECT count(*) FROM status_changes s WHERE NOT EXISTS "
        "(SELECT 1 FROM initiatives i WHERE i.id = s.initiative_id)"
    ).fetchone()[0]
    reopened.close()
    print(
        f"\ncrash during reviews: exit {code}, {decided} decisions complete, "
        f"{orphans + audit_without_item} partial"
    )
    assert code == -signal.SIGKILL and decided > 0
    assert orphans == 0 and audit_without_item == 0


def test_a_decision_before_a_kill_is_kept_and_the_database_checkpoints(tmp_path):
    # A status change logged but not yet checkpointed, then SIGKILL: DuckDB 1.5 replayed the
    # UPDATE of initiatives (a table with an RTREE index) on opening and failed to
    # checkpoint it, invalidating the database (the app's next round hung). Each commit is
    # now checkpointed, so the decision is in the file and nothing is left to replay.
    database = tmp_path / "decided.duckdb"
    code = run_until_told(
        A_WARD_AND_A_LEADER
        + """
        import time
        form = ProposalForm("A play space here", "A fenced space for small children.",
                            "new_play_area")
        now = datetime(2026, 11, 24, 12)
        pid = proposals.save_draft(store, leader, form,
                                   shapely.box(-1.05, 52.05, -1.0495, 52.0505), now)
        proposals.submit(store, leader, pid, now)
        print("ready", flush=True)
        time.sleep(60)
        """,
        database,
        "ready",
        after=0.5,
    )
    reopened = Store(database)
    reopened.cursor().execute("CHECKPOINT")  # raised "database has been invalidated"
    status = reopened.cursor().execute("SELECT status FROM initiatives").fetchall()
    reopened.close()
    assert code == -signal.SIGKILL
    assert status == [("submitted",)]
