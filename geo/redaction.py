"""Finding and removing personal data in what people type, before anything is public.

Anonymous and children's messages must not carry a way to find someone: e-mail addresses,
phone numbers, street addresses and postcodes, and names where the text says whose they
are ("my name is …", "I am … from … school"). Patterns cover British, Irish, American,
French, German, Spanish, Italian and Dutch styles. Each find is replaced by a bracketed
word saying what was there, so a moderator (and the public) can still read the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+"
_NAMES = rf"{_NAME}(?:\s+{_NAME}){{0,2}}"
_STREET_WORDS = (
    r"street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|place|pl|"
    r"gardens|terrace|grove|boulevard|blvd|walk|row|square|mews|hill|park road"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("e-mail", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)),
    ("link", re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)),
    # +44 7700 900123, 07700-900-123, (020) 7946 0958, 555.123.4567, 06 12 34 56 78
    ("phone", re.compile(r"(?<![\w/])(?:\+|00)?\(?\d[\d\s().-]{6,}\d(?![\w/])")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")),  # UK
    (
        "address",
        re.compile(
            rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:{_NAME}\s+){{1,3}}(?:{_STREET_WORDS})\b\.?",
            re.IGNORECASE,
        ),
    ),
    # Hauptstraße 12, Calle Mayor 5, Via Roma 10, Kerkstraat 3
    (
        "address",
        re.compile(
            r"\b(?:[A-ZÄÖÜ][\wäöüß]*(?:straße|strasse|weg|platz|gasse|allee|straat|laan|plein)"
            r"|(?:Calle|Avenida|Plaza|Via|Viale|Piazza|Corso)\s+(?:[A-Z][\wà-ú]+\s?){1,3})"
            r"\s*\d{1,4}[a-z]?\b"
        ),
    ),
    # 12 rue de la Paix, 3 avenue des Fleurs
    (
        "address",
        re.compile(
            r"\b\d{1,4},?\s+(?:rue|avenue|boulevard|place|chemin|allée)\s+"
            r"(?:(?:de|du|des|la|le|l')\s*)*[A-ZÀ-Ý][\wà-ÿ'-]+(?:\s+[A-ZÀ-Ý][\wà-ÿ'-]+)*",
            re.IGNORECASE,
        ),
    ),
]
# Phrases that say whose a name is; the name that follows is removed. After the plainest
# ones a name counts even in lower case (children often type that way); after "I am" or
# "my son is" it must start with a capital, or "I am happy" would lose a word.
_NAMED_BY = re.compile(
    r"(?P<lead>\b(?i:my name is|my name's|my names|i am called|i'm called|im called|"
    r"call me|je m'appelle|ich heiße|ich heisse|me llamo|mi chiamo|ik heet)\s+)"
    r"(?P<name>(?i:[a-zà-ÿ][a-zà-öø-ÿ'’-]+)(?:\s+" + _NAME + r")?)"
)
_MAYBE_NAMED = re.compile(
    r"(?P<lead>\b(?i:this is|je suis|ich bin|i am|i'm|im|"
    r"my (?:son|daughter|child|kid|brother|sister|friend)(?:'s name is| is called| is)?)\s+)"
    r"(?P<name>" + _NAMES + r")",
)
_NOT_NAMES = {
    "a", "an", "the", "not", "so", "very", "worried", "scared", "happy", "sad", "from",
    "at", "in", "going", "here", "there", "years", "year", "in year", "and", "also", "really",
    "afraid", "sure", "glad", "sorry", "tired", "new", "old", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "writing", "asking",
    "on", "if", "please", "back", "anytime", "later", "when", "now", "maybe", "any",
}  # fmt: skip
_SCHOOL = re.compile(
    r"\b(?i:from|at|go to|goes to|going to|went to|attend|attends|in)\s+"
    rf"(?P<school>(?:St\.?\s+)?{_NAME}(?:\s+{_NAME}){{0,3}}"
    r"(?:'s)?\s+(?i:primary|secondary|junior|infant|high|grammar|middle)?\s*"
    r"(?i:school|academy|college|primary|école|schule|colegio|scuola))",
)


@dataclass(frozen=True)
class Redacted:
    """The text fit to publish and what was taken out (shown to the moderator only)."""

    text: str
    found: tuple[tuple[str, str], ...]

    @property
    def changed(self) -> bool:
        return bool(self.found)


def redact(text: str) -> Redacted:
    """Replace personal data in ``text`` with ``[e-mail]``, ``[phone]``, ``[address]``,
    ``[postcode]``, ``[link]``, ``[name]`` or ``[school]``."""
    found: list[tuple[str, str]] = []

    def replace(kind: str):
        def swap(match: re.Match[str]) -> str:
            found.append((kind, match.group(0).strip()))
            return f"[{kind}]"

        return swap

    for kind, pattern in _PATTERNS:
        text = pattern.sub(lambda m, k=kind: _phone_or_keep(m, k, found), text) if kind == "phone" \
            else pattern.sub(replace(kind), text)  # fmt: skip
    text = _SCHOOL.sub(lambda m: _swap_group(m, "school", "school", found), text)
    text = _NAMED_BY.sub(lambda m: _name_or_keep(m, found, any_case=True), text)
    text = _MAYBE_NAMED.sub(lambda m: _name_or_keep(m, found), text)
    return Redacted(text, tuple(found))


def _phone_or_keep(match: re.Match[str], kind: str, found: list) -> str:
    """A run of digits is a phone number when it has 7–15 digits and is not a date, a time
    or an amount."""
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15 or re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", raw.strip()):
        return raw
    trailing = raw[len(raw.rstrip()) :]
    found.append((kind, raw.strip()))
    return f"[{kind}]{trailing}"


def _swap_group(match: re.Match[str], group: str, kind: str, found: list) -> str:
    start, end = match.span(group)
    found.append((kind, match.group(group)))
    whole_start = match.start()
    text = match.group(0)
    return text[: start - whole_start] + f"[{kind}]" + text[end - whole_start :]


def _name_or_keep(match: re.Match[str], found: list, any_case: bool = False) -> str:
    name = match.group("name")
    words = name.split()
    # Keep the words after a name that are plainly not part of it ("I am Tom and …").
    kept = []
    for word in words:
        if word.lower() in _NOT_NAMES:
            break
        kept.append(word)
    if not kept or (not any_case and not kept[0][0].isupper()):
        return match.group(0)
    taken = " ".join(kept)
    found.append(("name", taken))
    rest = name[len(taken) :]
    return match.group("lead") + "[name]" + rest
