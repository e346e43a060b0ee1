"""Supports, comments, answers, flags and moderation on proposals."""

from datetime import timedelta

import pytest

from geo.accounts.auth import create_user, load_actor, sign_up
from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.permissions import COMMAND_LINE, VISITOR, Actor
from geo.proposals import feedback, workflow
from geo.registry.filters import MapFilter
from geo.registry.initiatives import find_initiatives
from tests.unit.conftest import NOW
from tests.unit.test_proposals import EAST_SITE, FORM, WEST_SITE, submitted


def visible_bodies(town, actor, proposal_id):
    return feedback.comments_for(town.store, actor, proposal_id)["body"].tolist()


def published_comment(town, author, proposal_id, body="A fair idea."):
    comment_id, state = feedback.add_comment(town.store, author, proposal_id, body, NOW)
    if state == "pending":
        feedback.moderate(town.store, town.council, comment_id, "published", None, NOW)
    return comment_id


def test_a_person_supports_once_and_can_take_it_back(town):
    proposal_id = submitted(town)
    for _ in range(2):
        feedback.support(town.store, town.resident, proposal_id, NOW)
    feedback.support(town.store, town.newcomer, proposal_id, NOW)
    counts = find_initiatives(town.store, MapFilter()).set_index("id").loc[proposal_id]
    assert counts["supports"] == 2
    feedback.withdraw_support(town.store, town.resident, proposal_id)
    assert not feedback.has_supported(town.store, town.resident, proposal_id)
    assert feedback.has_supported(town.store, town.newcomer, proposal_id)


def test_supports_come_from_signed_in_people_other_than_the_proposer(town):
    proposal_id = submitted(town)
    with pytest.raises(PermissionDenied):
        feedback.support(town.store, VISITOR, proposal_id, NOW)
    with pytest.raises(PermissionDenied, match="you proposed this"):
        feedback.support(town.store, town.leader, proposal_id, NOW)


def test_a_private_draft_takes_no_support_or_comment_until_opened(town):
    draft = workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    # A private draft reads as missing: the same words as a number nobody ever used.
    with pytest.raises(NotFound, match=f"no proposal number {draft} that you can see"):
        feedback.support(town.store, town.resident, draft, NOW)
    with pytest.raises(NotFound, match=f"no proposal number {draft} that you can see"):
        feedback.add_comment(town.store, town.resident, draft, "Nice", NOW)
    workflow.open_for_feedback(town.store, town.leader, draft, True, NOW)
    feedback.support(town.store, town.resident, draft, NOW)
    feedback.add_comment(town.store, town.resident, draft, "Add a bench, please.", NOW)


def test_a_new_accounts_comment_waits_for_a_moderator(town):
    proposal_id = submitted(town)
    _, state = feedback.add_comment(town.store, town.newcomer, proposal_id, "Great!", NOW)
    assert state == "pending"
    assert visible_bodies(town, town.resident, proposal_id) == []
    assert visible_bodies(town, VISITOR, proposal_id) == []
    assert visible_bodies(town, town.newcomer, proposal_id) == ["Great!"]  # shown to its author
    assert visible_bodies(town, town.council, proposal_id) == ["Great!"]


def test_an_established_account_with_a_published_comment_is_published_at_once(town):
    proposal_id = submitted(town)
    _, first = feedback.add_comment(town.store, town.resident, proposal_id, "First.", NOW)
    assert first == "pending"  # a month old, but nothing published yet
    comment_id = feedback.moderation_queue(town.store, town.council)["id"].iloc[0]
    feedback.moderate(town.store, town.council, int(comment_id), "published", None, NOW)
    _, second = feedback.add_comment(town.store, town.resident, proposal_id, "Second.", NOW)
    assert second == "published"
    assert visible_bodies(town, VISITOR, proposal_id) == ["First.", "Second."]


def test_the_same_newcomer_stays_held_until_a_week_has_passed(town):
    proposal_id = submitted(town)
    published_comment(town, town.newcomer, proposal_id, "One.")
    _, state = feedback.add_comment(town.store, town.newcomer, proposal_id, "Two.", NOW)
    assert state == "pending"
    later = NOW + feedback.TRUSTED_AFTER
    _, state = feedback.add_comment(town.store, town.newcomer, proposal_id, "Three.", later)
    assert state == "published"


@pytest.mark.parametrize(
    ("body", "message"), [("   ", "write something"), ("x" * 2001, "keep it under 2,000")]
)
def test_empty_or_oversize_comments_are_refused(town, body, message):
    proposal_id = submitted(town)
    with pytest.raises(InvalidInput, match=message):
        feedback.add_comment(town.store, town.resident, proposal_id, body, NOW)


