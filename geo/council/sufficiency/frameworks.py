"""The frameworks a council assesses play sufficiency against, each a list of criteria.

A criterion has an id, the question in the framework's words, the figures from SafePlay's
data that bear on it, and the rule by which SafePlay *suggests* a red/amber/green rating —
stated in words, because the officer confirms or changes every rating with evidence and the
reader must see what the suggestion was based on. Where SafePlay holds nothing that answers
a criterion (supervised provision, the play workforce, policy), no rating is suggested and
the rule says so. The thresholds are SafePlay's, not the frameworks': none of them fixes a
share of children in reach that counts as "sufficient". Sources are listed in
docs/play-sufficiency.md.

The frameworks' words are English, marked for the catalogue (``N_``) and read through
``t`` where they are shown (the page, the report): the frameworks are built once at
import, before anyone's language is known. A suggestion is worded when it is made, so it
comes in the reader's language already.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geo import i18n
from geo.council.population import AGE_BANDS
from geo.council.sufficiency.figures import Figures
from geo.council.sufficiency.maps import PLAY_WORDS
from geo.i18n import N_, Words, t, tn

RATINGS = Words({"green": N_("Green"), "amber": N_("Amber"), "red": N_("Red")})


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
    return i18n.percent(round(value, 2))


def _graded(value: float, green: float, amber: float, said: str) -> Suggestion:
    rating = "green" if value >= green else "amber" if value >= amber else "red"
    return Suggestion(rating, said)


# The levels a reach suggestion names, in words (never the key "neighbourhood").
_LEVEL_WORDS = Words({**PLAY_WORDS, "age_12_plus": N_("12 and over within 800 m")})


def _reach(*levels: str) -> Callable[[Figures], Suggestion]:
    def suggest(figures: Figures) -> Suggestion:
        shares = [figures.share(level) for level in levels]
        if any(share is None for share in shares):
            return Suggestion(None, t("no ward has a coverage figure yet"))
        lowest = min(shares)
        words = ", ".join(
            t("{level} {share}", level=_LEVEL_WORDS[level], share=_pct(s))
            for level, s in zip(levels, shares, strict=True)
        )
        return _graded(lowest, 0.8, 0.5, t("children in reach: {shares}", shares=words))

    return suggest


def _twelve_and_over(figures: Figures) -> Suggestion:
    """London's 800 m where it was walked (streets imported), else the neighbourhood level."""
    if "age_12_plus_share" in figures.wards.columns:
        return _reach("age_12_plus")(figures)
    return _reach("neighbourhood")(figures)


def _no_data(what: str) -> Callable[[Figures], Suggestion]:
    return lambda _figures: Suggestion(None, t("SafePlay holds no record of {what}", what=t(what)))


def population(figures: Figures) -> Suggestion:
    wards, with_bands = len(figures.wards), figures.wards_with_bands()
    if not wards:
        return Suggestion(None, t("no wards are loaded"))
    said = tn(
        "children by age band imported for {done} of {n} ward",
        "children by age band imported for {done} of {n} wards",
        wards,
        done=i18n.number(with_bands),
    )
    rating = "green" if with_bands == wards else "amber" if with_bands else "red"
    return Suggestion(rating, said)


def diverse_needs(figures: Figures) -> Suggestion:
    known = figures.places["wheelchair"].notna()
    if not known.any():
        return Suggestion(None, t("no play space has its wheelchair access recorded"))
    usable = figures.places["wheelchair"].isin(["yes", "limited"]).sum() / known.sum()
    return _graded(
        usable,
        0.5,
        0.25,
        t("{share} of play spaces recorded are wheelchair usable", share=_pct(usable)),
    )


def charges(figures: Figures) -> Suggestion:
    known = figures.places["fee"].notna()
    if not known.any():
        return Suggestion(None, t("no play space has its charges recorded"))
    free = (figures.places.loc[known, "fee"] == False).sum() / known.sum()  # noqa: E712
    return _graded(
        free, 0.9, 0.7, t("{share} of play spaces with charges recorded are free", share=_pct(free))
    )


