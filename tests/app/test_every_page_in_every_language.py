"""Every page, for every role, reads fully in every language: no English of ours left.

In the pseudo-language ``qps`` every word that went through ``t`` comes back in ⟦ ⟧, so
whatever a person reads outside ⟦ ⟧ is either content (names, titles and texts people wrote:
the words of the demo town's text columns), numbers, dates and punctuation — or a leak: a
string written in our code that never reached the catalogue. In Welsh, German, French and
Spanish a leak is a text that is an English message whose translation differs (a word of ours
translated but shown from somewhere that did not translate it).

One AppTest run per page, role and language on one copy of the demo town (DuckDB: the words
do not depend on the store; tests/app covers both stores for everything else). The failure
lists every leak as page → text. Run time on the shared 2-core machine: docs/languages.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from babel.dates import get_day_names, get_month_names
from streamlit.testing.v1 import AppTest

from geo import i18n
from geo.accounts.auth import load_actor
from geo.permissions import VISITOR, Actor
from geo.storage.db import Store
from tests.app.conftest import ENTRY, read
from tests.app.test_roles import VISIBLE
from ui.common import _open, store

ACCOUNTS = {
    "resident": "rosa@demo.example",
    "leader": "leo@demo.example",
    "council": "olu@demo.example",
    "admin": "ada@demo.example",
}
LANGUAGES = [i18n.PSEUDO, *(code for code in i18n.LANGUAGES if code != i18n.DEFAULT)]
CASES = [
    (language, role, page)
    for language in LANGUAGES
    for role, pages in VISIBLE.items()
    for page in sorted(pages)
]
WORD = re.compile(r"[^\W\d_]+")
# A link's address (Markdown's ](…) or a bare URL) is not read as words.
ADDRESS = re.compile(r"\]\([^)]*\)|\b(?:https?|mailto|tel):\S+|(?<!\w)/[\w./?=&%-]+")
# The innermost ⟦ ⟧ first: a translated word filled into a translated sentence nests.
_OPEN, _CLOSE = i18n.PSEUDO_OPEN, i18n.PSEUDO_CLOSE
WRAPPED = re.compile(f"{_OPEN}[^{_OPEN}{_CLOSE}]*{_CLOSE}")
# Read by a person but not ours to translate: each language named in itself (the picker),
# the product, the English of dates in qps (it formats as en_GB), time zones, units.
NOT_OURS = {
    *(word.lower() for name in i18n.LANGUAGES.values() for word in WORD.findall(name)),
    "safeplay",
    "utc",
    "m",
    "km",
    "ha",
    *(
        word.lower()
        for width in ("abbreviated", "wide")
        for names in (get_month_names(width, locale="en_GB"), get_day_names(width, locale="en_GB"))
        for name in names.values()
        for word in WORD.findall(name)
    ),
}
# Element fields a person reads (labels, help, placeholders, options, bodies).
FIELDS = ("label", "help", "placeholder", "body", "caption")
# Code blocks (the embed snippet) are for copying, not reading: not translated.
BODIES = {"Markdown", "Caption", "Title", "Header", "Subheader", "Text"} | {
    "Error",
    "Warning",
    "Info",
    "Success",
    "Toast",
}


@pytest.fixture(scope="module")
def demo_app(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[set]:
    """The app pointed at one copy of the demo town; yields every word of its content."""
    copy = tmp_path_factory.mktemp("languages") / "demo.duckdb"
    copy.write_bytes(demo_db_file.read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SAFEPLAY_DB", str(copy))
        patch.delenv("SAFEPLAY_DATABASE_URL", raising=False)
        patch.setenv("SAFEPLAY_TILES", "none")
        _open.clear()
        yield content_words(Store(str(copy)))
        store().close()
        _open.clear()


def content_words(db: Store) -> set[str]:
    """Every word in every text column of the demo database: what people and imports wrote."""
    columns = db.rows(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type IN ('VARCHAR', 'TEXT') AND table_schema = 'main'"
    )
    words: set[str] = set()
    for table, column in columns:
        for (value,) in db.rows(f'SELECT DISTINCT "{column}" FROM "{table}"'):
            if isinstance(value, str):
                words.update(word.lower() for word in WORD.findall(value))
    db.close()
    return words


def actor_for(role: str) -> Actor:
    if role == "visitor":
        return VISITOR
    user_id = store().value("SELECT id FROM users WHERE login = ?", [ACCOUNTS[role]])
    return load_actor(store(), user_id)


def open_in(language: str, actor: Actor, page: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    if actor is not VISITOR:
        at.session_state["actor"] = actor
    at.query_params["lang"] = language
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> list[str]:
    """Every text a person reads on the page, from every element: headings, Markdown,
    captions, alerts, labels, help, placeholders, options, expanders, tabs, metrics, and the
    headers and cells of tables."""
    texts: list[str] = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = type(node).__name__
        if kind in ("Dataframe", "Table"):
            frame: pd.DataFrame = node.value
            texts += [str(column) for column in frame.columns]
            texts += [str(value) for value in frame.to_numpy().ravel() if isinstance(value, str)]
            continue
        if kind == "Html":  # what the browser shows of our HTML: text, not scripts or styles
            texts.append(html_text(proto.body))
            continue
        if kind == "Metric":
            texts += [node.label, str(node.value), str(node.delta or "")]
            continue
        if kind in BODIES:
            texts.append(str(node.value))
        for field in FIELDS:
            value = getattr(proto, field, None) if proto is not None else None
            if isinstance(value, str):
                texts.append(value)
        if kind in ("Expander", "Tab"):
            texts.append(str(getattr(node, "label", "")))
        options = getattr(proto, "options", None) if proto is not None else None
        if options is not None and not isinstance(options, str):
            # A row of buttons (st.pills) names each option in a message of its own.
            texts += [getattr(option, "content", option) for option in options]
    return [read(text) for text in texts if text and str(text).strip()]


def html_text(markup: str) -> str:
    """The text a person reads of ``markup``."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.DOTALL | re.IGNORECASE)
    return unescape(re.sub(r"<[^>]+>", " ", markup))


def _nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def english_left(text: str, content: set[str]) -> list[str]:
    """The words of ``text`` outside ⟦ ⟧ that are neither content nor ours to leave."""
    outside, before = text, None
    while outside != before:
        before, outside = outside, WRAPPED.sub(" ", outside)
    outside = ADDRESS.sub(" ", outside)
    return [
        word
        for word in WORD.findall(outside)
        if len(word) > 1 and word.lower() not in content and word.lower() not in NOT_OURS
    ]


def untranslated(language: str) -> dict[str, str]:
    """English message → its translation in ``language``, where they differ."""
    return {
        message.id: message.string
        for message in i18n.catalogue(language)
        if isinstance(message.id, str) and message.id and message.string != message.id
    }


@pytest.mark.parametrize(
    ("language", "role", "page"), CASES, ids=[f"{lang}-{r}-{Path(p).stem}" for lang, r, p in CASES]
)
def test_no_english_of_ours_is_left_on_the_page(demo_app, language, role, page):
    at = open_in(language, actor_for(role), page)
    texts = shown(at)
    if language == i18n.PSEUDO:
        leaks = {text: english_left(text, demo_app) for text in texts}
        leaks = {text: words for text, words in leaks.items() if words}
    else:
        english = untranslated(language)
        leaks = {text: [english[text]] for text in texts if text in english}
    assert not leaks, f"{page} as {role} in {language}:\n" + "\n".join(
        f"  {page} → {text!r}" for text in leaks
    )
