"""Millbrook as a whole: generated in memory (``build_town``) and loaded into an empty
database with its accounts, inspections and progress (``load_demo``).

``build_town`` draws wards, then places, then initiatives, then streets from one seeded
generator, in that order: the order is what keeps the demo the same every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from geo.accounts.auth import create_user
from geo.errors import ImportRejected
from geo.io.demo.accounts import DEMO_ACCOUNTS
from geo.io.demo.activity import add_inspections, add_progress
from geo.io.demo.following import add_following
from geo.io.demo.initiatives import initiative_records
from geo.io.demo.places import place_drafts, place_record
from geo.io.demo.setting import AS_OF_TIME, CENTRE, SEED, SOURCE, TOWN, WARD_NAMES, TownFrame
from geo.io.demo.streets import STREETS_SOURCE, demo_streets, in_words
from geo.io.demo.wards import street_names, town_boundary, ward_record, ward_shapes
from geo.permissions import Actor, rereads_actor
from geo.registry.areas import AreaRecord, add_areas
from geo.registry.initiatives import InitiativeRecord, add_initiatives
from geo.registry.places import PlaceRecord, add_places
from geo.storage.db import Store
from geo.streets.osm_streets import StreetReading
from geo.streets.storage import replace_network


@dataclass(frozen=True)
class DemoSummary:
    """What ``load_demo`` put in: counts, the streets in words, and the accounts to try
    it with."""

    wards: int
    places: int
    initiatives: int
    streets: str
    accounts: tuple[tuple[str, str, str, str], ...] = ()


@dataclass(frozen=True)
class Town:
    """Millbrook in memory, as the records the registry's ``add_*`` functions take."""

    council: list[AreaRecord]
    wards: list[AreaRecord]
    places: list[PlaceRecord]
    initiatives: list[InitiativeRecord]
    streets: StreetReading


def build_town(seed: int = SEED) -> Town:
    """Generate Millbrook in memory (no database needed)."""
    rng = random.Random(seed)
    frame = TownFrame(*CENTRE)
    boundary = town_boundary(rng)
    outlines = ward_shapes(rng, boundary)
    streets = street_names(rng)
    wards = [
        ward_record(rng, i, name, shape, frame)
        for i, (name, shape) in enumerate(zip(WARD_NAMES, outlines, strict=True))
    ]
    places_m = place_drafts(rng, outlines, streets)
    places = [place_record(rng, draft, frame, n) for n, draft in enumerate(places_m, start=1)]
    initiatives = initiative_records(rng, outlines, places_m, streets, frame)
    streets_m = demo_streets(rng, boundary, outlines, places_m, places, frame)
    council = [AreaRecord(TOWN, "MB", frame.to_lonlat(boundary), None, None)]
    return Town(council, wards, places, initiatives, streets_m)


@rereads_actor
def load_demo(store: Store, actor: Actor) -> DemoSummary:
    """Fill an empty database with Millbrook; refuse if places or areas already exist."""
    counts = store.row("SELECT (SELECT count(*) FROM areas), (SELECT count(*) FROM places)")
    if counts and (counts[0] or counts[1]):
        raise ImportRejected("the database already holds data; demo data goes into an empty one")
    town = build_town()
    add_areas(store, actor, town.council, level="council", source=SOURCE)
    add_areas(store, actor, town.wards, level="ward", source=SOURCE)
    place_ids = add_places(store, actor, town.places)
    add_inspections(store, actor, town.places, place_ids)
    for login, name, role, password in DEMO_ACCOUNTS:
        create_user(store, actor, login, name, role, password)
    ids = add_initiatives(store, actor, town.initiatives)
    add_progress(store, actor, town.initiatives, ids)
    add_following(store, AS_OF_TIME)
    replace_network(
        store,
        actor,
        town.streets.network,
        source=STREETS_SOURCE,
        components=town.streets.components,
        dropped_fragments=town.streets.dropped_fragments,
    )
    return DemoSummary(
        len(town.wards),
        len(town.places),
        len(town.initiatives),
        in_words(town.streets),
        DEMO_ACCOUNTS,
    )
