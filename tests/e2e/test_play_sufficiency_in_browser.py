"""Finalising a play sufficiency assessment in the browser, as a council officer would:
the reason typed, a double press on the confirmation, a reload, and on a phone."""

import shutil
from datetime import date, datetime

import pytest

from geo.council.sufficiency import assessments, frameworks
from geo.io.demo import DEMO_ACCOUNTS
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store
from tests.e2e.browsing import settle, sign_in
from tests.e2e.conftest import running_app

pytestmark = pytest.mark.e2e

COUNCIL = next(
    (login, password) for login, _n, role, password in DEMO_ACCOUNTS if role == "council"
)
NOW = datetime(2026, 12, 1, 9, 0)


@pytest.fixture(scope="module")
def rated_app(demo_db_file, tmp_path_factory):
    """The demo town with a London assessment whose every criterion is rated."""
    scratch = tmp_path_factory.mktemp("sufficiency")
    database = scratch / "rated.duckdb"
    shutil.copy(demo_db_file, database)
    town = Store(str(database))
    assessment_id = assessments.create_assessment(
        town, COMMAND_LINE, "london", date(2026, 1, 1), date(2026, 12, 31), [], NOW
    )
    for criterion in frameworks.LONDON.criteria:
        assessments.rate(
            town, COMMAND_LINE, assessment_id, criterion.id, "amber", "Audit walked", NOW
        )
    town.close()
    with running_app(database, scratch) as url:
        yield url


def test_an_officer_finalises_once_and_the_page_says_so_after_a_reload(phone, rated_app):
    url = rated_app
    sign_in(phone, url, *COUNCIL)
    phone.goto(f"{url}/play_sufficiency")
    phone.get_by_text("Status: Draft").wait_for(timeout=120_000)
    phone.get_by_label("Why it is final").fill("Approved by cabinet on 1 December")
    phone.get_by_role("button", name="Mark final…").click()
    confirm = phone.get_by_role("button", name="Confirm: mark final")
    confirm.wait_for(timeout=30_000)
    confirm.dblclick()  # a double press finalises once
    phone.get_by_text("Status: Final").wait_for(timeout=60_000)
    settle(phone)
    phone.reload()  # still signed in, still final, the downloads still offered
    phone.get_by_text("Status: Final").wait_for(timeout=120_000)
    settle(phone)
    phone.get_by_role("button", name="Download: PDF").wait_for(timeout=30_000)
    assert phone.get_by_role("button", name="Mark final…").count() == 0
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    # The record of changes (the page's last table) holds the finalising once.
    record = phone.locator("[data-testid=stTable]").last
    assert record.get_by_text("Approved by cabinet on 1 December").count() == 1
    assert not phone.errors, phone.errors
