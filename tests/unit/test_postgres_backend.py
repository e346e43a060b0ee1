"""What only the PostgreSQL store has to get right: its dialect, replicas and a server away.

The features themselves run on both stores through the shared fixtures; these tests are
about the seam: placeholders, several processes (replicas) on one database, migrations
started together, decisions made together, and a server that does not answer.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest

from geo.accounts import auth
from geo.errors import AccountProtected, ChangedMeanwhile, DatabaseUnavailable
from geo.permissions import COMMAND_LINE
from geo.proposals import workflow
from geo.safeguarding import voices
from geo.storage.db import Store, migrations
from geo.storage.postgres_backend import POOL_SIZE, pg_migrations, translate
from tests.stores import POSTGRESQL, STORE_KINDS, Places

pytestmark = pytest.mark.skipif(POSTGRESQL not in STORE_KINDS, reason="PostgreSQL not chosen")


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Places:
    made = Places(POSTGRESQL, tmp_path_factory.mktemp("pg"))
    yield made
    made.stop()


def test_placeholders_become_psycopgs_but_not_inside_text():
    sql = "SELECT ?, $name, 'it''s 50% ? $x', \"odd?\" FROM t WHERE a LIKE '%a' -- why?"
    assert translate(sql) == (
        "SELECT %s, %(name)s, 'it''s 50%% ? $x', \"odd?\" FROM t WHERE a LIKE '%%a' -- why?"
    )
    assert translate("SELECT 5 % 2, ?") == "SELECT 5 %% 2, %s"


def test_both_stores_hold_the_same_tables_and_columns(pg, tmp_path):
    """Each migration, translated for PostgreSQL, gives the same tables and columns."""
    assert [n for n, _ in migrations()] == [n for n, _ in pg_migrations()]
    assert "RTREE" not in pg_migrations()[0][1] and "USING GIST" in pg_migrations()[0][1]
    duck, postgres = Store(tmp_path / "twin.duckdb"), Store(pg.new("twin"))
    for store in (duck, postgres):
        assert store.schema_version() == migrations()[-1][0]

    def schema(store: Store) -> dict[str, str]:
        return {table: store.columns(table, without=()) for table in store.table_names()}

    duck_schema, postgres_schema = schema(duck), schema(postgres)
    # the one difference by design: PostgreSQL spreads the data version over slots
    assert duck_schema.pop("data_version") == "version"
    assert postgres_schema.pop("data_version") == "version, slot"
    assert duck_schema == postgres_schema
    duck.close()
    postgres.close()


def test_replicas_starting_together_migrate_once(pg):
    """Four processes' worth of stores open one new database at the same moment."""
    location = pg._create("together", template=None)
    opened, failures = [], []

    def start() -> None:
        try:
            opened.append(Store(location))
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    versions = opened[0].rows("SELECT version FROM schema_version ORDER BY version")
    assert len(versions) == len({v for (v,) in versions})  # each migration applied once
    assert opened[0].schema_version() == opened[-1].schema_version() > 0
    for store in opened:
        store.close()


def test_a_write_on_one_replica_moves_the_data_version_the_other_reads(pg):
    location = pg.new("versions")
    first, second = Store(location), Store(location)
    before = second.data_version()
    for _ in range(5):
        with first.write() as cursor:
            cursor.execute("UPDATE users SET display_name = display_name")
    assert second.data_version() == before + 5
    # spread over rows, so writers on several replicas do not wait on one row's lock
    assert second.value("SELECT count(*) FROM data_version WHERE version > 0") > 1
    first.close()
    second.close()


