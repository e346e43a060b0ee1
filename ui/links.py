"""Links a phone acts on: a phone number is a ``tel:`` link, so one tap calls it; and
links to the Atom feeds a feed reader follows."""

from __future__ import annotations

import re

from geo.delivery import feeds
from geo.escape import for_markdown


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
