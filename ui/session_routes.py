"""Sign in, create an account and sign out: plain HTML forms served beside the Streamlit app.

A Streamlit script cannot set a cookie (it talks to the browser over a WebSocket), so
these run as Starlette routes in the same process (``server.py``, ``st.App(routes=…)``).
A form posts here; on success the response sets the session cookie — HttpOnly, so page
scripts never see it; SameSite=Lax, so other sites' requests do not carry it; Secure when
the app is reached over HTTPS — and redirects (303) to the page the person was going to.

Every form is protected against cross-site posting twice: a random token in a cookie
(SameSite=Strict) must equal the form's hidden field, and a browser's ``Origin`` header,
when sent, must name this host. The page to go to afterwards is only ever a path on this
site (no open redirect). Errors show the message and keep what was typed, passwords
excepted; everything shown is escaped with ``html.escape``.

``SessionGate`` runs before Streamlit on every page load: a signed-out visitor opening a
link to a page behind sign-in is sent to the sign-in form (so Streamlit never answers
"Page not found"), and a cookie whose session has ended is cleared.
"""

from __future__ import annotations

import hmac
import secrets
from html import escape
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from geo import i18n
from geo.accounts import auth, sessions
from geo.accounts.rate_limits import Client, client_address, trusted_proxies
from geo.errors import SafePlayError
from geo.i18n import t
from ui.common import store
from ui.links import in_language
from ui.pages_table import SIGNED_IN_PAGES
from ui.session import (
    CSRF_COOKIE,
    LANGUAGE_COOKIE,
    LANGUAGE_COOKIE_DAYS,
    LANGUAGE_PATH,
    SESSION_COOKIE,
    SIGN_IN_PATH,
    SIGN_OUT_PATH,
    SIGN_UP_PATH,
    SIGN_UP_TEXT,
)

WELCOME_PATH = "/account?welcome=1"
KEEP_LANGUAGE = LANGUAGE_COOKIE_DAYS * 86400  # seconds
_NOT_PAGES = ("_stcore", "static", "component", "media", "app", "session", "auth")
_STREAMLIT_LOGIN_COOKIE = "_streamlit_user"  # st.login's cookie: single sign-on


def routes() -> list[Route]:
    return [
        Route(SIGN_IN_PATH, sign_in, methods=["GET", "POST"]),
        Route(SIGN_UP_PATH, sign_up, methods=["GET", "POST"]),
        Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
        Route(LANGUAGE_PATH, choose_language, methods=["GET"]),
    ]


def middleware() -> list[Middleware]:
    return [Middleware(SessionGate)]


