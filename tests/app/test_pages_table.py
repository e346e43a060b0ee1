"""The table of pages is the only list: every page file is in it once, the navigation is
built from it alone, and every page it keeps from visitors is behind the sign-in gate."""

import ast
from collections import Counter
from pathlib import Path

import pytest
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from geo.permissions import ROLES, VISITOR, Actor
from ui.pages_table import PAGES, menu
from ui.session_routes import SessionGate

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_file_is_in_the_table_exactly_once():
    files = Counter(page.file for page in PAGES)
    on_disk = {f"app_pages/{path.name}" for path in (ROOT / "app_pages").glob("*.py")}
    assert set(files) == on_disk
    assert all(n == 1 for n in files.values()), files
    assert len({page.url_path for page in PAGES}) == len(PAGES)


def test_the_navigation_makes_pages_only_from_the_table():
    """A page written into streamlit_app.py by hand would escape the gate's list."""
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "Page":
            first = call.args[0]
            assert not isinstance(first, ast.Constant), f"st.Page({first.value!r}) by hand"


@pytest.fixture
def gate():
    async def the_app(scope, receive, send):
        await PlainTextResponse("the app")(scope, receive, send)

    return TestClient(SessionGate(the_app), follow_redirects=False)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_every_page_a_visitor_is_not_shown_is_behind_the_sign_in_gate(gate, role):
    actor = Actor(role=role, login=f"{role}@x", display_name=role)
    visitors = {page.url_path for listed in menu(VISITOR).values() for page in listed}
    for listed in menu(actor).values():
        for page in listed:
            if page.url_path in visitors:
                assert gate.get(f"/{page.url_path}").text == "the app"
            else:
                answer = gate.get(f"/{page.url_path}?id=3")
                assert answer.status_code == 303, page.file
                assert answer.headers["location"].startswith("/session/sign-in?next=")
