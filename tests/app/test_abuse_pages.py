"""Pages that strangers can use to probe or flood SafePlay answer without giving anything away."""

import re

import pytest

from geo.permissions import VISITOR
from tests.app.conftest import open_page


def _sign_up(at, login, name="Sam", password="a quiet walk by the river"):
    at.text_input[0].input(login)
    at.text_input[1].input(name)
    at.text_input[2].input(password)
    at.text_input[3].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return [s.value for s in at.success] + [e.value for e in at.error]


def test_sign_up_answers_the_same_for_a_taken_login_and_a_new_one(database):
    taken = _sign_up(open_page(VISITOR, "app_pages/sign_up.py"), "rosa@demo.example")
    new = _sign_up(open_page(VISITOR, "app_pages/sign_up.py"), "sam@mail.example")
    assert taken == new and len(new) == 1 and "sign in" in new[0]


@pytest.mark.parametrize("wanted", ["9" * 5000, "abc", "99999999999", "²"])
def test_a_link_with_an_impossible_proposal_number_says_not_found(database, wanted):
    at = open_page(VISITOR, "app_pages/proposals.py", id=wanted)
    assert [e.value for e in at.error] == ["There is no proposal with that number."]


@pytest.mark.parametrize(
    ("page", "name"),
    [("app_pages/explore_map.py", "place"), ("app_pages/explore_map.py", "initiative"),
     ("app_pages/report_concern.py", "place")],
)  # fmt: skip
def test_public_pages_open_with_a_huge_number_in_the_address(database, page, name):
    open_page(VISITOR, page, **{name: "9" * 5000})  # fails on any exception


def test_a_council_officers_comment_shows_the_role_badge(database):
    from datetime import datetime

    from geo import feedback
    from tests.app.conftest import person
    from ui.common import store

    proposal_id = store().cursor().execute(
        "SELECT min(id) FROM initiatives WHERE status = 'submitted'").fetchone()[0]  # fmt: skip
    feedback.add_comment(store(), person("olu@demo.example"), proposal_id, "We are on it.",
                         datetime(2026, 11, 24, 12))  # fmt: skip
    at = open_page(VISITOR, "app_pages/proposals.py", id=str(proposal_id))
    shown = [m.value for m in at.markdown]
    assert any(":blue-badge[Council officer]" in line for line in shown), shown


def test_have_your_say_asks_a_busy_sender_to_wait(database):
    from geo.rate_limits import LIMITS

    at = open_page(VISITOR, "app_pages/have_your_say.py")
    for number in range(LIMITS["voice"].per_session + 1):
        at.text_area(key="voice_text").input(f"More benches please, idea {number}")
        next(b for b in at.button if b.label == "Send to the council").click().run()
        assert not at.exception, at.exception
    (refusal,) = [e.value for e in at.error]
    assert re.fullmatch(r"You have sent several in a short time; please try again in "
                        r"(9|10) minutes\.", refusal)  # fmt: skip
    assert at.text_area(key="voice_text").value == f"More benches please, idea {number}"
