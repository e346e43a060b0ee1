"""The assessment as one document — headings, paragraphs, tables and a map — that the DOCX,
PDF and HTML exports each lay out, so the three never disagree on what the report says.

It also holds the child-friendly summary: short sentences, what children told us and what
happens next, which the exports set in big type. Figures are written as words ("Not known",
"12%"), never as a column name or "nan".

The report is written in the language of the officer who builds it (``geo.i18n``): its
words and numbers, and its dates as ``geo.wording`` writes them for that reader.
Frameworks' statutory names keep their English beside the translation (the catalogue
does that), so a council can cite them.
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
from geo.council.sufficiency.frameworks import RATINGS, Criterion, Suggestion
from geo.council.sufficiency.maps import coverage_map
from geo.i18n import number, percent, t, tn
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


def _known(value: int | float | None) -> str:
    return t("Not known") if value is None else number(value)


def _share(value: float | None) -> str:
    return t("Not known") if value is None else percent(round(value, 2))


def build(assessment: Assessment, figures: Figures, ward_names: dict[int, str]) -> Report:
    """The whole report of ``assessment`` with ``figures`` of its wards."""
    framework = assessment.framework
    where = (
        ", ".join(ward_names.get(w, t("ward {id}", id=w)) for w in assessment.ward_ids)
        if assessment.ward_ids
        else t("the whole council area")
    )
    title = t(
        "{framework}, {start} to {end}",
        framework=t(framework.name),
        start=day(assessment.period_start),
        end=day(assessment.period_end),
    )
    blocks: list[Block] = [
        Heading(title, 0),
        Paragraph(
            t(
                "Area: {area}. Status: {status}. Prepared by {person} with SafePlay.",
                area=where,
                status=assessment.status_words(),
                person=assessment.created_by,
            )
        ),
        Paragraph(
            t(
                "{cycle} Age bands: {bands}. Sources: {sources}.",
                cycle=t(framework.cycle),
                bands=t(framework.age_bands),
                sources=t(framework.source),
            )
        ),
        Paragraph(t("Reach is measured by {method}.", method=t(figures.method))),
        Heading(t("The figures")),
        Picture(
            figures.wards,
            "local",
            t(
                "Map: each ward coloured by the share of it within reach of local play (LEAP). "
                "Green: 80% or more; amber: 50% to 80%; red: under 50%; grey: not known. "
                "Each dot is a play space."
            ),
            figures.places[["lon", "lat"]],
        ),
        Heading(t("Children by age band"), 2),
        Table(
            [t("Ward"), t("Residents"), t("Children under 18"), *AGE_BANDS],
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
        Heading(t("Play spaces by kind and quality"), 2),
        Table(
            [t("Kind"), t("Play spaces"), t("Passed an inspection in the last year")],
            kinds_table(figures),
        ),
        Heading(t("Access"), 2),
        Table(
            [t("Level"), t("Children (else residents) in reach")],
            [[LEVEL_WORDS[level].label, _share(figures.share(level))] for level in LEVELS],
        ),
        Heading(t("Charges and opening"), 2),
        Table(["", t("Play spaces")], _charges_rows(figures)),
        Paragraph(
            t(
                "Mapped play space: {area} m² (play spaces drawn as shapes; points have no "
                "area), {per_child}.",
                area=number(round(figures.play_m2())),
                per_child=_per_child(figures),
            )
        ),
        Heading(t("Consultation with children"), 2),
        Paragraph(
            tn(
                "{n} published voice of children and young people in the period (only what a "
                "moderator published; originals are never used).",
                "{n} published voices of children and young people in the period (only what "
                "a moderator published; originals are never used).",
                figures.children_voices(),
            )
        ),
        Table([t("Theme"), t("Age band"), t("Voices")], voices_table(figures)),
        Heading(t("Concerns reported"), 2),
        Table([t("Category"), t("Concerns")], concerns_table(figures)),
        Heading(t("Assessment")),
    ]
    for criterion in framework.criteria:
        blocks += _criterion_blocks(assessment, criterion, figures)
    blocks += [
        Heading(t("Action plan")),
        Table(
            [t("Criterion"), t("What"), t("Who"), t("By when")],
            [
                [
                    t(framework.criterion(str(a.criterion)).title),
                    str(a.what),
                    str(a.who),
                    day(a.due),
                ]
                for a in assessment.actions.itertuples()
            ],
        ),
        Heading(t("Record of changes")),
        changes_table(assessment),
    ]
    return Report(title, blocks, _child_summary(assessment, figures))


def _criterion_blocks(
    assessment: Assessment, criterion: Criterion, figures: Figures
) -> list[Block]:
    """One criterion of the report: its question, SafePlay's suggestion with the rule,
    and the rating the officer confirmed."""
    suggestion = criterion.suggest(figures)
    rated = assessment.ratings.get(criterion.id)
    return [
        Heading(t(criterion.title), 2),
        Paragraph(t(criterion.asks)),
        Paragraph(
            t(
                "SafePlay suggests: {rating} — {because} (rule: {rule}).",
                rating=suggested(suggestion),
                because=suggestion.because,
                rule=t(criterion.rule),
            )
        ),
        Paragraph(
            t(
                "Rating: {rating}, confirmed by {person} on {day}. Evidence: {evidence}",
                rating=RATINGS[rated.rating],
                person=rated.rated_by,
                day=day(rated.rated_at),
                evidence=rated.evidence,
            )
            if rated
            else t("Rating: not yet confirmed.")
        ),
    ]


def suggested(suggestion: Suggestion) -> str:
    """The suggested rating in words, "no rating" where the data cannot suggest one."""
    return RATINGS[suggestion.rating] if suggestion.rating else t("no rating")


def changes_table(assessment: Assessment) -> Table:
    """Every change of the assessment, oldest first, in words."""
    return Table(
        [t("When"), t("What"), t("From"), t("To"), t("Who"), t("Why")],
        [
            [moment(c.changed_at), _item(str(c.item), assessment), _value(c.from_value),
             _value(c.to_value), str(c.actor), _reason(c.item, c.reason)]
            for c in assessment.changes.itertuples()
        ],
    )  # fmt: skip


def _item(item: str, assessment: Assessment) -> str:
    """An audit row's subject in words ("rating:C" is "Rating: Matter C: …")."""
    kind, _, criterion = item.partition(":")
    if not criterion:
        return t("Status")
    title = t(assessment.framework.criterion(criterion).title)
    if kind == "rating":
        return t("Rating: {criterion}", criterion=title)
    return t("Action: {criterion}", criterion=title)


