"""Stored values turned into the words a person reads, the same way on every page.

Data arrive with many spellings of "not known" (None, NaN, NaT, pandas' NA) and with OSM's
compact codes ("sunrise-sunset", "Mo-Fr 15:30-19:00", "permissive"); pages and exports
would otherwise show "nan", "None" or the code itself. Every helper here returns a finished
phrase in the reader's language (``geo.i18n``), so a page only lays things out. Escaping
for Markdown is still the page's job (``geo.escape``): these words may contain user text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from geo import i18n
from geo.i18n import N_, t, tp
from geo.vocabulary import ACCESS, ROLE_NAMES, SURFACES, WHEELCHAIR_ACCESS, label

# Marked, not translated: a module constant is read before anyone's language is known, so a
# caller shows it as ``t(NOT_KNOWN)`` (the helpers here do).
NOT_KNOWN = N_("Not known")


# Reasons SafePlay writes itself when a step needs no person's words: stored in English, so
# the record does not depend on who happened to be reading, and shown in the reader's.
OWN_REASONS = frozenset({N_("Draft started."), N_("Submitted for review."), N_("Work started.")})


def reason(value: Any) -> str:
    """A stored reason as the reader reads it: ours translated, a person's as they wrote it."""
    written = text(value)
    return t(written) if written in OWN_REASONS else written


def present(value: Any) -> bool:
    """False for None, NaN, NaT, pandas' NA and blank text — the spellings of "not known"."""
    if value is None:
        return False
    if isinstance(value, list | tuple | np.ndarray):
        return True
    if isinstance(value, str):
        return bool(value.strip())
    return not bool(pd.isna(value))


def text(value: Any, missing: str = "") -> str:
    """``value`` as text, or ``missing`` when it is not known."""
    return str(value) if present(value) else missing


def listed(value: Any) -> list[str]:
    """A stored list (or nothing) as a list of texts."""
    if not present(value):
        return []
    return [str(item) for item in value if present(item)]


def yes_no(value: Any) -> str:
    """A stored flag (OSM ``lit=yes``, a boolean column) as "Yes", "No" or "Not known"."""
    if not present(value):
        return t(NOT_KNOWN)
    return t("Yes") if bool(value) else t("No")


def day(value: Any, missing: str = "—") -> str:
    """A date as the reader writes it: "7 Nov 2026", "7 Tach 2026", "07.11.2026"."""
    if not present(value):
        return missing
    return i18n.date(pd.Timestamp(value).to_pydatetime())


def moment(value: Any, missing: str = "") -> str:
    """A date and time as the reader writes it: "7 Nov 2026, 14:30"."""
    if not present(value):
        return missing
    return i18n.date_time(pd.Timestamp(value).to_pydatetime())


def area_text(square_metres: float) -> str:
    """An area as "1,250 m² (0.13 ha)": in square metres and in hectares, the reader's way."""
    return t(
        "{square_metres} m² ({hectares} ha)",
        square_metres=i18n.number(square_metres, 0),
        hectares=i18n.number(square_metres / 10_000, 2),
    )


def dates(start: Any, end: Any) -> str:
    """A span of days, either end possibly open: "From 1 Jun 2026", "1 Jun to 30 Jun"."""
    if not present(start) and not present(end):
        return t("Not stated")
    if not present(end):
        return t("From {start}", start=day(start))
    if not present(start):
        return t("Until {end}", end=day(end))
    return t("{start} to {end}", start=day(start), end=day(end))


def age_text(min_age: Any, max_age: Any) -> str:
    """The ages a place or initiative is for: "all ages", "5+", "0–12"."""
    low, high = _age(min_age), _age(max_age)
    if low is None and high is None:
        return t("all ages")
    if high is None:
        return f"{low}+"
    return f"{low or 0}–{high}"


