"""Hostile text in every user-facing field, rendered by the real app in real Chromium: no
dialog, no script, no template evaluated on the server, and the text shown as text.

Figure for docs/reliability.md: payloads × fields stored, pages opened, executions (0).
"""

import json
import shutil
from datetime import timedelta

import pytest
import shapely

from geo.accountability import events, partners, progress, recognition
from geo.accounts.auth import load_actor
from geo.io import imports
from geo.permissions import COMMAND_LINE
from geo.proposals import feedback, workflow
from geo.proposals.form import ProposalForm
from geo.registry import places
from geo.safeguarding import voices
from geo.storage.db import Store
from tests.e2e.browsing import MAP_FRAME, choose, map_frames, settle
from tests.e2e.conftest import running_app
from ui.session import utc_now

pytestmark = pytest.mark.e2e

PAYLOADS = [
    '<script>alert("x1")</script>',
    '<img src=x onerror=alert("x2")>',
    '<svg onload=alert("x3")>',
    '"><script>alert("x4")</script>',
    'javascript:alert("x5")',
    "<a href=\"javascript:alert('x6')\">click</a>",
    '${alert("x7")}',
    '`${alert("x8")}`',
    "{{ 191*7 }}x",
    "{% for i in range(3) %}Q{% endfor %}",
    "{{ cycler.__init__.__globals__.os.popen('echo PWNED-$((6*7))').read() }}",
    "<iframe src=\"javascript:alert('x12')\">",
    '<body onload=alert("x13")>',
    '<details open ontoggle=alert("x14")>',
    '\'; alert("x15"); //',
    "\u202eRTL gnp.exe override",
    "a\u200bl\u200be\u200brt zero-width",
    "<style>body{display:none}</style>",
    '[click](javascript:alert("x20"))',
    "**bold** _it_ # heading",
    '<b onmouseover=alert("x22")>hover</b>',
    "&lt;script&gt;",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "<marquee>Δ ünïcödé 🛝</marquee>",
]
EVALUATED = ("1337x", "QQQ", "PWNED-42")  # what the server would print had it run a template
FIELDS = (
    "place name",
    "imported description",
    "proposal title",
    "proposal summary",
    "comment",
    "partner name",
    "voice",
    "event title",
    "milestone",
    "check-in",
    "thank-you name",
)


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]


def plant(database) -> int:
    """Put every payload into every field, through the services people use."""
    store = Store(database)
    now = utc_now()
    query = store.cursor().execute
    leo = load_actor(
        store, query("SELECT id FROM users WHERE login = 'leo@demo.example'").fetchone()[0]
    )
    olu = load_actor(
        store, query("SELECT id FROM users WHERE login = 'olu@demo.example'").fetchone()[0]
    )
    centre = shapely.from_wkt(
        query(
            "SELECT ST_AsText(ST_PointOnSurface(geom)) FROM areas WHERE level = 'ward' "
            "ORDER BY id LIMIT 1"
        ).fetchone()[0]
    )
    running = query(
        "SELECT id FROM initiatives WHERE owner_id = ? AND status = 'in_progress'", [leo.user_id]
    ).fetchone()[0]
    planted = 0
    for n, payload in enumerate(PAYLOADS):
        spot = shapely.Point(centre.x + n * 0.0004, centre.y)
        places.add_places(
            store,
            COMMAND_LINE,
            [places.PlaceRecord(short(payload, 120), "playground", spot, "hostile-test", f"h{n}")],
        )
        form = ProposalForm(
            title=short(f"P{n} {payload}", 120),
            summary=f"Summary {payload} " * 2,
            kind="event",
            partners=(short(payload, 120),),
        )
        proposal = workflow.save_draft(store, leo, form, spot, now)
        workflow.submit(store, leo, proposal, now)
        feedback.add_comment(store, olu, proposal, payload, now)
        partners.save_partner(
            store, olu, short(f"Partner {payload}", 120), "ngo", payload, None, (), now
        )
        voice = voices.submit_voice(
            store, f"Idea {payload}", now, place_id=None, lon=spot.x, lat=spot.y
        )
        voices.moderate_voice(store, olu, voice, "published", None, now)
        events.post_event(
            store,
            leo,
            short(f"E{n} {payload}", 120),
            "play_day",
            now + timedelta(days=3),
            None,
            "Leo",
            spot.x,
            spot.y,
            now,
        )
        progress.add_milestone(store, leo, running, short(payload, 200), None, None, now)
        progress.post_checkin(store, leo, running, payload, now)
        if 2 <= len(payload) <= 80:
            recognition.thank(store, leo, running, payload, "Helped", True, True, now)
        planted += len(FIELDS)
    feature_rows = [
        {
            "type": "Feature",
            "properties": {
                "name": f"Imported {n}",
                "id": f"i{n}",
                "description": payload,
                "operator": short(payload, 120),
            },
            "geometry": {"type": "Point", "coordinates": [centre.x - n * 0.0004, centre.y + 0.001]},
        }
        for n, payload in enumerate(PAYLOADS)
    ]
    source = database.parent / "hostile.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": feature_rows}))
    imports.import_places(store, COMMAND_LINE, source, id_field="id")
    store.close()
    return planted