def test_the_proposer_answers_a_comment_and_others_cannot(town):
    proposal_id = submitted(town)
    question = published_comment(town, town.resident, proposal_id, "Who holds the key?")
    with pytest.raises(PermissionDenied, match="only the proposer"):
        feedback.add_comment(town.store, town.newcomer, proposal_id, "Me!", NOW, reply_to=question)
    feedback.add_comment(
        town.store, town.leader, proposal_id, "The caretaker.", NOW, reply_to=question
    )
    published_comment(town, town.resident, proposal_id, "Thanks.")
    thread = feedback.comments_for(town.store, town.council, proposal_id)
    assert thread["body"].tolist() == ["Who holds the key?", "The caretaker.", "Thanks."]
    assert thread["by_proposer"].tolist() == [False, True, False]


def test_an_answer_must_be_to_a_published_comment_on_the_same_proposal(town):
    first, second = submitted(town, WEST_SITE), submitted(town, EAST_SITE)
    question = published_comment(town, town.resident, first)
    with pytest.raises(NotFound):
        feedback.add_comment(town.store, town.leader, second, "Hi", NOW, reply_to=question)


def established(town, login, proposal_id, joined=NOW - timedelta(days=30)):
    """A resident who joined a month ago and has had a comment published."""
    user_id = create_user(
        town.store, COMMAND_LINE, login, login.title(), "resident", "a long password 1"
    )
    with town.store.write() as cursor:
        cursor.execute("UPDATE users SET created_at = ? WHERE id = ?", [joined, user_id])
    person = load_actor(town.store, user_id)
    published_comment(town, person, proposal_id, f"{login} was here.")
    return person


def newcomers(town, count):
    """Free sign-ups made just now, as a flooder would make them."""
    return [
        load_actor(town.store, sign_up(town.store, f"sock{n}", f"Sock {n}", "a long password 1"))
        for n in range(count)
    ]


def test_several_flags_hide_a_comment_until_a_moderator_looks(town):
    proposal_id = submitted(town)
    comment_id = published_comment(town, town.resident, proposal_id, "Rude words.")
    flaggers = [established(town, name, proposal_id) for name in ("ann", "bob", "cy")]
    assert not feedback.flag_comment(town.store, flaggers[0], comment_id, NOW)
    assert not feedback.flag_comment(town.store, flaggers[0], comment_id, NOW)  # once each
    assert not feedback.flag_comment(town.store, flaggers[1], comment_id, NOW)
    assert feedback.flag_comment(town.store, flaggers[2], comment_id, NOW)
    assert "Rude words." not in visible_bodies(town, VISITOR, proposal_id)
    queue = feedback.moderation_queue(town.store, town.council)
    assert queue.set_index("id").loc[comment_id, ["state", "flags"]].tolist() == ["flagged", 3]


def test_three_free_sign_ups_cannot_hide_a_comment(town):
    proposal_id = submitted(town)
    comment_id = published_comment(town, town.resident, proposal_id, "I disagree.")
    for sock in newcomers(town, 3):
        assert not feedback.flag_comment(town.store, sock, comment_id, NOW)
    old_but_silent = town.other_leader  # a month old, nothing published
    assert not feedback.flag_comment(town.store, old_but_silent, comment_id, NOW)
    assert "I disagree." in visible_bodies(town, VISITOR, proposal_id)
    # Waiting a week does not make the flags they gave as newcomers count.
    late = established(town, "dee", proposal_id)
    assert not feedback.flag_comment(town.store, late, comment_id, NOW + timedelta(days=8))
    assert "I disagree." in visible_bodies(town, VISITOR, proposal_id)


def test_a_republished_comment_stays_up_against_the_same_flaggers(town):
    proposal_id = submitted(town)
    comment_id = published_comment(town, town.resident, proposal_id, "Fair point.")
    first = [established(town, name, proposal_id) for name in ("ann", "bob", "cy")]
    for person in first:
        feedback.flag_comment(town.store, person, comment_id, NOW)
    later = NOW + timedelta(hours=1)
    feedback.moderate(town.store, town.council, comment_id, "published", "Not rude.", later)
    assert "Fair point." in visible_bodies(town, VISITOR, proposal_id)
    for person in first:  # the same three again: answered already
        assert not feedback.flag_comment(town.store, person, comment_id, later + timedelta(1))
    assert "Fair point." in visible_bodies(town, VISITOR, proposal_id)
    assert feedback.moderation_queue(town.store, town.council).empty
    # Three other established people still can (the moderator looks again).
    second = [established(town, name, proposal_id) for name in ("dee", "eve", "fay")]
    hid = [feedback.flag_comment(town.store, p, comment_id, later + timedelta(2)) for p in second]
    assert hid == [False, False, True]


