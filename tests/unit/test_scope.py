"""Ward scope and the account as it is now: each finding of issue 15 about a ward-limited
council officer, and a session whose account changed since sign-in.

The town has two wards; ``east_officer`` covers East only, ``council`` the whole area.
Every test here failed before its fix (see the commit that added it).
"""

from datetime import timedelta

import pytest

from geo.accountability import events, partners
from geo.accounts import auth
from geo.council import population
from geo.council.matching import match
from geo.council.selection import Selection
from geo.errors import AccountChanged, NotFound, PermissionDenied
from geo.permissions import COMMAND_LINE, EVERYWHERE, Scope, scope
from geo.proposals import feedback, reading, workflow
from geo.registry.places import PlaceRecord, add_places
from geo.safeguarding import concerns
from geo.vocabulary import INITIATIVE_STATUSES
from tests.unit.conftest import NOW, box
from tests.unit.test_proposals import EAST_SITE, FORM, WEST_SITE, submitted

WEST_POINT = (-1.04, 52.01)
EAST_POINT = (-0.97, 52.01)
EVERY_STATUS = tuple(INITIATIVE_STATUSES)


def test_scope_is_every_ward_or_the_officers_own():
    assert scope(COMMAND_LINE, "use_workspace") is EVERYWHERE
    limited = Scope(frozenset({1}))
    assert limited.covers([1, 2]) and not limited.covers([2]) and not limited.covers([])
    assert EVERYWHERE.covers([])  # a thing in no ward is the whole council's
    assert limited.narrow([2]).ward_ids == frozenset()  # only other wards picked: nothing
    assert limited.narrow([]).ward_ids == frozenset({1})
    assert limited.ward_sql("x") == (
        "coalesce(list_contains($scope_wards, x), false)",
        {"scope_wards": [1]},
    )
    assert Scope(frozenset()).ward_sql("x") == ("false", {})


def test_review_filter_with_only_other_wards_lists_nothing(town):
    west = submitted(town, WEST_SITE)
    east = submitted(town, EAST_SITE)
    mine = reading.review_queue(town.store, town.east_officer, NOW)
    assert list(mine["id"]) == [east]
    # Picking only a ward outside their own used to drop the limit and list West's.
    picked = reading.review_queue(town.store, town.east_officer, NOW, ward_ids=(town.west_id,))
    assert picked.empty
    both = reading.review_queue(
        town.store, town.east_officer, NOW, ward_ids=(town.west_id, town.east_id)
    )
    assert list(both["id"]) == [east]
    everyone = reading.review_queue(town.store, town.council, NOW, ward_ids=(town.west_id,))
    assert list(everyone["id"]) == [west]


def test_workspace_never_lists_another_wards_or_another_persons_draft(town):
    west_draft = workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    east_draft = workflow.save_draft(town.store, town.leader, FORM, EAST_SITE, NOW)
    west = submitted(town, WEST_SITE)
    east = submitted(town, EAST_SITE)
    own = workflow.save_draft(town.store, town.east_officer, FORM, EAST_SITE, NOW)
    everything = Selection(statuses=EVERY_STATUS)
    assert set(match(town.store, town.east_officer, everything)["id"]) == {east, own}
    west_only = Selection(mode="areas", area_ids=(town.west_id,), statuses=EVERY_STATUS)
    assert match(town.store, town.east_officer, west_only).empty
    assert set(match(town.store, town.council, everything)["id"]) == {west, east}
    assert {west_draft, east_draft}.isdisjoint(match(town.store, COMMAND_LINE, everything)["id"])


def _west_partner(town) -> int:
    return partners.save_partner(
        town.store, town.council, "West Play Trust", "ngo", None, None, (town.west_id,), NOW
    )


def test_an_officer_edits_and_adds_members_only_to_partners_in_their_wards(town):
    partner_id = _west_partner(town)
    with pytest.raises(PermissionDenied, match="outside the wards"):
        partners.save_partner(
            town.store,
            town.east_officer,
            "West Play Trust",
            "ngo",
            "Ours now",
            None,
            (town.east_id,),
            NOW,
        )
    with pytest.raises(PermissionDenied, match="outside the wards"):
        partners.add_member(town.store, town.east_officer, partner_id, "leader")
    with pytest.raises(PermissionDenied, match="outside the wards"):
        partners.save_partner(
            town.store, town.east_officer, "Everywhere Ltd", "business", None, None, (), NOW
        )
    east_id = partners.save_partner(
        town.store, town.east_officer, "East Youth", "ngo", None, None, (town.east_id,), NOW
    )
    partners.add_member(town.store, town.east_officer, east_id, "leader")
    members = town.store.cursor().execute("SELECT * FROM partner_members").fetchall()
    assert members == [(east_id, town.leader.user_id)]
    description = (
        town.store.cursor()
        .execute("SELECT description FROM partners WHERE id = ?", [partner_id])
        .fetchone()[0]
    )
    assert description is None


def _population(town, code):
    return (
        town.store.cursor()
        .execute("SELECT population FROM areas WHERE code = ?", [code])
        .fetchone()[0]
    )


