"""One round of everything that runs outside a page, and the thread that runs it.

``run_round`` runs ``STEPS`` in order; a step that fails is logged and the others still
run, so a broken newsletter does not hold up the e-mail of decisions. The app starts one
background thread per process (``start_background``) that runs a round every
``INTERVAL_S`` seconds; ``python -m geo send`` runs the same rounds from cron. Several
processes may run rounds at once: each step claims its work with a compare-and-set.
``SAFEPLAY_SENDER=off`` keeps the thread from starting (tests, a replica that should
only serve pages).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from geo.accountability import newsletters
from geo.accounts.sessions import utc_now
from geo.delivery import reminders
from geo.notify import sender
from geo.notify.smtp import Transport
from geo.storage.db import Store

INTERVAL_S = 60
REMIND_EVERY = timedelta(minutes=15)
log = logging.getLogger(__name__)

Step = Callable[[Store, datetime, "Transport | None"], object]


def remind(store: Store, now: datetime, _transport: Transport | None) -> object:
    """Overdue and quiet work, coming events, staff queue counts (``reminders``) — at most
    every ``REMIND_EVERY`` across every process and cron, since a run reads every running
    initiative and every staff queue, and its notices are once each anyway."""
    if not took_turn(store, "reminders_ran_at", now, REMIND_EVERY):
        return "not due yet"
    return f"{reminders.remind(store, now)} notices"


def took_turn(store: Store, name: str, now: datetime, every: timedelta) -> bool:
    """Whether this process runs the step ``name`` now: its last run (kept in
    ``app_settings``, shared by every replica) is at least ``every`` ago, and no other
    process took the turn meanwhile (a compare-and-set on the time written)."""
    with store.write(shown=False) as cursor:
        cursor.execute(
            "INSERT INTO app_settings (name, value) VALUES (?, '') ON CONFLICT (name) DO NOTHING",
            [name],
        )
        (last,) = cursor.execute("SELECT value FROM app_settings WHERE name = ?", [name]).fetchone()
        if last and now - datetime.fromisoformat(last) < every:
            return False
        won = cursor.execute(
            "UPDATE app_settings SET value = ? WHERE name = ? AND value = ? RETURNING name",
            [now.isoformat(), name, last],
        ).fetchone()
    return won is not None


def issue_newsletters(store: Store, now: datetime, _transport: Transport | None) -> object:
    """Due ward newsletters, queued for their subscribers (``newsletters``)."""
    return f"{newsletters.issue_due(store, now)} issues"


def send_email(store: Store, now: datetime, transport: Transport | None) -> object:
    """Send the due outbox; with e-mail off (no transport) it waits."""
    if transport is None:
        return "e-mail is off: no SMTP host is set"
    return sender.send_due(store, now, transport, sender.sender_name()).summary()


#: What a round does, in order: what writes to the outbox first, then sending it.
STEPS: list[Step] = [remind, issue_newsletters, send_email]


def run_round(store: Store, now: datetime, transport: Transport | None) -> dict[str, object]:
    """Run every step once; returns what each did (or the error that stopped it)."""
    done: dict[str, object] = {}
    for step in STEPS:
        try:
            done[step.__name__] = step(store, now, transport)
        except Exception as error:  # one step failing must not stop the rest
            log.exception("delivery step %s failed", step.__name__)
            done[step.__name__] = f"failed: {type(error).__name__}: {error}"
    return done


def enabled() -> bool:
    return os.environ.get("SAFEPLAY_SENDER", "on").strip().lower() != "off"


def run_forever(
    store: Store,
    transport: Callable[[], Transport | None],
    stop: threading.Event,
    interval_s: float = INTERVAL_S,
) -> None:
    """Rounds until ``stop`` is set. ``transport`` is asked each round, so settings
    changed in the environment or secrets apply without a restart."""
    while not stop.is_set():
        try:
            run_round(store, utc_now(), transport())
        except Exception:  # a bad round (database down) must not end it
            log.exception("delivery round failed")
        stop.wait(interval_s)


_started: dict[str, threading.Event] = {}
_lock = threading.Lock()


def start_background(
    store: Store, transport: Callable[[], Transport | None]
) -> threading.Event | None:
    """Start this process's delivery thread for ``store`` once; returns its stop event
    (None when ``SAFEPLAY_SENDER=off``)."""
    if not enabled():
        return None
    with _lock:
        if store.location not in _started:
            stop = threading.Event()
            threading.Thread(
                target=run_forever,
                args=(store, transport, stop),
                name="safeplay-delivery",
                daemon=True,
            ).start()
            _started[store.location] = stop
        return _started[store.location]
