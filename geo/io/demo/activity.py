"""What happens in Millbrook once it exists: the inspection register behind each place,
the partners, and the milestones and check-ins of running initiatives."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from geo.accountability.partners import save_partner
from geo.accountability.progress import add_milestone, complete_milestone, post_checkin
from geo.io.demo.setting import AS_OF, AS_OF_TIME, SEED
from geo.permissions import Actor
from geo.registry.initiatives import InitiativeRecord
from geo.registry.places import PlaceRecord
from geo.safeguarding.inspections import load_history
from geo.storage.db import Store

_PARTNER_KINDS = {
    "Millbrook Town Council Parks Team": "council_team",
    "Safer Neighbourhood Police Team": "police",
    "NHS School Nursing Team": "health",
    "Millbrook Library": "council_team",
    "Play Millbrook (charity)": "ngo",
    "Millbrook Youth Trust": "ngo",
    "Millbrook Housing Association": "other",
    "Sustrans volunteers": "ngo",
    "Millbrook Rotary Club": "other",
    "Children's Centre Outreach": "health",
    "Canal & River Trust": "ngo",
}


def add_inspections(store: Store, actor: Actor, records: list[PlaceRecord], ids: list[int]) -> None:
    """The register behind each place's "last inspected": its annual main inspection, and
    routine and operational checks for most places (some overdue, as in any council)."""
    rng = random.Random(SEED + 7)
    loaded = max(AS_OF, datetime.now(UTC).date())
    results = {"pass": "pass", "minor issues": "defects", "action required": "defects"}
    rows = []
    for record, place_id in zip(records, ids, strict=True):
        if record.last_inspection is None:
            continue
        result = results[record.inspection_result or "pass"]
        defects = "Worn surfacing by the swings." if result == "defects" else None
        rows.append(
            (
                place_id,
                "annual",
                record.last_inspection,
                "Millbrook Parks inspector",
                result,
                defects,
            )
        )
        for kind, every in (("routine", 7), ("operational", 90)):
            if rng.random() < 0.8:
                when = loaded - timedelta(days=rng.randint(0, every + every // 3))
                rows.append((place_id, kind, when, "Parks team", "pass", None))
    load_history(store, actor, rows)


def add_progress(
    store: Store, actor: Actor, records: list[InitiativeRecord], ids: list[int]
) -> None:
    """Partners, milestones from each running initiative's goals, and check-ins — some on
    time, some stale and some milestones overdue, so every flag has something to show."""
    for name, kind in _PARTNER_KINDS.items():
        save_partner(
            store, actor, name, kind, f"{name} works with Millbrook families.", None, (), AS_OF_TIME
        )
    rng = random.Random(SEED + 6)
    for record, initiative_id in zip(records, ids, strict=True):
        if record.status not in ("in_progress", "completed"):
            continue
        reporter = replace(actor, display_name=record.proposer)
        started = record.history[-1].changed_at
        for n, goal in enumerate(record.goals):
            due = (started + timedelta(days=30 * (n + 1))).date()
            milestone = add_milestone(
                store, reporter, initiative_id, goal, rng.choice(record.partners), due, started
            )
            if record.status == "completed" or n == 0:
                complete_milestone(
                    store, reporter, milestone, "Done.", started + timedelta(days=20)
                )
        # Check-ins relative to when the demo is loaded, so some are on time whenever it is.
        loaded = max(AS_OF_TIME, datetime.now(UTC).replace(tzinfo=None))
        silent_for = rng.choice((3, 9, 40))
        post_checkin(
            store,
            reporter,
            initiative_id,
            "Sessions running; families are using the space.",
            loaded - timedelta(days=silent_for),
            next_step="Next partners' meeting.",
        )