def request_address(request: Request) -> str | None:
    """The address a request came from, for rate limits (``X-Forwarded-For`` only behind
    the trusted proxies, ``geo.accounts.rate_limits.trusted_proxies``)."""
    return client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        trusted_proxies(),
    )


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the home page: never another host."""
    if not target or len(target) > 2000 or any(ord(c) < 32 or c == "\\" for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if parts.path.startswith("/session/"):
        return "/"
    return target


def request_language(request: Request) -> str:
    """The language a plain page speaks: ``?lang=``, the cookie ``safeplay_lang``, then the
    browser's ``Accept-Language`` in its order of preference (as ``ui/language.py`` does in
    the app, less the account: these pages are for people not signed in)."""
    offered = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, weight = part.strip().partition(";q=")
        try:
            offered.append((-float(weight or 1), len(offered), tag))
        except ValueError:
            continue
    return i18n.choose(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        *(tag for _, _, tag in sorted(offered)),
    )


async def choose_language(request: Request) -> Response:
    """``/session/language?to=cy&next=/explore_map``: keep the language in the cookie and go
    on to ``next`` (a path on this site). Readable by the page's script, unlike the session
    cookie: the picker in the app writes the same cookie from the browser."""
    chosen = i18n.choose(request.query_params.get("to"))
    response = RedirectResponse(_back_to(request.query_params.get("next")), status_code=303)
    response.headers.append(
        "set-cookie",
        _cookie(request, LANGUAGE_COOKIE, chosen, max_age=KEEP_LANGUAGE, script_reads=True),
    )
    return response


def _back_to(wanted: str | None) -> str:
    """Where the language link goes on: a page of the app (``safe_next``), or back to the
    sign-in or sign-up form it was pressed on (``safe_next`` refuses /session/ paths, so a
    form never sends a person back to itself after signing in)."""
    parts = urlsplit(wanted or "")
    if parts.path in (SIGN_IN_PATH, SIGN_UP_PATH) and wanted:
        rest = "/" + wanted.removeprefix("/session/")
        if safe_next(rest) == rest:
            return wanted
    return safe_next(wanted)


async def sign_in(request: Request) -> Response:
    with i18n.speaking(request_language(request)):
        return await _sign_in(request)


async def sign_up(request: Request) -> Response:
    with i18n.speaking(request_language(request)):
        return await _sign_up(request)


async def _sign_in(request: Request) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return _sign_in_page(request, next_path, login="", error=None)
    form = await request.form()
    next_path = safe_next(str(form.get("next", "")))
    login = str(form.get("login", ""))
    refused = _refuse_cross_site(request, form.get("csrf"))
    if refused:
        return refused
    try:
        actor = await run_in_threadpool(
            auth.authenticate, store(), login, str(form.get("password", "")), sessions.utc_now()
        )
    except SafePlayError as error:
        return _sign_in_page(request, next_path, login=login, error=str(error), status=401)
    if next_path == "/" and await run_in_threadpool(
        sessions.first_sign_in, store(), int(actor.user_id)
    ):
        next_path = WELCOME_PATH
    return await _signed_in(request, int(actor.user_id), next_path)


async def _sign_up(request: Request) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return _sign_up_page(request, next_path, {}, error=None)
    form = await request.form()
    next_path = safe_next(str(form.get("next", "")))
    typed = {name: str(form.get(name, "")) for name in ("login", "name", "minor")}
    refused = _refuse_cross_site(request, form.get("csrf"))
    if refused:
        return refused
    password, again = str(form.get("password", "")), str(form.get("again", ""))
    if password != again:
        return _sign_up_page(request, next_path, typed, t("The two passwords differ."), status=400)
    sender = Client(
        session=request.cookies.get(CSRF_COOKIE, ""),
        address=request_address(request),
    )
    try:
        await run_in_threadpool(
            lambda: auth.sign_up(
                store(),
                typed["login"],
                typed["name"],
                password,
                typed["minor"] == "on",
                client=sender,
                now=sessions.utc_now(),
            )
        )
    except SafePlayError as error:
        return _sign_up_page(request, next_path, typed, str(error), status=400)
    # The same answer whether or not the login was free: sign in next, welcomed then.
    answer = t(auth.SIGN_UP_ANSWER)
    return _sign_in_page(request, next_path, typed["login"], None, notice=answer)


async def sign_out(request: Request) -> Response:
    form = await request.form()
    with i18n.speaking(request_language(request)):
        refused = _refuse_cross_site(request, form.get("csrf"))
    if refused:
        return refused
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(sessions.end, store(), token, sessions.utc_now())
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=over_https(request), httponly=True)
    return response


class SessionGate:
    """Before Streamlit answers a page load: links behind sign-in need a live session."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        segments = [s for s in scope["path"].split("/") if s]
        if len(segments) > 1 or (segments and (segments[0] in _NOT_PAGES or "." in segments[0])):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(SESSION_COOKIE)
        alive = False
        if token:
            resolved = await run_in_threadpool(sessions.resolve, store(), token, sessions.utc_now())
            alive = resolved.user_id is not None
        page = segments[0] if segments else ""
        if page in SIGNED_IN_PAGES and not alive and not _sso_cookie(request):
            wanted = scope["path"] + (f"?{request.url.query}" if request.url.query else "")
            await RedirectResponse(
                f"{SIGN_IN_PATH}?{urlencode({'next': wanted})}", status_code=303
            )(scope, receive, send)
            return
        if not token or alive:
            await self.app(scope, receive, send)
            return

        async def clearing(message: Message) -> None:  # the cookie of an ended session
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", _cookie(request, SESSION_COOKIE, "", max_age=0))
            await send(message)

        await self.app(scope, receive, clearing)


async def _signed_in(request: Request, user_id: int, target: str) -> Response:
    token = await run_in_threadpool(sessions.create, store(), user_id, sessions.utc_now())
    role = (await run_in_threadpool(auth.load_actor, store(), user_id)).role
    lifetime = sessions.Policy.from_env().for_role(role).lifetime
    response = RedirectResponse(target, status_code=303)
    response.headers.append(
        "set-cookie",
        _cookie(request, SESSION_COOKIE, token, max_age=int(lifetime.total_seconds())),
    )
    return response


