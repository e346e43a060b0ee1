"""Proposals through their lifecycle: who may take each step, what is kept, who sees what."""

from dataclasses import replace
from datetime import date, timedelta
from itertools import product

import pytest
import shapely

from geo.council.matching import match
from geo.council.selection import Selection
from geo.errors import IllegalTransition, InvalidGeometry, InvalidInput, NotFound, PermissionDenied
from geo.permissions import COMMAND_LINE, VISITOR
from geo.proposals import reading, workflow
from geo.proposals.form import ProposalForm, lines, validate_form
from geo.proposals.lifecycle import TRANSITIONS, check_step
from geo.registry.filters import MapFilter
from geo.registry.initiatives import find_initiatives
from geo.storage import membership
from geo.vocabulary import INITIATIVE_STATUSES
from tests.unit.conftest import NOW, box

FORM = ProposalForm(
    title="Doorstep play on Mill Lane",
    summary="A small fenced play space for under-8s with seating for carers.",
    kind="new_play_area",
    partners=("St Anne's Primary PTA",),
    goals=("Agree the site", "Open by summer"),
    min_age=0,
    max_age=8,
)
WEST_SITE = box(-1.04, 52.01)
EAST_SITE = box(-0.97, 52.01)
LATER = NOW + timedelta(days=3)


def submitted(town, site=WEST_SITE, owner=None):
    owner = owner or town.leader
    proposal_id = workflow.save_draft(town.store, owner, FORM, site, NOW)
    workflow.submit(town.store, owner, proposal_id, NOW)
    return proposal_id


def status_of(town, proposal_id):
    return (
        town.store.cursor()
        .execute("SELECT status FROM initiatives WHERE id = ?", [proposal_id])
        .fetchone()[0]
    )


def trail(town, proposal_id):
    return (
        town.store.cursor()
        .execute(
            "SELECT from_status, to_status, actor, reason FROM status_changes "
            "WHERE initiative_id = ? ORDER BY changed_at, id",
            [proposal_id],
        )
        .fetchall()
    )


@pytest.mark.parametrize(("before", "after"), list(product(INITIATIVE_STATUSES, repeat=2)))
@pytest.mark.parametrize("party", ["proposer", "reviewer"])
def test_exactly_the_designed_transitions_are_legal(before, after, party):
    allowed_party = TRANSITIONS.get((before, after))
    if allowed_party in (party, "either"):
        check_step(before, after, party)
    else:
        with pytest.raises(IllegalTransition):
            check_step(before, after, party)


def test_a_proposal_goes_from_draft_to_approved_with_every_step_audited(town):
    proposal_id = workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    assert status_of(town, proposal_id) == "draft"
    workflow.submit(town.store, town.leader, proposal_id, NOW)
    workflow.review(
        town.store,
        town.council,
        proposal_id,
        "changes_requested",
        "Please move it 20 m east, off the drain.",
        NOW,
    )
    revised = replace(FORM, title="Doorstep play on Mill Lane (moved)")
    moved = shapely.affinity.translate(WEST_SITE, 0.0003, 0)
    workflow.save_draft(town.store, town.leader, revised, moved, LATER, proposal_id)
    workflow.submit(town.store, town.leader, proposal_id, LATER)
    workflow.review(town.store, town.council, proposal_id, "approved", "Fills a gap.", LATER)
    assert [(f, t, who, why) for f, t, who, why in trail(town, proposal_id)] == [
        (None, "draft", "Lee Leader", "Draft started."),
        ("draft", "submitted", "Lee Leader", "Submitted for review."),
        (
            "submitted",
            "changes_requested",
            "Cora Council",
            "Please move it 20 m east, off the drain.",
        ),
        ("changes_requested", "submitted", "Lee Leader", "Revised: version 2."),
        ("submitted", "approved", "Cora Council", "Fills a gap."),
    ]
    shown = find_initiatives(town.store, MapFilter())
    assert shown.loc[shown["id"] == proposal_id, "status"].tolist() == ["approved"]


