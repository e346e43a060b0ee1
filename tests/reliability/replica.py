"""A SafePlay replica for the fault tests, and the test's handle on it.

A replica is what a Streamlit process is to the database: a separate Python process with its
own ``Store`` (its own connection pool) calling the geo services. ``python -m
tests.reliability.replica URL`` opens the store, says ``{"ready": true}`` and then reads one
JSON job per line on standard input, answering each with one JSON line (``JOBS`` lists them).
``serve`` runs until the test sends ``stop``; ``import`` and ``reviews`` are meant to be killed.

Each job reports what it wrote — ids the services returned, counts per kind — so the test can
reconcile the database with what every replica was told, and every error by its type: a
``SafePlayError`` the job expects (a raced decision) is counted apart from any other.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import shapely

from geo.accountability import progress
from geo.accounts.auth import load_actor
from geo.council import matching
from geo.council.selection import Selection
from geo.errors import ChangedMeanwhile, DatabaseUnavailable, IllegalTransition, SafePlayError
from geo.io.imports import import_places
from geo.mapping.explore import explore
from geo.permissions import COMMAND_LINE
from geo.proposals import feedback, workflow
from geo.proposals.form import ProposalForm
from geo.registry.filters import MapFilter
from geo.safeguarding import concerns, voices
from geo.storage.db import Store

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 2, 12, 0)
FORM = ProposalForm(
    title="Doorstep play on Mill Lane",
    summary="A small fenced play space for under-8s with seating for carers.",
    kind="new_play_area",
    goals=("Agree the site", "Open by summer"),
    min_age=0,
    max_age=8,
)
#: Refusals a replica may meet when another decides the same record first: the decision
#: raced (``ChangedMeanwhile``) or came after the other's commit (``IllegalTransition``).
RACED = (ChangedMeanwhile, IllegalTransition)


def site(replica: int, writer: int) -> shapely.Polygon:
    """A writer's own small square inside the test town, apart from every other writer's."""
    minx, miny = -1.045 + writer * 0.004, 52.005 + replica * 0.012
    return shapely.box(minx, miny, minx + 0.0005, miny + 0.0005)


def token(*parts: object) -> str:
    """A form render's token (16 to 64 characters), unique for ``parts``."""
    return "-".join(str(part) for part in parts).ljust(24, "x")


