"""The assessment as one document — headings, paragraphs, tables and a map — that the DOCX,
PDF and HTML exports each lay out, so the three never disagree on what the report says.

It also holds the child-friendly summary: short sentences, what children told us and what
happens next, which the exports set in big type. Figures are written as words ("Not known",
"12%"), never as a column name or "nan".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.council.coverage import LEVELS as LEVEL_WORDS
from geo.council.population import AGE_BANDS
from geo.council.sufficiency.assessments import STATUSES, Assessment
from geo.council.sufficiency.figures import (
    LEVELS,
    Figures,
    concerns_table,
    kinds_table,
    voices_table,
)
from geo.council.sufficiency.frameworks import RATINGS
from geo.council.sufficiency.maps import coverage_map
from geo.wording import day, moment


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    big: bool = False


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Picture:
    """The ward map with every play space on it, drawn only when a document is laid out
    (drawing needs the font). Scotland's Regulations ask for a map of the formal play
    spaces; every framework's reader wants to see where they are."""

    wards: gpd.GeoDataFrame
    level: str
    caption: str
    places: pd.DataFrame  # lon, lat of each play space

    def png(self) -> bytes:
        return coverage_map(self.wards, self.level, self.places)


Block = Heading | Paragraph | Table | Picture


@dataclass(frozen=True)
class Report:
    title: str
    blocks: list[Block] = field(default_factory=list)
    child_summary: list[Block] = field(default_factory=list)


def _known(value: int | float | None, unit: str = "") -> str:
    return "Not known" if value is None else f"{value:,}{unit}"


def _share(value: float | None) -> str:
    return "Not known" if value is None else f"{100 * value:.0f}%"


def build(assessment: Assessment, figures: Figures, ward_names: dict[int, str]) -> Report:
    """The whole report of ``assessment`` with ``figures`` of its wards."""
    framework = assessment.framework
    where = (
        ", ".join(ward_names.get(w, f"ward {w}") for w in assessment.ward_ids)
        if assessment.ward_ids
        else "the whole council area"
    )
    period = f"{day(assessment.period_start)} to {day(assessment.period_end)}"
    title = f"{framework.name}, {period}"
    blocks: list[Block] = [
        Heading(title, 0),
        Paragraph(
            f"Area: {where}. Status: {assessment.status_words()}. Prepared by "
            f"{assessment.created_by} with SafePlay."
        ),
        Paragraph(
            f"{framework.cycle} Age bands: {framework.age_bands}. Sources: {framework.source}."
        ),
        Paragraph(f"Reach is measured by {figures.method}."),
        Heading("The figures"),
        Picture(
            figures.wards,
            "local",
            "Map: each ward coloured by the share of it within reach of local play (LEAP). "
            "Green: 80% or more; amber: 50% to 80%; red: under 50%; grey: not known. "
            "Each dot is a play space.",
            figures.places[["lon", "lat"]],
        ),
        Heading("Children by age band", 2),
        Table(
            ["Ward", "Residents", "Children under 18", *AGE_BANDS],
            [
                [
                    str(row["name"]),
                    _known(_int(row["population"])),
                    _known(_int(row["child_population"])),
                    *(_known(_int(row[band])) for band in AGE_BANDS),
                ]
                for _, row in figures.wards.iterrows()
            ],
        ),
        Heading("Play spaces by kind and quality", 2),
        Table(
            ["Kind", "Play spaces", "Passed an inspection in the last year"], kinds_table(figures)
        ),
        Heading("Access", 2),
        Table(
            ["Level", "Children (else residents) in reach"],
            [[LEVEL_WORDS[level].label, _share(figures.share(level))] for level in LEVELS],
        ),
        Heading("Charges and opening", 2),
        Table(["", "Play spaces"], _charges_rows(figures)),
        Paragraph(
            f"Mapped play space: {figures.play_m2():,.0f} m² (play spaces drawn as shapes; "
            f"points have no area), {_per_child(figures)}."
        ),
        Heading("Consultation with children", 2),
        Paragraph(
            f"{figures.children_voices():,} published voices of children and young people in "
            "the period (only what a moderator published; originals are never used)."
        ),
        Table(["Theme", "Age band", "Voices"], voices_table(figures)),
        Heading("Concerns reported", 2),
        Table(["Category", "Concerns"], concerns_table(figures)),
        Heading("Assessment"),
    ]
    for criterion in framework.criteria:
        suggestion = criterion.suggest(figures)
        blocks.append(Heading(criterion.title, 2))
        blocks.append(Paragraph(criterion.asks))
        blocks.append(
            Paragraph(
                f"SafePlay suggests: {RATINGS.get(suggestion.rating or '', 'no rating')} — "
                f"{suggestion.because} (rule: {criterion.rule})."
            )
        )
        rated = assessment.ratings.get(criterion.id)
        blocks.append(
            Paragraph(
                f"Rating: {RATINGS[rated.rating]}, confirmed by {rated.rated_by} on "
                f"{day(rated.rated_at)}. Evidence: {rated.evidence}"
                if rated
                else "Rating: not yet confirmed."
            )
        )
    blocks += [
        Heading("Action plan"),
        Table(
            ["Criterion", "What", "Who", "By when"],
            [
                [framework.criterion(str(a.criterion)).title, str(a.what), str(a.who), day(a.due)]
                for a in assessment.actions.itertuples()
            ],
        ),
        Heading("Record of changes"),
        changes_table(assessment),
    ]
    return Report(title, blocks, _child_summary(assessment, figures))


