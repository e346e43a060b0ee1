"""Following things and the notices that follow from it: who is told, once, and how."""

from datetime import timedelta

import pytest
import shapely

from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.notify import follows, notices
from geo.permissions import VISITOR
from tests.unit.conftest import NOW, WEST
from tests.unit.test_proposals import submitted


def confirm_email(town, actor, address):
    with town.store.write() as cursor:
        cursor.execute(
            "UPDATE users SET email = ?, email_confirmed_at = ? WHERE id = ?",
            [address, NOW, actor.user_id],
        )


def outbox(town):
    return town.store.rows("SELECT user_id, kind, batch, state, due_at FROM outbox ORDER BY id")


def test_a_ward_a_drawn_area_and_a_circle_each_hear_of_a_proposal_in_them(town):
    follows.follow(town.store, town.resident, "area", NOW, town.west_id)
    follows.follow(
        town.store, town.newcomer, "shape", NOW, drawn=shapely.box(-1.04, 52.01, -1.02, 52.03)
    )
    follows.follow(
        town.store, town.other_leader, "radius", NOW, centre=(-0.96, 52.04), radius_m=300
    )
    proposal_id = submitted(town)
    with town.store.write() as cursor:
        near = follows.followers_of_initiative_area(cursor, proposal_id)
    assert town.resident.user_id in near
    assert town.newcomer.user_id in near  # the site lies inside the drawn box
    assert town.other_leader.user_id not in near  # the circle is in the East ward


def test_following_again_after_stopping_reuses_the_row(town):
    first = follows.follow(town.store, town.resident, "place", NOW, town.playground_id)
    follows.stop(town.store, town.resident, first, NOW)
    assert not follows.is_following(town.store, town.resident, "place", town.playground_id)
    again = follows.follow(town.store, town.resident, "place", NOW, town.playground_id)
    assert again == first
    assert follows.is_following(town.store, town.resident, "place", town.playground_id)
    assert list(follows.following(town.store, town.resident)["what"]) == ["Mill Lane Playground"]


def test_visitors_cannot_follow_and_nobody_stops_another_persons_follow(town):
    with pytest.raises(PermissionDenied):
        follows.follow(town.store, VISITOR, "area", NOW, town.west_id)
    mine = follows.follow(town.store, town.resident, "area", NOW, town.west_id)
    with pytest.raises(NotFound):
        follows.stop(town.store, town.newcomer, mine, NOW)
    with pytest.raises(NotFound):
        follows.follow(town.store, town.resident, "area", NOW, 999)


def test_a_circle_too_big_or_too_small_is_refused_in_words(town):
    for radius in (10, 50_000):
        with pytest.raises(InvalidInput, match="distance"):
            follows.follow(
                town.store, town.resident, "radius", NOW, centre=(-1.0, 52.0), radius_m=radius
            )


def test_a_stopped_automatic_follow_is_not_started_again(town):
    proposal_id = submitted(town)
    with town.store.write() as cursor:
        follows.follow_automatically(
            cursor, [town.resident.user_id], "initiative", proposal_id, NOW
        )
    (row,) = follows.following(town.store, town.resident).itertuples()
    follows.stop(town.store, town.resident, row.id, NOW)
    with town.store.write() as cursor:
        follows.follow_automatically(
            cursor, [town.resident.user_id], "initiative", proposal_id, NOW
        )
        assert town.resident.user_id not in follows.followers(cursor, "initiative", proposal_id)


def test_a_notice_reaches_the_inbox_and_is_emailed_only_to_a_confirmed_address(town):
    confirm_email(town, town.resident, "rita@example.org")
    with town.store.write() as cursor:
        notices.notify(
            cursor,
            [town.resident.user_id, town.newcomer.user_id, town.leader.user_id],
            "decision",
            "Approved: Swings",
            "Funded.",
            NOW,
            skip=[town.leader.user_id],
        )
    assert notices.unread_count(town.store, town.resident) == 1
    assert notices.unread_count(town.store, town.newcomer) == 1
    assert notices.unread_count(town.store, town.leader) == 0  # who acted is not told
    assert outbox(town) == [(town.resident.user_id, "decision", "now", "waiting", NOW)]


def test_digest_choices_set_the_time_and_off_sends_nothing(town):
    confirm_email(town, town.resident, "rita@example.org")
    notices.set_email_choice(town.store, town.resident, "checkin", "weekly")
    notices.set_email_choice(town.store, town.resident, "thanks", "off")
    with town.store.write() as cursor:
        notices.notify(cursor, [town.resident.user_id], "checkin", "Check-in", "x", NOW)
        notices.notify(cursor, [town.resident.user_id], "thanks", "Thanks", "x", NOW)
        notices.notify(cursor, [town.resident.user_id], "milestone", "Done", "x", NOW)
    due = {kind: (batch, at) for _, kind, batch, _, at in outbox(town)}
    monday = NOW.replace(hour=7) + timedelta(days=(7 - NOW.weekday()) % 7 or 7)
    assert due == {
        "checkin": ("weekly", monday if monday > NOW else monday + timedelta(days=7)),
        "milestone": ("daily", NOW.replace(hour=7) + timedelta(days=1)),
    }
    notices.set_email_choice(town.store, town.resident, "milestone", "off")
    assert [state for *_, state, _ in outbox(town)] == ["waiting", "dropped"]


def test_a_young_persons_account_is_not_emailed_without_a_guardians_consent(town):
    confirm_email(town, town.resident, "rita@example.org")
    with town.store.write() as cursor:
        cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [town.resident.user_id])
        notices.notify(cursor, [town.resident.user_id], "decision", "Approved", "x", NOW)
    assert notices.unread_count(town.store, town.resident) == 1
    assert outbox(town) == []


def test_a_dedupe_key_tells_each_person_once_and_a_rollback_tells_nobody(town):
    for _ in range(2):
        with town.store.write() as cursor:
            notices.notify(
                cursor, [town.resident.user_id], "overdue", "Overdue", "x", NOW, dedupe_key="m1"
            )
    assert notices.unread_count(town.store, town.resident) == 1
    with pytest.raises(RuntimeError), town.store.write() as cursor:
        notices.notify(cursor, [town.newcomer.user_id], "decision", "Approved", "x", NOW)
        raise RuntimeError("the change failed")
    assert notices.unread_count(town.store, town.newcomer) == 0


def test_marking_read_touches_only_ones_own_notices(town):
    with town.store.write() as cursor:
        mine = notices.notify(cursor, [town.resident.user_id], "decision", "A", "x", NOW)
        notices.notify(cursor, [town.newcomer.user_id], "decision", "B", "x", NOW)
    assert notices.mark_read(town.store, town.newcomer, NOW, mine) == 0
    assert notices.mark_read(town.store, town.resident, NOW) == 1
    assert notices.unread_count(town.store, town.resident) == 0
    assert notices.unread_count(town.store, town.newcomer) == 1
    assert list(notices.inbox(town.store, town.resident)["subject"]) == ["A"]
    assert WEST.contains(shapely.Point(-1.02, 52.02))