class Tally:
    """What one job did, from several threads: counts, ids written, errors by kind."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.ids: dict[str, list[int]] = {}
        self.expected: Counter[str] = Counter()
        self.unexpected: list[str] = []
        self.unavailable: list[str] = []
        self.unavailable_times: list[float] = []
        self.unacknowledged: list[str] = []  # tokens of sendings that raised DatabaseUnavailable
        self.times: list[float] = []  # when each operation returned (wall clock, seconds)

    def wrote(self, kind: str, record_id: int | None = None) -> None:
        with self.lock:
            self.counts[kind] += 1
            if record_id is not None:
                self.ids.setdefault(kind, []).append(int(record_id))
            self.times.append(time.time())

    def failed(self, error: Exception, expected: tuple[type[Exception], ...] = ()) -> None:
        with self.lock:
            if isinstance(error, expected):
                self.expected[type(error).__name__] += 1
            elif isinstance(error, DatabaseUnavailable):
                self.unavailable.append(str(error))
                self.unavailable_times.append(time.time())
            else:
                self.unexpected.append(f"{type(error).__name__}: {error}")

    def report(self) -> dict[str, Any]:
        with self.lock:
            return {
                "counts": dict(self.counts),
                "ids": self.ids,
                "expected": dict(self.expected),
                "unexpected": self.unexpected[:20],
                "unexpected_count": len(self.unexpected),
                "unavailable_count": len(self.unavailable),
                "unavailable_messages": sorted(set(self.unavailable)),
                "unavailable_times": self.unavailable_times,
                "unacknowledged": self.unacknowledged,
                "times": self.times,
            }


def guarded(
    tally: Tally, operation: Callable[[], None], expected: tuple[type[Exception], ...] = ()
) -> None:
    """Run one operation; a failure is tallied by kind instead of ending the writer."""
    try:
        operation()
    except Exception as error:  # every failure is tallied: the test asserts on the kinds
        tally.failed(error, expected)


def mixed(store: Store, job: dict[str, Any]) -> dict[str, Any]:
    """``writers`` threads × ``operations`` mixed operations, one cycle of ten steps each:
    a proposal drafted and submitted, a comment, a support, the council's approval, a
    check-in, a milestone added and done, a voice and a concern sent with form tokens (each
    sent twice, as a double press would), a moderation decision on a voice that writers on
    other replicas decide at the same time, and reads of the public map and the workspace."""
    council = load_actor(store, job["council"])
    pool: list[int] = job["pool"]
    tally = Tally()

    def writer(number: int) -> None:
        leader = load_actor(store, job["leaders"][number])
        resident = load_actor(store, job["residents"][number])
        shape, current = site(job["replica"], number), None

        def propose() -> None:
            nonlocal current
            current = workflow.save_draft(store, leader, FORM, shape, NOW)
            workflow.submit(store, leader, current, NOW)
            tally.wrote("proposals", current)

        def comment() -> None:
            tally.wrote("comments", feedback.add_comment(store, resident, current, "Yes!", NOW)[0])

        def support() -> None:
            feedback.support(store, resident, current, NOW)
            tally.wrote("supports")

        def approve() -> None:
            workflow.review(store, council, current, "approved", "Yes.", NOW)
            tally.wrote("approved", current)

        def checkin() -> None:
            tally.wrote("checkins", progress.post_checkin(store, leader, current, "Dug", NOW))

        def milestone() -> None:
            done = progress.add_milestone(store, leader, current, "Fence", None, None, NOW)
            progress.complete_milestone(store, leader, done, "Fenced.", NOW)
            tally.wrote("milestones_done", done)

        def voice(i: int) -> Callable[[], None]:
            def send() -> None:
                form = token("v", job["replica"], number, i)
                first = voices.submit_voice(store, "A bench by the sandpit", NOW, token=form)
                again = voices.submit_voice(store, "A bench by the sandpit", NOW, token=form)
                if again != first:
                    raise AssertionError(f"a second press made voice {again} beside {first}")
                tally.wrote("voices", first)

            return send

        def concern(i: int) -> Callable[[], None]:
            def send() -> None:
                form = token("c", job["replica"], number, i)
                sent = [
                    concerns.report_concern(
                        store, job["playground"], "broken_equipment", "Swing chain", NOW, form
                    )
                    for _press in range(2)
                ]
                if sent[0] != sent[1]:
                    raise AssertionError(f"a second press made concern {sent[1]} beside {sent[0]}")
                tally.wrote("concerns", sent[0])

            return send

        def moderate(i: int) -> Callable[[], None]:
            # Writers of every replica walk the pool in the same order: they collide.
            target = pool[(i // 10 * len(job["leaders"]) + number) % len(pool)]

            def decide() -> None:
                voices.moderate_voice(store, council, target, "published", None, NOW)
                tally.wrote("published", target)

            return decide

        def read() -> None:
            explore(store, MapFilter())
            matching.match(store, council, Selection(), NOW)
            tally.wrote("reads")

        for i in range(job["operations"]):
            step = i % 10
            chosen: Callable[[], None] = [
                propose,
                comment,
                support,
                approve,
                checkin,
                milestone,
                voice(i),
                concern(i),
                moderate(i),
                read,
            ][step]
            guarded(tally, chosen, RACED if step == 8 else ())

    started = time.perf_counter()
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(job["writers"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {**tally.report(), "seconds": time.perf_counter() - started}


def review(store: Store, job: dict[str, Any]) -> dict[str, Any]:
    """One council decision on one proposal: ``won`` or the refusal's type and words."""
    council = load_actor(store, job["council"])
    try:
        workflow.review(store, council, job["proposal"], job["decision"], job["reason"], NOW)
    except SafePlayError as error:
        return {"outcome": type(error).__name__, "message": str(error)}
    return {"outcome": "won"}


def import_job(store: Store, job: dict[str, Any]) -> dict[str, Any]:
    """Import a file of places (one transaction) while the test kills the replica or
    restarts the server: the import's answer, or the refusal's type and words."""
    print(json.dumps({"importing": True}), flush=True)
    try:
        report = import_places(store, COMMAND_LINE, job["path"], id_field="id")
    except SafePlayError as error:
        return {"outcome": type(error).__name__, "message": str(error)}
    return {"outcome": "imported", "imported": report.imported}


