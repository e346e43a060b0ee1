"""Stored values turned into the words a person reads, the same way on every page.

Data arrive with many spellings of "not known" (None, NaN, NaT, pandas' NA) and with OSM's
compact codes ("sunrise-sunset", "Mo-Fr 15:30-19:00", "permissive"); pages and exports
would otherwise show "nan", "None" or the code itself. Every helper here returns a finished
phrase, so a page only lays things out. Escaping for Markdown is still the page's job
(``geo.escape``): these words may contain user text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from geo.vocabulary import ACCESS, ROLE_NAMES, SURFACES, WHEELCHAIR_ACCESS, label

NOT_KNOWN = "Not known"


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
    if not present(value):
        return NOT_KNOWN
    return "Yes" if bool(value) else "No"


def day(value: Any, missing: str = "—") -> str:
    """A date as "07 Nov 2026"."""
    if not present(value):
        return missing
    return pd.Timestamp(value).strftime("%d %b %Y")


def moment(value: Any, missing: str = "") -> str:
    """A date and time as "07 Nov 2026, 14:30"."""
    if not present(value):
        return missing
    return pd.Timestamp(value).strftime("%d %b %Y, %H:%M")


def area_text(square_metres: float) -> str:
    """An area as "1,250 m² (0.13 ha)": in square metres and in hectares."""
    return f"{square_metres:,.0f} m² ({square_metres / 10_000:.2f} ha)"


def dates(start: Any, end: Any) -> str:
    """A span of days, either end possibly open: "From 01 Jun 2026", "01 Jun to 30 Jun"."""
    if not present(start) and not present(end):
        return "Not stated"
    if not present(end):
        return f"From {day(start)}"
    if not present(start):
        return f"Until {day(end)}"
    return f"{day(start)} to {day(end)}"


def age_text(min_age: Any, max_age: Any) -> str:
    """The ages a place or initiative is for: "all ages", "5+", "0–12"."""
    low, high = _age(min_age), _age(max_age)
    if low is None and high is None:
        return "all ages"
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
    """ "1 supporter", "3 supporters", "0 comments" (a missing count is 0)."""
    n = number(value)
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def percent(value: Any, missing: str = "Not reported yet") -> str:
    if not present(value):
        return missing
    return f"{float(value):.0f}%"


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
    return label(ACCESS, text(value).strip().lower()) if present(value) else NOT_KNOWN


def surface(value: Any) -> str:
    """OSM ``surface=*`` in words: "rubber" is "Rubber surface"."""
    return label(SURFACES, text(value).strip().lower()) if present(value) else NOT_KNOWN


def wheelchair(value: Any) -> str:
    """Wheelchair access in words: "limited" is "Partly wheelchair accessible"."""
    return label(WHEELCHAIR_ACCESS, text(value)) if present(value) else NOT_KNOWN


def role_in_words(role: str, ward_ids: Iterable[int], ward_names: dict[int, str]) -> str:
    """ "Council officer for Riverside", "Administrator": a role with the wards it covers."""
    if role != "council":
        return ROLE_NAMES[role]
    names = sorted(ward_names.get(w, f"ward {w}") for w in ward_ids)
    return f"Council officer for {', '.join(names) or 'the whole council area'}"


_DAYS = {
    "Mo": "Monday",
    "Tu": "Tuesday",
    "We": "Wednesday",
    "Th": "Thursday",
    "Fr": "Friday",
    "Sa": "Saturday",
    "Su": "Sunday",
    "PH": "public holidays",
    "SH": "school holidays",
}
_MONTHS = {
    "Jan": "January",
    "Feb": "February",
    "Mar": "March",
    "Apr": "April",
    "May": "May",
    "Jun": "June",
    "Jul": "July",
    "Aug": "August",
    "Sep": "September",
    "Oct": "October",
    "Nov": "November",
    "Dec": "December",
}
_MOMENTS = {"sunrise": "dawn", "sunset": "dusk", "dawn": "dawn", "dusk": "dusk"}
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
        parts.append(" to ".join(names[end] for end in ends))
    return _and(parts)


def _times(token: str) -> str | None:
    """ "08:00-12:00,13:00-17:30" as "08:00–12:00 and 13:00–17:30"."""
    spans = []
    for piece in token.split(","):
        found = _TIME_SPAN.fullmatch(piece)
        if found is None:
            return None
        start, end = (_MOMENTS.get(t, t) for t in found.groups())
        moment = {start, end} & set(_MOMENTS.values())
        spans.append(f"{start} to {end}" if moment else f"{start}–{end}")
    return _and(spans)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _rule(rule: str) -> str:
    words = []
    for part in rule.split():
        if part == "24/7":
            words.append("all day, every day")
        elif part.lower() in _CLOSED:
            words.append("closed")
        else:
            words.append(
                _span_list(part, _DAYS) or _span_list(part, _MONTHS) or _times(part.lower()) or part
            )
    return " ".join(words)


def opening_hours(value: Any) -> str:
    """OSM ``opening_hours`` in words: "sunrise-sunset" is "Dawn to dusk", "Mo-Fr
    15:30-19:00" is "Monday to Friday 15:30–19:00". Parts it cannot read stay as written."""
    if not present(value):
        return NOT_KNOWN
    rules = [_rule(rule) for rule in re.split(r";|\|\|", str(value)) if rule.strip()]
    if not rules:
        return NOT_KNOWN
    worded = "; ".join(rules)
    return worded[0].upper() + worded[1:]