def _age(value: Any) -> int | None:
    if not present(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def number(value: Any) -> int:
    """A count that may be missing (an outer join's NULL) as a whole number."""
    return int(value) if present(value) else 0


def count(value: Any, singular: str, plural: str | None = None) -> str:
    """ "1 supporter", "3 supporters", "0 comments" (a missing count is 0), in English words.

    Only for words that are not the reader's (a log line, an operator's report): a page
    writes a counted phrase with ``tn`` and ``number``, since plural rules differ by
    language (Welsh has six forms)."""
    n = number(value)
    return f"{i18n.number(n)} {singular if n == 1 else (plural or singular + 's')}"


def percent(value: Any, missing: str | None = None) -> str:
    """A stored percentage (33.4) as the reader writes it ("33%", "33 %"); ``missing``
    (else "Not reported yet") when it is not known."""
    if not present(value):
        return t("Not reported yet") if missing is None else missing
    return i18n.percent(float(value) / 100)


def sentence(message: str) -> str:
    """A message as a sentence: capital first letter, closing full stop. The core words its
    errors to fit after "because…" in logs; a person reads them on their own."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".!?" else message + "."


def access(value: Any) -> str:
    """OSM ``access=*`` in words: "yes" is "Open to everyone"."""
    return label(ACCESS, text(value).strip().lower()) if present(value) else t(NOT_KNOWN)


def surface(value: Any) -> str:
    """OSM ``surface=*`` in words: "rubber" is "Rubber surface"."""
    return label(SURFACES, text(value).strip().lower()) if present(value) else t(NOT_KNOWN)


def wheelchair(value: Any) -> str:
    """Wheelchair access in words: "limited" is "Partly wheelchair accessible"."""
    return label(WHEELCHAIR_ACCESS, text(value)) if present(value) else t(NOT_KNOWN)


def role_in_words(role: str, ward_ids: Iterable[int], ward_names: dict[int, str]) -> str:
    """ "Council officer for Riverside", "Administrator": a role with the wards it covers."""
    if role != "council":
        return ROLE_NAMES[role]
    names = sorted(ward_names.get(w) or t("ward {number}", number=w) for w in ward_ids)
    if not names:
        return t("Council officer for the whole council area")
    return t("Council officer for {wards}", wards=", ".join(names))


# OSM's day codes and its sun-bound moments, in words (translated where read).
_DAYS = {
    "Mo": N_("Monday"),
    "Tu": N_("Tuesday"),
    "We": N_("Wednesday"),
    "Th": N_("Thursday"),
    "Fr": N_("Friday"),
    "Sa": N_("Saturday"),
    "Su": N_("Sunday"),
    "PH": N_("public holidays"),
    "SH": N_("school holidays"),
}


def _months() -> dict[str, str]:
    """OSM's month codes in words. Said with a context, not kept in an ``N_`` table: the
    month "May" and the verb "May" (a permission) are one English word with two meanings."""
    return {
        "Jan": tp("month", "January"),
        "Feb": tp("month", "February"),
        "Mar": tp("month", "March"),
        "Apr": tp("month", "April"),
        "May": tp("month", "May"),
        "Jun": tp("month", "June"),
        "Jul": tp("month", "July"),
        "Aug": tp("month", "August"),
        "Sep": tp("month", "September"),
        "Oct": tp("month", "October"),
        "Nov": tp("month", "November"),
        "Dec": tp("month", "December"),
    }


_MOMENTS = {"sunrise": N_("dawn"), "sunset": N_("dusk"), "dawn": N_("dawn"), "dusk": N_("dusk")}
_TIME = r"(?:\d{1,2}:\d{2}|sunrise|sunset|dawn|dusk)"
_TIME_SPAN = re.compile(rf"({_TIME})-({_TIME})\+?")
_CLOSED = {"off", "closed"}


def _span_list(token: str, names: dict[str, str]) -> str | None:
    """ "Mo-Fr,Su" as "Monday to Friday and Sunday"; None when ``token`` is not such a list."""
    parts = []
    for piece in token.split(","):
        ends = piece.split("-")
        if len(ends) > 2 or not all(end in names for end in ends):
            return None
        words = [names[end] for end in ends]
        parts.append(words[0] if len(words) == 1 else _span(words[0], words[1]))
    return _and(parts)


def _times(token: str) -> str | None:
    """ "08:00-12:00,13:00-17:30" as "08:00–12:00 and 13:00–17:30"."""
    spans = []
    for piece in token.split(","):
        found = _TIME_SPAN.fullmatch(piece)
        if found is None:
            return None
        start, end = found.groups()
        if {start, end} & set(_MOMENTS):  # "10:00 to dusk" reads better than "10:00–dusk"
            spans.append(_span(_moment_word(start), _moment_word(end)))
        else:
            spans.append(f"{start}–{end}")
    return _and(spans)


def _span(start: str, end: str) -> str:
    """ "Monday to Friday", "10:00 to dusk": a span of opening hours, worded apart from a
    span of dates ("du 1 juin au 30 juin") because some languages say them differently."""
    return tp("opening hours", "{start} to {end}", start=start, end=end)


def _moment_word(time: str) -> str:
    return t(_MOMENTS[time]) if time in _MOMENTS else time


def _and(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the reader's language."""
    if len(parts) == 1:
        return parts[0]
    return t("{items} and {last}", items=", ".join(parts[:-1]), last=parts[-1])


def _rule(rule: str) -> str:
    days = {code: t(name) for code, name in _DAYS.items()}
    months = _months()
    words = []
    for part in rule.split():
        if part == "24/7":
            words.append(t("all day, every day"))
        elif part.lower() in _CLOSED:
            words.append(t("closed"))
        else:
            words.append(
                _span_list(part, days) or _span_list(part, months) or _times(part.lower()) or part
            )
    return " ".join(words)


def opening_hours(value: Any) -> str:
    """OSM ``opening_hours`` in words: "sunrise-sunset" is "Dawn to dusk", "Mo-Fr
    15:30-19:00" is "Monday to Friday 15:30–19:00". Parts it cannot read stay as written."""
    if not present(value):
        return t(NOT_KNOWN)
    rules = [_rule(rule) for rule in re.split(r";|\|\|", str(value)) if rule.strip()]
    if not rules:
        return t(NOT_KNOWN)
    worded = "; ".join(rules)
    return worded[0].upper() + worded[1:]
