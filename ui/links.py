"""Links a phone acts on: a phone number is a ``tel:`` link, so one tap calls it."""

from __future__ import annotations

import re

from geo.escape import for_markdown


def phone(number: str) -> str:
    """Markdown for ``number`` as a link that calls it (the number comes from settings, so
    its text is escaped; the link keeps only digits and a leading +)."""
    dialled = re.sub(r"(?!^\+)[^0-9]", "", number.strip())
    if not dialled.strip("+"):
        return for_markdown(number)
    return f"[{for_markdown(number)}](tel:{dialled})"
