"""Faults at scale on PostgreSQL: several replicas on one database, and what breaks them.

A replica is a separate process with its own ``Store`` (``tests/reliability/replica.py``),
as a Streamlit replica is. Four faults, each with its figure for docs/reliability.md:

1. 3 replicas × 8 writers × ``SAFEPLAY_FAULT_OPS`` mixed operations (60 here; 500 by hand):
   0 unexpected errors, raced decisions refused in words, counts and audit rows reconcile;
2. the same decision on two replicas at once: one wins, the other reads ``ChangedMeanwhile``;
3. kill -9 of a replica inside its import, and inside its review decisions: the others keep
   serving, the killed one's work is whole or absent;
4. PostgreSQL restarted under load: replicas say so in words, recover by themselves, and
   every operation they acknowledged is in the database.

PostgreSQL only: without it the module is skipped with the words the suite's summary shouts.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest
import shapely
from argon2 import PasswordHasher

from geo.accounts import auth
from geo.permissions import COMMAND_LINE
from geo.proposals import workflow
from geo.registry.areas import AreaRecord, add_areas
from geo.registry.places import PlaceRecord, add_places
from geo.safeguarding import voices
from geo.storage.db import Store
from geo.storage.postgres_backend import SEARCH_PATH
from tests.pg_cluster import Cluster, missing
from tests.reliability.replica import FORM, NOW, Replica, site
from tests.stores import POSTGRESQL, STORE_KINDS

pytestmark = pytest.mark.skipif(POSTGRESQL not in STORE_KINDS, reason="PostgreSQL not chosen")

REPLICAS = 3
WRITERS = 8
OPERATIONS = int(os.environ.get("SAFEPLAY_FAULT_OPS", "60"))
IMPORTED_PLACES = 4_000
_databases = iter(range(1, 1_000))
T = TypeVar("T")


@dataclass(frozen=True)
class Town:
    """The test town's accounts and records, by id (the same in every copy)."""

    leaders: list[list[int]]  # [replica][writer]
    residents: list[list[int]]
    council: int
    playground: int


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A server of this module's own: the restart test must not disturb other tests'."""
    why = missing()
    if why:
        pytest.skip(f"PostgreSQL half skipped: {why}")
    made = Cluster()
    yield made
    made.stop()


@pytest.fixture(scope="module")
def town(cluster: Cluster) -> Town:
    """Two wards, a playground and an account for each writer, built once as a template."""
    _admin(cluster, 'CREATE DATABASE "town"')
    store = Store(cluster.url("town"))
    add_areas(
        store,
        COMMAND_LINE,
        [
            AreaRecord("West", "W", shapely.box(-1.05, 52.00, -1.00, 52.05)),
            AreaRecord("East", "E", shapely.box(-1.00, 52.00, -0.95, 52.05)),
        ],
        level="ward",
        source="test",
    )
    (playground,) = add_places(
        store,
        COMMAND_LINE,
        [PlaceRecord("Mill Lane", "playground", shapely.box(-1.03, 52.02, -1.029, 52.0206), "t")],
    )
    # Hashing 50 passwords properly takes a minute on a busy machine; nobody signs in here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))

        def account(login: str, name: str, role: str) -> int:
            return auth.create_user(store, COMMAND_LINE, login, name, role, "a long password 1")

        built = Town(
            leaders=[
                [account(f"lead{r}x{w}", f"Leader {r}-{w}", "leader") for w in range(WRITERS)]
                for r in range(REPLICAS)
            ],
            residents=[
                [account(f"res{r}x{w}", f"Resident {r}-{w}", "resident") for w in range(WRITERS)]
                for r in range(REPLICAS)
            ],
            council=account("council", "Cora Council", "council"),
            playground=playground,
        )
    store.close()
    return built


def _admin(cluster: Cluster, sql: str) -> None:
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(sql)


def _copy(cluster: Cluster) -> str:
    """A private copy of the town for one test."""
    name = f"faults_{next(_databases)}"
    _admin(cluster, f'CREATE DATABASE "{name}" TEMPLATE "town" STRATEGY FILE_COPY')
    return cluster.url(name)


def _submitted(url: str, town: Town, replica: int = REPLICAS - 1, count: int = 1) -> list[int]:
    """``count`` proposals waiting for a decision (by a writer the test does not run)."""
    store = Store(url)
    leader = auth.load_actor(store, town.leaders[replica][WRITERS - 1])
    made = []
    for _ in range(count):
        proposal = workflow.save_draft(store, leader, FORM, site(replica, WRITERS - 1), NOW)
        workflow.submit(store, leader, proposal, NOW)
        made.append(proposal)
    store.close()
    return made


@contextmanager
def replicas(url: str, names: list[str], folder: Path) -> Iterator[list[Replica]]:
    """Started together (they migrate and open their pools at once), closed at the end."""
    started = [Replica(url, name, folder) for name in names]
    try:
        for replica in started:
            replica.wait_ready()
        yield started
    finally:
        for replica in started:
            replica.close()


def _connect(url: str, *, autocommit: bool = True) -> psycopg.Connection:
    """A connection of the test's own, outside every replica's pool, seeing SafePlay's tables."""
    return psycopg.connect(url, autocommit=autocommit, options=f"-c search_path={SEARCH_PATH}")


