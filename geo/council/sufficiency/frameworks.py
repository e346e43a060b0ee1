"""The frameworks a council assesses play sufficiency against, each a list of criteria.

A criterion has an id, the question in the framework's words, the figures from SafePlay's
data that bear on it, and the rule by which SafePlay *suggests* a red/amber/green rating —
stated in words, because the officer confirms or changes every rating with evidence and the
reader must see what the suggestion was based on. Where SafePlay holds nothing that answers
a criterion (supervised provision, the play workforce, policy), no rating is suggested and
the rule says so. The thresholds are SafePlay's, not the frameworks': none of them fixes a
share of children in reach that counts as "sufficient". Sources are listed in
docs/play-sufficiency.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geo.council.population import AGE_BANDS
from geo.council.sufficiency.figures import Figures

RATINGS: dict[str, str] = {"green": "Green", "amber": "Amber", "red": "Red"}
REACH_RULE = "green when 80% of children or more are in reach, amber from 50%, red below"


@dataclass(frozen=True)
class Suggestion:
    rating: str | None  # None: SafePlay's data cannot suggest one
    because: str


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    asks: str
    rule: str
    suggest: Callable[[Figures], Suggestion]


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    cycle: str
    age_bands: str
    source: str
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _graded(value: float | None, green: float, amber: float, said: str) -> Suggestion:
    if value is None:
        return Suggestion(None, f"{said}: not known yet")
    rating = "green" if value >= green else "amber" if value >= amber else "red"
    return Suggestion(rating, said)


_LEVEL_WORDS = {"age_12_plus": "12 and over within 800 m"}


def _reach(*levels: str) -> Callable[[Figures], Suggestion]:
    def suggest(figures: Figures) -> Suggestion:
        shares = [figures.share(level) for level in levels]
        if any(share is None for share in shares):
            return Suggestion(None, "no ward has a coverage figure yet")
        lowest = min(shares)
        words = ", ".join(
            f"{_LEVEL_WORDS.get(level, level)} {_pct(s)}"
            for level, s in zip(levels, shares, strict=True)
        )
        return _graded(lowest, 0.8, 0.5, f"children in reach: {words}")

    return suggest


def _twelve_and_over(figures: Figures) -> Suggestion:
    """London's 800 m where it was walked (streets imported), else the neighbourhood level."""
    if "age_12_plus_share" in figures.wards.columns:
        return _reach("age_12_plus")(figures)
    return _reach("neighbourhood")(figures)


def _no_data(what: str) -> Callable[[Figures], Suggestion]:
    return lambda _figures: Suggestion(None, f"SafePlay holds no record of {what}")


def population(figures: Figures) -> Suggestion:
    wards, with_bands = len(figures.wards), figures.wards_with_bands()
    said = f"children by age band imported for {with_bands} of {wards} wards"
    if not wards:
        return Suggestion(None, "no wards are loaded")
    rating = "green" if with_bands == wards else "amber" if with_bands else "red"
    return Suggestion(rating, said)


def diverse_needs(figures: Figures) -> Suggestion:
    known = figures.places["wheelchair"].notna()
    if not known.any():
        return Suggestion(None, "no play space has its wheelchair access recorded")
    usable = figures.places["wheelchair"].isin(["yes", "limited"]).sum() / known.sum()
    return _graded(
        usable, 0.5, 0.25, f"{_pct(usable)} of play spaces recorded are wheelchair usable"
    )


def charges(figures: Figures) -> Suggestion:
    known = figures.places["fee"].notna()
    if not known.any():
        return Suggestion(None, "no play space has its charges recorded")
    free = (figures.places.loc[known, "fee"] == False).sum() / known.sum()  # noqa: E712
    return _graded(free, 0.9, 0.7, f"{_pct(free)} of play spaces with charges recorded are free")


def quality(figures: Figures) -> Suggestion:
    if figures.places.empty:
        return Suggestion(None, "no play spaces are loaded")
    share = figures.inspected_and_passed() / len(figures.places)
    return _graded(share, 0.9, 0.7, f"{_pct(share)} passed an inspection in the last year")


def consultation(figures: Figures) -> Suggestion:
    heard, children = figures.children_voices(), figures.children
    if not children:
        return Suggestion(
            "amber" if heard else "red",
            f"{heard:,} published voices of children; children not known",
        )
    per = 1000 * heard / children
    return _graded(per, 5, 1, f"{per:.1f} published voices of children per 1,000 children")


def space_per_child(figures: Figures) -> Suggestion:
    children = figures.children
    if not children:
        return Suggestion(None, "children per ward are not imported")
    per = figures.play_m2() / children
    return _graded(per, 10, 5, f"{per:.1f} m² of mapped play space per child")


WALES_BANDS = ", ".join(band.replace("-", "–") for band in AGE_BANDS)
_ENGAGE_RULE = (
    "green at 5 or more published voices of children per 1,000 children in the period, "
    "amber from 1, red below (with no child population: red with none, amber with some)"
)

