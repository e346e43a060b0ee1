"""A believable fictional town, Millbrook, generated the same way every time.

A council officer trying SafePlay should recognise their own world: wards of irregular
shape with real-sounding names and populations, play areas of several kinds whose ages,
surfaces and inspections vary the way registers do, and initiatives from parents' groups,
schools and charities at every stage of review. Everything is derived from a seeded random
generator and a fixed reference date, so the demo (and the tests built on it) never drift.

Two places carry hostile names on purpose — markup and a server-side template expression —
so the escaping of every user string is exercised by the demo itself.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import shapely
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.accountability.partners import save_partner
from geo.accountability.progress import add_milestone, complete_milestone, post_checkin
from geo.accounts.auth import create_user
from geo.errors import ImportRejected
from geo.permissions import Actor, rereads_actor
from geo.registry.areas import AreaRecord, add_areas
from geo.registry.initiatives import InitiativeRecord, StatusChange, add_initiatives
from geo.registry.places import PlaceRecord, add_places
from geo.safeguarding.inspections import load_history
from geo.storage.db import Store

TOWN = "Millbrook"
SOURCE = "demo"
AS_OF = date(2026, 11, 1)
CENTRE = (-1.4746, 52.9225)  # lon, lat; the town is fictional, the ground under it is not
SEED = 20261101

HOSTILE_MARKUP_NAME = "<img src=x onerror=\"alert('xss')\"><script>alert('xss')</script> Corner"
# Were it evaluated, the page would show "PWNED-42"; shown literally it keeps "$((6*7))".
HOSTILE_TEMPLATE_NAME = (
    "{{ cycler.__init__.__globals__.os.popen('echo PWNED-$((6*7))').read() }} Green"
)

WARD_NAMES = (
    "Old Town", "Riverside", "Northgate", "St Anne's", "Brookside", "Hillcrest",
    "Canal Quarter", "Ashby Park", "Kingsmead", "Eastfield", "Westbury", "Fairview",
    "Orchard Vale", "Mill Lane",
)  # fmt: skip
_STREET_FIRST = (
    "Oak", "Elm", "Willow", "Ash", "Beech", "Cedar", "Holly", "Hazel", "Rowan", "Birch",
    "Chestnut", "Laurel", "Maple", "Poplar", "Alder", "Linden", "Hawthorn", "Juniper",
    "Meadow", "Church", "Station", "Victoria", "Albert", "Queen's", "King's", "Bridge",
    "Orchard", "Spring", "Well", "Castle", "Abbey", "Priory", "Market", "Chapel", "Forge",
    "Tannery", "Weaver's", "Cooper's", "Granary", "Wharf", "Lock", "Ferry", "Foundry",
    "Rope Walk", "Sheepfold", "Cherry", "Lavender", "Primrose", "Bluebell", "Foxglove",
)  # fmt: skip
_STREET_LAST = (
    "Road", "Street", "Lane", "Avenue", "Close", "Way", "Gardens", "Crescent", "Grove",
    "Terrace", "Walk", "Rise",
)  # fmt: skip
_SCHOOLS = (
    "St Anne's C of E Primary", "Brookside Primary", "Millbrook Academy", "Hillcrest Infants",
    "Kingsmead Junior", "Canal Quarter Primary", "Our Lady of Lourdes RC Primary",
    "Eastfield Community Primary", "Westbury Park Primary", "Fairview Free School",
)  # fmt: skip
_EQUIPMENT = {
    "playground": ("swing", "basket swing", "slide", "climbing frame", "roundabout",
                   "springer", "sandpit", "see-saw", "balance beam", "zip line",
                   "inclusive roundabout", "playhouse", "net climber", "trampoline"),
    "school_yard": ("climbing frame", "hopscotch markings", "trim trail", "basketball hoop"),
    "games_area": ("goals", "basketball hoop", "netball hoop"),
    "youth_space": ("shelter", "table tennis table", "parkour frame", "outdoor gym"),
    "skate_park": ("bowl", "quarter pipe", "rails", "fun box"),
    "water_play": ("water jets", "water pump", "splash channel"),
    "adventure_playground": ("rope bridge", "tower", "zip line", "tyre swing", "den area"),
    "play_street": (),
    "park": ("benches", "picnic tables", "drinking fountain"),
}  # fmt: skip
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
    "playground": 46, "park": 10, "school_yard": 8, "games_area": 11, "youth_space": 6,
    "play_street": 4, "skate_park": 3, "water_play": 3, "adventure_playground": 2,
}  # fmt: skip
_PARTNERS = (
    "Millbrook Town Council Parks Team", "Safer Neighbourhood Police Team",
    "NHS School Nursing Team", "Millbrook Library", "Play Millbrook (charity)",
    "Millbrook Youth Trust", "Millbrook Housing Association", "Sustrans volunteers",
    "Millbrook Rotary Club", "Children's Centre Outreach", "Canal & River Trust",
)  # fmt: skip
_PROPOSERS = (
    "Brookside Parents' Forum", "Millbrook Youth Trust", "St Anne's Primary PTA",
    "Kingsmead Residents' Association", "Canal Quarter Community Hub",
    "Play Millbrook (charity)", "Hillcrest Tenants' Group", "Millbrook Cycling Club",
    "Northgate Mosque Youth Committee", "Orchard Vale Neighbourhood Watch",
    "Fairview Childminders Network", "Westbury Scouts",
)  # fmt: skip
_COUNCIL = "Millbrook Town Council review panel"

# Per status: the path an initiative took to get there.
_PATHS = {
    "draft": ("draft",),
    "submitted": ("draft", "submitted"),
    "changes_requested": ("draft", "submitted", "changes_requested"),
    "approved": ("draft", "submitted", "approved"),
    "rejected": ("draft", "submitted", "rejected"),
    "in_progress": ("draft", "submitted", "changes_requested", "submitted", "approved",
                    "in_progress"),
    "completed": ("draft", "submitted", "approved", "in_progress", "completed"),
    "withdrawn": ("draft", "submitted", "withdrawn"),
}  # fmt: skip
_STATUS_COUNTS = {
    "draft": 4, "submitted": 6, "changes_requested": 4, "approved": 5, "rejected": 3,
    "in_progress": 7, "completed": 5, "withdrawn": 2,
}  # fmt: skip
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


# One account per role, for trying the demo only (printed by `python -m geo demo` and
# listed in the README as demo-only). A production start creates no accounts.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("rosa@demo.example", "Rosa (resident)", "resident", "swings-at-dusk-2026"),
    ("leo@demo.example", "Leo (Brookside Parents' Forum)", "leader", "safe-route-to-school"),
    ("olu@demo.example", "Olu (council officer)", "council", "play-strategy-review"),
    ("ada@demo.example", "Ada (administrator)", "admin", "millbrook-admin-demo"),
)


DEMO_LEADER = "leo@demo.example"
AS_OF_TIME = datetime.combine(AS_OF, datetime.min.time()) + timedelta(hours=12)
DEMO_LEADER_ORGANISATION = "Brookside Parents' Forum"


@dataclass(frozen=True)
class DemoSummary:
    wards: int
    places: int
    initiatives: int
    accounts: tuple[tuple[str, str, str, str], ...] = ()


class _Frame:
    """Local metres around the town centre <-> longitude/latitude (fine at town scale)."""

    def __init__(self, lon0: float, lat0: float) -> None:
        self.lon0, self.lat0 = lon0, lat0
        self.mx = 111_320.0 * math.cos(math.radians(lat0))
        self.my = 110_540.0

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geometry,
            lambda xy: xy / [self.mx, self.my] + [self.lon0, self.lat0],
        )


@rereads_actor
def load_demo(store: Store, actor: Actor) -> DemoSummary:
    """Fill an empty database with Millbrook; refuse if places or areas already exist."""
    counts = (
        store.cursor()
        .execute("SELECT (SELECT count(*) FROM areas), (SELECT count(*) FROM places)")
        .fetchone()
    )
    if counts and (counts[0] or counts[1]):
        raise ImportRejected("the database already holds data; demo data goes into an empty one")
    town = build_town()
    add_areas(store, actor, town.council, level="council", source=SOURCE)
    add_areas(store, actor, town.wards, level="ward", source=SOURCE)
    place_ids = add_places(store, actor, town.places)
    _add_inspections(store, actor, town.places, place_ids)
    for login, name, role, password in DEMO_ACCOUNTS:
        create_user(store, actor, login, name, role, password)
    ids = add_initiatives(store, actor, town.initiatives)
    _add_progress(store, actor, town.initiatives, ids)
    return DemoSummary(len(town.wards), len(town.places), len(town.initiatives), DEMO_ACCOUNTS)


_PARTNER_KINDS = {
    "Millbrook Town Council Parks Team": "council_team",
    "Safer Neighbourhood Police Team": "police",
    "NHS School Nursing Team": "health", "Millbrook Library": "council_team",
    "Play Millbrook (charity)": "ngo", "Millbrook Youth Trust": "ngo",
    "Millbrook Housing Association": "other", "Sustrans volunteers": "ngo",
    "Millbrook Rotary Club": "other", "Children's Centre Outreach": "health",
    "Canal & River Trust": "ngo",
}  # fmt: skip


def _add_inspections(
    store: Store, actor: Actor, records: list[PlaceRecord], ids: list[int]
) -> None:
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
        rows.append((place_id, "annual", record.last_inspection, "Millbrook Parks inspector",
                     result, defects))  # fmt: skip
        for kind, every in (("routine", 7), ("operational", 90)):
            if rng.random() < 0.8:
                when = loaded - timedelta(days=rng.randint(0, every + every // 3))
                rows.append((place_id, kind, when, "Parks team", "pass", None))
    load_history(store, actor, rows)


def _add_progress(
    store: Store, actor: Actor, records: list[InitiativeRecord], ids: list[int]
) -> None:
    """Partners, milestones from each running initiative's goals, and check-ins — some on
    time, some stale and some milestones overdue, so every flag has something to show."""
    for name, kind in _PARTNER_KINDS.items():
        save_partner(store, actor, name, kind, f"{name} works with Millbrook families.", None,
                     (), AS_OF_TIME)  # fmt: skip
    rng = random.Random(SEED + 6)
    for record, initiative_id in zip(records, ids, strict=True):
        if record.status not in ("in_progress", "completed"):
            continue
        reporter = replace(actor, display_name=record.proposer)
        started = record.history[-1].changed_at
        for n, goal in enumerate(record.goals):
            due = (started + timedelta(days=30 * (n + 1))).date()
            milestone = add_milestone(store, reporter, initiative_id, goal,
                                      rng.choice(record.partners), due, started)  # fmt: skip
            if record.status == "completed" or n == 0:
                complete_milestone(
                    store, reporter, milestone, "Done.", started + timedelta(days=20)
                )
        # Check-ins relative to when the demo is loaded, so some are on time whenever it is.
        loaded = max(AS_OF_TIME, datetime.now(UTC).replace(tzinfo=None))
        silent_for = rng.choice((3, 9, 40))
        post_checkin(
            store, reporter, initiative_id, "Sessions running; families are using the space.",
            loaded - timedelta(days=silent_for), next_step="Next partners' meeting.",
        )  # fmt: skip


@dataclass(frozen=True)
class Town:
    council: list[AreaRecord]
    wards: list[AreaRecord]
    places: list[PlaceRecord]
    initiatives: list[InitiativeRecord]


def build_town(seed: int = SEED) -> Town:
    """Generate Millbrook in memory (no database needed)."""
    rng = random.Random(seed)
    frame = _Frame(*CENTRE)
    boundary = _town_boundary(rng)
    ward_shapes = _ward_shapes(rng, boundary)
    streets = _street_names(rng)
    wards = [
        _ward_record(rng, i, name, shape, frame)
        for i, (name, shape) in enumerate(zip(WARD_NAMES, ward_shapes, strict=True))
    ]
    places_m = _places(rng, ward_shapes, streets)
    places = [_place_record(rng, draft, frame, n) for n, draft in enumerate(places_m, start=1)]
    initiatives = _initiatives(rng, ward_shapes, places_m, streets, frame)
    council = [AreaRecord(TOWN, "MB", frame.to_lonlat(boundary), None, None)]
    return Town(council, wards, places, initiatives)


def _town_boundary(rng: random.Random) -> Polygon:
    """A blob about 9 × 7 km whose edge wanders like a real council boundary."""
    points = []
    harmonics = [(k, rng.uniform(0.02, 0.09) / k**0.5, rng.uniform(0, 2 * math.pi))
                 for k in range(2, 9)]  # fmt: skip
    for step in range(180):
        t = 2 * math.pi * step / 180
        r = 1.0 + sum(a * math.sin(k * t + p) for k, a, p in harmonics)
        points.append((4_500 * r * math.cos(t), 3_500 * r * math.sin(t)))
    return Polygon(points).buffer(0)


def _ward_shapes(rng: random.Random, boundary: Polygon) -> list[Polygon]:
    """Voronoi cells of relaxed seed points, clipped to the boundary: irregular wards."""
    minx, miny, maxx, maxy = boundary.bounds
    seeds: list[Point] = []
    while len(seeds) < len(WARD_NAMES):
        candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if boundary.contains(candidate) and all(candidate.distance(s) > 1_200 for s in seeds):
            seeds.append(candidate)
    for _ in range(2):  # Lloyd relaxation: evens out sizes without making a grid
        cells = _cells(seeds, boundary)
        seeds = [cell.centroid for cell in cells]
    cells = _cells(seeds, boundary)
    # Wiggle shared edges a little so wards do not look machine-cut.
    return [cell.simplify(25) for cell in cells]


def _cells(seeds: list[Point], boundary: Polygon) -> list[Polygon]:
    diagram = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=boundary)
    cells: list[Polygon] = []
    for seed in seeds:
        cell = next(c for c in diagram.geoms if c.contains(seed))
        clipped = cell.intersection(boundary)
        if clipped.geom_type == "MultiPolygon":
            clipped = max(clipped.geoms, key=lambda g: g.area)
        cells.append(clipped)
    return cells


def _ward_record(
    rng: random.Random, index: int, name: str, shape: Polygon, frame: _Frame
) -> AreaRecord:
    density = rng.uniform(1_400, 3_600)  # residents per km²: suburbs to terraces
    population = int(shape.area / 1e6 * density)
    children = int(population * rng.uniform(0.17, 0.27))
    return AreaRecord(name, f"MB{index + 1:02d}", frame.to_lonlat(shape), population, children)


def _street_names(rng: random.Random) -> list[str]:
    names = [f"{a} {b}" for a in _STREET_FIRST for b in _STREET_LAST]
    rng.shuffle(names)
    return names


@dataclass
class _PlaceDraft:
    """A place in local metres, before conversion (initiatives refer back to them)."""

    name: str
    kind: str
    shape: BaseGeometry
    ward: int


def _places(rng: random.Random, wards: list[Polygon], streets: list[str]) -> list[_PlaceDraft]:
    kinds = list(_KIND_WEIGHTS)
    weights = list(_KIND_WEIGHTS.values())
    used: set[str] = set()
    drafts: list[_PlaceDraft] = []
    street_iter = iter(streets)
    for ward_index, ward in enumerate(wards):
        # Some wards are well provided for, others are play deserts (coverage analysis
        # has something to find).
        count = rng.choice((6, 9, 14, 18, 22, 26, 30))
        hubs = [_random_point_in(rng, ward) for _ in range(rng.randint(2, 4))]
        for _ in range(count):
            kind = rng.choices(kinds, weights)[0]
            hub = rng.choice(hubs)
            centre = _near(rng, ward, hub, spread=450)
            name, kind = _place_name(rng, kind, WARD_NAMES[ward_index], street_iter, used)
            drafts.append(_PlaceDraft(name, kind, _place_shape(rng, kind, centre), ward_index))
    centre_ward = min(range(len(wards)), key=lambda i: wards[i].centroid.distance(Point(0, 0)))
    for hostile in (HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME):
        spot = _random_point_in(rng, wards[centre_ward])
        drafts.append(_PlaceDraft(hostile, "playground", spot, centre_ward))
    return drafts


def _random_point_in(rng: random.Random, polygon: Polygon) -> Point:
    minx, miny, maxx, maxy = polygon.bounds
    while True:
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if polygon.buffer(-60).contains(point):
            return point


def _near(rng: random.Random, polygon: Polygon, hub: Point, spread: float) -> Point:
    inner = polygon.buffer(-60)
    for _ in range(200):
        point = Point(hub.x + rng.gauss(0, spread), hub.y + rng.gauss(0, spread))
        if inner.contains(point):
            return point
    return hub


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
        "playground": (18, 55), "park": (120, 320), "school_yard": (40, 80),
        "games_area": (28, 40), "adventure_playground": (45, 80),
    }.get(kind)  # fmt: skip
    as_area_share = {"playground": 0.55, "park": 1.0, "school_yard": 0.9, "games_area": 0.8,
                     "adventure_playground": 1.0}.get(kind, 0.0)  # fmt: skip
    if size is None or rng.random() > as_area_share:
        return centre
    width = rng.uniform(*size)
    depth = width * rng.uniform(0.55, 1.0)
    corners = [(-width / 2, -depth / 2), (width / 2, -depth / 2), (width / 2, depth / 2),
               (-width / 2, depth / 2)]  # fmt: skip
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


def _place_record(rng: random.Random, draft: _PlaceDraft, frame: _Frame, n: int) -> PlaceRecord:
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


def _initiatives(
    rng: random.Random,
    wards: list[Polygon],
    places: list[_PlaceDraft],
    streets: list[str],
    frame: _Frame,
) -> list[InitiativeRecord]:
    statuses = [s for s, n in _STATUS_COUNTS.items() for _ in range(n)]
    rng.shuffle(statuses)
    spare_streets = iter(streets[-200:])
    named = [p for p in places if p.name not in (HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME)]
    schools = [p for p in named if p.kind == "school_yard"] or named
    records = []
    leader_statuses = ["draft", "changes_requested"]
    for status in statuses:
        kind = rng.choice(("new_play_area", "safety_improvement", "safety_improvement",
                           "programme", "event", "walking_route", "play_street"))  # fmt: skip
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
        centre = _random_point_in(rng, ward)
        shape = affinity.rotate(centre.buffer(rng.uniform(18, 35), cap_style="square"),
                                rng.uniform(0, 90))  # fmt: skip
        return (
            rng.choice((f"New doorstep play space on {street}",
                        f"Natural play area beside {street}",
                        f"Turn the {street} garage site into a play area")),
            f"Families on and around {street} have no play space within a five-minute walk. "
            "We propose a small fenced area for under-8s with natural play features, seating "
            "for carers and a shaded corner.",
            shape,
            ["Agree the site with the council", "Consult children at the local school",
             "Raise match funding", "Open before the summer holidays"],
            (0, 8),
        )  # fmt: skip
    if kind == "safety_improvement":
        fix = rng.choice(("Replace worn safety surfacing at", "Fence the toddler area at",
                          "Better lighting on the path to", "Repair the self-closing gate at",
                          "Remove the broken roundabout at"))  # fmt: skip
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
            rng.choice((f"After-school play sessions at {place.name}",
                        f"Holiday play scheme in {ward_name}",
                        f"Safe cycling training for Year 5 in {ward_name}",
                        f"Stay-and-play mornings for under-5s in {ward_name}")),
            "Free, drop-in sessions led by trained play workers with DBS checks, so that "
            "children have somewhere safe to be after school and in the holidays.",
            anchor,
            ["Recruit two play workers", "Run 20 sessions", "Ask children what to change"],
            (5, 12),
        )  # fmt: skip
    if kind == "event":
        return (
            rng.choice((f"{ward_name} family fun day", f"Community litter pick at {place.name}",
                        f"Play day at {place.name}")),
            "A free afternoon for families to meet neighbours, try new games and tell the "
            "council what would make local play spaces safer.",
            anchor,
            ["Book the site", "Invite local groups", "Collect children's ideas"],
            (0, 16),
        )  # fmt: skip
    if kind == "walking_route":
        school = rng.choice(schools)
        start = _near(rng, ward, anchor, spread=700)
        end = school.shape.centroid
        mid = Point((start.x + end.x) / 2 + rng.uniform(-150, 150),
                    (start.y + end.y) / 2 + rng.uniform(-150, 150))  # fmt: skip
        school_name = school.name.replace(" yard (after hours)", "")
        return (
            rng.choice((f"Safe route to {school_name}",
                        f"Walking bus from {street} to {school_name}")),
            "A signed walking route with a staffed crossing and volunteers walking with "
            "children at the start and end of the school day.",
            LineString([start, mid, end]),
            ["Map the route with pupils", "Add a crossing patrol", "Run a walking bus daily"],
            (5, 11),
        )  # fmt: skip
    start = _random_point_in(rng, ward)
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
