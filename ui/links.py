"""Links a phone acts on: a phone number is a ``tel:`` link, so one tap calls it; links
to the Atom feeds a feed reader follows; the app's address for a snippet another website
pastes; and links within SafePlay that keep the reader's language (``in_language``)."""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import streamlit as st

from geo import i18n
from geo.delivery import feeds
from geo.escape import for_markdown
from geo.notify.links import public_url


def in_language(address: str) -> str:
    """``address`` (a path of SafePlay) with ``lang=`` set to the reader's language when it is
    not English, so the page it opens speaks the same language even in a browser whose own
    language or cookie says otherwise (a link shared, a plain sign-in form)."""
    language = i18n.current()
    parts = urlsplit(address)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "lang"]
    if language != i18n.DEFAULT:
        query.append(("lang", language))
    return urlunsplit(parts._replace(query=urlencode(query)))


def phone(number: str) -> str:
    """Markdown for ``number`` as a link that calls it (the number comes from settings, so
    its text is escaped; the link keeps only digits and a leading +)."""
    dialled = re.sub(r"(?!^\+)[^0-9]", "", number.strip())
    if not dialled.strip("+"):
        return for_markdown(number)
    return f"[{for_markdown(number)}](tel:{dialled})"


def feed(text: str, kind: feeds.Kind, number: int | None = None) -> str:
    """Markdown for a link to the Atom feed of the council, an area or an initiative
    (``text`` is escaped; the address is built from a number, never from text)."""
    return f"[{for_markdown(text)}]({feeds.address(kind, number)})"


def app_address() -> tuple[str, bool]:
    """The app's address for something copied to another website, and whether it is the
    setting ``SAFEPLAY_PUBLIC_URL``. Unset, it is the address this browser opened the app
    at: the default (``http://localhost:8501``) made an embed snippet that loaded nothing
    anywhere but on the server itself."""
    if os.environ.get("SAFEPLAY_PUBLIC_URL"):
        return public_url(), True
    opened = urlsplit(st.context.url or "")
    if opened.scheme in ("http", "https") and opened.netloc:
        return f"{opened.scheme}://{opened.netloc}", False
    return public_url(), False
