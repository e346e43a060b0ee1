"""The sign-in, sign-up and sign-out routes and the page-load gate, over plain HTTP."""

import re
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from geo.accounts import sessions
from geo.accounts.auth import MAX_FAILURES
from ui.common import store
from ui.session import CSRF_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE
from ui.session_routes import SessionGate, middleware, routes

COUNCIL = ("olu@demo.example", "play-strategy-review")


@pytest.fixture
def client(database):
    app = Starlette(routes=routes(), middleware=middleware())
    app.add_route("/{page}", lambda request: PlainTextResponse("the app"))
    app.add_route("/", lambda request: PlainTextResponse("the app"))
    with TestClient(app, follow_redirects=False) as opened:
        yield opened


def form_token(client, path="/session/sign-in") -> str:
    page = client.get(path)
    field = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.cookies[CSRF_COOKIE] == field
    return field


def sign_in(client, login, password, next_path="/", **headers):
    data = {"login": login, "password": password, "csrf": form_token(client), "next": next_path}
    return client.post("/session/sign-in", data=data, headers=headers)


def session_rows() -> int:
    return store().cursor().execute("SELECT count(*) FROM sessions").fetchone()[0]


def test_signing_in_sets_an_http_only_lax_cookie_and_goes_where_the_person_was_going(client):
    answer = sign_in(client, *COUNCIL, next_path="/workspace?status=approved&kind=route")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/workspace?status=approved&kind=route"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    token = client.cookies[SESSION_COOKIE]
    resolved = sessions.resolve(store(), token, sessions.utc_now())
    assert resolved.user_id is not None


def test_behind_https_the_cookie_is_secure(client):
    answer = sign_in(client, *COUNCIL, **{"x-forwarded-proto": "https"})
    assert "Secure" in answer.headers["set-cookie"]


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/session/sign-out",
    ],
)
def test_after_signing_in_only_a_path_on_this_site_is_followed(client, target):
    # Home, or the welcome on an account's first sign-in: never the target given.
    location = sign_in(client, *COUNCIL, next_path=target).headers["location"]
    assert location in ("/", "/account?welcome=1")


def test_a_wrong_password_keeps_the_login_says_so_and_never_echoes_the_password(client):
    answer = sign_in(client, "olu@demo.example", "not the password <b>")
    assert answer.status_code == 401
    assert "Wrong login or password." in answer.text
    assert 'value="olu@demo.example"' in answer.text
    assert "not the password" not in answer.text
    assert SESSION_COOKIE not in client.cookies and session_rows() == 0


def test_typed_text_is_escaped_on_the_form(client):
    answer = sign_in(client, '"><img src=x onerror=alert(1)>', "whatever it is")
    assert "<img" not in answer.text and "&lt;img" in answer.text


def test_lock_out_still_applies_through_the_form(client):
    for attempt in range(MAX_FAILURES):
        answer = sign_in(client, COUNCIL[0], f"a wrong password {attempt}")
    assert "Too many failed sign-ins" in answer.text
    answer = sign_in(client, *COUNCIL)  # the right password, still locked
    assert answer.status_code == 401 and "locked until" in answer.text


def test_a_form_without_this_browsers_token_is_refused(client):
    form_token(client)
    data = {"login": COUNCIL[0], "password": COUNCIL[1], "csrf": "forged"}
    assert client.post("/session/sign-in", data=data).status_code == 403
    assert session_rows() == 0


def test_a_form_posted_from_another_site_is_refused(client):
    answer = sign_in(client, *COUNCIL, origin="https://evil.example")
    assert answer.status_code == 403 and session_rows() == 0


def test_signing_out_ends_the_session_and_clears_the_cookie(client):
    sign_in(client, *COUNCIL)
    token = client.cookies[SESSION_COOKIE]
    answer = client.post("/session/sign-out", data={"csrf": client.cookies[CSRF_COOKIE]})
    assert answer.status_code == 303 and SESSION_COOKIE not in client.cookies
    assert sessions.resolve(store(), token, sessions.utc_now()).ended == sessions.SIGNED_OUT


def test_signing_out_needs_the_form_token(client):
    sign_in(client, *COUNCIL)
    token = client.cookies[SESSION_COOKIE]
    assert client.post("/session/sign-out", data={"csrf": "forged"}).status_code == 403
    assert sessions.resolve(store(), token, sessions.utc_now()).user_id is not None


def test_creating_an_account_answers_the_same_as_a_taken_login_then_welcomes(client):
    def create(login: str) -> str:
        data = {
            "login": login,
            "name": "Pat",
            "password": "swings and roundabouts",
            "again": "swings and roundabouts",
            "csrf": form_token(client, "/session/sign-up"),
        }
        answer = client.post("/session/sign-up", data=data)
        assert answer.status_code == 200 and SESSION_COOKIE not in client.cookies
        return answer.text.replace(login, "LOGIN")

    assert create("pat") == create(COUNCIL[0])  # a stranger learns nothing from the form
    data = {
        "login": "pat",
        "password": "swings and roundabouts",
        "csrf": form_token(client, "/session/sign-in"),
    }
    answer = client.post("/session/sign-in", data=data)
    assert answer.status_code == 303 and answer.headers["location"] == "/account?welcome=1"
    resolved = sessions.resolve(store(), client.cookies[SESSION_COOKIE], sessions.utc_now())
    login = (
        store()
        .cursor()
        .execute("SELECT login FROM users WHERE id = ?", [resolved.user_id])
        .fetchone()[0]
    )
    assert login == "pat"
    sign_out_and_in = client.post(
        "/session/sign-in", data={**data, "csrf": form_token(client, "/session/sign-in")}
    )
    assert sign_out_and_in.headers["location"] == "/"  # welcomed once, on the first sign-in


