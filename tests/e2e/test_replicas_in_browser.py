"""Two replicas behind nginx on one PostgreSQL: one address, any replica honours a sign-in,
a write through one shows on the other, and the WebSocket passes through nginx.

The launcher is the one ``scripts/start.sh --replicas`` runs (``scripts/replicas.py``);
this starts it the way start.sh does after set-up: the demo loaded into an empty database
first, so migrations have run before any replica opens it. Chromium opens the app through
nginx (Streamlit draws nothing without its WebSocket) and then each replica directly:
cookies belong to a host, not a port, so the browser sends the session cookie it got
through nginx to both replicas on 127.0.0.1 as well.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import psycopg
import pytest

from geo.accounts.auth import load_actor
from geo.proposals import feedback
from geo.storage.db import Store
from tests.e2e.browsing import MAP_FRAME, leaflet, settle, sign_in
from tests.e2e.conftest import ROOT, _free_port, _wait_healthy
from tests.pg_cluster import Cluster, missing

RESIDENT, PASSWORD = "rosa@demo.example", "swings-at-dusk-2026"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def cluster():
    why = missing() or (None if Path(NGINX).exists() else "nginx is not installed")
    if why:
        pytest.skip(f"!!! REPLICAS NOT TESTED: {why} (scripts/test.sh installs both)")
    server = Cluster()
    yield server
    server.stop()


def _supporters_on_map(page, proposal_id: int) -> str:
    """The supporters and comments the map's tooltip gives for one initiative."""
    page.frame_locator(MAP_FRAME).locator(".marker-cluster").first.wait_for(timeout=60_000)
    return leaflet(page).evaluate(
        """id => { let found = null;
            map_div.eachLayer(l => { if (l.feature && l.feature.properties.feedback !== undefined
                && l.feature.properties.id === id) found = l.feature.properties.feedback; });
            return found; }""",
        proposal_id,
    )


def _a_proposal_to_support(url: str) -> tuple[int, int]:
    """A proposal the demo resident may support and has not yet, with its supporters now."""
    store = Store(url)
    try:
        user_id = store.value("SELECT id FROM users WHERE login = ?", [RESIDENT])
        resident = load_actor(store, int(user_id))
        for proposal_id, supports in store.rows(
            "SELECT i.id, (SELECT count(*) FROM supports s WHERE s.initiative_id = i.id) "
            "FROM initiatives i WHERE i.status = 'submitted' ORDER BY i.id"
        ):
            if feedback.may_support(store, resident, int(proposal_id)) and not (
                feedback.has_supported(store, resident, int(proposal_id))
            ):
                return int(proposal_id), int(supports)
    finally:
        store.close()
    raise AssertionError("the demo has no proposal the resident may support")


def test_two_replicas_behind_nginx_share_sign_in_and_writes(cluster, tmp_path, browser):
    """The worker's one browser (the e2e ``browser`` fixture): a second Playwright in the
    same process is refused while another test file's is open."""
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE safeplay")
    database = cluster.url("safeplay")
    env = {**os.environ, "SAFEPLAY_DATABASE_URL": database, "SAFEPLAY_TILES": "none"}
    subprocess.run(
        [sys.executable, "-m", "geo", "demo", "--if-empty"], cwd=ROOT, env=env, check=True
    )
    proposal_id, supporters = _a_proposal_to_support(database)

    run_dir = tmp_path / "run"
    port = _free_port()
    public = f"http://127.0.0.1:{port}"
    launcher = subprocess.Popen(
        [
            sys.executable,
            "scripts/replicas.py",
            *("--replicas", "2", "--port", str(port), "--run-dir", str(run_dir)),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_healthy(public, launcher, timeout=120)
        config = (run_dir / "nginx.conf").read_text()
        first, second = (
            f"http://127.0.0.1:{p}" for p in re.findall(r"server 127\.0\.0\.1:(\d+)", config)
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()

            # Through nginx: the page draws only once the WebSocket has been upgraded.
            sign_in(page, public, RESIDENT, PASSWORD)
            assert "Signed in as Rosa" in page.locator('[data-testid="stSidebar"]').inner_text()

            # Each replica directly, with the cookie the sign-in through nginx set.
            for replica in (first, second):
                page.goto(f"{replica}/account")
                page.get_by_role("heading", name="My account").wait_for(timeout=60_000)
                assert page.url == f"{replica}/account"  # not sent to the sign-in form
                sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
                assert "Signed in as Rosa" in sidebar, sidebar

            # The second replica caches the map at the current data version ...
            page.goto(second)
            settle(page)
            before = _supporters_on_map(page, proposal_id)
            assert before.startswith(f"{supporters} supporter"), before

            # ... the first records a support ...
            page.goto(f"{first}/proposals?id={proposal_id}")
            page.get_by_role("button", name="Support this proposal").click()
            page.get_by_role("button", name="Withdraw my support").wait_for(timeout=30_000)

            # ... and the second's next run shows it: the version moved in the database.
            page.goto(second)
            settle(page)
            after = _supporters_on_map(page, proposal_id)
            assert after.startswith(f"{supporters + 1} supporter"), after
        finally:
            context.close()
    finally:
        launcher.terminate()
        stopped = launcher.wait(timeout=30)
    assert stopped == 0
    for address in (public, first, second):  # TERM stopped nginx and both replicas
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{address}/_stcore/health", timeout=2)

    log = (run_dir / "access.log").read_text()
    upgraded = [line for line in log.splitlines() if '"GET /_stcore/stream' in line]
    assert upgraded and all('" 101 ' in line for line in upgraded), upgraded
    # Sticky: every request with one route cookie went to one replica.
    replicas_per_route: dict[str, set[str]] = {}
    for upstream, route in re.findall(r"upstream=(\S+) route=(\S+)", log):
        replicas_per_route.setdefault(route, set()).add(upstream)
    assert replicas_per_route and all(len(seen) == 1 for seen in replicas_per_route.values())


def test_start_refuses_replicas_on_duckdb_before_setting_anything_up():
    env = {k: v for k, v in os.environ.items() if k != "SAFEPLAY_DATABASE_URL"}
    refused = subprocess.run(
        ["bash", "scripts/start.sh", "--replicas", "2", "--database", "data/town.duckdb"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert refused.returncode == 2
    assert "--replicas needs PostgreSQL" in refused.stderr
    assert "one process write its file" in refused.stderr
    assert refused.stdout == ""  # refused before the set-up ran
