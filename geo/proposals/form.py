"""What a proposer writes about a proposal, and the checks it must pass before it is stored.

A plain value and pure validation (no database): the Propose page builds a ``ProposalForm``
from its widgets, ``workflow.save_draft`` stores what ``validate_form`` returns, and
``reading.differences`` compares two versions field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from geo.errors import InvalidInput
from geo.vocabulary import INITIATIVE_KINDS

MAX_TITLE = 120
MAX_SUMMARY = 2_000
MAX_ITEM = 200
MAX_ITEMS = 20
MAX_BUDGET = Decimal("10000000")


@dataclass(frozen=True)
class ProposalForm:
    """What the proposer writes about a proposal (the drawing travels separately)."""

    title: str
    summary: str
    kind: str
    partners: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    budget: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None


def lines(text: str | None) -> tuple[str, ...]:
    """One item per non-empty line: how partners and goals are typed in a text area."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def validate_form(form: ProposalForm, today: date) -> ProposalForm:
    """The form as it will be stored, or ``InvalidInput`` naming the field and the fix."""
    title, summary = " ".join(form.title.split()), form.summary.strip()
    if len(title) < 5:
        raise InvalidInput("give the proposal a title of at least 5 characters")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"the title is {len(title)} characters; keep it under {MAX_TITLE}")
    if len(summary) < 20:
        raise InvalidInput("describe the proposal in a summary of at least 20 characters")
    if len(summary) > MAX_SUMMARY:
        raise InvalidInput(
            f"the summary is {len(summary):,} characters; keep it under {MAX_SUMMARY:,}"
        )
    if form.kind not in INITIATIVE_KINDS:
        raise InvalidInput(f"choose a kind of initiative ({form.kind!r} is not one)")
    partners = _items(form.partners, "partner")
    goals = _items(form.goals, "goal")
    _check_ages(form.min_age, form.max_age)
    budget = _budget(form.budget)
    if form.start_date and form.end_date and form.end_date < form.start_date:
        raise InvalidInput("the end date is before the start date")
    if form.end_date and form.end_date < today:
        raise InvalidInput("the end date is in the past")
    if form.start_date and form.start_date.year > today.year + 10:
        raise InvalidInput("the start date is more than ten years away; check the year")
    return replace(
        form, title=title, summary=summary, partners=partners, goals=goals, budget=budget
    )


def _items(items: tuple[str, ...], what: str) -> tuple[str, ...]:
    cleaned = tuple(" ".join(item.split()) for item in items if item.strip())
    if len(cleaned) > MAX_ITEMS:
        raise InvalidInput(f"list at most {MAX_ITEMS} {what}s ({len(cleaned)} given)")
    for item in cleaned:
        if len(item) > MAX_ITEM:
            raise InvalidInput(f"a {what} is {len(item)} characters; keep each under {MAX_ITEM}")
    return cleaned


def _check_ages(low: int | None, high: int | None) -> None:
    for value in (low, high):
        if value is not None and not 0 <= value <= 18:
            raise InvalidInput("ages are for children and young people: 0 to 18")
    if low is not None and high is not None and low > high:
        raise InvalidInput("the youngest age is above the oldest age")


def _budget(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        budget = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise InvalidInput(f"the budget {value!r} is not an amount of money") from error
    if budget < 0 or budget > MAX_BUDGET:
        raise InvalidInput(f"the budget must be between 0 and {MAX_BUDGET:,.0f}")
    return budget
