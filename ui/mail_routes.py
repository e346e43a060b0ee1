"""The two links in SafePlay's e-mails, served beside the app: unsubscribe and confirm.

Both work without signing in: the signed token in the link is the proof. Opening a link
(GET) only shows a page with a button, because mail programs and link scanners open links
on their own; the change is made by POST — the button, or a mail program's one-click
unsubscribe (RFC 8058: ``POST`` to the ``List-Unsubscribe`` address with
``List-Unsubscribe=One-Click``). No cross-site token is asked for: a forged POST could
only do what the link's owner can already do with it, and the token cannot be guessed.

The pages speak the language of the account the link names (the one its e-mail was written
in), unless ``?lang=`` asks for another; an unreadable link falls back to the browser's.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from geo import i18n
from geo.accounts import sessions
from geo.accounts.language import language_of
from geo.errors import SafePlayError
from geo.i18n import t
from geo.notify import addresses, mail
from geo.storage.db import Store
from geo.wording import sentence
from ui.common import store
from ui.session_routes import _page

UNSUBSCRIBE_PATH = "/unsubscribe"
CONFIRM_PATH = "/confirm-email"
# Where a link goes inside a translated sentence: a character no text holds.
_MARK = "\x00"


def mail_routes() -> list[Route]:
    return [
        Route(UNSUBSCRIBE_PATH, unsubscribe, methods=["GET", "POST"]),
        Route(CONFIRM_PATH, confirm, methods=["GET", "POST"]),
    ]


async def unsubscribe(request: Request) -> Response:
    token = await _token(request)
    with i18n.speaking(await _language(request, mail.unsubscribe_target, token)):
        try:
            if request.method == "GET":
                _user, target = await run_in_threadpool(mail.unsubscribe_target, store(), token)
                return _button(
                    request,
                    t("Stop these e-mails?"),
                    UNSUBSCRIBE_PATH,
                    token,
                    t(
                        "Press the button to stop {what}. Notices stay in your inbox in SafePlay.",
                        what=mail.stop_words(target),
                    ),
                    t("Stop these e-mails"),
                )
            stopped = await run_in_threadpool(mail.unsubscribe, store(), token)
        except SafePlayError as error:
            return _refused(request, error)
        what = (
            t("You will no longer get {kinds} by e-mail.", kinds=", ".join(stopped))
            if stopped
            else t("You will no longer get anything more by e-mail.")
        )
        return _page(
            request,
            t("E-mails stopped"),
            f"<p class='notice' role='status'>{escape(what)}</p><p>"
            + _with_account_link(
                t("Your notices stay in your inbox. You can choose again on {link}.", link=_MARK)
            )
            + "</p>",
        )


async def confirm(request: Request) -> Response:
    token = await _token(request)
    with i18n.speaking(await _language(request, addresses.confirmation_account, token)):
        if request.method == "GET":
            return _button(
                request,
                t("Confirm your e-mail address"),
                CONFIRM_PATH,
                token,
                t("Press the button to have SafePlay's notices sent to this address."),
                t("Confirm my address"),
            )
        try:
            await run_in_threadpool(addresses.confirm_email, store(), token, sessions.utc_now())
        except SafePlayError as error:
            return _refused(request, error)
        return _page(
            request,
            t("Address confirmed"),
            "<p class='notice' role='status'>"
            + escape(t("Thank you: your address is confirmed."))
            + "</p><p>"
            + _with_account_link(t("Choose which notices are e-mailed on {link}.", link=_MARK))
            + "</p>",
        )


async def _language(
    request: Request, account_of: Callable[[Store, str], object], token: str
) -> str | None:
    """The language of the page a link opens: the ``lang`` parameter, else the language
    the link's account chose (the person the e-mail was written for), else the browser's."""
    chosen = request.query_params.get("lang")
    if not chosen:
        try:
            named = await run_in_threadpool(account_of, store(), token)
        except SafePlayError:
            named = None
        user_id = named[0] if isinstance(named, tuple) else named
        chosen = await run_in_threadpool(language_of, store(), user_id)
    browser = request.headers.get("accept-language", "").split(",")[0].split(";")[0]
    return i18n.choose(chosen, browser)


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
        "<p><a href='/'>" + escape(t("Back to SafePlay")) + "</a></p>",
    )


def _refused(request: Request, error: SafePlayError) -> Response:
    return _page(
        request,
        t("This link did not work"),
        f"<p class='error' role='alert'>{escape(sentence(str(error)))}</p><p>"
        + _with_account_link(
            t("Nothing was changed. You can choose what you are sent on {link}.", link=_MARK)
        )
        + "</p>",
        status=400,
    )


def _with_account_link(sentence_with_mark: str) -> str:
    """A translated sentence as HTML, with the link to My account where ``_MARK`` stands
    (the translator places it, so each language keeps its word order)."""
    link = "<a href='/account'>" + escape(t("My account")) + "</a>"
    return escape(sentence_with_mark).replace(_MARK, link)