def test_an_officer_sets_population_only_for_their_wards(town):
    before = _population(town, "W")
    with pytest.raises(PermissionDenied, match="outside the wards"):
        population.import_population(
            town.store,
            town.east_officer,
            b"code,p\nW,99\n",
            match_field="code",
            population_field="p",
        )
    report = population.import_population(
        town.store,
        town.east_officer,
        b"code,p\nW,99\nE,1200\n",
        match_field="code",
        population_field="p",
    )
    assert report.matched == 1 and report.outside_rows == ["line 2 ('W')"]
    assert any("outside the wards you cover" in line for line in report.lines())
    assert _population(town, "W") == before and _population(town, "E") == 1200


def test_events_have_their_own_permission_and_the_officers_wards(town):
    tomorrow = NOW + timedelta(days=1)
    with pytest.raises(PermissionDenied, match="outside the wards"):
        events.post_event(
            town.store,
            town.east_officer,
            "Play day",
            "play_day",
            tomorrow,
            None,
            "Ed",
            *WEST_POINT,
            NOW,
        )
    west = events.post_event(
        town.store, town.leader, "Play day", "play_day", tomorrow, None, "Lee", *WEST_POINT, NOW
    )
    later = NOW + timedelta(days=3)
    for outsider in (town.east_officer, town.other_leader):
        with pytest.raises(PermissionDenied, match="only the organiser"):
            events.add_summary(town.store, outsider, west, "It went well.", later)
    events.add_summary(town.store, town.council, west, "It went well.", later)
    east = events.post_event(
        town.store, town.east_officer, "Chat", "coffee_chat", tomorrow, None, "Ed", *EAST_POINT, NOW
    )
    events.add_summary(town.store, town.east_officer, east, "Ten came.", later)


def test_only_the_proposer_or_an_officer_for_its_wards_answers_a_comment(town):
    west = submitted(town, WEST_SITE)
    comment_id, _ = feedback.add_comment(town.store, town.council, west, "Noted.", NOW)
    with pytest.raises(PermissionDenied, match="for its wards"):
        feedback.add_comment(
            town.store, town.east_officer, west, "Not mine.", NOW, reply_to=comment_id
        )
    assert not reading.get_proposal(town.store, town.east_officer, west)["may_answer"]
    assert reading.get_proposal(town.store, town.leader, west)["may_answer"]
    feedback.add_comment(town.store, town.leader, west, "Thanks.", NOW, reply_to=comment_id)
    feedback.add_comment(town.store, town.council, west, "Yes.", NOW, reply_to=comment_id)


def test_a_concern_outside_every_ward_is_for_officers_of_the_whole_area(town):
    (outside,) = add_places(
        town.store,
        COMMAND_LINE,
        [PlaceRecord("Beyond the wards", "playground", box(-1.2, 52.01), "test")],
    )
    concern = concerns.report_concern(town.store, outside, "lighting", "Dark at four", NOW)
    assert concerns.concern_queue(town.store, town.east_officer).empty
    with pytest.raises(PermissionDenied, match="outside the wards"):
        concerns.update_concern(
            town.store, town.east_officer, concern, "investigating", "Looking.", NOW
        )
    concerns.update_concern(town.store, town.council, concern, "investigating", "Looking.", NOW)


def test_a_private_proposal_reads_the_same_as_a_missing_one(town):
    draft = workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    missing = draft + 1000

    def refusal(call, number):
        with pytest.raises(NotFound) as caught:
            call(number)
        return str(caught.value).replace(str(number), "N")

    def opening(number):
        return reading.get_proposal(town.store, town.resident, number)

    def supporting(number):
        return feedback.support(town.store, town.resident, number, NOW)

    for call in (opening, supporting):
        assert refusal(call, draft) == refusal(call, missing)
    workflow.withdraw(town.store, town.leader, draft, None, NOW)
    assert refusal(opening, draft) == refusal(opening, missing)


def test_a_deactivated_account_is_refused_at_its_next_write(town):
    signed_in = town.leader  # what the session holds since sign-in
    workflow.save_draft(town.store, signed_in, FORM, WEST_SITE, NOW)
    auth.set_account_state(town.store, COMMAND_LINE, "leader", active=False)
    with pytest.raises(AccountChanged, match="no longer active; sign in again"):
        workflow.save_draft(town.store, signed_in, FORM, WEST_SITE, NOW)
    with pytest.raises(AccountChanged, match="no longer active"):
        feedback.support(town.store, signed_in, submitted(town, owner=town.other_leader), NOW)


def test_a_demoted_or_rewarded_account_is_refused_with_what_it_was(town):
    proposal_id = submitted(town, EAST_SITE)
    auth.set_role(town.store, COMMAND_LINE, "council", "resident")
    with pytest.raises(AccountChanged, match="role changed"):
        workflow.review(town.store, town.council, proposal_id, "approved", "Fine.", NOW)
    auth.set_role(town.store, COMMAND_LINE, "east", "council", (town.west_id,))
    with pytest.raises(AccountChanged, match="wards your account covers changed"):
        workflow.review(town.store, town.east_officer, proposal_id, "approved", "Fine.", NOW)
    assert reading.get_proposal(town.store, COMMAND_LINE, proposal_id)["status"] == "submitted"
    fresh = auth.load_actor(town.store, town.east_officer.user_id)  # signed in again
    with pytest.raises(PermissionDenied, match="outside the wards"):
        workflow.review(town.store, fresh, proposal_id, "approved", "Fine.", NOW)