def _refuse_cross_site(request: Request, sent: object) -> Response | None:
    """A refusal unless the form came from one of our own pages in this browser."""
    expected = request.cookies.get(CSRF_COOKIE, "")
    origin = request.headers.get("origin")
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    same_site = origin is None or origin == "null" or urlsplit(origin).netloc == host
    if expected and isinstance(sent, str) and hmac.compare_digest(expected, sent) and same_site:
        return None
    expired = t(
        "This form had expired or was sent from another site, so nothing was done. Open it "
        "again from SafePlay and send it once more."
    )
    sign_in, back = t("Sign in"), t("Back to SafePlay")
    return _page(
        request,
        t("Please try again"),
        f"<p class='error' role='alert'>{escape(expired)}</p>"
        f"<p><a href='{SIGN_IN_PATH}'>{escape(sign_in)}</a> · "
        f"<a href='/'>{escape(back)}</a></p>",
        status=403,
    )


def _sign_in_page(
    request: Request,
    next_path: str,
    login: str,
    error: str | None,
    status: int = 200,
    notice: str | None = None,
) -> Response:
    if notice is None and next_path != "/" and not next_path.startswith("/account?welcome"):
        notice = t("Sign in to open the page this link points to.")
    notice = f"<p class='notice'>{escape(notice)}</p>" if notice else ""
    # Words first, then the page: a t() inside an f-string is not found by the extractor.
    w = _escaped(
        login=t("Login (name or e-mail)"),
        password=t("Password"),
        sign_in=t("Sign in"),
        no_account=t("No account yet?"),
        create=t("Create an account"),
        roles=t("(residents; other roles are given by an administrator)."),
        back=t("Back to SafePlay without signing in"),
    )
    body = f"""{notice}{_error(error)}
<form method="post" action="{escape(in_language(SIGN_IN_PATH))}">
  {_csrf_field(request)}<input type="hidden" name="next" value="{escape(next_path)}">
  <label for="login">{w["login"]}</label>
  <input id="login" name="login" value="{escape(login)}" autocomplete="username" required
    {"" if login else "autofocus"}>
  <label for="password">{w["password"]}</label>
  <input id="password" name="password" type="password" autocomplete="current-password"
    required {"autofocus" if login else ""}>
  <button type="submit">{w["sign_in"]}</button>
</form>
<p>{w["no_account"]} <a href="{escape(in_language(SIGN_UP_PATH + _next_query(next_path)))}">{
        w["create"]
    }</a> {w["roles"]}</p>
<p><a href="{escape(in_language("/"))}">{w["back"]}</a></p>"""
    return _page(request, t("Sign in"), body, status)


def _sign_up_page(
    request: Request, next_path: str, typed: dict[str, str], error: str | None, status: int = 200
) -> Response:
    minor = " checked" if typed.get("minor") == "on" else ""
    w = _escaped(
        intro=t(SIGN_UP_TEXT),
        login=t("Login (a name or an e-mail address)"),
        name=t("Name shown to others"),
        password=t("Password"),
        length=t("At least 10 characters; a short sentence works well."),
        again=t("Password again"),
        minor=t("I am under 18"),
        privacy=t(
            "We ask nothing else about you. Under-18s are never named in thank-you lists; "
            "please do not use your full name as the name shown to others."
        ),
        create=t("Create account"),
        have=t("Already have an account?"),
        sign_in=t("Sign in"),
        back=t("Back to SafePlay"),
    )
    body = f"""<p>{w["intro"]}</p>
{_error(error)}
<form method="post" action="{escape(in_language(SIGN_UP_PATH))}">
  {_csrf_field(request)}<input type="hidden" name="next" value="{escape(next_path)}">
  <label for="login">{w["login"]}</label>
  <input id="login" name="login" value="{escape(typed.get("login", ""))}"
    autocomplete="username" required>
  <label for="name">{w["name"]}</label>
  <input id="name" name="name" value="{escape(typed.get("name", ""))}" required>
  <label for="password">{w["password"]}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required
    aria-describedby="password-help">
  <p class="help" id="password-help">{w["length"]}</p>
  <label for="again">{w["again"]}</label>
  <input id="again" name="again" type="password" autocomplete="new-password" required>
  <label class="check"><input type="checkbox" name="minor"{minor}> {w["minor"]}</label>
  <p class="help">{w["privacy"]}</p>
  <button type="submit">{w["create"]}</button>
</form>
<p>{w["have"]} <a href="{escape(in_language(SIGN_IN_PATH + _next_query(next_path)))}">{
        w["sign_in"]
    }</a></p>
<p><a href="{escape(in_language("/"))}">{w["back"]}</a></p>"""
    return _page(request, t("Create an account"), body, status)


