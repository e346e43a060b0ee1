"""Millbrook's initiatives: proposals from parents' groups, schools and charities at every
stage of review, each with the path of decisions that brought it there."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from decimal import Decimal

from shapely import affinity
from shapely.geometry import LineString, Point, Polygon

from geo.io.demo.accounts import DEMO_LEADER, DEMO_LEADER_ORGANISATION
from geo.io.demo.places import PlaceDraft
from geo.io.demo.setting import (
    AS_OF,
    HOSTILE_MARKUP_NAME,
    HOSTILE_TEMPLATE_NAME,
    WARD_NAMES,
    TownFrame,
    near,
    random_point_in,
)
from geo.registry.initiatives import InitiativeRecord, StatusChange

_PARTNERS = (
    "Millbrook Town Council Parks Team",
    "Safer Neighbourhood Police Team",
    "NHS School Nursing Team",
    "Millbrook Library",
    "Play Millbrook (charity)",
    "Millbrook Youth Trust",
    "Millbrook Housing Association",
    "Sustrans volunteers",
    "Millbrook Rotary Club",
    "Children's Centre Outreach",
    "Canal & River Trust",
)
_PROPOSERS = (
    "Brookside Parents' Forum",
    "Millbrook Youth Trust",
    "St Anne's Primary PTA",
    "Kingsmead Residents' Association",
    "Canal Quarter Community Hub",
    "Play Millbrook (charity)",
    "Hillcrest Tenants' Group",
    "Millbrook Cycling Club",
    "Northgate Mosque Youth Committee",
    "Orchard Vale Neighbourhood Watch",
    "Fairview Childminders Network",
    "Westbury Scouts",
)
_COUNCIL = "Millbrook Town Council review panel"

# Per status: the path an initiative took to get there.
_PATHS = {
    "draft": ("draft",),
    "submitted": ("draft", "submitted"),
    "changes_requested": ("draft", "submitted", "changes_requested"),
    "approved": ("draft", "submitted", "approved"),
    "rejected": ("draft", "submitted", "rejected"),
    "in_progress": (
        "draft",
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
        "in_progress",
    ),
    "completed": ("draft", "submitted", "approved", "in_progress", "completed"),
    "withdrawn": ("draft", "submitted", "withdrawn"),
}
_STATUS_COUNTS = {
    "draft": 4,
    "submitted": 6,
    "changes_requested": 4,
    "approved": 5,
    "rejected": 3,
    "in_progress": 7,
    "completed": 5,
    "withdrawn": 2,
}
_REASONS = {
    "changes_requested": (
        "Please show how the gate will be kept shut and who holds the key.",
        "The site plan overlaps a drainage easement; please move it 10 m east.",
        "Add how children will be supervised and by whom (DBS-checked adults).",
        "Please add a maintenance plan for the first two years.",
    ),
    "approved": (
        "Meets the play strategy; funded from the neighbourhood fund.",
        "Supported by residents and the school; approved with a 12-month review.",
        "Approved: fills a gap in doorstep play for this ward.",
    ),
    "rejected": (
        "The land is privately owned and the owner has declined.",
        "A similar scheme already runs 200 m away; please join that one.",
        "The road carries a bus route, so it cannot be closed for play.",
    ),
    "submitted": ("Submitted for review.",),
    "in_progress": ("Work started on site.", "First sessions running."),
    "completed": ("Finished and signed off by the parks team.",),
    "withdrawn": ("Withdrawn by the proposer: the group is merging with another scheme.",),
    "draft": (None,),
}


def initiative_records(
    rng: random.Random,
    wards: list[Polygon],
    places: list[PlaceDraft],
    streets: list[str],
    frame: TownFrame,
) -> list[InitiativeRecord]:
    statuses = [s for s, n in _STATUS_COUNTS.items() for _ in range(n)]
    rng.shuffle(statuses)
    spare_streets = iter(streets[-200:])
    named = [p for p in places if p.name not in (HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME)]
    schools = [p for p in named if p.kind == "school_yard"] or named
    records = []
    leader_statuses = ["draft", "changes_requested"]
    for status in statuses:
        kind = rng.choice(
            (
                "new_play_area",
                "safety_improvement",
                "safety_improvement",
                "programme",
                "event",
                "walking_route",
                "play_street",
            )
        )
        ward_index = rng.randrange(len(wards))
        ward = wards[ward_index]
        ward_name = WARD_NAMES[ward_index]
        suitable = [p for p in named if kind != "safety_improvement" or p.kind == "playground"]
        place = rng.choice([p for p in suitable if p.ward == ward_index] or suitable)
        street = next(spare_streets)
        title, summary, shape, goals, ages = _initiative_content(
            rng, kind, ward, ward_name, place, street, schools
        )
        proposer = rng.choice(_PROPOSERS)
        if status in leader_statuses:
            # The demo leader has work in every state that needs them: a draft, a
            # proposal returned for changes, and whatever their forum already proposed.
            leader_statuses.remove(status)
            proposer = DEMO_LEADER_ORGANISATION
        records.append(
            InitiativeRecord(
                title=title,
                summary=summary,
                kind=kind,
                proposer=proposer,
                geometry=frame.to_lonlat(shape),
                history=_history(rng, status, proposer),
                partners=sorted(rng.sample(_PARTNERS, rng.randint(1, 3))),
                goals=goals,
                min_age=ages[0],
                max_age=ages[1],
                budget=Decimal(rng.choice((0, 250, 800, 1_500, 4_000, 12_000, 35_000))),
                start_date=AS_OF + timedelta(days=rng.randint(-200, 120)),
                end_date=AS_OF + timedelta(days=rng.randint(130, 400)),
                owner_login=DEMO_LEADER if proposer == DEMO_LEADER_ORGANISATION else None,
            )
        )
    return records


def _initiative_content(rng, kind, ward, ward_name, place, street, schools):
    """Title, summary, shape (local metres), goals and ages for one initiative."""
    anchor = place.shape.centroid
    if kind == "new_play_area":
        centre = random_point_in(rng, ward)
        shape = affinity.rotate(
            centre.buffer(rng.uniform(18, 35), cap_style="square"), rng.uniform(0, 90)
        )
        return (
            rng.choice(
                (
                    f"New doorstep play space on {street}",
                    f"Natural play area beside {street}",
                    f"Turn the {street} garage site into a play area",
                )
            ),
            f"Families on and around {street} have no play space within a five-minute walk. "
            "We propose a small fenced area for under-8s with natural play features, seating "
            "for carers and a shaded corner.",
            shape,
            [
                "Agree the site with the council",
                "Consult children at the local school",
                "Raise match funding",
                "Open before the summer holidays",
            ],
            (0, 8),
        )
    if kind == "safety_improvement":
        fix = rng.choice(
            (
                "Replace worn safety surfacing at",
                "Fence the toddler area at",
                "Better lighting on the path to",
                "Repair the self-closing gate at",
                "Remove the broken roundabout at",
            )
        )
        return (
            f"{fix} {place.name}",
            f"Parents and the last inspection report problems at {place.name}. This asks "
            "for the repair to be scheduled and for residents to be told when it is done.",
            anchor,
            ["Confirm the fault with the inspector", "Get a quote", "Complete the repair"],
            (0, 12),
        )
    if kind == "programme":
        return (
            rng.choice(
                (
                    f"After-school play sessions at {place.name}",
                    f"Holiday play scheme in {ward_name}",
                    f"Safe cycling training for Year 5 in {ward_name}",
                    f"Stay-and-play mornings for under-5s in {ward_name}",
                )
            ),
            "Free, drop-in sessions led by trained play workers with DBS checks, so that "
            "children have somewhere safe to be after school and in the holidays.",
            anchor,
            ["Recruit two play workers", "Run 20 sessions", "Ask children what to change"],
            (5, 12),
        )
    if kind == "event":
        return (
            rng.choice(
                (
                    f"{ward_name} family fun day",
                    f"Community litter pick at {place.name}",
                    f"Play day at {place.name}",
                )
            ),
            "A free afternoon for families to meet neighbours, try new games and tell the "
            "council what would make local play spaces safer.",
            anchor,
            ["Book the site", "Invite local groups", "Collect children's ideas"],
            (0, 16),
        )
    if kind == "walking_route":
        school = rng.choice(schools)
        start = near(rng, ward, anchor, spread=700)
        end = school.shape.centroid
        mid = Point(
            (start.x + end.x) / 2 + rng.uniform(-150, 150),
            (start.y + end.y) / 2 + rng.uniform(-150, 150),
        )
        school_name = school.name.replace(" yard (after hours)", "")
        return (
            rng.choice(
                (f"Safe route to {school_name}", f"Walking bus from {street} to {school_name}")
            ),
            "A signed walking route with a staffed crossing and volunteers walking with "
            "children at the start and end of the school day.",
            LineString([start, mid, end]),
            ["Map the route with pupils", "Add a crossing patrol", "Run a walking bus daily"],
            (5, 11),
        )
    start = random_point_in(rng, ward)
    angle = rng.uniform(0, math.pi)
    length = rng.uniform(120, 260)
    end = Point(start.x + length * math.cos(angle), start.y + length * math.sin(angle))
    return (
        f"Monthly play street on {street}",
        f"Close {street} to through traffic for three hours on the first Sunday of each "
        "month so children can play out, with stewards at each end.",
        LineString([start, end]).buffer(6, cap_style="flat"),
        ["Get the road closure order", "Train stewards", "Hold six play streets"],
        (0, 12),
    )


def _history(rng: random.Random, status: str, proposer: str) -> list[StatusChange]:
    path = _PATHS[status]
    when = datetime.combine(AS_OF, datetime.min.time()) - timedelta(
        days=rng.randint(40 * len(path), 60 * len(path) + 120)
    )
    steps = []
    previous = None
    for target in path:
        when += timedelta(days=rng.randint(3, 40), hours=rng.randint(8, 17))
        by_council = target in ("changes_requested", "approved", "rejected")
        steps.append(
            StatusChange(
                from_status=previous,
                to_status=target,
                actor=_COUNCIL if by_council else proposer,
                reason=rng.choice(_REASONS[target]),
                changed_at=when,
            )
        )
        previous = target
    return steps