def changes_table(assessment: Assessment) -> Table:
    """Every change of the assessment, oldest first, in words."""
    return Table(
        ["When", "What", "From", "To", "Who", "Why"],
        [
            [moment(c.changed_at), _item(str(c.item), assessment), _value(c.from_value),
             _value(c.to_value), str(c.actor), str(c.reason or "—")]
            for c in assessment.changes.itertuples()
        ],
    )  # fmt: skip


def _item(item: str, assessment: Assessment) -> str:
    """An audit row's subject in words ("rating:C" is "Rating: Matter C: …")."""
    kind, _, criterion = item.partition(":")
    if not criterion:
        return "Status"
    title = assessment.framework.criterion(criterion).title
    return f"{'Rating' if kind == 'rating' else 'Action'}: {title}"


def _value(value: object) -> str:
    if value is None or value != value:
        return "—"
    return {**RATINGS, **STATUSES}.get(str(value), str(value))


def _int(value: object) -> int | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)


def _per_child(figures: Figures) -> str:
    children = figures.children
    if not children:
        return "per child not known (import children per ward)"
    return f"{figures.play_m2() / children:.1f} m² per child (London Plan S4 asks for 10)"


def _charges_rows(figures: Figures) -> list[list[str]]:
    places = figures.places
    return [
        ["Free to use", f"{(places['fee'] == False).sum():,}"],  # noqa: E712
        ["Charge a fee", f"{(places['fee'] == True).sum():,}"],  # noqa: E712
        ["Charges not recorded", f"{places['fee'].isna().sum():,}"],
        ["Opening hours recorded", f"{places['opening_hours'].notna().sum():,}"],
        ["Opening hours not recorded", f"{places['opening_hours'].isna().sum():,}"],
    ]


def _child_summary(assessment: Assessment, figures: Figures) -> list[Block]:
    """Short sentences for children: what we found, what they told us, what happens next."""
    local = figures.share("local")
    blocks: list[Block] = [
        Heading("Play in our area: what we found", 0),
        Paragraph(f"There are {len(figures.places):,} places to play.", big=True),
    ]
    if local is not None:
        blocks.append(
            Paragraph(
                f"{100 * local:.0f} out of every 100 children live near a play area.", big=True
            )
        )
    heard = figures.children_voices()
    blocks.append(Heading("What you told us", 1))
    if heard:
        blocks.append(
            Paragraph(f"{heard:,} children and young people told us what they think.", big=True)
        )
        young = figures.voices[figures.voices["age_band"].isin(["under_12", "12_17"])]
        for theme, count in young.groupby("theme")["voices"].sum().nlargest(3).items():
            blocks.append(Paragraph(f"{count:,} of you talked about: {theme}.", big=True))
    else:
        blocks.append(Paragraph("We want to hear from you. Tell us on Have your say.", big=True))
    blocks.append(Heading("What happens next", 1))
    if assessment.actions.empty:
        blocks.append(
            Paragraph("We are making a plan. We will tell you what we will do.", big=True)
        )
    for action in assessment.actions.head(5).itertuples():
        blocks.append(Paragraph(f"By {day(action.due)}: {action.what}", big=True))
    return blocks
