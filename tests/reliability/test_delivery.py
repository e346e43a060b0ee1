"""Delivery under faults: a killed process loses no e-mail, and however many senders run
(threads, processes), no outbox row is sent twice.

The SMTP server is real (aiosmtpd, ``tests/mailbox.py``); the kills are SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest

from geo.cli import main
from geo.notify import notices, sender
from geo.storage.db import Store
from tests.reliability.child_process import ROOT, run_until
from tests.stores import DUCKDB, point_at
from tests.unit.conftest import NOW

PEOPLE = ("leader", "other_leader", "council", "east_officer", "resident", "newcomer")


@pytest.fixture
def town_db(town_file, places) -> Iterator[tuple[str, dict]]:
    """A private copy of the hand-built town, not opened: a child process may need it."""
    path, parts = town_file
    copy = places.copy(path)
    yield copy, parts
    places.drop(copy)


def with_addresses(location: str, parts: dict) -> list[int]:
    store = Store(location)
    ids = [parts[name].user_id for name in PEOPLE]
    with store.write() as cursor:
        for user_id in ids:
            cursor.execute(
                "UPDATE users SET email = ?, email_confirmed_at = ? WHERE id = ?",
                [f"person{user_id}@example.org", NOW, user_id],
            )
    store.close()
    return ids


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def test_a_process_killed_after_the_commit_loses_nothing_and_sends_once(town_db, smtp):
    location, parts = town_db
    (user_id, *_) = with_addresses(location, parts)
    child = run_until(
        f"""
        import sys, time
        from datetime import datetime
        from geo.notify import notices
        from geo.storage.db import Store
        store = Store(sys.argv[1])
        with store.write() as cursor:
            notices.notify(cursor, [{user_id}], "decision", "Approved", "It fits.",
                           datetime.fromisoformat("{NOW.isoformat()}"), link="proposals?id=1")
        print("committed", flush=True)
        time.sleep(120)
        """,
        location,
        "committed",
    )
    kill(child)
    store = Store(location)
    try:
        assert sender.send_due(store, NOW, smtp.transport, "after").sent == 1
        assert sender.send_due(store, NOW + timedelta(hours=1), smtp.transport, "again").sent == 0
    finally:
        store.close()
    assert len(smtp.mailbox.to(f"person{user_id}@example.org")) == 1


def test_a_sender_killed_while_sending_is_replaced_and_the_email_goes_once(town_db, smtp):
    location, parts = town_db
    (user_id, *_) = with_addresses(location, parts)
    store = Store(location)
    with store.write() as cursor:
        notices.notify(cursor, [user_id], "decision", "Approved", "It fits.", NOW)
    store.close()
    child = run_until(
        f"""
        import sys, time
        from datetime import datetime
        from geo.notify import sender

        from geo.storage.db import Store

        class Stuck:
            sender = "SafePlay <play@test.org>"
            def send(self, message):
                print("sending", flush=True)
                time.sleep(120)

        sender.send_due(Store(sys.argv[1]), datetime.fromisoformat("{NOW.isoformat()}"),
                        Stuck(), "doomed")
        """,
        location,
        "sending",
    )
    kill(child)
    store = Store(location)
    try:
        assert store.value("SELECT state FROM outbox") == "sending"
        assert sender.send_due(store, NOW + timedelta(minutes=1), smtp.transport, "new").sent == 0
        later = NOW + sender.LEASE + timedelta(minutes=1)
        assert sender.send_due(store, later, smtp.transport, "new").sent == 1
        assert store.row("SELECT state, attempts FROM outbox") == ("sent", 1)
    finally:
        store.close()
    assert len(smtp.mailbox.messages) == 1


def queue_many(location: str, ids: list[int], each: int) -> int:
    store = Store(location)
    with store.write() as cursor:
        for number in range(each):
            notices.notify(cursor, ids, "decision", f"Decision {number}", "Reasons.", NOW)
    total = store.value("SELECT count(*) FROM outbox WHERE state = 'waiting'")
    store.close()
    return int(total)


def assert_each_sent_once(location: str, smtp, total: int) -> None:
    ids = Counter(m["Message-ID"] for m in smtp.mailbox.messages)
    assert len(smtp.mailbox.messages) == total, "every row sent"
    assert max(ids.values()) == 1, "no row sent twice"
    store = Store(location)
    try:
        assert store.rows("SELECT state, count(*) FROM outbox GROUP BY state") == [("sent", total)]
    finally:
        store.close()


def test_four_sender_threads_never_send_one_row_twice(town_db, smtp):
    location, parts = town_db
    total = queue_many(location, with_addresses(location, parts), 15)
    store = Store(location)
    start = threading.Barrier(4)

    def run(name: str) -> None:
        start.wait()
        while sender.send_due(store, NOW, smtp.transport, name, limit=7).sent:
            pass

    threads = [threading.Thread(target=run, args=(f"thread-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    store.close()
    assert_each_sent_once(location, smtp, total)


def test_two_sender_processes_never_send_one_row_twice(town_db, smtp, places):
    if places.kind == DUCKDB:
        pytest.skip("one DuckDB file is opened by one process; several senders need PostgreSQL")
    location, parts = town_db
    total = queue_many(location, with_addresses(location, parts), 15)
    script = f"""
        import sys
        from datetime import datetime
        from geo.notify import sender
        from geo.notify.smtp import SmtpSettings, SmtpTransport
        from geo.storage.db import Store
        store = Store(sys.argv[1])
        transport = SmtpTransport(SmtpSettings("127.0.0.1", {smtp.port}, "none", "p@test.org"))
        print("ready", flush=True)
        sys.stdin.readline()
        while sender.send_due(store, datetime.fromisoformat("{NOW.isoformat()}"), transport,
                              sys.argv[2], limit=5).sent:
            pass
        print("done", flush=True)
        """
    children = []
    for name in ("one", "two"):
        process = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(script), location, name],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert "ready" in process.stdout.readline()
        children.append(process)
    for process in children:  # both start at once
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in children:
        assert process.wait(timeout=120) == 0
    assert_each_sent_once(location, smtp, total)
    store = Store(location)
    try:
        by = dict(store.rows("SELECT claimed_by, count(*) FROM outbox GROUP BY claimed_by"))
    finally:
        store.close()
    assert set(by) == {"one", "two"}, "both processes took part"


def test_python_m_geo_send_once_sends_the_due_outbox(town_db, smtp, monkeypatch, capsys):
    location, parts = town_db
    (user_id, *_) = with_addresses(location, parts)
    queue_many(location, [user_id], 2)
    point_at(monkeypatch, location)
    monkeypatch.setenv("SAFEPLAY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SAFEPLAY_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("SAFEPLAY_SMTP_SECURITY", "none")
    monkeypatch.setenv("SAFEPLAY_SMTP_SENDER", "SafePlay <play@test.org>")
    assert main(["send", "--once"]) == 0
    said = capsys.readouterr().out
    assert "remind: " in said and "issue_newsletters: 0 issues" in said
    assert "send_email: 2 sent" in said
    assert len(smtp.mailbox.messages) == 2
    monkeypatch.delenv("SAFEPLAY_SMTP_HOST")
    assert main(["send", "--once"]) == 0
    assert "e-mail is off" in capsys.readouterr().out