def _value(url: str, sql: str, params: Any = None) -> Any:
    """One value read on a connection of its own: it works whatever the pools went through."""
    with _connect(url) as connection:
        return connection.execute(sql, params).fetchone()[0]


def _until(check: Callable[[], bool], timeout: float, pause: float = 0.002) -> bool:
    """Ask ``check`` until it is true or ``timeout`` seconds have passed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(pause)
    return False


def test_three_replicas_of_eight_writers_lose_nothing_and_reconcile(cluster, town, tmp_path):
    url = _copy(cluster)
    moderations = len(range(8, OPERATIONS, 10))
    store = Store(url)
    pool = [
        voices.submit_voice(store, f"Pool voice {n}", NOW) for n in range(WRITERS * moderations)
    ]
    store.close()
    with replicas(url, [f"mixed{r}" for r in range(REPLICAS)], tmp_path) as running:
        started = time.perf_counter()
        for number, replica in enumerate(running):
            replica.send(
                "mixed",
                replica=number,
                writers=WRITERS,
                operations=OPERATIONS,
                leaders=town.leaders[number],
                residents=town.residents[number],
                council=town.council,
                playground=town.playground,
                pool=pool,
            )
        answers = [replica.answer(timeout=1_800) for replica in running]
        elapsed = time.perf_counter() - started
    done = sum((Counter(answer["counts"]) for answer in answers), Counter())
    refused = sum((Counter(answer["expected"]) for answer in answers), Counter())
    unexpected = [error for answer in answers for error in answer["unexpected"]]
    unavailable = sum(answer["unavailable_count"] for answer in answers)
    ids = {kind: [i for a in answers for i in a["ids"].get(kind, [])] for kind in done}
    operations = done.total() + refused.total()
    own = "(SELECT id FROM users WHERE login LIKE 'lead%')"
    pool_list = ",".join(map(str, pool))
    stored = {
        "proposals": f"SELECT count(*) FROM initiatives WHERE owner_id IN {own}",
        "comments": "SELECT count(*) FROM comments",
        "supports": "SELECT count(*) FROM supports",
        "approved": "SELECT count(*) FROM status_changes WHERE to_status = 'approved'",
        "checkins": "SELECT count(*) FROM checkins",
        "milestones_done": "SELECT count(*) FROM milestones WHERE done_at IS NOT NULL",
        "voices": f"SELECT count(*) FROM voices WHERE id NOT IN ({pool_list})",
        "concerns": "SELECT count(*) FROM concerns",
        "published": f"SELECT count(*) FROM moderation_log WHERE item_kind = 'voice' "
        f"AND to_state = 'published' AND item_id IN ({pool_list})",
    }
    found = {kind: _value(url, sql) for kind, sql in stored.items()}
    lost = {kind: (done[kind], found[kind]) for kind in found if done[kind] != found[kind]}
    tokens = _value(url, "SELECT count(*) FROM form_submissions")
    status_without_audit = _value(
        url,
        "SELECT count(*) FROM initiatives i WHERE i.status <> (SELECT s.to_status FROM "
        "status_changes s WHERE s.initiative_id = i.id ORDER BY s.id DESC LIMIT 1)",
    )
    state_without_audit = _value(
        url,
        "SELECT count(*) FROM voices v WHERE v.state <> (SELECT m.to_state FROM moderation_log "
        "m WHERE m.item_kind = 'voice' AND m.item_id = v.id ORDER BY m.id DESC LIMIT 1)",
    )
    print(
        f"\nreplicas: {REPLICAS} × {WRITERS} writers × {OPERATIONS} operations = {operations} "
        f"in {elapsed:.1f} s ({operations / elapsed:.0f} ops/s); {len(unexpected)} unexpected "
        f"errors, {unavailable} unavailable; {refused.total()} raced decisions refused "
        f"{dict(refused)}; written {dict(done)}; lost {lost or 0}; statuses without their "
        f"audit row {status_without_audit}, voices {state_without_audit}"
    )
    assert unexpected == [] and unavailable == 0
    assert operations == REPLICAS * WRITERS * OPERATIONS
    assert lost == {}
    assert tokens == found["voices"] + found["concerns"]  # a second press made nothing new
    for kind in ("proposals", "comments", "voices", "concerns", "checkins"):
        assert len(set(ids[kind])) == len(ids[kind]), kind
    # Each pooled voice was decided by one writer of each replica at once: one won.
    assert sorted(ids.get("published", [])) == sorted(pool)
    assert refused.total() == (REPLICAS - 1) * len(pool)
    assert status_without_audit == 0 and state_without_audit == 0


def _waiting_on_a_lock(cluster: Cluster, names: list[str]) -> int:
    return _value(
        cluster.url(),
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ANY(%s) "
        "AND wait_event_type = 'Lock'",
        [names],
    )


def test_the_same_decision_on_two_replicas_at_once_one_wins(cluster, town, tmp_path):
    """Both replicas read the proposal as submitted, then decide together: the test holds
    the proposal's row until both wait on it, so the race happens every time."""
    url = _copy(cluster)
    proposals = _submitted(url, town, count=3)
    outcomes = []
    with replicas(url, ["approve", "reject"], tmp_path) as running:
        for proposal in proposals:
            with _connect(url, autocommit=False) as holder:
                holder.execute("SELECT id FROM initiatives WHERE id = %s FOR UPDATE", [proposal])
                for replica, decision in zip(running, ("approved", "rejected"), strict=True):
                    replica.send(
                        "review",
                        council=town.council,
                        proposal=proposal,
                        decision=decision,
                        reason=f"{decision} on {replica.name}",
                    )
                assert _until(lambda: _waiting_on_a_lock(cluster, ["approve", "reject"]) == 2, 120)
                holder.rollback()
            answers = [replica.answer() for replica in running]
            winners = [
                decision
                for decision, answer in zip(("approved", "rejected"), answers, strict=True)
                if answer["outcome"] == "won"
            ]
            losers = [answer for answer in answers if answer["outcome"] != "won"]
            audit = _value(
                url,
                "SELECT count(*) FROM status_changes WHERE initiative_id = %s "
                "AND to_status IN ('approved', 'rejected')",
                [proposal],
            )
            status = _value(url, "SELECT status FROM initiatives WHERE id = %s", [proposal])
            outcomes.append((winners, losers, audit, status))
    print(
        f"\nsame decision on two replicas: {len(proposals)} races, winners "
        f"{[len(w) for w, *_ in outcomes]}, audit rows {[a for *_, a, _ in outcomes]}"
    )
    for winners, losers, audit, status in outcomes:
        assert len(winners) == 1 and len(losers) == 1
        assert losers[0]["outcome"] == "ChangedMeanwhile"
        assert "someone else changed this proposal" in losers[0]["message"]
        assert audit == 1 and status == winners[0]


