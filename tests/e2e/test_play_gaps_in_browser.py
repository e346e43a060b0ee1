"""The walking map on a phone, without base tiles: its streets, homes out of reach and key."""

import shutil

import pytest

from geo.io.demo import DEMO_ACCOUNTS
from geo.permissions import COMMAND_LINE
from geo.registry import areas
from geo.storage.db import Store
from geo.streets import storage
from tests.e2e.browsing import leaflet, settle, sign_in
from tests.e2e.conftest import running_app
from tests.street_grid import write_town_streets

pytestmark = pytest.mark.e2e

COUNCIL = next(
    (login, password) for login, _n, role, password in DEMO_ACCOUNTS if role == "council"
)


@pytest.fixture(scope="module")
def streets_app(demo_db_file, tmp_path_factory):
    """The app over a copy of the demo town with a street extract imported."""
    scratch = tmp_path_factory.mktemp("walking")
    database = scratch / "streets.duckdb"
    shutil.copy(demo_db_file, database)
    town = Store(str(database))
    bounds = tuple(float(v) for v in areas.area_shapes(town, "ward").total_bounds)
    storage.import_streets(town, COMMAND_LINE, write_town_streets(scratch / "t.osm.pbf", bounds))
    town.close()
    with running_app(database, scratch) as url:
        yield url


def test_walking_map_shows_its_streets_and_key_on_a_phone_without_tiles(phone, streets_app):
    sign_in(phone, streets_app, *COUNCIL)
    phone.goto(f"{streets_app}/play_gaps")
    phone.get_by_text("Wards by need").wait_for(timeout=120_000)
    settle(phone)
    frame = leaflet(phone)
    frame.wait_for_function(
        "() => document.querySelectorAll('path.leaflet-interactive[stroke-dasharray]').length >= 2",
        timeout=30_000,
    )
    assert frame.locator("img.leaflet-tile").count() == 0  # nothing but our own features
    drawn = frame.evaluate(
        """() => {
            const box = document.querySelector('.leaflet-container').getBoundingClientRect();
            return Array.from(document.querySelectorAll('path.leaflet-interactive'))
                .map(p => p.getBoundingClientRect())
                .filter(r => r.right > box.left && r.left < box.right
                          && r.bottom > box.top && r.top < box.bottom).length;
        }"""
    )
    assert drawn >= 3  # streets in several bands, the ward, homes out of reach
    key = frame.locator("details.safeplay-key")
    key.locator("summary").click()  # a phone starts with the key folded
    for words in ("on foot (within reach)", "out of reach", "or no route", "cut off"):
        assert key.get_by_text(words, exact=False).first.is_visible()
    assert frame.locator(".safeplay-longdash").count() == 1
    assert not phone.errors, phone.errors
