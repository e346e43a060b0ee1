"""Millbrook's play areas as a council register holds them: several kinds clustered in each
ward (some wards well provided for, others play deserts), with names, ages, surfaces,
equipment and last inspections that vary the way real registers do."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from shapely import affinity
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.io.demo.setting import (
    AS_OF,
    HOSTILE_MARKUP_NAME,
    HOSTILE_TEMPLATE_NAME,
    SOURCE,
    WARD_NAMES,
    TownFrame,
    near,
    random_point_in,
)
from geo.registry.places import PlaceRecord

_SCHOOLS = (
    "St Anne's C of E Primary",
    "Brookside Primary",
    "Millbrook Academy",
    "Hillcrest Infants",
    "Kingsmead Junior",
    "Canal Quarter Primary",
    "Our Lady of Lourdes RC Primary",
    "Eastfield Community Primary",
    "Westbury Park Primary",
    "Fairview Free School",
)
_EQUIPMENT = {
    "playground": (
        "swing",
        "basket swing",
        "slide",
        "climbing frame",
        "roundabout",
        "springer",
        "sandpit",
        "see-saw",
        "balance beam",
        "zip line",
        "inclusive roundabout",
        "playhouse",
        "net climber",
        "trampoline",
    ),
    "school_yard": ("climbing frame", "hopscotch markings", "trim trail", "basketball hoop"),
    "games_area": ("goals", "basketball hoop", "netball hoop"),
    "youth_space": ("shelter", "table tennis table", "parkour frame", "outdoor gym"),
    "skate_park": ("bowl", "quarter pipe", "rails", "fun box"),
    "water_play": ("water jets", "water pump", "splash channel"),
    "adventure_playground": ("rope bridge", "tower", "zip line", "tyre swing", "den area"),
    "play_street": (),
    "park": ("benches", "picnic tables", "drinking fountain"),
}
_AGES = {
    "playground": ((0, 5), (0, 12), (5, 12), (2, 14)),
    "school_yard": ((4, 11),),
    "games_area": ((8, 18), (10, 18)),
    "youth_space": ((11, 18), (13, 19)),
    "skate_park": ((8, 18),),
    "water_play": ((0, 10),),
    "adventure_playground": ((6, 15),),
    "play_street": ((0, 12),),
    "park": ((None, None),),
}
_KIND_WEIGHTS = {
    "playground": 46,
    "park": 10,
    "school_yard": 8,
    "games_area": 11,
    "youth_space": 6,
    "play_street": 4,
    "skate_park": 3,
    "water_play": 3,
    "adventure_playground": 2,
}


@dataclass
class PlaceDraft:
    """A place in local metres, before conversion (initiatives refer back to them)."""

    name: str
    kind: str
    shape: BaseGeometry
    ward: int


def place_drafts(rng: random.Random, wards: list[Polygon], streets: list[str]) -> list[PlaceDraft]:
    kinds = list(_KIND_WEIGHTS)
    weights = list(_KIND_WEIGHTS.values())
    used: set[str] = set()
    drafts: list[PlaceDraft] = []
    street_iter = iter(streets)
    for ward_index, ward in enumerate(wards):
        # Some wards are well provided for, others are play deserts (coverage analysis
        # has something to find).
        count = rng.choice((6, 9, 14, 18, 22, 26, 30))
        hubs = [random_point_in(rng, ward) for _ in range(rng.randint(2, 4))]
        for _ in range(count):
            kind = rng.choices(kinds, weights)[0]
            hub = rng.choice(hubs)
            centre = near(rng, ward, hub, spread=450)
            name, kind = _place_name(rng, kind, WARD_NAMES[ward_index], street_iter, used)
            drafts.append(PlaceDraft(name, kind, _place_shape(rng, kind, centre), ward_index))
    centre_ward = min(range(len(wards)), key=lambda i: wards[i].centroid.distance(Point(0, 0)))
    for hostile in (HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME):
        spot = random_point_in(rng, wards[centre_ward])
        drafts.append(PlaceDraft(hostile, "playground", spot, centre_ward))
    return drafts


def _place_name(
    rng: random.Random, kind: str, ward: str, streets: Iterator[str], used: set[str]
) -> tuple[str, str]:
    """A name in the style of a council register; a school has one yard, so once its
    name is taken another kind of place is made instead."""
    street = next(streets)
    short = street.rsplit(" ", 1)[0]
    if kind == "school_yard":
        free = [s for s in _SCHOOLS if f"{s} yard (after hours)" not in used]
        if not free:
            return _place_name(rng, "playground", ward, streets, used)
        name = f"{rng.choice(free)} yard (after hours)"
        used.add(name)
        return name, kind
    options = {
        "playground": (f"{street} Playground", f"{short} Play Area", f"{short} Tots' Play Area"),
        "park": (f"{short} Park", f"{ward} Recreation Ground", f"{short} Green"),
        "games_area": (f"{street} Games Area", f"{short} MUGA"),
        "youth_space": (f"{ward} Youth Shelter", f"{short} Youth Space"),
        "play_street": (f"{street} Play Street",),
        "skate_park": (f"{ward} Skate Park", f"{short} Wheels Park"),
        "water_play": (f"{short} Splash Pad",),
        "adventure_playground": (f"{ward} Adventure Playground", f"{short} Adventure Play"),
    }[kind]
    free = [name for name in options if name not in used]
    if not free:
        return _place_name(rng, kind, ward, streets, used)
    name = rng.choice(free)
    used.add(name)
    return name, kind


def _place_shape(rng: random.Random, kind: str, centre: Point) -> BaseGeometry:
    """Points for small or unsurveyed places; rotated footprints for the rest."""
    size = {
        "playground": (18, 55),
        "park": (120, 320),
        "school_yard": (40, 80),
        "games_area": (28, 40),
        "adventure_playground": (45, 80),
    }.get(kind)
    as_area_share = {
        "playground": 0.55,
        "park": 1.0,
        "school_yard": 0.9,
        "games_area": 0.8,
        "adventure_playground": 1.0,
    }.get(kind, 0.0)
    if size is None or rng.random() > as_area_share:
        return centre
    width = rng.uniform(*size)
    depth = width * rng.uniform(0.55, 1.0)
    corners = [
        (-width / 2, -depth / 2),
        (width / 2, -depth / 2),
        (width / 2, depth / 2),
        (-width / 2, depth / 2),
    ]
    if kind == "park":  # parks are rarely rectangles
        corners = [
            (x * rng.uniform(0.75, 1.2), y * rng.uniform(0.75, 1.2))
            for x, y in [
                (-1, -1),
                (0, -1.2),
                (1, -1),
                (1.2, 0),
                (1, 1),
                (0, 1.1),
                (-1, 1),
                (-1.15, 0),
            ]
        ]
        corners = [(x * width / 2, y * depth / 2) for x, y in corners]
    footprint = Polygon([(centre.x + x, centre.y + y) for x, y in corners])
    return affinity.rotate(footprint, rng.uniform(0, 90), origin=centre)


def place_record(rng: random.Random, draft: PlaceDraft, frame: TownFrame, n: int) -> PlaceRecord:
    kind = draft.kind
    min_age, max_age = rng.choice(_AGES[kind])
    pool = _EQUIPMENT[kind]
    equipment = sorted(rng.sample(pool, rng.randint(min(2, len(pool)), min(6, len(pool)))))
    inspected = rng.random() > 0.08
    hostile = draft.name in (HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME)
    return PlaceRecord(
        name=draft.name,
        kind=kind,
        geometry=frame.to_lonlat(draft.shape),
        source=SOURCE,
        source_ref=f"MB-P{n:04d}",
        min_age=min_age,
        max_age=max_age,
        surface=rng.choice(
            {
                "playground": ("rubber", "woodchips", "grass", "sand", "artificial_turf"),
                "games_area": ("tartan", "artificial_turf", "asphalt"),
                "skate_park": ("concrete",),
                "park": ("grass",),
                "school_yard": ("asphalt", "rubber"),
            }.get(kind, ("asphalt", "paving_stones"))
        ),
        fenced=rng.random() < (0.85 if kind in ("playground", "water_play") else 0.35),
        lit=rng.random() < (0.6 if kind in ("games_area", "youth_space", "skate_park") else 0.25),
        wheelchair=rng.choices(("yes", "limited", "no"), (40, 35, 25))[0],
        access="permissive" if kind == "school_yard" else "yes",
        fee=False,
        opening_hours={
            "school_yard": "Mo-Fr 15:30-19:00; Sa,Su 10:00-17:00",
            "youth_space": "Mo-Fr 16:00-21:00; Sa 12:00-20:00",
            "play_street": "first Su 10:00-14:00",
            "water_play": "May-Sep 10:00-19:00",
        }.get(kind, "sunrise-sunset"),
        equipment=equipment,
        operator=rng.choice(
            (
                "Millbrook Town Council",
                "Millbrook Town Council",
                "Millbrook Housing Association",
                "Play Millbrook (charity)",
            )
        ),
        description=(
            "Demo place with a hostile name: it proves that names are shown as text."
            if hostile
            else None
        ),
        last_inspection=(AS_OF - timedelta(days=rng.randint(5, 450))) if inspected else None,
        inspection_result=(
            rng.choices(("pass", "minor issues", "action required"), (70, 22, 8))[0]
            if inspected
            else None
        ),
    )