def test_two_officers_deciding_at_once_on_two_replicas_one_wins(pg, demo_db_file):
    location = pg.new("decisions")
    from geo.io.demo import load_demo

    setup = Store(location)
    load_demo(setup, COMMAND_LINE)
    proposal = setup.value("SELECT min(id) FROM initiatives WHERE status = 'submitted'")
    setup.close()
    replicas = [Store(location), Store(location)]
    start, results = threading.Barrier(2), []

    def decide(store: Store, decision: str) -> None:
        start.wait()
        try:
            workflow.review(
                store,
                COMMAND_LINE,
                proposal,
                decision,
                f"{decision} by this officer",
                now=datetime(2026, 12, 1, 10),
            )
            results.append(decision)
        except ChangedMeanwhile as error:
            results.append(str(error))

    threads = [
        threading.Thread(target=decide, args=(replicas[0], "approved")),
        threading.Thread(target=decide, args=(replicas[1], "rejected")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [r for r in results if r in ("approved", "rejected")]
    lost = [r for r in results if r not in won]
    assert len(won) == 1 and len(lost) == 1, results
    assert "someone else changed this proposal" in lost[0]
    status = replicas[0].value("SELECT status FROM initiatives WHERE id = ?", [proposal])
    audit = replicas[0].rows(
        "SELECT to_status FROM status_changes WHERE initiative_id = ? AND changed_at = ?",
        [proposal, datetime(2026, 12, 1, 10)],
    )
    assert status == won[0] and audit == [(won[0],)]
    for store in replicas:
        store.close()


def test_a_server_that_does_not_answer_is_said_in_words_without_the_password():
    with pytest.raises(DatabaseUnavailable) as refused:
        Store("postgresql://safeplay:s3cret@127.0.0.1:1/safeplay")
    message = str(refused.value)
    assert "does not answer" in message and "s3cret" not in message
    assert "safeplay:***@127.0.0.1:1" in message


def test_one_press_reaching_two_replicas_at_once_makes_one_voice(pg):
    """The same form render's token sent through two replicas together: one record, and
    both answers name it (the loser's transaction is rolled back and run again)."""
    location = pg.new("presses")
    replicas = [Store(location) for _ in range(4)]
    start, answers, failures = threading.Barrier(4), [], []
    token = "a" * 32

    def press(store: Store) -> None:
        start.wait()
        try:
            answers.append(
                voices.submit_voice(
                    store, "A bench by the sandpit", datetime(2026, 12, 1), token=token
                )
            )
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=press, args=(store,)) for store in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(answers)) == 1 and len(answers) == 4
    assert replicas[0].value("SELECT count(*) FROM voices") == 1
    for store in replicas:
        store.close()


def test_two_administrators_demoting_each_other_at_once_leave_one(pg, monkeypatch):
    """Each reads the other as an administrator and demotes them: without taking turns both
    would go ahead and nobody could manage accounts any more."""
    location = pg.new("admins")
    setup = Store(location)
    ids = [
        auth.create_user(setup, COMMAND_LINE, f"{who}@x.example", who, "admin", "a long password 1")
        for who in ("ada", "bea")
    ]
    admins = [auth.load_actor(setup, user_id) for user_id in ids]
    setup.close()
    slow = auth._set_wards

    def slow_set_wards(*args, **kwargs):  # widen the window between the check and the commit
        time.sleep(0.5)
        return slow(*args, **kwargs)

    monkeypatch.setattr(auth, "_set_wards", slow_set_wards)
    replicas, start, outcome = [Store(location), Store(location)], threading.Barrier(2), []

    def demote(store: Store, actor, other: str) -> None:
        start.wait()
        try:
            auth.set_role(store, actor, other, "resident")
            outcome.append("demoted")
        except AccountProtected:
            outcome.append("refused")

    threads = [
        threading.Thread(target=demote, args=(replicas[0], admins[0], "bea@x.example")),
        threading.Thread(target=demote, args=(replicas[1], admins[1], "ada@x.example")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome) == ["demoted", "refused"]
    assert replicas[0].value("SELECT count(*) FROM users WHERE role = 'admin' AND active") == 1
    for store in replicas:
        store.close()


def test_as_many_readers_as_connections_meeting_new_column_types_do_not_starve_the_pool(pg):
    """A result's column types are named once per store. The look-up took a second pooled
    connection while the statement held the first, so as many readers at once as the pool
    has connections each waited for another's: then "not answering" from a healthy server."""
    store = Store(pg.new("types"))
    kinds = (
        "int2",
        "int4",
        "int8",
        "float4",
        "float8",
        "numeric",
        "text",
        "varchar",
        "bool",
        "oid",
    )
    assert len(kinds) == POOL_SIZE
    start, failures, took = threading.Barrier(len(kinds)), [], []

    def read(kind: str) -> None:
        start.wait()
        began = time.perf_counter()
        try:
            store.frame(f"SELECT 1::{kind} AS value, pg_sleep(0.5)")
        except Exception as error:
            failures.append(error)
        took.append(time.perf_counter() - began)

    threads = [threading.Thread(target=read, args=(kind,)) for kind in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    assert failures == []
    assert max(took) < 5
