"""The reader's language: which one this run speaks, the picker, and keeping the choice.

Precedence, first that SafePlay speaks wins (``choose_language``):

1. ``?lang=`` in the address — a link someone shared in Welsh opens in Welsh; kept for the
   rest of the tab (Streamlit's menu drops the query when it changes page);
2. a choice made in this tab with the picker (the same as 3 and 4 once they are saved);
3. the account's setting (``geo.accounts.language``), so every device of a signed-in person
   reads their language, and their e-mail too;
4. the cookie ``safeplay_lang``, for everyone, signed in or not: a reload and a second tab;
5. the browser's language (``st.context.locale``);
6. English.

The picker saves the choice on the account when signed in and in the cookie always. The
cookie is written by the browser itself (a one-line script in the page): it is a preference,
not a secret, so it need not be HttpOnly, and the page does not have to leave Streamlit to
set it. Plain pages outside Streamlit (the sign-in forms) offer links to
``/session/language`` instead, which sets the same cookie from the server
(``ui/session_routes.py``).

Fragments: ``st.fragment`` reruns only the fragment's function, not ``streamlit_app.py``,
and may run in another thread, where the language would be English again: a fragment's
first statement is ``ui.language.restore()`` (tests/unit/test_fragments_speak.py checks it).
"""

from __future__ import annotations

import json
from typing import ParamSpec, TypeVar

import streamlit as st

from geo import i18n
from geo.accounts.language import language_of, set_language
from geo.errors import SafePlayError
from geo.escape import for_markdown
from geo.permissions import Actor
from ui.common import store
from ui.session import LANGUAGE_COOKIE as COOKIE
from ui.session import LANGUAGE_COOKIE_DAYS

_CHOSEN = "language"  # session_state: the tab's language, for fragments and later pages
_LINKED = "language_linked"  # session_state: the ?lang= a link opened this tab with
_PICKED = "language_picked"  # session_state: set once the picker was used in this tab
_TO_COOKIE = "language_to_cookie"  # session_state: a choice the page script is to keep
_REFUSED = "language_refused"  # session_state: why the account could not keep it
PICKER = "language_picker"

P = ParamSpec("P")
R = TypeVar("R")


def cookie_language() -> str | None:
    """The language this browser's cookie names (None in AppTest, which has no cookies)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value else None


def choose_language(actor: Actor) -> str:
    """Decide the reader's language for this run, speak it, and return it."""
    linked = st.query_params.get("lang")
    if linked:
        st.session_state[_LINKED] = linked
    language = i18n.choose(
        st.session_state.get(_LINKED),
        st.session_state.get(_CHOSEN) if st.session_state.get(_PICKED) else None,
        language_of(store(), actor.user_id),
        cookie_language(),
        st.context.locale,
    )
    st.session_state[_CHOSEN] = language
    i18n.use(language)
    return language


def restore() -> None:
    """Speak the tab's language again (the start of a fragment's rerun, and of a run until
    the signed-in person is known): on a tab's first run, the link's, cookie's or browser's."""
    chosen = st.session_state.get(_CHOSEN)
    linked = st.query_params.get("lang")
    i18n.use(chosen or i18n.choose(linked, cookie_language(), st.context.locale))


def language_picker(actor: Actor, key: str = PICKER) -> None:
    """The languages as a row of buttons, each named in itself, labelled in the current one.

    Buttons (``st.pills``), not a select box: one tap on a phone, every language in sight,
    and they draw with a few kB of script where a select box's ~140 kB were fetched on every
    first visit before the Explore map could start (bench/README.md, public map).
    Changing it speaks the new language at once, keeps it on the account (signed in) and in
    the cookie (everyone), and replaces a ``?lang=`` of the address so a reload agrees."""
    codes = list(i18n.LANGUAGES)
    current = i18n.current() if i18n.current() in codes else i18n.DEFAULT
    if st.session_state.get(key) != current:
        st.session_state[key] = current  # a link or another picker changed it: agree
    st.pills(
        "🌐 " + i18n.t("Language"),
        codes,
        format_func=i18n.LANGUAGES.__getitem__,
        key=key,
        on_change=_picked,
        args=(actor, key),
    )


def _picked(actor: Actor, key: str) -> None:
    language = st.session_state[key]
    if language is None:  # the chosen button pressed again: a language stays chosen
        st.session_state[key] = i18n.current()
        return
    st.session_state[_CHOSEN] = language
    st.session_state[_PICKED] = True
    st.session_state.pop(_LINKED, None)
    if "lang" in st.query_params:
        st.query_params["lang"] = language
    i18n.use(language)
    if actor.signed_in:
        try:
            set_language(store(), actor, language)
        except SafePlayError as error:
            st.session_state[_REFUSED] = str(error)
    st.session_state[_TO_COOKIE] = language


def page_language() -> None:
    """Tell the browser which language the page is in (``<html lang>``, for screen readers
    and translation tools) and write the cookie after a choice: one script, no room taken."""
    script = f"document.documentElement.lang = {json.dumps(i18n.html_lang())};"
    chosen = st.session_state.pop(_TO_COOKIE, None)
    if chosen:
        script += (
            f"document.cookie = {json.dumps(f'{COOKIE}={chosen}')} + "
            f"'; path=/; max-age={LANGUAGE_COOKIE_DAYS * 86400}; samesite=lax';"
        )
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
    problem = st.session_state.pop(_REFUSED, None)
    if problem:
        st.warning(for_markdown(problem))
