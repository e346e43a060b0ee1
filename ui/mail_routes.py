"""The two links in SafePlay's e-mails, served beside the app: unsubscribe and confirm.

Both work without signing in: the signed token in the link is the proof. Opening a link
(GET) only shows a page with a button, because mail programs and link scanners open links
on their own; the change is made by POST — the button, or a mail program's one-click
unsubscribe (RFC 8058: ``POST`` to the ``List-Unsubscribe`` address with
``List-Unsubscribe=One-Click``). No cross-site token is asked for: a forged POST could
only do what the link's owner can already do with it, and the token cannot be guessed.
"""

from __future__ import annotations

from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from geo.accounts import sessions
from geo.errors import SafePlayError
from geo.notify import addresses, mail
from geo.wording import sentence
from ui.common import store
from ui.session_routes import _page

UNSUBSCRIBE_PATH = "/unsubscribe"
CONFIRM_PATH = "/confirm-email"


def mail_routes() -> list[Route]:
    return [
        Route(UNSUBSCRIBE_PATH, unsubscribe, methods=["GET", "POST"]),
        Route(CONFIRM_PATH, confirm, methods=["GET", "POST"]),
    ]


async def unsubscribe(request: Request) -> Response:
    token = await _token(request)
    try:
        if request.method == "GET":
            _user, target = await run_in_threadpool(mail.unsubscribe_target, store(), token)
            return _button(
                request,
                "Stop these e-mails?",
                UNSUBSCRIBE_PATH,
                token,
                f"Press the button to stop {mail.stop_words(target)}. Notices stay in "
                "your inbox in SafePlay.",
                "Stop these e-mails",
            )
        stopped = await run_in_threadpool(mail.unsubscribe, store(), token)
    except SafePlayError as error:
        return _refused(request, error)
    what = ", ".join(f"“{label}”" for label in stopped) or "nothing more"
    return _page(
        request,
        "E-mails stopped",
        f"<p class='notice' role='status'>You will no longer get {escape(what)} by e-mail.</p>"
        "<p>Your notices stay in your inbox. You can choose again on "
        "<a href='/account'>My account</a>.</p>",
    )


async def confirm(request: Request) -> Response:
    token = await _token(request)
    if request.method == "GET":
        return _button(
            request,
            "Confirm your e-mail address",
            CONFIRM_PATH,
            token,
            "Press the button to have SafePlay's notices sent to this address.",
            "Confirm my address",
        )
    try:
        await run_in_threadpool(addresses.confirm_email, store(), token, sessions.utc_now())
    except SafePlayError as error:
        return _refused(request, error)
    return _page(
        request,
        "Address confirmed",
        "<p class='notice' role='status'>Thank you: your address is confirmed.</p>"
        "<p>Choose which notices are e-mailed on <a href='/account'>My account</a>.</p>",
    )


async def _token(request: Request) -> str:
    """The link's token: in the address (the link, RFC 8058's POST) or the form."""
    token = request.query_params.get("t")
    if not token and request.method == "POST":
        token = str((await request.form()).get("t", ""))
    return str(token or "")[:500]


def _button(request: Request, title: str, path: str, token: str, words: str, label: str):
    return _page(
        request,
        title,
        f"<p>{escape(words)}</p><form method='post' action='{path}'>"
        f"<input type='hidden' name='t' value='{escape(token)}'>"
        f"<button type='submit'>{escape(label)}</button></form>"
        "<p><a href='/'>Back to SafePlay</a></p>",
    )


def _refused(request: Request, error: SafePlayError) -> Response:
    return _page(
        request,
        "This link did not work",
        f"<p class='error' role='alert'>{escape(sentence(str(error)))}</p>"
        "<p>Nothing was changed. You can choose what you are sent on "
        "<a href='/account'>My account</a>.</p>",
        status=400,
    )
