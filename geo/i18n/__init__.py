"""The language a person reads SafePlay in, and every word of ours translated into it.

Why a context variable and not ``gettext.install``: Streamlit runs every visitor's script in
one process, so a global language would switch under one reader when another picks theirs.
The app sets the reader's language at the top of each run (``ui/language.py``); e-mails,
feeds and exports set the *recipient's* language around what they build (``speaking``). The
core calls ``t`` where it builds a sentence a person reads, so messages of typed errors are
in the reader's language too.

Catalogues are the ``.po`` files under ``geo/i18n/locale/<language>/LC_MESSAGES/``, read with
Babel on first use (no compile step to forget); ``python -m geo i18n`` extracts, updates and
checks them (``docs/languages.md``).

Conventions, so extraction finds every string:
- ``t("Report a concern")`` and ``t("{count} places", count=n)`` — ``str.format`` names, never
  positional ``{}`` and never an f-string inside ``t``;
- ``tn("{n} place", "{n} places", n)`` for anything counted (Welsh has six plural forms);
- ``tp("status", "Open")`` where one English word has two meanings;
- ``N_("Playground")`` marks a word kept in a table at import time; it is translated where it
  is read (``Words`` does that for the vocabulary).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date as _date
from datetime import datetime as _datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

# Each language named in itself: the picker shows these, so a reader finds theirs.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "cy": "Cymraeg",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}
DEFAULT = "en"
# Pseudo-localisation: every word of ours comes back wrapped in ⟦ ⟧, so a test that renders a
# page in it finds any English left outside the catalogue. Not offered to people.
PSEUDO = "qps"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

_language: ContextVar[str] = ContextVar("safeplay_language", default=DEFAULT)


def choose(*candidates: str | None) -> str:
    """The first of ``candidates`` SafePlay speaks ("cy-GB" → "cy"), else English.

    Candidates come in the order of precedence: a ``lang`` link parameter, the account's
    setting, the visitor's cookie, the browser's language."""
    for candidate in candidates:
        if not candidate:
            continue
        code = str(candidate).strip().replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES or code == PSEUDO:
            return code
    return DEFAULT


def use(language: str) -> None:
    """Read everything from here on (in this script run or thread) in ``language``."""
    _language.set(choose(language))


def current() -> str:
    """The language of the reader this code is working for."""
    return _language.get()


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Within the block, words are in ``language`` (an e-mail to someone who reads Welsh)."""
    token = _language.set(choose(language))
    try:
        yield
    finally:
        _language.reset(token)


def t(message: str, /, **values: Any) -> str:
    """``message`` in the reader's language, its ``{names}`` filled from ``values``."""
    return _fill(_translations(current()).gettext(message), message, values)


def tn(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The form of a counted phrase for ``n`` in the reader's language; ``{n}`` is ``n``
    written the reader's way (1,250 / 1.250 / 1 250)."""
    values.setdefault("n", number(n))
    translated = _translations(current()).ngettext(singular, plural, n)
    return _fill(translated, singular if n == 1 else plural, values)


def tp(context: str, message: str, /, **values: Any) -> str:
    """``message`` as meant in ``context`` ("status" Open vs the verb Open)."""
    return _fill(_translations(current()).pgettext(context, message), message, values)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (tables built at import)."""
    return message


class Words(Mapping[str, str]):
    """A table of stored key → English label whose labels are read in the reader's language.

    The vocabulary is built once at import, before anyone's language is known; reading it
    through this keeps every ``KINDS[key]``, ``.get`` and ``.items()`` translated."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = dict(labels)

    def __getitem__(self, key: str) -> str:
        return t(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def english(self, key: str) -> str:
        """The label in English, for exports whose readers are systems, not people."""
        return self._labels[key]


def number(value: float | int, digits: int | None = None) -> str:
    """A number written the reader's way; ``digits`` fixes the decimals."""
    if digits is None:
        return babel_numbers.format_decimal(value, locale=_babel_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=_babel_locale())


def percent(share: float) -> str:
    """A share (0.42) as the reader writes a percentage ("42 %" in German and French)."""
    return babel_numbers.format_percent(share, locale=_babel_locale())


def date(value: _date | _datetime, form: str = "medium") -> str:
    """A day as the reader writes it ("7 Nov 2026", "7 nov. 2026", "7 Tach 2026")."""
    return babel_dates.format_date(value, format=form, locale=_babel_locale())


def date_time(value: _datetime, form: str = "medium") -> str:
    """A day and time as the reader writes it, to the minute."""
    day_part = babel_dates.format_date(value, format=form, locale=_babel_locale())
    time_part = babel_dates.format_time(value, format="short", locale=_babel_locale())
    return f"{day_part}, {time_part}"


def html_lang() -> str:
    """The reader's language as ``<html lang>`` wants it."""
    return DEFAULT if current() == PSEUDO else current()


def reload() -> None:
    """Read the catalogues again (after ``python -m geo i18n`` changed them in a test)."""
    _translations.cache_clear()
    catalogue.cache_clear()


@cache
def catalogue(language: str) -> Catalog:
    """Every ``.po`` file of ``language`` read into one catalogue (the checks read it too).

    The plural rule comes from the language (Babel's CLDR data), not from a file's header,
    so every file of a language counts the same way."""
    merged = Catalog(locale=language, domain=DOMAIN)
    for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = message
    return merged


class _Pseudo(Translations):
    """English wrapped in ⟦ ⟧: what a test renders to see every word went through ``t``."""

    def gettext(self, message: str) -> str:
        return f"{PSEUDO_OPEN}{message}{PSEUDO_CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)


@cache
def _translations(language: str) -> Translations:
    if language == PSEUDO:
        return _Pseudo()
    if language == DEFAULT:
        return Translations()  # English is the source: gettext falls back to the message
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(language))
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def _fill(translated: str, source: str, values: dict[str, Any]) -> str:
    """``translated`` with its names filled; a translation that breaks a name falls back to
    the source sentence rather than showing a reader ``{count}`` or an error page (the
    catalogue check refuses such a translation before it ships)."""
    if not values:
        return translated
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return source.format(**values)


def _babel_locale() -> Locale:
    # British conventions for English ("7 Nov 2026"): the councils we serve write that way.
    try:
        return Locale.parse("en_GB" if html_lang() == DEFAULT else html_lang())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)