def test_an_account_error_keeps_every_field_but_the_passwords(client):
    data = {
        "login": "pat",
        "name": "Pat <Parent>",
        "password": "swings and roundabouts",
        "again": "swings and slides",
        "minor": "on",
        "csrf": form_token(client, "/session/sign-up"),
    }
    answer = client.post("/session/sign-up", data=data)
    assert answer.status_code == 400 and "The two passwords differ." in answer.text
    assert 'value="pat"' in answer.text and 'value="Pat &lt;Parent&gt;"' in answer.text
    assert 'name="minor" checked' in answer.text
    assert "roundabouts" not in answer.text and "slides" not in answer.text


def test_a_link_behind_sign_in_opened_signed_out_goes_to_the_form_with_its_query(client):
    answer = client.get("/workspace?status=approved&ward=3")
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        "/session/sign-in?next=%2Fworkspace%3Fstatus%3Dapproved%26ward%3D3"
    )
    form = client.get(answer.headers["location"])
    assert "Sign in to open the page this link points to." in form.text
    assert 'name="next" value="/workspace?status=approved&amp;ward=3"' in form.text
    assert client.get("/proposals").text == "the app"  # public pages are not gated


def test_a_live_session_passes_the_gate_and_an_ended_one_is_cleared(client):
    sign_in(client, *COUNCIL)
    assert client.get("/workspace").text == "the app"
    token = client.cookies[SESSION_COOKIE]
    sessions.end_all(
        store(), sessions.resolve(store(), token, sessions.utc_now()).user_id, sessions.DEACTIVATED
    )
    answer = client.get("/proposals")
    assert answer.text == "the app" and f"{SESSION_COOKIE}=;" in answer.headers["set-cookie"]
    assert client.get("/workspace").status_code == 303


def test_an_idle_session_no_longer_opens_pages_behind_sign_in(client, monkeypatch):
    sign_in(client, *COUNCIL)
    later = sessions.utc_now() + timedelta(hours=1)
    monkeypatch.setattr(sessions, "utc_now", lambda: later)
    assert client.get("/workspace").status_code == 303


def test_the_gate_leaves_streamlits_own_requests_alone(database):
    seen = []

    async def downstream(scope, receive, send):
        seen.append(scope["path"])
        await PlainTextResponse("ok")(scope, receive, send)

    gate = TestClient(SessionGate(downstream), follow_redirects=False)
    for path in ("/_stcore/health", "/static/js/x.js", "/app/static/leaflet.js"):
        assert gate.get(path).status_code == 200
    assert len(seen) == 3


def test_a_language_link_keeps_the_language_in_a_cookie_the_page_script_may_rewrite(client):
    answer = client.get("/session/language", params={"to": "cy", "next": "/explore_map?place=3"})
    assert answer.status_code == 303 and answer.headers["location"] == "/explore_map?place=3"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=cy;") and "HttpOnly" not in cookie
    assert "SameSite=Lax" in cookie and "Max-Age=" in cookie


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/session/x"])
def test_a_language_link_goes_on_only_to_this_site(client, target):
    answer = client.get("/session/language", params={"to": "de", "next": target})
    assert answer.headers["location"] == "/"


def test_a_language_link_on_the_form_comes_back_to_the_form(client):
    answer = client.get(
        "/session/language", params={"to": "fr", "next": "/session/sign-in?next=%2Fworkspace"}
    )
    assert answer.headers["location"] == "/session/sign-in?next=%2Fworkspace"


def test_the_forms_speak_the_link_then_the_cookie_then_the_browser(client):
    german = client.get("/session/sign-in", headers={"accept-language": "pt, de-DE;q=0.8"})
    assert '<html lang="de">' in german.text and "Anmelden" in german.text
    client.cookies.set(LANGUAGE_COOKIE, "cy")
    welsh = client.get("/session/sign-up", headers={"accept-language": "de"})
    assert '<html lang="cy">' in welsh.text and "Creu cyfrif" in welsh.text
    french = client.get("/session/sign-in?lang=fr")
    assert '<html lang="fr">' in french.text and "Mot de passe" in french.text
    # Each other language, named in itself, with the form's own query kept and lang dropped.
    assert 'hreflang="cy"' in french.text and "Cymraeg" in french.text
    assert "to=fr" not in french.text


def test_a_refused_form_speaks_the_readers_language(client):
    client.cookies.set(LANGUAGE_COOKIE, "es")
    answer = client.post("/session/sign-in", data={"login": "x", "password": "y", "csrf": "z"})
    assert answer.status_code == 403 and "Inténtelo de nuevo" in answer.text
