"""The Play gaps page's walking tables: the core's numbers as a council officer reads them.

The walking core (``geo.streets.walking``) measures; this turns its frames into the few
columns the page shows, every value in words ("12.5 points fewer on foot", "Not known"),
so neither "nan" nor a raw column name reaches the screen. Names from data stay plain
text here: ``st.dataframe`` shows cell text literally, and the page escapes what it puts
in Markdown.
"""

from __future__ import annotations

import math
from typing import Any

from geo.wording import present

NOT_KNOWN = "Not known"


def share_text(share: Any) -> str:
    """A covered share (0–1) as "62.5%", or "Not known"."""
    return f"{100 * float(share):.1f}%" if present(share) else NOT_KNOWN


def difference_words(walking: Any, straight: Any) -> str:
    """How walking changes the share, in percentage points and words."""
    if not (present(walking) and present(straight)):
        return NOT_KNOWN
    points = 100 * (float(walking) - float(straight))
    if abs(points) < 0.05:
        return "The same on foot"
    unit = "point" if round(abs(points), 1) == 1 else "points"
    return f"{abs(points):.1f} {unit} {'fewer' if points < 0 else 'more'} on foot"


def people_text(value: Any) -> str:
    """A head count as "1,250", or "Not known" (a ward without a population)."""
    return f"{float(value):,.0f}" if present(value) and math.isfinite(float(value)) else NOT_KNOWN


def duration_words(seconds: Any) -> str:
    """A walk's length in time, rounded as one would say it: "40 seconds", "3 minutes"."""
    if not present(seconds) or not math.isfinite(float(seconds)):
        return NOT_KNOWN
    seconds = float(seconds)
    if seconds < 60:
        whole = max(round(seconds / 5) * 5, 1) if seconds >= 5 else round(seconds)
        return f"{whole:.0f} second{'s' if whole != 1 else ''}"
    minutes = seconds / 60
    shown = f"{minutes:.0f}" if minutes >= 10 else f"{minutes:.1f}".removesuffix(".0")
    return f"{shown} minute{'s' if shown != '1' else ''}"
