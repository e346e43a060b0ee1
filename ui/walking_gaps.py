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

import pandas as pd

from geo.council import coverage
from geo.mapping.walking_layers import barrier_words, metres
from geo.streets import walking
from geo.wording import present

NOT_KNOWN = "Not known"
METHOD = (
    "**Method.** Walks are measured along the imported streets and paths, from the nearest "
    "way into a play area (its gates, else where a path meets it) to each home — or, where "
    f"the extract has no buildings, to {walking.CELL_M:.0f} m squares of residential land — "
    "so a river, railway or motorway is crossed only where a bridge or crossing is mapped. "
    "*On foot* is the share of a ward's residents within the standard's walking distance "
    "of play of the chosen kind; *as the crow flies* is the straight-line method at "
    f"{coverage.LINE_RATIO:.1f} of that distance (Fields in Trust's 60 / 240 / 600 m); the "
    "*difference* is what the streets change, in percentage points. Residents are spread "
    "evenly over a ward's homes. Wards are ranked by children out of reach on foot."
)


def streetless_words(missing: list[str], wards: int, source: str) -> str:
    """The warning over the walking figures when the imported streets miss some wards
    (plain text holding ward and file names: the page escapes it)."""
    if len(missing) >= wards:
        return (
            f"None of the imported streets ({source}) lies in any of the "
            "council's wards: the extract is of somewhere else, so the figures on foot below "
            "do not measure this council's streets. Until an administrator imports an "
            "extract of the council's own area, read the straight line."
        )
    names = ", ".join(missing)
    return (
        f"No imported street lies in {names}: on foot, every home there reads as out of "
        f"reach. The extract ({source}) does not cover "
        f"{'this ward' if len(missing) == 1 else 'these wards'}."
    )


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


def standard_words(bands: str) -> str:
    """A standard with its walking distances: "Fields in Trust (100 / 400 / 1,000 m walking)"."""
    levels = coverage.BANDS[bands]
    distances = " / ".join(f"{spec.walk_m:,}" for spec in levels.values())
    return f"{coverage.BAND_NAMES[bands]} ({distances} m walking)"


def need_table(result: coverage.WalkingCoverage, level: str) -> pd.DataFrame:
    """Wards by need at ``level`` (children out of reach on foot first), with the walking
    and straight-line shares side by side and what the streets change."""
    ranked = result.as_coverage().ranked(level)
    out_of_reach = ranked["population"] - ranked[f"{level}_residents"]
    line_m = result.line_distances[level]
    return pd.DataFrame(
        {
            "Ward": ranked["name"],
            "Children out of reach (est.)": coverage.children_out_of_reach(ranked, level),
            "On foot": [share_text(s) for s in ranked[f"{level}_share"]],
            f"As the crow flies ({line_m:,.0f} m)": [
                share_text(s) for s in ranked[f"{level}_line_share"]
            ],
            "Difference": [
                difference_words(w, s)
                for w, s in zip(
                    ranked[f"{level}_share"], ranked[f"{level}_line_share"], strict=True
                )
            ],
            "Residents out of reach": [people_text(n) for n in out_of_reach],
        }
    )


def cut_off_table(result: coverage.WalkingCoverage, level: str) -> pd.DataFrame:
    """Per ward and barrier: homes in reach as the crow flies but not on foot, the
    residents they stand for (the ward's population spread over its points) and the
    typical distances each way."""
    cut = result.cut_off[result.cut_off["level"] == level]
    columns = ["Ward", "Cut off by", "Homes or spots", "Residents (est.)", "Crow flies", "On foot"]
    if cut.empty:
        return pd.DataFrame(columns=columns)
    points = result.cells.groupby("ward_id").size()
    people = result.table.set_index("id")["population"]
    names = result.table.set_index("id")["name"]
    cut = cut.assign(
        barrier=[
            barrier_words(k, n)
            for k, n in zip(cut["barrier_kind"], cut["barrier_name"], strict=True)
        ],
        residents=cut["ward_id"].map(people / points),
    )
    grouped = (
        cut.groupby(["ward_id", "barrier"], sort=False)
        .agg(
            spots=("line_m", "size"),
            residents=("residents", lambda r: r.sum(min_count=1)),
            line_m=("line_m", "median"),
            walk_m=("walk_m", "median"),
        )
        .reset_index()
        .sort_values(["spots", "ward_id"], ascending=[False, True])
    )
    return pd.DataFrame(
        {
            "Ward": grouped["ward_id"].map(names).to_numpy(),
            "Cut off by": grouped["barrier"].to_numpy(),
            "Homes or spots": grouped["spots"].to_numpy(),
            "Residents (est.)": [people_text(n) for n in grouped["residents"]],
            "Crow flies": [f"about {metres(m)}" for m in grouped["line_m"]],
            "On foot": [
                f"about {metres(m)}" if math.isfinite(m) else "No route within reach"
                for m in grouped["walk_m"]
            ],
        },
        columns=columns,
    )


def what_if_table(
    result: coverage.WalkingCoverage, gains: pd.DataFrame, titles: dict[int, str]
) -> pd.DataFrame:
    """Per proposal and level it helps: residents and children newly within walking
    reach, residents whose walk it shortens, and by how long on average."""
    rows = []
    for values in gains.to_dict("records"):
        for level, spec in result.levels.items():
            helped = values[f"{level}_helped"]
            if not helped and not values[f"{level}_residents"]:
                continue
            rows.append(
                {
                    "Proposal": titles.get(int(values["proposal_id"]), NOT_KNOWN),
                    "Level": spec.label,
                    "Newly within walking reach": people_text(values[f"{level}_residents"]),
                    "Of them children": people_text(values[f"{level}_children"]),
                    "Walk shortened for": people_text(helped),
                    "Average walk saved": duration_words(values[f"{level}_seconds_saved"]),
                }
            )
    return pd.DataFrame(rows)
