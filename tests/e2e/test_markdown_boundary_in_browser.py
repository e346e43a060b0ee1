"""Markdown in every stored text, viewed by a visitor, a leader, a council officer and an
administrator in real Chromium (one case each, over one planted server): no image is fetched
from another host and no link, colour, bold or formula is rendered from it.

A logging server on 127.0.0.1 stands in for the outside host. Every text column people or
imports fill is given a payload naming its table and column, so a leak names its source.
Figure for docs/reliability.md: columns × pages × people, requests that reached the
logging server (0), elements rendered from the payload (0).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import quote

import pytest

from geo.accountability import events, progress, recognition
from geo.accounts.auth import load_actor
from geo.io.demo import DEMO_ACCOUNTS
from geo.permissions import Actor
from geo.proposals import feedback
from geo.safeguarding import concerns, voices
from geo.storage.db import Store
from tests.e2e.browsing import settle, sign_in
from tests.e2e.conftest import running_app
from ui.session import utc_now

pytestmark = pytest.mark.e2e

# Columns the code reads as values, not as text to show (statuses, kinds, logins…).
NOT_TEXT = {
    "code",
    "level",
    "source",
    "status",
    "from_status",
    "to_status",
    "state",
    "from_state",
    "to_state",
    "kind",
    "category",
    "item_kind",
    "result",
    "inspection_result",
    "wheelchair",
    "age_band",
    "theme",
    "login",
    "password_hash",
    "role",
    "target_kind",  # follows: what is followed, a code
    "batch",  # outbox: when an e-mail goes, a code
    "choice",  # email_choices: now, daily, weekly, off
    "event",  # newsletter_log: set, paused, resumed, sent, skipped, test
}
# Pages each person opens; {running}, {submitted} and {place} are records seeded below.
PAGES = {
    "visitor": [
        "",
        "?place={place}",
        "proposals?id={submitted}",
        "initiatives_under_way?id={running}",
        "partners",
        "newsletter",
        "voices",
        "events",
        "report_concern?place={place}",
        "have_your_say",
    ],
    "leader": ["initiatives_under_way?id={running}", "my_proposals", "needs_me", "propose"],
    "council": [
        "review?id={submitted}",
        "moderation",
        "concerns",
        "inspections",
        "workspace",
        "wards",
        "play_gaps",
        "newsletter",
        "account",
    ],
    "admin": ["users", "account"],
}
ACCOUNTS = {role: (login, password) for login, _name, role, password in DEMO_ACCOUNTS}


class _Logger(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Logger.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads ``requests``."""


@pytest.fixture(scope="module")
def logging_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Logger)
    _Logger.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def payload(host: str, source: str) -> str:
    return (
        f" ![i](http://{host}/{source}.png) [Report a child at risk here](http://{host}/link)"
        f" <img src=http://{host}/{source}.html.png> :red[**URGENT**] $x^2$ :material/home:"
    )


def _account(store: Store, login: str) -> Actor:
    query = "SELECT id FROM users WHERE login = ?"
    return load_actor(store, store.cursor().execute(query, [login]).fetchone()[0])


def seed(store: Store) -> dict[str, int]:
    """What the demo town lacks, through the services people use: a published and a held
    voice, a concern with a public note, an event, thanks, a done milestone, comments."""
    now = utc_now()
    query = store.cursor().execute
    leo, olu = _account(store, "leo@demo.example"), _account(store, "olu@demo.example")
    running = query(
        "SELECT id FROM initiatives WHERE owner_id = ? AND status = 'in_progress' "
        "ORDER BY id LIMIT 1",
        [leo.user_id],
    ).fetchone()[0]
    submitted = query(
        "SELECT id FROM initiatives WHERE status = 'submitted' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    place, lon, lat = query(
        "SELECT id, ST_X(ST_PointOnSurface(geom)), "
        "ST_Y(ST_PointOnSurface(geom)) FROM places ORDER BY id LIMIT 1"
    ).fetchone()
    published = voices.submit_voice(store, "More swings by the pond please", now, lon=lon, lat=lat)
    voices.moderate_voice(store, olu, published, "published", None, now)
    voices.submit_voice(store, "Call me on 07700 900123 about the slide", now, lon=lon, lat=lat)
    concern = concerns.report_concern(store, place, "broken_equipment", "Broken swing seat", now)
    concerns.update_concern(store, olu, concern, "investigating", "We are looking at it", now)
    events.post_event(
        store,
        leo,
        "Play day in the park",
        "play_day",
        now + timedelta(days=3),
        None,
        "Leo",
        lon,
        lat,
        now,
        initiative_id=running,
    )
    recognition.thank(store, leo, running, "Sam Green", "Mended the fence", True, True, now)
    step = progress.add_milestone(store, leo, running, "Paint the benches", "Leo", None, now)
    progress.complete_milestone(store, leo, step, "All four painted", now)
    progress.post_checkin(
        store,
        leo,
        running,
        "Benches painted",
        now,
        progress=60,
        blocked="Waiting for paint",
        next_step="Fence",
    )
    feedback.add_comment(store, olu, submitted, "Looks good to me", now)
    return {"running": running, "submitted": submitted, "place": place}