def quality(figures: Figures) -> Suggestion:
    if figures.places.empty:
        return Suggestion(None, t("no play spaces are loaded"))
    share = figures.inspected_and_passed() / len(figures.places)
    return _graded(
        share, 0.9, 0.7, t("{share} passed an inspection in the last year", share=_pct(share))
    )


def consultation(figures: Figures) -> Suggestion:
    heard, children = figures.children_voices(), figures.children
    if not children:
        return Suggestion(
            "amber" if heard else "red",
            tn(
                "{n} published voice of children; children not known",
                "{n} published voices of children; children not known",
                heard,
            ),
        )
    per = 1000 * heard / children
    return _graded(
        per,
        5,
        1,
        t(
            "{per} published voices of children per {thousand} children",
            per=i18n.number(round(per, 1), 1),
            thousand=i18n.number(1000),
        ),
    )


def space_per_child(figures: Figures) -> Suggestion:
    children = figures.children
    if not children:
        return Suggestion(None, t("children per ward are not imported"))
    per = figures.play_m2() / children
    return _graded(
        per,
        10,
        5,
        t("{area} m² of mapped play space per child", area=i18n.number(round(per, 1), 1)),
    )


WALES_BANDS = ", ".join(band.replace("-", "–") for band in AGE_BANDS)
_ENGAGE_RULE = N_(
    "green at 5 or more published voices of children per 1,000 children in the period, "
    "amber from 1, red below (with no child population: red with none, amber with some)"
)

WALES = Framework(
    "wales",
    N_("Wales — Play Sufficiency Assessment"),
    N_("A full assessment every three years, with an action plan reviewed every year."),
    WALES_BANDS,
    N_(
        "Children and Families (Wales) Measure 2010, section 11; the Play Sufficiency Assessment "
        "(Wales) Regulations 2012; Wales – a Play Friendly Country, statutory guidance (2014)"
    ),
    (
        Criterion(
            "A",
            N_("Matter A: Population"),
            N_("Children in the area by age band."),
            N_("green with age bands for every ward, amber for some, red for none"),
            population,
        ),
        Criterion(
            "B",
            N_("Matter B: Providing for diverse needs"),
            N_("Play that is inclusive of disabled children and every community."),
            N_(
                "green when 50% or more of play spaces are wheelchair usable, amber from 25%, "
                "red below"
            ),
            diverse_needs,
        ),
        Criterion(
            "C",
            N_("Matter C: Space available for children to play"),
            N_("Open spaces, play areas and playing fields, and their state."),
            N_(
                "local play (LEAP): green when 80% of children or more are in reach, "
                "amber from 50%, red below"
            ),
            _reach("local"),
        ),
        Criterion(
            "D",
            N_("Matter D: Supervised provision"),
            N_("Staffed play and play schemes."),
            N_("no suggestion: rate from the council's own records"),
            _no_data(N_("staffed play or play schemes")),
        ),
        Criterion(
            "E",
            N_("Matter E: Charges for play provision"),
            N_("What play costs families."),
            N_(
                "green when 90% or more of play spaces with charges recorded are free, amber "
                "from 70%, red below"
            ),
            charges,
        ),
        Criterion(
            "F",
            N_("Matter F: Access to space/provision"),
            N_("Whether children can get to places to play, and know of them."),
            N_(
                "the lower of doorstep and neighbourhood reach: green when 80% of children or "
                "more are in reach, amber from 50%, red below"
            ),
            _reach("doorstep", "neighbourhood"),
        ),
        Criterion(
            "G",
            N_("Matter G: Securing and developing the play workforce"),
            N_("Playworkers, their training and their number."),
            N_("no suggestion: rate from the council's own records"),
            _no_data(N_("the play workforce")),
        ),
        Criterion(
            "H",
            N_("Matter H: Community engagement and participation"),
            N_("Children, families and communities taking part."),
            _ENGAGE_RULE,
            consultation,
        ),
        Criterion(
            "I",
            N_("Matter I: Play within all relevant policy and implementation agendas"),
            N_("Planning, transport, schools, health and other policies that shape play."),
            N_("no suggestion: rate from the council's own records"),
            _no_data(N_("the council's policies")),
        ),
    ),
)