WALES = Framework(
    "wales",
    "Wales — Play Sufficiency Assessment",
    "A full assessment every three years, with an action plan reviewed every year.",
    WALES_BANDS,
    "Children and Families (Wales) Measure 2010, section 11; the Play Sufficiency Assessment "
    "(Wales) Regulations 2012; Wales – a Play Friendly Country, statutory guidance (2014)",
    (
        Criterion(
            "A",
            "Matter A: Population",
            "Children in the area by age band.",
            "green with age bands for every ward, amber for some, red for none",
            population,
        ),
        Criterion(
            "B",
            "Matter B: Providing for diverse needs",
            "Play that is inclusive of disabled children and every community.",
            "green when 50% or more of play spaces are wheelchair usable, amber from 25%, "
            "red below",
            diverse_needs,
        ),
        Criterion(
            "C",
            "Matter C: Space available for children to play",
            "Open spaces, play areas and playing fields, and their state.",
            "local play (LEAP): " + REACH_RULE,
            _reach("local"),
        ),
        Criterion(
            "D",
            "Matter D: Supervised provision",
            "Staffed play and play schemes.",
            "no suggestion: rate from the council's own records",
            _no_data("staffed play or play schemes"),
        ),
        Criterion(
            "E",
            "Matter E: Charges for play provision",
            "What play costs families.",
            "green when 90% or more of play spaces with charges recorded are free, amber "
            "from 70%, red below",
            charges,
        ),
        Criterion(
            "F",
            "Matter F: Access to space/provision",
            "Whether children can get to places to play, and know of them.",
            "the lower of doorstep and neighbourhood reach: " + REACH_RULE,
            _reach("doorstep", "neighbourhood"),
        ),
        Criterion(
            "G",
            "Matter G: Securing and developing the play workforce",
            "Playworkers, their training and their number.",
            "no suggestion: rate from the council's own records",
            _no_data("the play workforce"),
        ),
        Criterion(
            "H",
            "Matter H: Community engagement and participation",
            "Children, families and communities taking part.",
            _ENGAGE_RULE,
            consultation,
        ),
        Criterion(
            "I",
            "Matter I: Play within all relevant policy and implementation agendas",
            "Planning, transport, schools, health and other policies that shape play.",
            "no suggestion: rate from the council's own records",
            _no_data("the council's policies"),
        ),
    ),
)

SCOTLAND = Framework(
    "scotland",
    "Scotland — Play Sufficiency Assessment",
    "Prepared for the evidence report of each Local Development Plan.",
    "children under 18 (0–17)",
    "Town and Country Planning (Scotland) Act 1997, section 16D; the Town and Country Planning "
    "(Play Sufficiency Assessment) (Scotland) Regulations 2023 (SSI 2023/97); Scottish "
    "Government, Play Sufficiency Assessment Regulations 2023: planning guidance",
    (
        Criterion(
            "quantity",
            "Quantity of play opportunities",
            "How much play space there is for each locality's children.",
            "local play (LEAP): " + REACH_RULE,
            _reach("local"),
        ),
        Criterion(
            "quality",
            "Quality of play opportunities",
            "The state and play value of play spaces.",
            "green when 90% or more of play spaces passed an inspection in the last year, "
            "amber from 70%, red below",
            quality,
        ),
        Criterion(
            "accessibility",
            "Accessibility of play opportunities",
            "Whether children can reach play spaces safely.",
            "the lower of doorstep and neighbourhood reach: " + REACH_RULE,
            _reach("doorstep", "neighbourhood"),
        ),
        Criterion(
            "consultation",
            "Consultation with children",
            "What children and young people said about play.",
            _ENGAGE_RULE,
            consultation,
        ),
    ),
)

LONDON = Framework(
    "london",
    "London Plan Policy S4 — play and informal recreation audit",
    "Informs the borough's Development Plan and its play strategy.",
    "under 5, 5–11, 12 and over",
    "The London Plan 2021, Policy S4 Play and informal recreation; Shaping Neighbourhoods: "
    "Play and Informal Recreation SPG (Greater London Authority, 2012)",
    (
        Criterion(
            "space",
            "At least 10 m² of play space per child",
            "Play space per child across the borough.",
            "green at 10 m² per child or more (S4), amber from 5 m², red below",
            space_per_child,
        ),
        Criterion(
            "under5",
            "Under 5s: doorstep play",
            "Play on site or next to home for under 5s.",
            "doorstep play (LAP): " + REACH_RULE,
            _reach("doorstep"),
        ),
        Criterion(
            "age5to11",
            "Ages 5–11: within 400 m",
            "Play for 5–11 year olds within 400 m.",
            "local play (LEAP, 400 m walking): " + REACH_RULE,
            _reach("local"),
        ),
        Criterion(
            "age12plus",
            "Ages 12 and over: within 800 m",
            "Play and recreation for 12 and over within 800 m.",
            "play for 12 and over within 800 m walking along the imported streets; without "
            "streets, SafePlay's nearest level, neighbourhood play (NEAP, 600 m as the crow "
            "flies for 1,000 m walking): " + REACH_RULE,
            _twelve_and_over,
        ),
        Criterion(
            "no_net_loss",
            "No net loss of play provision",
            "Play space lost to development is replaced.",
            "no suggestion: compare with the previous audit",
            _no_data("play space lost or replaced"),
        ),
    ),
)

FRAMEWORKS: dict[str, Framework] = {f.id: f for f in (WALES, SCOTLAND, LONDON)}