def _in_a_write(cluster: Cluster, name: str) -> bool:
    """Whether the replica ``name`` holds a transaction that has written something."""
    return bool(
        _value(
            cluster.url(),
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND backend_xid IS NOT NULL",
            [name],
        )
    )


def _kill_inside_a_write(cluster: Cluster, victim: Replica, timeout: float) -> tuple[bool, float]:
    """kill -9 the replica while it holds a writing transaction (or at ``timeout``): whether
    the kill landed inside one, and when it happened."""
    inside = _until(lambda: _in_a_write(cluster, victim.name), timeout)
    killed_at = time.time()
    assert victim.kill() == -9
    return inside, killed_at


def _serve_through(
    others: list[Replica], url: str, town: Town, fault: Callable[[], T]
) -> tuple[T, list[dict[str, Any]]]:
    """Let ``others`` serve (voices, comments, map reads) while ``fault()`` runs and two
    seconds beyond; return what ``fault`` returned and their answers."""
    (proposal,) = _submitted(url, town)
    for number, replica in enumerate(others):
        answer = replica.ask(
            "serve",
            replica=number,
            writers=2,
            resident=town.residents[number][0],
            proposal=proposal,
        )
        assert answer == {"serving": True}
    time.sleep(1.0)
    outcome = fault()
    time.sleep(2.0)
    return outcome, [replica.ask("stop") for replica in others]