def test_the_flagger_age_is_configurable(town, monkeypatch):
    monkeypatch.setattr(feedback, "FLAGGER_MIN_AGE_DAYS", 0)
    proposal_id = submitted(town)
    comment_id = published_comment(town, town.resident, proposal_id, "Hm.")
    fresh = [established(town, n, proposal_id, joined=NOW) for n in ("ann", "bob", "cy")]
    assert [feedback.flag_comment(town.store, p, comment_id, NOW) for p in fresh][-1]


def test_nobody_flags_their_own_comment(town):
    proposal_id = submitted(town)
    comment_id = published_comment(town, town.resident, proposal_id)
    with pytest.raises(PermissionDenied):
        feedback.flag_comment(town.store, town.resident, comment_id, NOW)


def test_hiding_needs_a_reason_and_the_trail_records_every_state(town):
    proposal_id = submitted(town)
    comment_id, _ = feedback.add_comment(town.store, town.newcomer, proposal_id, "My number…", NOW)
    with pytest.raises(InvalidInput, match="write a reason"):
        feedback.moderate(town.store, town.council, comment_id, "hidden", "", NOW)
    feedback.moderate(
        town.store,
        town.council,
        comment_id,
        "hidden",
        "Contains a phone number.",
        NOW + timedelta(minutes=5),
    )
    steps = (
        town.store.cursor()
        .execute(
            "SELECT from_state, to_state, actor, reason FROM comment_changes WHERE comment_id = ? "
            "ORDER BY changed_at, id",
            [comment_id],
        )
        .fetchall()
    )
    assert steps == [
        (None, "pending", "SafePlay", "Held for moderation: new account or first comment."),
        ("pending", "hidden", "Cora Council", "Contains a phone number."),
    ]
    mine = feedback.comments_for(town.store, town.newcomer, proposal_id)
    assert mine["state_reason"].tolist() == ["Contains a phone number."]  # the author sees why


def test_moderation_is_for_council_in_their_wards(town):
    west = submitted(town)
    comment_id, _ = feedback.add_comment(town.store, town.newcomer, west, "Hello", NOW)
    with pytest.raises(PermissionDenied):
        feedback.moderate(town.store, town.resident, comment_id, "published", None, NOW)
    with pytest.raises(PermissionDenied, match="outside the wards"):
        feedback.moderate(town.store, town.east_officer, comment_id, "published", None, NOW)
    assert feedback.moderation_queue(town.store, town.east_officer).empty
    assert not feedback.moderation_queue(town.store, town.council).empty


def test_counts_on_the_map_count_only_published_comments(town):
    proposal_id = submitted(town)
    published_comment(town, town.resident, proposal_id)
    feedback.add_comment(town.store, town.newcomer, proposal_id, "Held.", NOW)
    row = find_initiatives(town.store, MapFilter()).set_index("id").loc[proposal_id]
    assert row["comments"] == 1


def test_a_visitor_cannot_comment_or_flag(town):
    proposal_id = submitted(town)
    comment_id = published_comment(town, town.resident, proposal_id)
    with pytest.raises(PermissionDenied):
        feedback.add_comment(town.store, VISITOR, proposal_id, "Hi", NOW)
    with pytest.raises(PermissionDenied):
        feedback.flag_comment(town.store, Actor(role="visitor"), comment_id, NOW)


def test_a_council_officer_who_decides_a_proposal_cannot_support_it(town):
    proposal_id = submitted(town)  # in the west ward
    assert feedback.may_support(town.store, town.resident, proposal_id)
    assert not feedback.may_support(town.store, town.council, proposal_id)
    assert not feedback.may_support(town.store, town.leader, proposal_id)  # its proposer
    assert not feedback.may_support(town.store, VISITOR, proposal_id)
    with pytest.raises(PermissionDenied, match="you review this proposal"):
        feedback.support(town.store, town.council, proposal_id, NOW)
    feedback.support(town.store, town.east_officer, proposal_id, NOW)  # not theirs to decide


def test_hiding_a_comment_without_a_reason_says_its_author_reads_it(town):
    proposal_id = submitted(town)
    comment_id, _ = feedback.add_comment(town.store, town.newcomer, proposal_id, "Hm.", NOW)
    with pytest.raises(InvalidInput, match="its author will read it") as refused:
        feedback.moderate(town.store, town.council, comment_id, "hidden", "", NOW)
    assert "proposer" not in str(refused.value)


def test_comments_by_staff_carry_a_role_badge_and_others_none(town):
    proposal_id = submitted(town)
    published_comment(town, town.council, proposal_id, "We will look at the lighting.")
    published_comment(town, town.resident, proposal_id, "Thank you.")
    thread = feedback.comments_for(town.store, VISITOR, proposal_id).set_index("body")
    assert thread.loc["We will look at the lighting.", "badge"] == "Council officer"
    assert thread.loc["Thank you.", "badge"] == ""
