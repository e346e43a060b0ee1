"""Visitors: N concurrent people opening Explore and filtering, against 1 process on DuckDB,
1 process on PostgreSQL and 3 replicas on PostgreSQL behind nginx; then one replica pinned
to one core against two replicas pinned to one core each.

Each visitor (bench/protocol.py) opens the page, changes a filter ``FILTERS_PER_VISIT``
times with a think time between actions, closes the tab and comes back as a new visitor.
A step holds N visitors for a warm-up and a measured window; reruns counted are those
that finished inside the window. The deployments compared run side by side and take
turns at every step (``sweep``). CPU is read from ``/proc/<pid>/stat`` at the window's
edges: the Streamlit processes, PostgreSQL (the postmaster, its live backends and the
children it reaped), nginx, and this process (the generator: ``getrusage``). Time to a
painted map = the map's delivery over the protocol + the browser's own painting time,
measured once against Chromium (``calibrate``).

Run: ``bash bench/run.sh --visitors`` (the demo town; about 20 minutes on 2 cores).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from measure import ROOT
from protocol import Run, RunFailed, Visitor
from websockets.exceptions import ConnectionClosed

from scripts.replicas import app_command
from tests.pg_cluster import Cluster

FILTERS_PER_VISIT = 4
#: Seconds a visitor looks at the page before the next action: uniform between these.
THINK_S = (0.5, 1.5)
#: p95 wait for the map's delivery beyond which a deployment is past its ceiling. It is
#: set on delivery, not painting: the browser's painting is a constant added on the
#: visitor's own machine, and on this shared machine it measured 1.9 s and 3.8 s.
CEILING_S = 3.0
RUN_TIMEOUT_S = 30.0
LEVELS = [1, 2, 4, 8, 16, 32, 64]
#: Finer steps for the pinned replicas, so visitors at equal p95 are interpolated closely.
PINNED_LEVELS = [1, 2, 3, 4, 6, 8, 12, 16, 24]
TICK = os.sysconf("SC_CLK_TCK")


# --- processes and their CPU ---------------------------------------------------------------


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pid: int, reaped: bool = False) -> float:
    """User + system CPU of a process (and of its reaped children when asked), in seconds."""
    try:
        fields = _stat(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    used = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)
    return used / TICK


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int(_stat(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    todo, found = [pid], []
    while todo:
        kids = children(todo.pop())
        found += kids
        todo += kids
    return found


def command_of(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def pin(pid: int, cpu: int) -> None:
    """Every thread of the process onto one core (``taskset -a -p -c CPU PID``); threads
    started later inherit it from the thread that starts them."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), {cpu})


@dataclass
class Postgres:
    """The throwaway server the PostgreSQL deployments share, with the demo town loaded."""

    cluster: Cluster

    @property
    def url(self) -> str:
        return self.cluster.url()

    def postmaster(self) -> int:
        return int((self.cluster.data / "postmaster.pid").read_text().split()[0])

    def cpu(self) -> float:
        """The postmaster with the backends it reaped, plus the live ones (the app's pool)."""
        main = self.postmaster()
        return cpu_seconds(main, reaped=True) + sum(cpu_seconds(p) for p in children(main))


@dataclass
class Deployment:
    """App processes on one address: ``app_pids`` are the Streamlit processes."""

    name: str
    url: str
    process: subprocess.Popen
    app_pids: list[int]
    balancer_pids: list[int]

    def app_cpu(self) -> float:
        return sum(cpu_seconds(p) for p in self.app_pids)

    def balancer_cpu(self) -> float:
        return sum(cpu_seconds(p) for p in self.balancer_pids)