def _kept_serving(answers: list[dict[str, Any]], since: float) -> list[int]:
    """Operations each replica completed after ``since``; no error of any kind allowed."""
    for answer in answers:
        assert answer["unexpected"] == [] and answer["unavailable_count"] == 0, answer
    return [sum(1 for moment in answer["times"] if moment > since) for answer in answers]


def _places_file(folder: Path) -> Path:
    """A GeoJSON file of ``IMPORTED_PLACES`` points spread over the town's two wards."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"Play {i}", "id": f"p{i}"},
            "geometry": {
                "type": "Point",
                "coordinates": [-1.049 + (i % 80) * 0.0012, 52.001 + (i // 80) * 0.0009],
            },
        }
        for i in range(IMPORTED_PLACES)
    ]
    data = folder / "places.geojson"
    data.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return data


def test_a_replica_killed_inside_its_import_leaves_nothing_and_the_others_serve(
    cluster, town, tmp_path
):
    url = _copy(cluster)
    data = _places_file(tmp_path)
    with replicas(url, ["importer", "serve0", "serve1"], tmp_path) as running:
        importer, others = running[0], running[1:]

        def kill_the_importer() -> tuple[bool, float]:
            importer.send("import", path=str(data))
            assert importer.answer() == {"importing": True}
            return _kill_inside_a_write(cluster, importer, timeout=120)

        (inside, killed_at), answers = _serve_through(others, url, town, kill_the_importer)
    imported = _value(url, "SELECT count(*) FROM places WHERE source = 'places.geojson'")
    wards = _value(
        url,
        "SELECT count(*) FROM place_areas WHERE place_id IN "
        "(SELECT id FROM places WHERE source = 'places.geojson')",
    )
    served = _kept_serving(answers, killed_at)
    print(
        f"\nkill -9 inside an import of {IMPORTED_PLACES:,} places: killed inside its "
        f"transaction {inside}; places afterwards {imported}; the other replicas served "
        f"{served} operations in the 2 s after, 0 errors"
    )
    assert inside
    assert imported in (0, IMPORTED_PLACES) and wards == imported
    assert all(count > 0 for count in served)


def test_a_replica_killed_inside_a_review_leaves_status_and_audit_together(cluster, town, tmp_path):
    url = _copy(cluster)
    with replicas(url, ["reviewer", "serve0", "serve1"], tmp_path) as running:
        reviewer, others = running[0], running[1:]

        def kill_the_reviewer() -> tuple[bool, float, int]:
            reviewer.send(
                "reviews",
                replica=0,
                count=100_000,
                leader=town.leaders[0][0],
                council=town.council,
            )
            decided = 0
            while decided < 5:
                decided = reviewer.answer()["decided"]
            return (*_kill_inside_a_write(cluster, reviewer, timeout=60), decided)

        (inside, killed_at, decided), answers = _serve_through(others, url, town, kill_the_reviewer)
    approved = _value(url, "SELECT count(*) FROM initiatives WHERE status = 'approved'")
    partial = _value(
        url,
        "SELECT count(*) FROM initiatives i WHERE i.status <> coalesce((SELECT s.to_status "
        "FROM status_changes s WHERE s.initiative_id = i.id ORDER BY s.id DESC LIMIT 1), '')",
    ) + _value(
        url,
        "SELECT count(*) FROM status_changes s WHERE NOT EXISTS "
        "(SELECT 1 FROM initiatives i WHERE i.id = s.initiative_id)",
    )
    served = _kept_serving(answers, killed_at)
    print(
        f"\nkill -9 inside review decisions: killed inside a transaction {inside}; "
        f"{approved} decisions complete, {partial} partial; the other replicas served "
        f"{served} operations in the 2 s after, 0 errors"
    )
    assert inside and approved >= decided
    assert partial == 0
    assert all(count > 0 for count in served)


def _sent_by(url: str, replica: int) -> int:
    """Voices replica ``replica``'s serving writers have had saved so far (by form token)."""
    return _value(
        url, "SELECT count(*) FROM form_submissions WHERE token LIKE %s", [f"s-{replica}-%"]
    )