def test_the_reviewer_sees_what_changed_between_versions(town):
    proposal_id = submitted(town)
    workflow.review(town.store, town.council, proposal_id, "changes_requested", "Move it.", NOW)
    moved = shapely.affinity.translate(WEST_SITE, 0.0003, 0)  # about 20.6 m east
    revised = replace(FORM, title="Moved play space", goals=("Agree the site",))
    workflow.save_draft(town.store, town.leader, revised, moved, LATER, proposal_id)
    workflow.submit(town.store, town.leader, proposal_id, LATER)
    proposal = reading.get_proposal(town.store, town.council, proposal_id)
    assert [v["version"] for v in proposal["versions"]] == [1, 2]
    changes = {
        what: (before, after) for what, before, after in reading.differences(*proposal["versions"])
    }
    assert changes["Title"] == ("Doorstep play on Mill Lane", "Moved play space")
    assert changes["Goals"] == ("Agree the site; Open by summer", "Agree the site")
    assert changes["Map shape"][1].endswith("moved 21 m")
    assert set(changes) == {"Title", "Goals", "Map shape"}


@pytest.mark.parametrize("decision", ["approved", "rejected", "changes_requested"])
def test_every_decision_needs_a_written_reason(town, decision):
    proposal_id = submitted(town)
    with pytest.raises(InvalidInput, match="write a reason"):
        workflow.review(town.store, town.council, proposal_id, decision, "   ", NOW)
    assert status_of(town, proposal_id) == "submitted"


def test_only_the_proposer_changes_submits_or_withdraws_a_proposal(town):
    proposal_id = workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    other, store = town.other_leader, town.store
    for step in (
        lambda: workflow.save_draft(store, other, FORM, WEST_SITE, NOW, proposal_id),
        lambda: workflow.submit(store, other, proposal_id, NOW),
        lambda: workflow.withdraw(store, other, proposal_id, None, NOW),
    ):
        with pytest.raises(PermissionDenied, match="only the person who proposed it"):
            step()
    assert status_of(town, proposal_id) == "draft"


def test_residents_and_visitors_cannot_propose(town):
    for actor in (town.resident, VISITOR):
        with pytest.raises(PermissionDenied):
            workflow.save_draft(town.store, actor, FORM, WEST_SITE, NOW)


def test_a_submitted_proposal_cannot_be_edited_until_changes_are_asked_for(town):
    proposal_id = submitted(town)
    with pytest.raises(IllegalTransition, match="edited only"):
        workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW, proposal_id)


def test_a_proposer_cannot_decide_and_a_reviewer_cannot_decide_their_own(town):
    proposal_id = submitted(town)
    with pytest.raises(PermissionDenied):
        workflow.review(town.store, town.leader, proposal_id, "approved", "Mine.", NOW)
    own = submitted(town, owner=town.council)
    with pytest.raises(PermissionDenied, match="your own proposal"):
        workflow.review(town.store, town.council, own, "approved", "Looks good.", NOW)


def test_council_officer_limited_to_a_ward_reviews_only_there(town):
    west, east = submitted(town, WEST_SITE), submitted(town, EAST_SITE)
    with pytest.raises(PermissionDenied, match="outside the wards"):
        workflow.review(town.store, town.east_officer, west, "approved", "Fine.", NOW)
    workflow.review(town.store, town.east_officer, east, "approved", "Fine.", NOW)
    queue = reading.review_queue(town.store, town.east_officer, NOW, statuses=("submitted",))
    assert queue["id"].tolist() == []  # the west one is not theirs; the east one is decided
    everything = reading.review_queue(town.store, town.council, NOW)
    assert everything["id"].tolist() == [west]


def test_submitting_a_drawing_that_fails_a_check_keeps_the_draft(town):
    too_big = box(-1.04, 52.01, 0.03, 0.03)
    proposal_id = workflow.save_draft(town.store, town.leader, FORM, too_big, NOW)
    with pytest.raises(InvalidGeometry, match="more than the 100 ha"):
        workflow.submit(town.store, town.leader, proposal_id, NOW)
    assert status_of(town, proposal_id) == "draft"
    assert reading.versions(town.store, proposal_id) == []


