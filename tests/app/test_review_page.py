"""The Review page records exactly the decision shown, after a second, explicit step.

The decision and its reason survive an error; success confirms beside the decision and
opens the next proposal with an empty form.
"""

from datetime import datetime

import pytest

from geo.escape import for_markdown
from geo.proposals import reading, workflow
from tests.app.conftest import open_page, person, read
from ui.common import store

CHANGES = "Please say who holds the gate key."


@pytest.fixture
def council(database):
    return person("olu@demo.example")


def labelled(elements, label):
    return next(e for e in elements if read(e.label) == label)


def status(number):
    return (
        store()
        .cursor()
        .execute("SELECT status FROM initiatives WHERE id = ?", [number])
        .fetchone()[0]
    )


def open_first(council):
    """The Review page with the oldest waiting proposal open; returns it and its number."""
    queue = reading.review_queue(store(), council, datetime.utcnow())
    number, following = int(queue["id"].iloc[0]), int(queue["id"].iloc[1])
    at = open_page(council, "app_pages/review.py")
    labelled(at.selectbox, "Open a proposal to review").set_value(number).run()
    return at, number, following


def record(at):
    labelled(at.button, "Record decision").click().run()
    assert not at.exception, at.exception


def reason_box(at):
    return labelled(at.text_area, "Reason (the proposer and the public read it)")


def test_an_empty_reason_keeps_ask_for_changes_and_records_changes_requested(council):
    at, number, _ = open_first(council)
    labelled(at.radio, "Decision").set_value("changes_requested").run()
    record(at)
    assert any("write a reason" in e.value.lower() for e in at.error)
    assert labelled(at.radio, "Decision").value == "changes_requested"
    reason_box(at).input(CHANGES).run()
    record(at)
    labelled(at.button, "Confirm: ask for changes").click().run()
    assert status(number) == "changes_requested"  # never "approved"


def test_recording_asks_to_confirm_what_will_happen(council):
    at, number, _ = open_first(council)
    title = reading.get_proposal(store(), council, number)["title"]
    labelled(at.radio, "Decision").set_value("rejected").run()
    reason_box(at).input("Duplicates the play street already running here.").run()
    record(at)
    assert status(number) == "submitted"  # one press records nothing
    warning = " ".join(w.value for w in at.warning)
    assert f"Reject «{for_markdown(title)}»" in warning and "the public will read" in warning
    labelled(at.radio, "Decision").set_value("approved").run()  # changed after the first press
    assert not any(b.label.startswith("Confirm") for b in at.button)
    record(at)
    labelled(at.button, "Confirm: approve").click().run()
    assert status(number) == "approved"


def test_a_proposal_decided_meanwhile_is_not_decided_again(council):
    at, number, _ = open_first(council)
    labelled(at.radio, "Decision").set_value("changes_requested").run()
    reason_box(at).input(CHANGES).run()
    record(at)
    other = person("ada@demo.example")  # another officer decides first
    workflow.review(store(), other, number, "rejected", "Out of scope.", datetime.utcnow())
    labelled(at.button, "Confirm: ask for changes").click().run()
    assert not at.exception and status(number) == "rejected"
    assert labelled(at.selectbox, "Open a proposal to review").value != number


def test_success_confirms_beside_the_decision_and_opens_the_next_proposal(council):
    at, number, following = open_first(council)
    labelled(at.radio, "Decision").set_value("changes_requested").run()
    reason_box(at).input(CHANGES).run()
    record(at)
    labelled(at.button, "Confirm: ask for changes").click().run()
    assert f"Proposal {number}: changes requested." in [s.value for s in at.success]
    assert labelled(at.selectbox, "Open a proposal to review").value == following
    assert reason_box(at).value == ""
    assert labelled(at.radio, "Decision").value is None  # nothing chosen for the next one


def test_no_decision_is_preselected_or_recorded_unchosen(council):
    at, number, _ = open_first(council)
    assert labelled(at.radio, "Decision").value is None
    reason_box(at).input(CHANGES).run()
    record(at)
    assert any("Choose a decision first" in e.value for e in at.error)
    assert not any(b.label.startswith("Confirm") for b in at.button)
    assert reason_box(at).value == CHANGES and status(number) == "submitted"


def test_the_reviewing_officer_is_not_offered_to_support_the_proposal(council):
    at, _, _ = open_first(council)
    assert not any("Support this proposal" in b.label for b in at.button)


def test_a_proposal_hidden_by_a_filter_is_no_longer_open(council):
    at, number, _ = open_first(council)
    kind = reading.get_proposal(store(), council, number)["kind"]
    other = next(k for k in ("walking_route", "event") if k != kind)
    labelled(at.multiselect, "Kinds").set_value([other]).run()
    assert number not in set(at.dataframe[0].value["No."])
    assert labelled(at.selectbox, "Open a proposal to review").value is None
    assert not any(b.label == "Record decision" for b in at.button)


def test_an_officer_sees_their_own_proposal_but_another_officer_decides_it(council):
    queue = reading.review_queue(store(), council, datetime.utcnow())
    number = int(queue["id"].iloc[0])
    with store().write() as cursor:
        cursor.execute(
            "UPDATE initiatives SET owner_id = ? WHERE id = ?", [council.user_id, number]
        )
    at = open_page(council, "app_pages/review.py")
    labelled(at.selectbox, "Open a proposal to review").set_value(number).run()
    assert not at.exception, at.exception
    assert not [r for r in at.radio if read(r.label) == "Decision"]
    assert any("another council officer decides" in read(i.value) for i in at.info)
