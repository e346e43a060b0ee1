"""A hand-built town for proposal tests: two square wards, one playground, five accounts.

Small enough that every expected answer can be worked out by hand (0.001° of longitude at
latitude 52° is about 68.5 m, 0.001° of latitude about 111.3 m).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import shapely

from geo.accounts.auth import create_user, load_actor
from geo.permissions import COMMAND_LINE, Actor
from geo.registry.areas import AreaRecord, add_areas
from geo.registry.places import PlaceRecord, add_places
from geo.storage.db import Store
from tests.stores import Places

NOW = datetime(2026, 11, 24, 12, 0)
WEST = shapely.box(-1.05, 52.00, -1.00, 52.05)
EAST = shapely.box(-1.00, 52.00, -0.95, 52.05)
PLAYGROUND = shapely.box(-1.0300, 52.0200, -1.0290, 52.0206)


@dataclass(frozen=True)
class Town:
    store: Store
    leader: Actor
    other_leader: Actor
    council: Actor
    east_officer: Actor
    resident: Actor
    newcomer: Actor
    playground_id: int
    west_id: int
    east_id: int
    prepared: Any = None  # what a test set up before the step it checks


def box(minx: float, miny: float, width: float = 0.0005, height: float = 0.0005):
    return shapely.box(minx, miny, minx + width, miny + height)


@pytest.fixture(scope="session")
def town_file(places: Places) -> tuple[str, dict]:
    """Built once per store kind (hashing six passwords takes a while); each test gets a copy."""
    path = places.new("town")
    store = Store(path)
    west_id, east_id = add_areas(
        store,
        COMMAND_LINE,
        [AreaRecord("West", "W", WEST, population=4000), AreaRecord("East", "E", EAST)],
        level="ward",
        source="test",
    )
    (playground_id,) = add_places(
        store, COMMAND_LINE, [PlaceRecord("Mill Lane Playground", "playground", PLAYGROUND, "test")]
    )
    people = {
        "leader": ("leader", "Lee Leader", "leader", ()),
        "other_leader": ("other", "Olga Other", "leader", ()),
        "council": ("council", "Cora Council", "council", ()),
        "east_officer": ("east", "Ed East", "council", (east_id,)),
        "resident": ("resident", "Rita Resident", "resident", ()),
        "newcomer": ("newcomer", "Nina New", "resident", ()),
    }
    actors = {}
    for key, (login, name, role, wards) in people.items():
        user_id = create_user(store, COMMAND_LINE, login, name, role, "a long password 1", wards)
        actors[key] = load_actor(store, user_id)
    with store.write() as cursor:  # everyone but the newcomer joined a month ago
        cursor.execute(
            "UPDATE users SET created_at = ? WHERE login <> 'newcomer'", [NOW - timedelta(days=30)]
        )
        cursor.execute("UPDATE users SET created_at = ? WHERE login = 'newcomer'", [NOW])
    store.close()
    return path, {"playground_id": playground_id, "west_id": west_id, "east_id": east_id, **actors}


@pytest.fixture
def town(town_file: tuple[str, dict], places: Places) -> Town:
    path, parts = town_file
    copy = places.copy(path)
    opened = Store(copy)
    yield Town(opened, **parts)
    opened.close()
    places.drop(copy)