def test_an_illegal_step_is_refused_with_the_statuses_named(town):
    proposal_id = submitted(town)
    workflow.review(town.store, town.council, proposal_id, "rejected", "Private land.", NOW)
    with pytest.raises(IllegalTransition, match="rejected cannot become submitted"):
        workflow.submit(town.store, town.leader, proposal_id, NOW)
    with pytest.raises(IllegalTransition, match="rejected cannot become withdrawn"):
        workflow.withdraw(town.store, town.leader, proposal_id, None, NOW)


def test_approved_work_is_started_and_completed_by_proposer_or_council(town):
    proposal_id = submitted(town)
    workflow.review(town.store, town.council, proposal_id, "approved", "Funded.", NOW)
    workflow.advance(town.store, town.leader, proposal_id, "in_progress", None, NOW)
    with pytest.raises(PermissionDenied):
        workflow.advance(town.store, town.resident, proposal_id, "completed", None, NOW)
    workflow.advance(town.store, town.council, proposal_id, "completed", "Signed off.", NOW)
    assert status_of(town, proposal_id) == "completed"


def test_who_sees_a_proposal_at_each_stage(town):
    proposal_id = workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    for outsider in (town.resident, town.other_leader, VISITOR):
        with pytest.raises(NotFound):
            reading.get_proposal(town.store, outsider, proposal_id)
    assert reading.get_proposal(town.store, town.council, proposal_id)["status"] == "draft"
    workflow.open_for_feedback(town.store, town.leader, proposal_id, True, NOW)
    assert reading.get_proposal(town.store, town.resident, proposal_id)["title"] == FORM.title
    assert proposal_id in reading.open_proposals(town.store, town.resident)["id"].tolist()
    assert proposal_id not in reading.open_proposals(town.store, VISITOR)["id"].tolist()
    with pytest.raises(NotFound):
        reading.get_proposal(town.store, VISITOR, proposal_id)
    workflow.submit(town.store, town.leader, proposal_id, NOW)
    assert reading.get_proposal(town.store, VISITOR, proposal_id)["status"] == "submitted"
    workflow.withdraw(town.store, town.leader, proposal_id, "Merging with another.", NOW)
    with pytest.raises(NotFound):
        reading.get_proposal(town.store, town.resident, proposal_id)
    assert proposal_id not in find_initiatives(town.store, MapFilter())["id"].tolist()


def test_rejected_proposals_stay_public_with_the_reason(town):
    proposal_id = submitted(town)
    workflow.review(town.store, town.council, proposal_id, "rejected", "Private land.", NOW)
    shown = find_initiatives(town.store, MapFilter()).set_index("id")
    assert shown.loc[proposal_id, "latest_reason"] == "Private land."


def test_my_proposals_show_the_councils_latest_word_and_wards(town):
    west = submitted(town)
    workflow.review(town.store, town.council, west, "changes_requested", "Add a gate.", NOW)
    mine = reading.my_proposals(town.store, town.leader).set_index("id")
    assert mine.loc[west, "latest_reason"] == "Add a gate." and mine.loc[west, "wards"] == "West"
    assert reading.my_proposals(town.store, town.other_leader).empty


def test_the_queue_lists_the_longest_waiting_first(town):
    first = submitted(town)
    second = workflow.save_draft(town.store, town.leader, FORM, EAST_SITE, NOW)
    workflow.submit(town.store, town.leader, second, LATER)
    queue = reading.review_queue(town.store, town.council, LATER + timedelta(days=1))
    assert queue["id"].tolist() == [first, second]
    assert queue["days_waiting"].tolist() == [4, 1]