def _reason(item: object, reason: object) -> str:
    """Why, as the person wrote it; the word SafePlay itself records when an assessment is
    created ("created") is read in the reader's language."""
    if not reason or reason != reason:
        return "—"
    return t("created") if item == "status" and reason == "created" else str(reason)


def _value(value: object) -> str:
    if value is None or value != value:
        return "—"
    key = str(value)
    return RATINGS.get(key) or STATUSES.get(key, key)


def _int(value: object) -> int | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)


def _per_child(figures: Figures) -> str:
    children = figures.children
    if not children:
        return t("per child not known (import children per ward)")
    return t(
        "{area} m² per child (London Plan S4 asks for 10)",
        area=number(round(figures.play_m2() / children, 1), 1),
    )


def _charges_rows(figures: Figures) -> list[list[str]]:
    places = figures.places
    return [
        [t("Free to use"), number(int((places["fee"] == False).sum()))],  # noqa: E712
        [t("Charge a fee"), number(int((places["fee"] == True).sum()))],  # noqa: E712
        [t("Charges not recorded"), number(int(places["fee"].isna().sum()))],
        [t("Opening hours recorded"), number(int(places["opening_hours"].notna().sum()))],
        [t("Opening hours not recorded"), number(int(places["opening_hours"].isna().sum()))],
    ]


def _child_summary(assessment: Assessment, figures: Figures) -> list[Block]:
    """Short sentences for children: what we found, what they told us, what happens next."""
    local = figures.share("local")
    blocks: list[Block] = [
        Heading(t("Play in our area: what we found"), 0),
        Paragraph(
            tn("There is {n} place to play.", "There are {n} places to play.", len(figures.places)),
            big=True,
        ),
    ]
    if local is not None:
        blocks.append(
            Paragraph(
                t(
                    "{count} out of every 100 children live near a play area.",
                    count=number(round(100 * local)),
                ),
                big=True,
            )
        )
    heard = figures.children_voices()
    blocks.append(Heading(t("What you told us"), 1))
    if heard:
        blocks.append(
            Paragraph(
                tn(
                    "{n} child or young person told us what they think.",
                    "{n} children and young people told us what they think.",
                    heard,
                ),
                big=True,
            )
        )
        young = figures.voices[figures.voices["age_band"].isin(["under_12", "12_17"])]
        for theme, count in young.groupby("theme")["voices"].sum().nlargest(3).items():
            blocks.append(
                Paragraph(
                    tn(
                        "{n} of you talked about: {theme}.",
                        "{n} of you talked about: {theme}.",
                        int(count),
                        theme=theme,
                    ),
                    big=True,
                )
            )
    else:
        blocks.append(Paragraph(t("We want to hear from you. Tell us on Have your say."), big=True))
    blocks.append(Heading(t("What happens next"), 1))
    if assessment.actions.empty:
        blocks.append(
            Paragraph(t("We are making a plan. We will tell you what we will do."), big=True)
        )
    for action in assessment.actions.head(5).itertuples():
        blocks.append(
            Paragraph(t("By {day}: {action}", day=day(action.due), action=action.what), big=True)
        )
    return blocks
