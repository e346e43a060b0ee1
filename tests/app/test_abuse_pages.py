"""Pages that strangers can use to probe or flood SafePlay answer without giving anything away."""

import re

import pytest

from geo.permissions import VISITOR
from tests.app.conftest import open_page, read


@pytest.mark.parametrize("wanted", ["9" * 5000, "abc", "99999999999", "²"])
def test_a_link_with_an_impossible_proposal_number_says_not_found(database, wanted):
    at = open_page(VISITOR, "app_pages/proposals.py", id=wanted)
    assert [e.value for e in at.error] == ["There is no proposal with that number."]


@pytest.mark.parametrize(
    ("page", "name"),
    [
        ("app_pages/explore_map.py", "place"),
        ("app_pages/explore_map.py", "initiative"),
        ("app_pages/report_concern.py", "place"),
    ],
)
def test_public_pages_open_with_a_huge_number_in_the_address(database, page, name):
    open_page(VISITOR, page, **{name: "9" * 5000})  # fails on any exception


def test_a_council_officers_comment_shows_the_role_badge(database):
    from datetime import datetime

    from geo.proposals import feedback
    from tests.app.conftest import person
    from ui.common import store

    proposal_id = (
        store()
        .cursor()
        .execute("SELECT min(id) FROM initiatives WHERE status = 'submitted'")
        .fetchone()[0]
    )
    feedback.add_comment(
        store(),
        person("olu@demo.example"),
        proposal_id,
        "We are on it.",
        datetime(2026, 11, 24, 12),
    )
    at = open_page(VISITOR, "app_pages/proposals.py", id=str(proposal_id))
    shown = [m.value for m in at.markdown]
    assert any(":blue-badge[Council officer]" in line for line in shown), shown


def test_have_your_say_asks_a_busy_sender_to_wait(database):
    from geo.accounts.rate_limits import LIMITS

    at = open_page(VISITOR, "app_pages/have_your_say.py")

    def idea_box():
        return next(t for t in at.text_area if t.label == "Your idea or worry")

    for number in range(LIMITS["voice"].per_session + 1):
        another = [b for b in at.button if b.label.startswith("Send another")]
        if another:  # the thank-you replaced the form: open an empty one
            another[0].click().run()
        idea_box().input(f"More benches please, idea {number}")
        next(b for b in at.button if b.label == "Send to the council").click().run()
        assert not at.exception, at.exception
    (refusal,) = [read(e.value) for e in at.error]
    assert re.fullmatch(
        r"You have sent several in a short time; please try again in "
        r"(9|10) minutes\.",
        refusal,
    )
    assert idea_box().value == f"More benches please, idea {number}"
