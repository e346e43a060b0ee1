"""Record numbers read from text that anyone can write: the address bar, a shared link.

``?id=`` followed by 5,000 digits, a minus sign, "abc" or a full-width digit is not an
error a person caused and must not stop a page: it is simply no record. Python refuses
to turn more than 4,300 digits into a number, and DuckDB's ids are 32-bit integers, so
anything else would end in an exception far from the address that caused it.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # DuckDB INTEGER, the type of every id column
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() also accepts "²" and "٣"


def parse_id(text: object) -> int | None:
    """The record number written in ``text``, or None when it cannot be one."""
    if not isinstance(text, str):
        return None
    cleaned = text.strip()
    if not _DIGITS.fullmatch(cleaned):
        return None
    number = int(cleaned)
    return number if 1 <= number <= MAX_ID else None
