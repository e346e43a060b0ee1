"""A leader reports progress in real Chromium; a visitor reads it in the public timeline."""

import re

import pytest

from geo.io.demo import DEMO_ACCOUNTS, DEMO_LEADER, build_town
from tests.e2e.browsing import choose, settle, sign_in

pytestmark = pytest.mark.e2e

LEADER = next((a[0], a[3]) for a in DEMO_ACCOUNTS if a[0] == DEMO_LEADER)
RUNNING = next(
    r.title
    for r in build_town().initiatives
    if r.owner_login == DEMO_LEADER and r.status == "in_progress"
)
NEWS = "Swings repainted by the Saturday volunteers <b>not bold</b>"


def test_leader_posts_a_check_in_and_completes_a_milestone_visitor_sees_both(new_page, app_url):
    leader = new_page()
    sign_in(leader, app_url, *LEADER)
    leader.get_by_role("link", name="Initiatives under way").click()
    settle(leader)
    choose(leader, "Open an initiative", RUNNING[:25])
    number = re.search(r"id=(\d+)", leader.url).group(1)

    leader.get_by_label("What happened since the last check-in").fill(NEWS)
    leader.get_by_role("button", name="Post check-in").click()
    leader.get_by_text("Check-in posted.").wait_for(timeout=30_000)
    settle(leader)

    leader.locator('[data-testid="stExpander"] summary', has_text="Milestones").click()
    settle(leader)
    still_open = leader.get_by_role("button", name="Mark done").count()
    leader.get_by_role("button", name="Mark done").first.click()
    leader.get_by_label("Note").wait_for(timeout=30_000)
    leader.get_by_label("Note").fill("Checked by the inspector.")
    leader.get_by_role("button", name="Done", exact=True).click()
    leader.wait_for_function(  # the completed milestone loses its "Mark done" button
        "n => [...document.querySelectorAll('button')].filter("
        "b => b.innerText.includes('Mark done')).length < n",
        arg=still_open,
        timeout=30_000,
    )
    settle(leader)

    visitor = new_page()
    visitor.goto(f"{app_url}/initiatives_under_way?id={number}")
    visitor.locator('[data-testid="stTable"]').wait_for(timeout=60_000)
    settle(visitor)
    story = visitor.locator('[data-testid="stTable"]').inner_text()
    assert NEWS in story  # shown as text, markup and all
    assert "Milestone done" in story and "Checked by the inspector." in story
    assert visitor.locator('[data-testid="stTable"] b').count() == 0
    assert not visitor.dialogs and not visitor.errors
