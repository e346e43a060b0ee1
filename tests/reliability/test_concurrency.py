"""8 threads × 120 mixed operations on one database: no lost write, no error, and the
counts reconcile with what the threads did.

What makes this a concurrency test is that the threads' writes interleave, not how many
there are: the threads start together at a barrier, and the test checks in the database
that proposals of different threads alternate (run one after another, they would switch
owner only 7 times). 120 operations (20 rounds of the six steps) per thread interleave
throughout. Writes take turns at the store's lock, so the time grows with the number of
operations (about 35 ms each): 1,000 per thread took 92 s on an idle machine and up to
310 s on a busy one, and proved nothing more.

Figure for docs/reliability.md: operations run, errors (must be 0), lost writes (must be 0).
"""

import threading
import time
from collections import Counter
from itertools import pairwise

from geo.accountability import progress
from geo.accounts.auth import create_user, load_actor
from geo.permissions import COMMAND_LINE
from geo.proposals import feedback, workflow
from geo.registry.filters import MapFilter
from geo.registry.initiatives import find_initiatives
from tests.unit.conftest import NOW, box
from tests.unit.test_proposals import FORM

THREADS = 8
OPERATIONS = 120


def test_eight_threads_of_mixed_operations(town):
    people = []
    for n in range(THREADS):
        leader = create_user(
            town.store, COMMAND_LINE, f"lead{n}", f"Leader {n}", "leader", "a long password 4"
        )
        resident = create_user(
            town.store, COMMAND_LINE, f"res{n}", f"Resident {n}", "resident", "a long password 5"
        )
        people.append((load_actor(town.store, leader), load_actor(town.store, resident)))
    done: list[Counter] = [Counter() for _ in range(THREADS)]
    errors: list[str] = []
    start_together = threading.Barrier(THREADS)

    def work(n: int) -> None:
        leader, resident = people[n]
        site = box(-1.045 + n * 0.002, 52.005)
        current = None
        start_together.wait()
        try:
            for i in range(OPERATIONS):
                step = i % 6
                if step == 0:
                    current = workflow.save_draft(town.store, leader, FORM, site, NOW)
                    workflow.submit(town.store, leader, current, NOW)
                    done[n]["proposals"] += 1
                elif step == 1:
                    feedback.add_comment(town.store, resident, current, f"Comment {i}", NOW)
                    done[n]["comments"] += 1
                elif step == 2:
                    feedback.support(town.store, resident, current, NOW)
                    done[n]["supports"] += 1
                elif step == 3:
                    workflow.review(town.store, town.council, current, "approved", "Yes.", NOW)
                    done[n]["approved"] += 1
                elif step == 4:
                    progress.post_checkin(town.store, leader, current, f"Week {i}", NOW)
                    done[n]["checkins"] += 1
                else:
                    find_initiatives(town.store, MapFilter())
                    done[n]["reads"] += 1
        except Exception as error:
            errors.append(f"thread {n}: {type(error).__name__}: {error}")

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(done, Counter())
    query = town.store.cursor().execute
    stored = {
        "proposals": query(
            "SELECT count(*) FROM initiatives WHERE owner_id IN "
            "(SELECT id FROM users WHERE login LIKE 'lead%')"
        ).fetchone()[0],
        "comments": query("SELECT count(*) FROM comments").fetchone()[0],
        "supports": query("SELECT count(*) FROM supports").fetchone()[0],
        "approved": query(
            "SELECT count(*) FROM status_changes WHERE to_status = 'approved' AND reason = 'Yes.'"
        ).fetchone()[0],
        "checkins": query("SELECT count(*) FROM checkins").fetchone()[0],
    }
    operations = sum(total.values())
    lost = {k: total[k] - stored[k] for k in stored if total[k] != stored[k]}
    owners = [
        row[0]
        for row in query(
            "SELECT owner_id FROM initiatives WHERE owner_id IN "
            "(SELECT id FROM users WHERE login LIKE 'lead%') ORDER BY id"
        ).fetchall()
    ]
    switches = sum(a != b for a, b in pairwise(owners))
    print(
        f"\nconcurrency: {operations} operations in {elapsed:.1f} s, {len(errors)} errors, "
        f"lost writes {lost or 0}, proposals switched thread {switches} times"
    )
    assert errors == []
    rounds = OPERATIONS // 6
    assert switches >= rounds, "the threads ran one after another, not at the same time"
    assert operations == THREADS * OPERATIONS
    assert lost == {}
    # Every status change has its audit row, and statuses agree with their last audit row.
    mismatched = query(
        "SELECT count(*) FROM initiatives i WHERE i.status <> (SELECT s.to_status FROM "
        "status_changes s WHERE s.initiative_id = i.id ORDER BY s.changed_at DESC, s.id DESC "
        "LIMIT 1)"
    ).fetchone()[0]
    assert mismatched == 0