def reviews(store: Store, job: dict[str, Any]) -> dict[str, Any]:
    """Draft, submit and approve ``count`` proposals, saying after each how many are decided."""
    leader, council = load_actor(store, job["leader"]), load_actor(store, job["council"])
    for n in range(job["count"]):
        proposal = workflow.save_draft(store, leader, FORM, site(job["replica"], 0), NOW)
        workflow.submit(store, leader, proposal, NOW)
        workflow.review(store, council, proposal, "approved", f"Decision {n}", NOW)
        print(json.dumps({"decided": n + 1}), flush=True)
    return {"decided": job["count"]}


def serve(store: Store, job: dict[str, Any], stop: threading.Event) -> dict[str, Any]:
    """Keep serving until ``stop``: each writer sends voices (form tokens), comments on a
    proposal and reads the map, as people on this replica would. Every id returned is
    reported (acknowledged); a sending that raised ``DatabaseUnavailable`` reports its token,
    so the test can tell whether it was saved after all."""
    resident = load_actor(store, job["resident"])
    tally = Tally()

    def writer(number: int) -> None:
        for i in itertools.count():
            if stop.is_set():
                return
            form = token("s", job["replica"], number, i)

            def send(form: str = form) -> None:
                try:
                    tally.wrote("voices", voices.submit_voice(store, "Lights", NOW, token=form))
                except DatabaseUnavailable:
                    with tally.lock:
                        tally.unacknowledged.append(form)
                    raise

            def comment() -> None:
                found = feedback.add_comment(store, resident, job["proposal"], "More!", NOW)[0]
                tally.wrote("comments", found)

            def read() -> None:
                explore(store, MapFilter())
                tally.wrote("reads")

            guarded(tally, [send, comment, read][i % 3])
            time.sleep(job.get("pause", 0.02))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(job["writers"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally.report()


JOBS: dict[str, Callable[[Store, dict[str, Any]], dict[str, Any]]] = {
    "mixed": mixed,
    "review": review,
    "import": import_job,
    "reviews": reviews,
}


def _in_background(store: Store, job: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """Start ``serve`` in a thread; the function returned stops it and gives its answer."""
    stop, answer = threading.Event(), []
    thread = threading.Thread(target=lambda: answer.append(serve(store, job, stop)))
    thread.start()

    def finish() -> dict[str, Any]:
        stop.set()
        thread.join()
        return answer[0]

    return finish


def main(location: str) -> None:
    """Answer jobs from standard input until it closes; ``serve`` runs in the background, so
    the next line (``{"job": "stop"}``) can end it."""
    store = Store(location)
    print(json.dumps({"ready": True, "pid": os.getpid()}), flush=True)
    finish: Callable[[], dict[str, Any]] | None = None
    for line in sys.stdin:
        job = json.loads(line)
        if job["job"] == "serve":
            finish = _in_background(store, job)
            print(json.dumps({"serving": True}), flush=True)
        elif job["job"] == "stop" and finish is not None:
            print(json.dumps(finish()), flush=True)
            finish = None
        else:
            print(json.dumps(JOBS[job["job"]](store, job)), flush=True)
    store.close()


class Replica:
    """The test's side: start a replica process, send it jobs, read its answers, kill it."""

    def __init__(self, location: str, name: str, log_folder: Path) -> None:
        separator = "&" if "?" in location else "?"
        self.name = name
        self.log = log_folder / f"{name}.log"
        self._lines: queue.Queue[dict[str, Any]] = queue.Queue()
        with self.log.open("w") as errors:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.reliability.replica",
                    f"{location}{separator}application_name={name}",
                ],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        threading.Thread(target=self._read, daemon=True).start()

    def wait_ready(self) -> int:
        """Wait for the replica's store to open; return its process id."""
        answer = self.answer()
        assert answer.get("ready"), answer
        return int(answer["pid"])

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(json.loads(line))

    def send(self, job: str, **arguments: Any) -> None:
        self.process.stdin.write(json.dumps({"job": job, **arguments}) + "\n")
        self.process.stdin.flush()

    def answer(self, timeout: float = 300.0) -> dict[str, Any]:
        """The replica's next line; on silence, what it wrote to its error log."""
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"{self.name} said nothing for {timeout:.0f} s (exit {self.process.poll()}); "
                f"its log ends: {self.log.read_text()[-3000:]}"
            ) from None

    def ask(self, job: str, timeout: float = 300.0, **arguments: Any) -> dict[str, Any]:
        self.send(job, **arguments)
        return self.answer(timeout)

    def kill(self) -> int:
        """SIGKILL, as ``kill -9`` does: no clean-up runs in the replica."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout=30)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


if __name__ == "__main__":
    main(sys.argv[1])