def _wait_answering(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the app exited with code {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    """The whole process group: replicas.py's replicas and nginx go with it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _free_port() -> int:
    from scripts.replicas import free_port

    return free_port()


def _spawn(
    command: list[str], environment: dict[str, str], log: Path, port: int
) -> tuple[subprocess.Popen, str]:
    """Start ``command`` in its own process group (so ``_stop`` ends all it starts), its
    output in ``log``, and wait until it answers on ``port``; stopped again if it never does."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_answering(url, process)
    except BaseException:
        _stop(process)
        raise
    return process, url


@contextlib.contextmanager
def one_process(name: str, environment: dict[str, str], log: Path) -> Iterator[Deployment]:
    """One ``streamlit run server.py``, as ``scripts/start.sh`` runs it without replicas."""
    port = _free_port()
    process, url = _spawn(app_command(port), environment, log, port)
    try:
        yield Deployment(name, url, process, [process.pid], [])
    finally:
        _stop(process)


@contextlib.contextmanager
def replicas(
    name: str, count: int, environment: dict[str, str], run_dir: Path, cores: list[int] | None
) -> Iterator[Deployment]:
    """``scripts/replicas.py`` (what ``start.sh --replicas`` runs): N replicas behind nginx;
    with ``cores``, replica i is pinned to ``cores[i]``."""
    port = _free_port()
    run_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "scripts/replicas.py", "--replicas", str(count)]
    command += ["--port", str(port), "--run-dir", str(run_dir)]
    process, url = _spawn(command, environment, run_dir / "replicas.out", port)
    try:
        found = descendants(process.pid)
        apps = sorted(p for p in found if "streamlit run" in command_of(p))
        nginx = [p for p in found if "nginx" in command_of(p)]
        if len(apps) != count:
            raise RuntimeError(f"{name}: found {len(apps)} replicas, not {count}")
        for pid, core in zip(apps, cores or [], strict=False):
            pin(pid, core)
        yield Deployment(name, url, process, apps, nginx)
    finally:
        _stop(process)


# --- load ----------------------------------------------------------------------------------


@dataclass
class Record:
    run: Run | None  # None: the run failed
    ended: float


async def _visitor(url: str, seed: int, stop: float, records: list[Record]) -> None:
    """One person after another in the same seat: open, filter, leave, come back."""
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, THINK_S[1]))  # visitors do not arrive in step
    while time.perf_counter() < stop:
        visitor = Visitor(url, rng)
        try:
            records.append(
                Record(await asyncio.wait_for(visitor.open(), RUN_TIMEOUT_S), time.perf_counter())
            )
            for _ in range(FILTERS_PER_VISIT):
                await asyncio.sleep(rng.uniform(*THINK_S))
                run = await asyncio.wait_for(visitor.filter(), RUN_TIMEOUT_S)
                records.append(Record(run, time.perf_counter()))
        except (RunFailed, OSError, TimeoutError, ConnectionClosed):
            records.append(Record(None, time.perf_counter()))
        finally:
            with contextlib.suppress(Exception):
                await visitor.close()
        await asyncio.sleep(rng.uniform(*THINK_S))


def _cpu_now(deployment: Deployment, pg: Postgres | None) -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "app": deployment.app_cpu(),
        "postgres": pg.cpu() if pg else 0.0,
        "nginx": deployment.balancer_cpu(),
        "generator": own.ru_utime + own.ru_stime,
        "clock": time.perf_counter(),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _step(
    deployment: Deployment,
    pg: Postgres | None,
    visitors: int,
    warmup: float,
    window: float,
    seed: int,
) -> dict:
    records: list[Record] = []
    start = time.perf_counter()
    stop = start + warmup + window
    tasks = [
        asyncio.create_task(_visitor(deployment.url, seed * 1000 + i, stop, records))
        for i in range(visitors)
    ]
    await asyncio.sleep(warmup)
    before = _cpu_now(deployment, pg)
    await asyncio.sleep(window)
    after = _cpu_now(deployment, pg)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    inside = [r for r in records if before["clock"] <= r.ended <= after["clock"]]
    runs = [r.run for r in inside if r.run is not None]
    seconds = after["clock"] - before["clock"]
    used = {k: after[k] - before[k] for k in ("app", "postgres", "nginx", "generator")}
    delivered = [r.delivered_s for r in runs] or [float("nan")]
    return {
        "visitors": visitors,
        "reruns": len(runs),
        "failed": len(inside) - len(runs),
        "reruns_per_s": len(runs) / seconds,
        "delivered_p50_s": statistics.median(delivered),
        "delivered_p95_s": percentile(delivered, 0.95),
        "finished_p95_s": percentile([r.finished_s for r in runs] or [float("nan")], 0.95),
        "app_cpu_per_rerun_s": used["app"] / max(1, len(runs)),
        **{f"{k}_cpu_per_s": v / seconds for k, v in used.items()},
        "load_average": os.getloadavg()[0],
    }


def _median_step(results: list[dict]) -> dict:
    """Each figure the median of the repeats; the load average's range is kept too."""
    merged = {
        key: statistics.median(r[key] for r in results) for key in results[0] if key != "visitors"
    }
    loads = [r["load_average"] for r in results]
    return {
        "visitors": results[0]["visitors"],
        **merged,
        "load_min": min(loads),
        "load_max": max(loads),
    }


def sweep(
    deployments: dict[str, tuple[Deployment, Postgres | None]],
    levels: list[int],
    paint_s: float,
    repeat: int,
    warmup: float,
    window: float,
    keep: Callable[[dict], None],
) -> dict[str, list[dict]]:
    """Steps of rising visitors for every deployment until its p95 passes the ceiling.

    The deployments take turns at each step (all of them are started beforehand and wait
    idle meanwhile), so a burst of load from the machine's other users falls on all of
    them alike instead of on whichever happened to run at that moment.
    """
    rows: dict[str, list[dict]] = {key: [] for key in deployments}
    for visitors in levels:
        going = [key for key in deployments if _below_ceiling(rows[key])]
        if not going:
            break
        repeats: dict[str, list[dict]] = {key: [] for key in going}
        for attempt in range(repeat):
            for key in going:
                deployment, pg = deployments[key]
                step = _step(deployment, pg, visitors, warmup, window, attempt)
                repeats[key].append(asyncio.run(step))
                time.sleep(2)  # the cancelled visitors' last runs end before the next step
        for key in going:
            row = _median_step(repeats[key])
            row["painted_p95_s"] = row["delivered_p95_s"] + paint_s
            row["painted_p50_s"] = row["delivered_p50_s"] + paint_s
            rows[key].append(row)
            print(f"  {deployments[key][0].name}: {_line(row)}", flush=True)
        keep(rows)
    return rows