def plant(database, host: str) -> tuple[list[str], dict[str, int]]:
    """Seed what the demo lacks, then append a payload to every text value people or
    imports write; the columns planted and the records to open."""
    store = Store(database)
    records = seed(store)
    cursor = store.cursor()
    columns = cursor.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE data_type IN ('VARCHAR', 'VARCHAR[]') ORDER BY 1, 2"
    ).fetchall()
    planted = []
    for table, column, kind in columns:
        if column in NOT_TEXT:
            continue
        rows = cursor.execute(
            f'SELECT rowid, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
        ).fetchall()
        added = payload(host, f"{table}.{column}")
        for rowid, value in rows:
            changed = [v + added for v in value] if kind == "VARCHAR[]" else value + added
            cursor.execute(
                f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                [changed, rowid],
            )
        if rows:
            planted.append(f"{table}.{column}")
    store.close()
    return planted, records


RENDERED = """(host) => {
    const docs = [document, ...Array.from(document.querySelectorAll('iframe'))
        .map(f => { try { return f.contentDocument; } catch (e) { return null; } })
        .filter(Boolean)];
    const found = [];
    for (const doc of docs) {
        for (const el of doc.querySelectorAll('img[src], a[href], source[srcset]')) {
            const target = el.getAttribute('src') || el.getAttribute('href') || '';
            if (target.includes(host)) found.push(el.outerHTML.slice(0, 120));
        }
        for (const el of doc.querySelectorAll('strong, b, .katex, [class*=material]')) {
            const shown = el.textContent.trim();  // rendered from **URGENT** or $x^2$
            if ((shown === 'URGENT' || el.matches('.katex')) && el.closest('[data-testid]'))
                found.push(el.outerHTML.slice(0, 120));
        }
    }
    return found;
}"""


def rendered_from_payload(page, host: str) -> list[str]:
    return page.evaluate(RENDERED, host)


FINISHED = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    return app && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-testid=stSkeleton]');
}"""


SCROLL_TO_END = """() => {
    for (const box of [document.querySelector('[data-testid=stMain]'), document.scrollingElement])
        if (box) box.scrollTo(0, box.scrollHeight);
}"""


def visit(page, url: str, path: str, host: str) -> list[str]:
    """Open ``path`` and wait until its script has run to the end and every element is
    drawn (a busy machine can take seconds), then scroll through it so lazy parts load."""
    answer = page.goto(f"{url}/{path}")
    assert "img-src 'self'" in answer.headers.get("content-security-policy", "")
    page.get_by_role("link", name="Explore the map").wait_for(timeout=60_000)
    settle(page)
    page.wait_for_function(FINISHED, timeout=90_000)
    page.evaluate(SCROLL_TO_END)
    settle(page)
    return [f"{path or 'explore'}: {found}" for found in rendered_from_payload(page, host)]


@pytest.fixture(scope="module")
def planted_app(demo_db_file, tmp_path_factory, logging_server) -> Iterator[tuple]:
    """One server over one planted database for every person's pages, as when they were one
    test: planting and starting it cost more than a person's visits."""
    scratch = tmp_path_factory.mktemp("markdown")
    database = scratch / "markdown.duckdb"
    shutil.copy(demo_db_file, database)
    planted, records = plant(database, logging_server)
    with running_app(database, scratch) as url:
        yield url, planted, records


@pytest.mark.parametrize("role", PAGES)
def test_markdown_in_stored_text_reaches_no_screen(role, planted_app, new_page, logging_server):
    url, planted, records = planted_app
    leaks: list[str] = []
    refused: list[str] = []  # the policy had to stop something (or broke the page)
    person = new_page()
    person.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    if role != "visitor":
        sign_in(person, url, *ACCOUNTS[role])
    paths = [path.format(**records) for path in PAGES[role]]
    if role == "council":  # a shared link that quotes Markdown back in an error box
        paths.append(f"workspace?status={quote(payload(logging_server, 'address').strip())}")
    for path in paths:
        leaks += visit(person, url, path, logging_server)
    print(
        f"\nmarkdown boundary ({role}): {len(planted)} text columns x {len(paths)} page views, "
        f"{len(_Logger.requests)} requests reached the logging server, "
        f"{len(leaks)} elements rendered from a payload, {len(refused)} refused by the policy"
    )
    assert len(planted) >= 30
    assert not leaks, "\n".join(leaks)
    assert _Logger.requests == []  # never cleared: a late request fails the next case too
    assert refused == []