def _escaped(**words: str) -> dict[str, str]:
    """Our words, translated by the caller, escaped for the HTML of these pages."""
    return {name: escape(text) for name, text in words.items()}


def _page(request: Request, title: str, body: str, status: int = 200) -> Response:
    """A complete page in SafePlay's colours; sets the form-token cookie if it is new."""
    response = HTMLResponse(
        _TEMPLATE.format(
            title=escape(title),
            body=body,
            lang=i18n.html_lang(),
            languages=_language_links(request),
            label=escape(t("Language")),
        ),
        status_code=status,
        headers={"cache-control": "no-store"},
    )
    if request.cookies.get(CSRF_COOKIE) != _csrf_token(request):
        response.headers.append(
            "set-cookie", _cookie(request, CSRF_COOKIE, _csrf_token(request), strict=True)
        )
    return response


def _csrf_token(request: Request) -> str:
    """This browser's form token: the cookie's, or a new one kept for this request."""
    token = getattr(request.state, "csrf", None)
    if token is None:
        token = request.state.csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    return token


def _csrf_field(request: Request) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(_csrf_token(request))}">'


def _cookie(
    request: Request,
    name: str,
    value: str,
    max_age: int | None = None,
    strict: bool = False,
    script_reads: bool = False,
) -> str:
    parts = [f"{name}={value}", "Path=/", f"SameSite={'Strict' if strict else 'Lax'}"]
    if not script_reads:
        parts.append("HttpOnly")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if over_https(request):
        parts.append("Secure")
    return "; ".join(parts)


def over_https(request: Request) -> bool:
    """Whether the person reached the app over HTTPS (directly, or through a proxy that says
    so in `X-Forwarded-Proto`): cookies are then `Secure` and feeds link with https."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return (forwarded or request.url.scheme) == "https"


def _sso_cookie(request: Request) -> bool:
    return any(name.startswith(_STREAMLIT_LOGIN_COOKIE) for name in request.cookies)


def _error(message: str | None) -> str:
    if not message:
        return ""
    sentence = message[:1].upper() + message[1:]
    if not sentence.endswith((".", "!", "?")):
        sentence += "."
    return f"<p class='error' role='alert'>{escape(sentence)}</p>"


def _language_links(request: Request) -> str:
    """Each other language, named in itself, as a link that keeps it and comes back here."""
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    here = request.url.path + (f"?{query}" if query else "")
    return " · ".join(
        f'<a href="{LANGUAGE_PATH}?{escape(urlencode({"to": code, "next": here}))}" '
        f'lang="{code}" hreflang="{code}">{escape(name)}</a>'
        for code, name in i18n.LANGUAGES.items()
        if code != i18n.current()
    )


def _next_query(next_path: str) -> str:
    return f"?{urlencode({'next': next_path})}" if next_path != "/" else ""


_TEMPLATE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · SafePlay</title>
<style>
body {{ font-family: "Source Sans Pro", system-ui, sans-serif; margin: 0; color: #31333f;
  background: #fafafa; }}
main {{ max-width: 26rem; margin: 3rem auto; padding: 2rem; background: #fff;
  border-radius: .75rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
h1 {{ margin-top: 0; }}
label {{ display: block; margin: 1rem 0 .3rem; font-weight: 600; }}
label.check {{ font-weight: 400; }}
input:not([type=checkbox]) {{ box-sizing: border-box; width: 100%; min-height: 44px;
  padding: .5rem .7rem; font-size: 1rem; border: 1px solid #bbb; border-radius: .4rem; }}
input[type=checkbox] {{ width: 1.4rem; height: 1.4rem; vertical-align: middle; }}
button {{ margin-top: 1.4rem; min-height: 44px; padding: .5rem 1.4rem; font-size: 1rem;
  color: #fff; background: #c0392b; border: 0; border-radius: .4rem; cursor: pointer; }}
.help {{ margin: .3rem 0 0; font-size: .9rem; color: #555; }}
.error {{ padding: .8rem 1rem; background: #ffecec; color: #7d1a1a; border-radius: .4rem; }}
nav {{ margin-top: 2rem; font-size: .95rem; }}
nav a {{ display: inline-block; min-height: 44px; line-height: 44px; }}
.notice {{ padding: .8rem 1rem; background: #e8f1fc; color: #0b3d75; border-radius: .4rem; }}
</style></head>
<body><main><p><a href="/">🛝 SafePlay</a></p><h1>{title}</h1>
{body}
<nav aria-label="{label}">🌐 {languages}</nav>
</main></body></html>"""