def open_every_tooltip(page) -> int:
    """Hover every feature of every map on the page; return how many were hovered."""
    hovered = 0
    for frame in map_frames(page):
        hovered += frame.evaluate(
            """() => { let n = 0;
                map_div.eachLayer(layer => {
                    if (layer.getTooltip && layer.getTooltip() && layer.getLatLng) {
                        layer.openTooltip(); n++; }
                    if (layer.feature && (layer.getLatLng || layer.getBounds)) {
                        const at = layer.getLatLng ? layer.getLatLng()
                                                   : layer.getBounds().getCenter();
                        layer.fire('mouseover', {latlng: at}, true); n++; }
                });
                return n; }"""
        )
    return hovered


def test_hostile_text_in_every_field_runs_nothing_anywhere(demo_db_file, tmp_path, new_page):
    database = tmp_path / "hostile.duckdb"
    shutil.copy(demo_db_file, database)
    planted = plant(database)
    pages = ["", "proposals", "initiatives_under_way", "partners", "newsletter", "voices", "events"]
    with running_app(database, tmp_path) as url:
        browser_page = new_page()
        hovered = 0
        for path in pages:
            browser_page.goto(f"{url}/{path}")
            browser_page.get_by_role("link", name="Explore the map").wait_for(timeout=60_000)
            settle(browser_page)
            if browser_page.locator(MAP_FRAME).count():
                the_map = browser_page.frame_locator(MAP_FRAME).first
                the_map.locator(".leaflet-container").wait_for(timeout=60_000)
                hovered += open_every_tooltip(browser_page)
            if path == "proposals":
                choose(browser_page, "Open a", "P1 ")
                heading = browser_page.locator("h2", has_text="P1 ").first.text_content()
                assert heading == f"P1 {PAYLOADS[1]}"  # shown literally, as typed
            if path == "initiatives_under_way":
                choose(browser_page, "Open an", "Safe")
            content = browser_page.content() + "".join(f.content() for f in browser_page.frames)
            for word in EVALUATED:
                assert word not in content, f"{path}: a template was evaluated ({word})"
            assert browser_page.locator("marquee, details[open][ontoggle]").count() == 0
        executions = len(browser_page.dialogs) + len(browser_page.errors)
        tried = f"{len(PAYLOADS)} payloads x {len(FIELDS)} fields = {planted} stored"
        print(
            f"\nhostile text: {tried}, {len(pages)} pages, {hovered} tooltips opened, "
            f"{executions} executions"
        )
        assert executions == 0, (browser_page.dialogs, browser_page.errors)
        assert len(PAYLOADS) >= 20 and hovered > 50