def test_postgresql_restarted_under_load_replicas_say_so_recover_and_lose_nothing(
    cluster, town, tmp_path
):
    """Two replicas serve while the third imports; the server restarts (``-m fast``) while
    the import's transaction is open, so an operation is cut off every time."""
    url = _copy(cluster)
    data = _places_file(tmp_path)
    with replicas(url, ["importing", "load0", "load1"], tmp_path) as running:
        importer, others = running[0], running[1:]

        def restart() -> tuple[bool, float, float, float]:
            importer.send("import", path=str(data))
            assert importer.answer() == {"importing": True}
            inside = _until(lambda: _in_a_write(cluster, importer.name), 120)
            down = time.time()
            cluster._run(
                "pg_ctl",
                "-D",
                cluster.data,
                "-l",
                cluster.data / "log",
                "-m",
                "fast",
                "-w",
                "restart",
            )
            up = time.time()
            before = [_sent_by(url, number) for number in range(len(others))]
            assert _until(
                lambda: all(_sent_by(url, n) > before[n] for n in range(len(others))), 120, 0.1
            )
            return inside, down, up, time.time()

        (inside, down, up, recovered_at), answers = _serve_through(others, url, town, restart)
        imported = importer.answer()
    places = _value(url, "SELECT count(*) FROM places WHERE source = 'places.geojson'")
    voice_ids = [i for answer in answers for i in answer["ids"].get("voices", [])]
    comment_ids = [i for answer in answers for i in answer["ids"].get("comments", [])]
    unsure = [token for answer in answers for token in answer["unacknowledged"]]
    messages = {m for answer in answers for m in answer["unavailable_messages"]}
    if imported["outcome"] != "imported":
        messages.add(imported["message"])
    said = sum(answer["unavailable_count"] for answer in answers)
    said_after_up = sum(1 for a in answers for moment in a["unavailable_times"] if moment > up)
    served_after = [sum(1 for moment in a["times"] if moment > up) for a in answers]
    present_voices = _value(url, "SELECT count(*) FROM voices WHERE id = ANY(%s)", [voice_ids])
    present_comments = _value(
        url, "SELECT count(*) FROM comments WHERE id = ANY(%s)", [comment_ids]
    )
    saved_anyway = _value(
        url, "SELECT count(*) FROM form_submissions WHERE token = ANY(%s)", [unsure]
    )
    print(
        f"\nPostgreSQL restarted under load: down {up - down:.1f} s; the import in flight "
        f"(inside its transaction {inside}): {imported['outcome']}, places afterwards "
        f"{places}; serving replicas: {said} operations told 'not answering' "
        f"({said_after_up} after the server was back), writing again "
        f"{recovered_at - up:.1f} s after, served {served_after} after; acknowledged "
        f"{len(voice_ids)} voices and {len(comment_ids)} comments, in the database "
        f"{present_voices} and {present_comments}; of {len(unsure)} voices told 'nothing was "
        f"saved', {saved_anyway} were saved; words: {sorted(messages)}"
    )
    for answer in answers:
        assert answer["unexpected"] == [], answer["unexpected"]
    assert inside and imported["outcome"] == "DatabaseUnavailable" and places == 0
    for message in messages:
        assert "not answering" in message and "Traceback" not in message and "\n" not in message
    assert all(count > 0 for count in served_after)
    assert present_voices == len(voice_ids) and present_comments == len(comment_ids)


def test_an_idle_replica_answers_at_once_after_postgresql_restarted(cluster, town):
    """A connection left idle in the pool across the restart is dead: the pool checks a
    connection before lending it out, so the first person after the restart is served."""
    store = Store(_copy(cluster))
    assert store.value("SELECT count(*) FROM users") > 0  # a connection now waits in the pool
    cluster._run(
        "pg_ctl", "-D", cluster.data, "-l", cluster.data / "log", "-m", "fast", "-w", "restart"
    )
    assert store.value("SELECT count(*) FROM users") > 0
    store.close()
