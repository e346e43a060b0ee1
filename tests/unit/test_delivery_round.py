"""The scheduled round, the signing key and the mail text boundary."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from geo.delivery import worker
from geo.errors import InvalidInput
from geo.escape import for_mail_text
from geo.notify import signing
from tests.unit.conftest import NOW


def test_a_failing_step_does_not_stop_the_others(store, monkeypatch):
    ran = []

    def broken(store, now, transport):
        raise RuntimeError("newsletter broke")

    def fine(store, now, transport):
        ran.append(now)
        return "ok"

    monkeypatch.setattr(worker, "STEPS", [broken, fine])
    done = worker.run_round(store, NOW, None)
    assert done == {"broken": "failed: RuntimeError: newsletter broke", "fine": "ok"}
    assert ran == [NOW]


def test_with_email_off_the_other_steps_run_and_the_outbox_waits(store):
    assert worker.run_round(store, NOW, None) == {
        "remind": "0 notices",
        "issue_newsletters": "0 issues",
        "send_email": "e-mail is off: no SMTP host is set",
    }


def test_reminders_run_once_a_quarter_hour_whoever_runs_the_round(store, monkeypatch):
    ran = []
    monkeypatch.setattr(worker.reminders, "remind", lambda store, now: ran.append(now) or 0)
    for minutes in (0, 1, 14, 15, 16, 31):
        worker.run_round(store, NOW + timedelta(minutes=minutes), None)
    assert ran == [NOW, NOW + timedelta(minutes=15), NOW + timedelta(minutes=31)]


def test_two_processes_asking_at_once_take_one_turn(store):
    start, won = threading.Barrier(4), []

    def ask() -> None:
        start.wait()
        won.append(worker.took_turn(store, "a step", NOW, timedelta(minutes=15)))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False, False, False, True]


def test_no_thread_starts_when_the_sender_is_off(store, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_SENDER", "off")
    assert worker.start_background(store, lambda: None) is None


def test_the_background_thread_starts_once_per_process_and_stops(store, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_SENDER", "on")
    rounds = threading.Event()
    monkeypatch.setattr(worker, "STEPS", [lambda s, n, t: rounds.set()])
    stop = worker.start_background(store, lambda: None)
    try:
        assert worker.start_background(store, lambda: None) is stop
        assert rounds.wait(10)
    finally:
        stop.set()
        worker._started.pop(store.location, None)


def test_replicas_starting_together_agree_on_one_signing_key(store, monkeypatch):
    monkeypatch.delenv("SAFEPLAY_SECRET_KEY", raising=False)
    keys, start = [], threading.Barrier(6)

    def read() -> None:
        start.wait()
        keys.append(signing.secret_key(store))

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) >= 32
    assert store.value("SELECT count(*) FROM app_settings") == 1


def test_a_token_is_refused_for_another_purpose_or_key(store, monkeypatch):
    token = signing.sign(store, "unsubscribe", [3, "decision"])
    assert signing.verify(store, "unsubscribe", token) == ["3", "decision"]
    with pytest.raises(InvalidInput):
        signing.verify(store, "confirm-email", token)
    monkeypatch.setenv("SAFEPLAY_SECRET_KEY", "another key set by the administrator")
    with pytest.raises(InvalidInput):
        signing.verify(store, "unsubscribe", token)
    with pytest.raises(InvalidInput):
        signing.verify(store, "unsubscribe", "no-dot-here")


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("see https://evil.example now", "see https\u2060://evil.example now"),
        ("WWW.evil.example", "WWW\u2060.evil.example"),
        ("mail me: kid@school.example", "mail me: kid\u2060@school.example"),
        ("two\nlines\r\n\tand tabs", "two lines and tabs"),
        ("<b>{{7*7}}</b> [x](y)", "<b>{{7*7}}</b> [x](y)"),  # HTML-escaped in the HTML part
        (None, ""),
    ],
)
def test_mail_text_keeps_the_words_and_breaks_every_autolink(typed, sent):
    assert for_mail_text(typed) == sent
