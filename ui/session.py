"""Who is using this browser: read from the session cookie on every page run.

Signing in happens outside Streamlit, on plain pages served by the same process
(``ui/session_routes.py``), because only an HTTP response can set an HttpOnly cookie. Each
run reads that cookie through ``st.context.cookies``, asks ``geo.accounts.sessions`` whether the
session is still valid, and loads the account afresh from the database (active, role,
wards), so a deactivated or changed account takes effect on its next click. A reload, a
new tab and a shared link carry the cookie, so the person stays signed in.

People signed in by the council's single sign-on (``st.login``) are recognised by
Streamlit's own login cookie instead (``ui/sso.py``). AppTest has no cookies: tests put an
``Actor`` in ``st.session_state["actor"]``; the app itself never does, and even then an
account with an id is read again from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from urllib.parse import urlencode

import streamlit as st

from geo.accounts import sessions
from geo.accounts.auth import load_actor
from geo.errors import NotFound
from geo.i18n import N_, Words, t
from geo.permissions import VISITOR, Actor, allowed
from ui.common import store
from ui.links import in_language
from ui.notices import APP_NOTICE
from ui.sso import sso_actor, sso_sign_out, sso_signed_in

SESSION_COOKIE = "safeplay_session"
CSRF_COOKIE = "safeplay_csrf"
SIGN_IN_PATH = "/session/sign-in"
SIGN_UP_PATH = "/session/sign-up"
SIGN_OUT_PATH = "/session/sign-out"
LANGUAGE_PATH = "/session/language"
LANGUAGE_COOKIE = "safeplay_lang"
LANGUAGE_COOKIE_DAYS = 400  # the longest a browser keeps a cookie (Chromium caps Max-Age)
# Why a session ended, as stored with it (English, a key) and as the reader reads it; a
# reason with figures in it (how long a session lasts) is read as stored.
_ENDINGS = Words(
    {
        sessions.SIGNED_OUT: N_("you signed out"),
        sessions.SIGNED_OUT_EVERYWHERE: N_("you chose “Sign out everywhere”"),
        sessions.PASSWORD_CHANGED: N_("the account's password was changed"),
        sessions.ACCESS_CHANGED: N_("the account's role or wards were changed"),
        sessions.DEACTIVATED: N_("the account was deactivated"),
    }
)
# Said on the sign-up page of the app and on the form beside it.
SIGN_UP_TEXT = N_(
    "A resident account lets you support and comment on proposals. Neighbourhood leaders, "
    "council officers and administrators get their role from an administrator."
)


def utc_now() -> datetime:
    """Naive UTC, the form timestamps take in the database."""
    return sessions.utc_now()


def session_token() -> str | None:
    """The session cookie this browser sent when the page was opened (None in AppTest,
    which has no browser)."""
    value = st.context.cookies.get(SESSION_COOKIE)
    return value if isinstance(value, str) and value else None


def current_session() -> sessions.Resolved:
    """The cookie's session as it stands now; says once per tab why it ended, if it did."""
    token = session_token()
    if token is None:
        return sessions.Resolved()
    resolved = sessions.resolve(store(), token, utc_now())
    announced = st.session_state.setdefault("announced_endings", set())
    if resolved.ended and resolved.ended != sessions.SIGNED_OUT and token not in announced:
        announced.add(token)
        APP_NOTICE.keep(
            t(
                "You were signed out because {reason}. Anything you were sending was not "
                "saved: sign in again to carry on.",
                reason=_ENDINGS.get(resolved.ended, resolved.ended),
            )
        )
    return resolved


def current_actor() -> Actor:
    """The signed-in person as the database has them now, or ``VISITOR``."""
    resolved = current_session()
    if resolved.user_id is not None:
        return _reload(resolved.user_id)
    if session_token() is None:
        sso = sso_actor()
        if sso is not None:
            return sso
    tested = st.session_state.get("actor")
    if isinstance(tested, Actor):
        return _reload(tested.user_id) if tested.user_id is not None else tested
    return VISITOR


def _reload(user_id: int) -> Actor:
    try:
        return load_actor(store(), user_id)
    except NotFound:
        return VISITOR


def sign_in_link(next_path: str = "/") -> str:
    """The address of the sign-in form, coming back to ``next_path`` afterwards (in the
    reader's language, which the form speaks too)."""
    query = {"next": next_path} if next_path != "/" else {}
    return in_language(f"{SIGN_IN_PATH}?{urlencode(query)}" if query else SIGN_IN_PATH)


def signed_in_or_stop() -> Actor:
    """The signed-in actor; a visitor sees a sign-in prompt and nothing of the page.

    Navigation already leaves such pages out for visitors; this guards the page itself.
    """
    actor = current_actor()
    if not actor.signed_in:
        st.warning(t("Please sign in to use this page."))
        st.stop()
    return actor


def allowed_or_stop(action: str) -> Actor:
    """The actor, if their role may do ``action``; anyone else sees only a refusal."""
    actor = current_actor()
    if not allowed(actor, action):
        st.warning(t("This page is not available to your account."))
        st.stop()
    return actor


def visitor_or_stop() -> None:
    """Sign-in and sign-up pages are for visitors; a signed-in person is told so."""
    if current_actor().signed_in:
        st.info(t("You are signed in. Sign out first to use another account."))
        st.stop()


def sign_in_button(next_path: str = "/", label: str | None = None) -> None:
    """A link, looking like a button, to the sign-in form; it opens in this tab."""
    _link_button(sign_in_link(next_path), label or t("Sign in with your SafePlay account"))


def sign_up_button() -> None:
    _link_button(in_language(SIGN_UP_PATH), t("Create your account"))


def sign_out_button(key: str = "sign_out") -> None:
    """Sign out: single sign-on ends the provider's login; otherwise the form posts to
    the sign-out route, which ends the session and clears the cookie."""
    if session_token() is None:
        if sso_signed_in() and st.button(t("Sign out"), key=key):
            sso_sign_out()
        return
    csrf = escape(str(st.context.cookies.get(CSRF_COOKIE, "")))
    label = escape(t("Sign out"))
    st.html(
        f'<form method="post" action="{SIGN_OUT_PATH}" style="margin:0">'
        f'<input type="hidden" name="csrf" value="{csrf}">'
        f'<button type="submit" style="{_BUTTON_STYLE}">{label}</button></form>'
    )


def out_of_reach_page(name: str) -> Callable[[], None]:
    """What a link to ``name`` shows someone who may not open it: a visitor is asked to
    sign in and then taken there with the link's query; anyone else is told it is not
    for their account."""

    def page() -> None:
        if current_actor().signed_in:
            st.title(t("Not available"))
            st.warning(t("This page is not available to your account."))
            return
        st.title(t("Sign in"))
        st.info(t("Sign in to open the page this link points to."))
        query = urlencode(
            [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
        )
        sign_in_button(f"/{name}" + (f"?{query}" if query else ""))

    return page


_BUTTON_STYLE = (
    "display:inline-block;min-height:44px;box-sizing:border-box;padding:.5rem 1.2rem;"
    "font:inherit;color:#fff;background:#c0392b;border:0;border-radius:.5rem;"
    "text-decoration:none;cursor:pointer"
)


def _link_button(href: str, label: str) -> None:
    st.html(f'<a href="{escape(href)}" style="{_BUTTON_STYLE}">{escape(label)}</a>')
