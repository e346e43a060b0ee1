"""AppTest fixtures: the app's entry file and a private copy of the demo database."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.accounts.auth import load_actor
from geo.permissions import VISITOR, Actor
from tests.stores import point_at
from ui.common import _open, store

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def database(places, demo_location, monkeypatch):
    """A private copy of the demo town, on each store kind, that the app under test opens."""
    copy = places.copy(demo_location)
    point_at(monkeypatch, copy)
    monkeypatch.setenv("SAFEPLAY_TILES", "none")
    yield copy
    store().close()  # the app's cached Store of this copy holds connections on PostgreSQL
    _open.clear()
    places.drop(copy)


def read(markdown: str) -> str:
    """What a person reads of an element's Markdown: AppTest gives the source, where text
    that passed ``geo.escape.for_markdown`` still carries its escapes and word joiners."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def person(login: str) -> Actor:
    """The signed-in form of a demo account, read from the app's own database."""
    row = store().cursor().execute("SELECT id FROM users WHERE login = ?", [login]).fetchone()
    return load_actor(store(), row[0])


def open_page(actor: Actor, page: str, **query: str) -> AppTest:
    """Run ``page`` as ``actor`` with ``query`` in the address; fail on any exception."""
    at = AppTest.from_file(ENTRY, default_timeout=60)
    if actor is not VISITOR:  # AppTest has no cookies: the test seam of ui/session.py
        at.session_state["actor"] = actor
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at
