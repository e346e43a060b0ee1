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
from geo.i18n import N_, number, t, tn
from geo.mapping.walking_layers import barrier_words, metres
from geo.streets import walking
from geo.wording import present

CUT_OFF_COLUMNS = (
    N_("Ward"),
    N_("Cut off by"),
    N_("Homes or spots"),
    N_("Residents (est.)"),
    N_("Crow flies"),
    N_("On foot"),
)


def method_words() -> str:
    """The walking method in the reader's language (Markdown of our own)."""
    return t(
        "**Method.** Walks are measured along the imported streets and paths, from the nearest "
        "way into a play area (its gates, else where a path meets it) to each home — or, where "
        "the extract has no buildings, to {cell} m squares of residential land — so a river, "
        "railway or motorway is crossed only where a bridge or crossing is mapped. *On foot* "
        "is the share of a ward's residents within the standard's walking distance of play of "
        "the chosen kind; *as the crow flies* is the straight-line method at {ratio} of that "
        "distance (Fields in Trust's 60 / 240 / 600 m); the *difference* is what the streets "
        "change, in percentage points. Residents are spread evenly over a ward's homes. Wards "
        "are ranked by children out of reach on foot.",
        cell=number(walking.CELL_M, 0),
        ratio=number(coverage.LINE_RATIO, 1),
    )


def streetless_words(missing: list[str], wards: int, source: str) -> str:
    """The warning over the walking figures when the imported streets miss some wards
    (plain text holding ward and file names: the page escapes it)."""
    if len(missing) >= wards:
        return t(
            "None of the imported streets ({source}) lies in any of the council's wards: the "
            "extract is of somewhere else, so the figures on foot below do not measure this "
            "council's streets. Until an administrator imports an extract of the council's "
            "own area, read the straight line.",
            source=source,
        )
    return tn(
        "No imported street lies in {names}: on foot, every home there reads as out of "
        "reach. The extract ({source}) does not cover this ward.",
        "No imported street lies in {names}: on foot, every home there reads as out of "
        "reach. The extract ({source}) does not cover these wards.",
        len(missing),
        names=", ".join(missing),
        source=source,
    )


def share_text(share: Any) -> str:
    """A covered share (0–1) as "62.5%", or "Not known"."""
    return coverage.share_words(share)


def difference_words(walking: Any, straight: Any) -> str:
    """How walking changes the share, in percentage points and words."""
    if not (present(walking) and present(straight)):
        return t("Not known")
    points = 100 * (float(walking) - float(straight))
    if abs(points) < 0.05:
        return t("The same on foot")
    # Counted on the tenths shown: 1.0 is "1 point", 1.5 "1.5 points" (plural by the whole).
    shown, count = number(round(abs(points), 1), 1), round(abs(points), 1)
    if points < 0:
        return tn("{points} point fewer on foot", "{points} points fewer on foot",
                  1 if count == 1 else 2, points=shown)  # fmt: skip
    return tn("{points} point more on foot", "{points} points more on foot",
              1 if count == 1 else 2, points=shown)  # fmt: skip


def people_text(value: Any) -> str:
    """A head count as "1,250", or "Not known" (a ward without a population)."""
    if present(value) and math.isfinite(float(value)):
        return coverage.people(value)
    return t("Not known")


def duration_words(seconds: Any) -> str:
    """A walk's length in time, rounded as one would say it: "40 seconds", "3 minutes"."""
    if not present(seconds) or not math.isfinite(float(seconds)):
        return t("Not known")
    seconds = float(seconds)
    if seconds < 60:
        whole = int(max(round(seconds / 5) * 5, 1) if seconds >= 5 else round(seconds))
        return tn("{n} second", "{n} seconds", whole)
    minutes = seconds / 60
    if minutes >= 10:
        return tn("{n} minute", "{n} minutes", round(minutes))
    tenths = round(minutes, 1)
    if tenths == int(tenths):
        return tn("{n} minute", "{n} minutes", int(tenths))
    return tn("{minutes} minute", "{minutes} minutes", 2, minutes=number(tenths, 1))


def standard_words(bands: str) -> str:
    """A standard with its walking distances: "Fields in Trust (100 / 400 / 1,000 m walking)"."""
    levels = coverage.BANDS[bands]
    distances = " / ".join(number(spec.walk_m) for spec in levels.values())
    return t("{standard} ({distances} m walking)", standard=coverage.BAND_NAMES[bands],
             distances=distances)  # fmt: skip


def need_table(result: coverage.WalkingCoverage, level: str) -> pd.DataFrame:
    """Wards by need at ``level`` (children out of reach on foot first), with the walking
    and straight-line shares side by side and what the streets change."""
    ranked = result.as_coverage().ranked(level)
    out_of_reach = ranked["population"] - ranked[f"{level}_residents"]
    line_m = result.line_distances[level]
    return pd.DataFrame(
        {
            t("Ward"): ranked["name"],
            t("Children out of reach (est.)"): coverage.children_out_of_reach(ranked, level),
            t("On foot"): [share_text(s) for s in ranked[f"{level}_share"]],
            t("As the crow flies ({distance} m)", distance=number(round(line_m))): [
                share_text(s) for s in ranked[f"{level}_line_share"]
            ],
            t("Difference"): [
                difference_words(w, s)
                for w, s in zip(
                    ranked[f"{level}_share"], ranked[f"{level}_line_share"], strict=True
                )
            ],
            t("Residents out of reach"): [people_text(n) for n in out_of_reach],
        }
    )


def cut_off_table(result: coverage.WalkingCoverage, level: str) -> pd.DataFrame:
    """Per ward and barrier: homes in reach as the crow flies but not on foot, the
    residents they stand for (the ward's population spread over its points) and the
    typical distances each way."""
    cut = result.cut_off[result.cut_off["level"] == level]
    columns = [t(c) for c in CUT_OFF_COLUMNS]
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
            columns[0]: grouped["ward_id"].map(names).to_numpy(),
            columns[1]: grouped["barrier"].to_numpy(),
            columns[2]: grouped["spots"].to_numpy(),
            columns[3]: [people_text(n) for n in grouped["residents"]],
            columns[4]: [t("about {distance}", distance=metres(m)) for m in grouped["line_m"]],
            columns[5]: [
                t("about {distance}", distance=metres(m))
                if math.isfinite(m)
                else t("No route within reach")
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
                    t("Proposal"): titles.get(int(values["proposal_id"]), t("Not known")),
                    t("Level"): spec.label,
                    t("Newly within walking reach"): people_text(values[f"{level}_residents"]),
                    t("Of them children"): people_text(values[f"{level}_children"]),
                    t("Walk shortened for"): people_text(helped),
                    t("Average walk saved"): duration_words(values[f"{level}_seconds_saved"]),
                }
            )
    return pd.DataFrame(rows)