TODAY = NOW.date()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "Play"}, "title of at least 5"),
        ({"title": "x" * 121}, "keep it under 120"),
        ({"summary": "Too short."}, "at least 20 characters"),
        ({"summary": "x" * 2001}, "keep it under 2,000"),
        ({"kind": "rocket"}, "choose a kind"),
        ({"min_age": 10, "max_age": 5}, "youngest age is above"),
        ({"max_age": 40}, "0 to 18"),
        ({"budget": -5}, "between 0 and"),
        ({"budget": "lots"}, "not an amount"),
        ({"start_date": date(2027, 5, 1), "end_date": date(2027, 4, 1)}, "before the start"),
        ({"end_date": TODAY - timedelta(days=1)}, "in the past"),
        ({"start_date": date(2040, 1, 1)}, "ten years away"),
        ({"partners": tuple(f"Partner {i}" for i in range(21))}, "at most 20 partners"),
        ({"goals": ("g" * 201,)}, "keep each under 200"),
    ],
)
def test_bad_form_values_get_a_specific_message(change, message):
    with pytest.raises(InvalidInput, match=message):
        validate_form(replace(FORM, **change), TODAY)


def test_form_values_are_tidied_before_storing():
    tidy = validate_form(
        replace(FORM, title="  Play   here  ", partners=("  A  school ", " "), budget="1200.5"),
        TODAY,
    )
    assert tidy.title == "Play here" and tidy.partners == ("A school",)
    assert str(tidy.budget) == "1200.50"
    assert lines("One\n\n  Two  \n") == ("One", "Two")


def test_the_ward_filter_follows_a_proposal_through_every_step(town):
    """The ward filter reads statuses and update times copied onto the ward membership; after
    each step it must agree with the initiatives themselves, in the same newest-first order.
    A council officer proposes (drafts are listed to their proposer only); the command line
    reviews."""
    everything = Selection(statuses=INITIATIVE_STATUSES)

    def agrees(proposal_id, expected_status, when):
        ward_ids = tuple(membership.initiative_area_ids(town.store.cursor(), proposal_id))
        in_ward = match(
            town.store, town.council, replace(everything, mode="areas", area_ids=ward_ids), when
        )
        direct = match(town.store, town.council, everything, when)
        direct = direct[direct["id"].isin(in_ward["id"])].reset_index(drop=True)
        assert in_ward[["id", "status"]].equals(direct[["id", "status"]])
        assert in_ward.loc[in_ward["id"] == proposal_id, "status"].tolist() == [expected_status]
        assert in_ward["id"].iloc[0] == proposal_id  # the latest change comes first

    steps = iter(NOW + timedelta(days=30 + day) for day in range(10))
    proposal_id = workflow.save_draft(town.store, town.council, FORM, WEST_SITE, next(steps))
    agrees(proposal_id, "draft", NOW)
    neighbour = workflow.save_draft(town.store, town.council, FORM, box(-1.03, 52.01), next(steps))
    agrees(neighbour, "draft", NOW)
    workflow.open_for_feedback(town.store, town.council, proposal_id, True, next(steps))
    agrees(proposal_id, "draft", NOW)
    workflow.submit(town.store, town.council, proposal_id, next(steps))
    agrees(proposal_id, "submitted", NOW)
    workflow.review(
        town.store, COMMAND_LINE, proposal_id, "changes_requested", "Move it.", next(steps)
    )
    agrees(proposal_id, "changes_requested", NOW)
    moved = shapely.affinity.translate(WEST_SITE, 0.07, 0)  # into the east ward
    workflow.save_draft(town.store, town.council, FORM, moved, next(steps), proposal_id)
    agrees(proposal_id, "changes_requested", NOW)
    workflow.submit(town.store, town.council, proposal_id, next(steps))
    workflow.review(town.store, COMMAND_LINE, proposal_id, "approved", "Funded.", next(steps))
    agrees(proposal_id, "approved", NOW)
    workflow.advance(town.store, town.council, proposal_id, "in_progress", None, next(steps))
    agrees(proposal_id, "in_progress", NOW)