def _below_ceiling(rows: list[dict]) -> bool:
    if not rows:
        return True
    last = rows[-1]
    return last["delivered_p95_s"] <= CEILING_S and last["failed"] <= last["reruns"]


def _line(row: dict) -> str:
    return (
        f"{row['visitors']} visitors, {row['reruns_per_s']:.2f} reruns/s, "
        f"painted p50 {row['painted_p50_s']:.2f} p95 {row['painted_p95_s']:.2f} s, "
        f"app CPU {row['app_cpu_per_rerun_s']:.3f} s/rerun, failed {row['failed']}, "
        f"load {row['load_average']:.1f}"
    )


def visitors_at(p95_s: float, rows: list[dict]) -> float | None:
    """Visitors at which the p95 delivery reaches ``p95_s``, interpolated between steps
    (painting adds the same constant to both sides of a comparison)."""
    for lower, upper in itertools.pairwise(rows):
        if lower["delivered_p95_s"] <= p95_s < upper["delivered_p95_s"]:
            share = (p95_s - lower["delivered_p95_s"]) / (
                upper["delivered_p95_s"] - lower["delivered_p95_s"]
            )
            return lower["visitors"] + share * (upper["visitors"] - lower["visitors"])
    return None


# --- calibration against Chromium -----------------------------------------------------------


def calibrate(url: str, visits: int = 7) -> dict:
    """The browser's own time from the map's delivery to its first painted feature.

    On an idle server: the median time a returning visitor's Chromium takes to paint the
    map (bench/browser.py's measure) minus the median time the protocol client takes to
    receive the map's delta. Added to every delivered time under load, it assumes the
    browser paints as fast as when alone: the visitor's own machine does the painting.
    """
    from browser import _painted_after
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    async def delivered() -> float:
        visitor = Visitor(url, random.Random(0))
        run = await visitor.open()
        await visitor.close()
        return run.delivered_s

    asyncio.run(delivered())  # warms the server's caches as the browser's first visit does
    protocol = statistics.median(asyncio.run(delivered()) for _ in range(visits))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        _painted_after(context.new_page(), url)  # the returning visitor's cache
        painted = statistics.median(_painted_after(context.new_page(), url) for _ in range(visits))
        browser.close()
    return {
        "protocol_delivered_s": protocol,
        "chromium_painted_s": painted,
        "paint_s": painted - protocol,
    }


# --- the whole part --------------------------------------------------------------------------


def _demo(environment: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "geo", "demo", "--if-empty"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )


def visitors_bench(
    folder: Path,
    repeat: int,
    keep: Callable[[dict], None],
    warmup: float = 3.0,
    window: float = 8.0,
) -> dict:
    """Every configuration's sweep, the calibration and the pinned scaling test; ``keep``
    saves what is measured after each step (a late failure loses nothing)."""
    base = {**os.environ, "SAFEPLAY_TILES": "none"}
    base.pop("SAFEPLAY_DATABASE_URL", None)
    duck = {**base, "SAFEPLAY_DB": str(folder / "visitors.duckdb")}
    _demo(duck)
    results: dict = {
        "repeat": repeat,
        "window_s": window,
        "think_s": THINK_S,
        "filters_per_visit": FILTERS_PER_VISIT,
        "ceiling_s": CEILING_S,
    }
    pg = Postgres(Cluster())
    try:
        postgres = {**base, "SAFEPLAY_DATABASE_URL": pg.url}
        _demo(postgres)
        with contextlib.ExitStack() as running:
            duck_app = running.enter_context(
                one_process("1 process, DuckDB", duck, folder / "duck.log")
            )
            results["calibration"] = calibration = calibrate(duck_app.url)
            print(f"calibration: {calibration}", flush=True)
            pg_app = running.enter_context(
                one_process("1 process, PostgreSQL", postgres, folder / "pg.log")
            )
            three = running.enter_context(
                replicas("3 replicas, PostgreSQL", 3, postgres, folder / "r3", None)
            )
            deployments = {
                "duckdb": (duck_app, None),
                "postgres": (pg_app, pg),
                "replicas": (three, pg),
            }
            paint = calibration["paint_s"]
            results.update(
                sweep(
                    deployments,
                    LEVELS,
                    paint,
                    repeat,
                    warmup,
                    window,
                    lambda rows: keep({**results, **rows}),
                )
            )
        keep(results)
        with contextlib.ExitStack() as running:
            one = running.enter_context(
                replicas("1 replica on core 0", 1, postgres, folder / "p1", [0])
            )
            two = running.enter_context(
                replicas("2 replicas on cores 0, 1", 2, postgres, folder / "p2", [0, 1])
            )
            pinned = {"pinned_1": (one, pg), "pinned_2": (two, pg)}
            results.update(
                sweep(
                    pinned,
                    PINNED_LEVELS,
                    paint,
                    repeat,
                    warmup,
                    window,
                    lambda rows: keep({**results, **rows}),
                )
            )
    finally:
        pg.cluster.stop()
    return results