SCOTLAND = Framework(
    "scotland",
    N_("Scotland — Play Sufficiency Assessment"),
    N_("Prepared for the evidence report of each Local Development Plan."),
    N_("children under 18 (0–17)"),
    N_(
        "Town and Country Planning (Scotland) Act 1997, section 16D; the Town and Country Planning "
        "(Play Sufficiency Assessment) (Scotland) Regulations 2023 (SSI 2023/97); Scottish "
        "Government, Play Sufficiency Assessment Regulations 2023: planning guidance"
    ),
    (
        Criterion(
            "quantity",
            N_("Quantity of play opportunities"),
            N_("How much play space there is for each locality's children."),
            N_(
                "local play (LEAP): green when 80% of children or more are in reach, "
                "amber from 50%, red below"
            ),
            _reach("local"),
        ),
        Criterion(
            "quality",
            N_("Quality of play opportunities"),
            N_("The state and play value of play spaces."),
            N_(
                "green when 90% or more of play spaces passed an inspection in the last year, "
                "amber from 70%, red below"
            ),
            quality,
        ),
        Criterion(
            "accessibility",
            N_("Accessibility of play opportunities"),
            N_("Whether children can reach play spaces safely."),
            N_(
                "the lower of doorstep and neighbourhood reach: green when 80% of children or "
                "more are in reach, amber from 50%, red below"
            ),
            _reach("doorstep", "neighbourhood"),
        ),
        Criterion(
            "consultation",
            N_("Consultation with children"),
            N_("What children and young people said about play."),
            _ENGAGE_RULE,
            consultation,
        ),
    ),
)

LONDON = Framework(
    "london",
    N_("London Plan Policy S4 — play and informal recreation audit"),
    N_("Informs the borough's Development Plan and its play strategy."),
    N_("under 5, 5–11, 12 and over"),
    N_(
        "The London Plan 2021, Policy S4 Play and informal recreation; Shaping Neighbourhoods: "
        "Play and Informal Recreation SPG (Greater London Authority, 2012)"
    ),
    (
        Criterion(
            "space",
            N_("At least 10 m² of play space per child"),
            N_("Play space per child across the borough."),
            N_("green at 10 m² per child or more (S4), amber from 5 m², red below"),
            space_per_child,
        ),
        Criterion(
            "under5",
            N_("Under 5s: doorstep play"),
            N_("Play on site or next to home for under 5s."),
            N_(
                "doorstep play (LAP): green when 80% of children or more are in reach, "
                "amber from 50%, red below"
            ),
            _reach("doorstep"),
        ),
        Criterion(
            "age5to11",
            N_("Ages 5–11: within 400 m"),
            N_("Play for 5–11 year olds within 400 m."),
            N_(
                "local play (LEAP, 400 m walking): green when 80% of children or more are in "
                "reach, amber from 50%, red below"
            ),
            _reach("local"),
        ),
        Criterion(
            "age12plus",
            N_("Ages 12 and over: within 800 m"),
            N_("Play and recreation for 12 and over within 800 m."),
            N_(
                "play for 12 and over within 800 m walking along the imported streets; without "
                "streets, SafePlay's nearest level, neighbourhood play (NEAP, 600 m as the crow "
                "flies for 1,000 m walking): green when 80% of children or more are in reach, "
                "amber from 50%, red below"
            ),
            _twelve_and_over,
        ),
        Criterion(
            "no_net_loss",
            N_("No net loss of play provision"),
            N_("Play space lost to development is replaced."),
            N_("no suggestion: compare with the previous audit"),
            _no_data(N_("play space lost or replaced")),
        ),
    ),
)

FRAMEWORKS: dict[str, Framework] = {f.id: f for f in (WALES, SCOTLAND, LONDON)}
