"""Ward newsletters by e-mail: schedules, who receives them, and rounds that send once."""

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from geo.accountability import newsletters
from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.notify import follows, notices
from geo.permissions import VISITOR
from geo.proposals import workflow
from tests.unit.conftest import NOW
from tests.unit.test_follows import confirm_email
from tests.unit.test_proposals import FORM, WEST_SITE, submitted

SOON = (NOW + timedelta(days=1)).replace(hour=7)  # the first issue: tomorrow morning
ROUND = SOON + timedelta(hours=1)  # a delivery round after it
TOKEN = "a" * 32


def weekly_west(town, first_at=SOON):
    return newsletters.set_schedule(town.store, town.council, town.west_id, 7, first_at, NOW)


def issues(town):
    return town.store.rows(
        "SELECT id, schedule_id, area_id, period_start, period_end, subject FROM "
        "newsletter_issues ORDER BY id"
    )


def newsletter_mail(town):
    return town.store.rows(
        "SELECT user_id, batch, issue_id, state FROM outbox WHERE kind = 'newsletter' "
        "ORDER BY user_id"
    )


def events(town, area_id):
    return list(newsletters.history(town.store, town.council, area_id)["what"])[::-1]


def west_readers(town):
    """Rita follows West with a confirmed address; Nina follows it with none; Olga follows
    it but turned newsletters off; Lee follows East; Ed follows the whole council."""
    for actor, address in (
        (town.resident, "rita@example.org"),
        (town.other_leader, "olga@example.org"),
        (town.leader, "lee@example.org"),
        (town.east_officer, "ed@example.org"),
    ):
        confirm_email(town, actor, address)
    follows.follow(town.store, town.resident, "area", NOW, town.west_id)
    follows.follow(town.store, town.newcomer, "area", NOW, town.west_id)
    follows.follow(town.store, town.other_leader, "area", NOW, town.west_id)
    notices.set_email_choice(town.store, town.other_leader, "newsletter", "off")
    follows.follow(town.store, town.leader, "area", NOW, town.east_id)
    follows.follow(town.store, town.east_officer, "council", NOW)


def test_setting_again_changes_the_one_schedule_and_every_change_is_audited(town):
    first = weekly_west(town)
    again = newsletters.set_schedule(
        town.store, town.council, town.west_id, 14, NOW + timedelta(days=2), NOW
    )
    assert again == first
    assert newsletters.pause(town.store, town.council, town.west_id, NOW)
    assert not newsletters.pause(town.store, town.council, town.west_id, NOW)  # already
    assert newsletters.resume(town.store, town.council, town.west_id, NOW)
    plan = newsletters.schedule(town.store, town.council, town.west_id)
    assert (plan.every_days, plan.next_at, plan.active) == (14, NOW + timedelta(days=2), True)
    assert (plan.set_by, plan.updated_at) == ("Cora Council", NOW)
    assert events(town, town.west_id) == ["Schedule set", "Schedule set", "Paused", "Resumed"]
    assert set(newsletters.history(town.store, town.council, town.west_id)["by"]) == {
        "Cora Council"
    }


def test_a_resumed_schedule_keeps_its_rhythm_instead_of_sending_what_it_missed(town):
    weekly_west(town)
    newsletters.pause(town.store, town.council, town.west_id, NOW)
    three_weeks_on = NOW + timedelta(days=20)
    newsletters.resume(town.store, town.council, town.west_id, three_weeks_on)
    plan = newsletters.schedule(town.store, town.council, town.west_id)
    assert plan.next_at == SOON + timedelta(days=21)


@pytest.mark.parametrize(
    ("every_days", "first_at", "words"),
    [
        (3, SOON, "every 7 to 92 days"),
        (100, SOON, "every 7 to 92 days"),
        (7.5, SOON, "every 7 to 92 days"),
        (7, NOW - timedelta(hours=1), "after today"),
        (7, NOW + timedelta(days=400), "within a year"),
    ],
)
def test_odd_cadences_and_dates_are_refused_in_words(town, every_days, first_at, words):
    with pytest.raises(InvalidInput, match=words):
        newsletters.set_schedule(town.store, town.council, town.west_id, every_days, first_at, NOW)
    assert newsletters.schedule(town.store, town.council, town.west_id) is None


def test_only_council_officers_set_schedules_and_only_within_their_wards(town):
    for outsider in (VISITOR, town.resident, town.leader):
        with pytest.raises(PermissionDenied):
            newsletters.set_schedule(town.store, outsider, town.west_id, 7, SOON, NOW)
        with pytest.raises(PermissionDenied):
            newsletters.subscriber_count(town.store, outsider, town.west_id)
    with pytest.raises(PermissionDenied, match="outside the wards"):
        newsletters.set_schedule(town.store, town.east_officer, town.west_id, 7, SOON, NOW)
    with pytest.raises(PermissionDenied, match="covers every ward"):
        newsletters.set_schedule(town.store, town.east_officer, None, 7, SOON, NOW)
    with pytest.raises(NotFound):
        newsletters.set_schedule(town.store, town.council, 999, 7, SOON, NOW)
    newsletters.set_schedule(town.store, town.east_officer, town.east_id, 7, SOON, NOW)
    weekly_west(town)
    newsletters.set_schedule(town.store, town.council, None, 28, SOON, NOW)
    with pytest.raises(PermissionDenied):
        newsletters.pause(town.store, town.east_officer, town.west_id, NOW)
    assert list(newsletters.schedules(town.store, town.east_officer)["area"]) == ["East"]
    assert list(newsletters.schedules(town.store, town.council)["area"]) == [
        "The whole council",
        "East",
        "West",
    ]


def test_subscribers_are_exactly_the_followers_who_may_be_emailed_it(town):
    west_readers(town)
    count = newsletters.subscriber_count
    assert count(town.store, town.council, town.west_id) == 1  # Rita only
    assert count(town.store, town.council, town.east_id) == 1  # Lee
    assert count(town.store, town.council, None) == 1  # Ed, who follows the council
    with town.store.write() as cursor:  # a young person's address without consent: no
        cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [town.resident.user_id])
    assert count(town.store, town.council, town.west_id) == 0


def test_a_due_issue_is_stored_once_and_queued_for_each_subscriber(town):
    west_readers(town)
    submitted(town)  # news in West: a new proposal
    planned = weekly_west(town)
    assert newsletters.issue_due(town.store, NOW) == 0  # not due yet
    assert newsletters.issue_due(town.store, ROUND) == 1
    assert newsletters.issue_due(town.store, ROUND) == 0  # called again: nothing twice
    ((issue_id, schedule_id, area_id, start, end, subject),) = issues(town)
    assert (schedule_id, area_id) == (planned, town.west_id)
    assert (start, end) == (NOW.date() - timedelta(days=6), NOW.date())
    assert subject.startswith("SafePlay news for West")
    assert newsletter_mail(town) == [(town.resident.user_id, "newsletter", issue_id, "waiting")]
    inboxes = town.store.rows("SELECT user_id, link FROM notices WHERE kind = 'newsletter'")
    link = newsletters.page_link(town.west_id, start, end)
    assert sorted(inboxes) == sorted(  # every follower of West, e-mailed or not
        (reader.user_id, link) for reader in (town.resident, town.newcomer, town.other_leader)
    )
    plan = newsletters.schedule(town.store, town.council, town.west_id)
    assert (plan.next_at, plan.last_sent_at) == (SOON + timedelta(days=7), ROUND)
    assert events(town, town.west_id)[-1] == "Sent"
    assert newsletters.history(town.store, town.council, town.west_id)["recipients"][0] == 1


def test_a_period_with_nothing_new_is_skipped_and_the_next_issue_follows_on(town):
    west_readers(town)
    weekly_west(town)
    assert newsletters.issue_due(town.store, ROUND) == 0
    assert issues(town) == [] and newsletter_mail(town) == []
    assert events(town, town.west_id)[-1] == "Nothing new: not sent"
    in_the_second_week = NOW + timedelta(days=4)
    submitted_later = workflow.save_draft(
        town.store, town.leader, FORM, WEST_SITE, in_the_second_week
    )
    workflow.submit(town.store, town.leader, submitted_later, in_the_second_week)
    week_on = ROUND + timedelta(days=7)
    assert newsletters.issue_due(town.store, week_on) == 1
    ((_, _, _, start, end, _),) = issues(town)
    assert (start, end) == (NOW.date() + timedelta(days=1), NOW.date() + timedelta(days=7))


def test_a_worker_back_after_weeks_sends_one_issue_and_keeps_the_rhythm(town):
    west_readers(town)
    submitted(town)
    weekly_west(town)
    assert newsletters.issue_due(town.store, ROUND + timedelta(days=15)) == 1
    assert len(newsletter_mail(town)) == 1
    plan = newsletters.schedule(town.store, town.council, town.west_id)
    assert plan.next_at == SOON + timedelta(days=21)


def test_a_paused_schedule_sends_nothing(town):
    west_readers(town)
    submitted(town)
    weekly_west(town)
    newsletters.pause(town.store, town.council, town.west_id, NOW)
    assert newsletters.issue_due(town.store, ROUND) == 0
    assert issues(town) == []


def test_two_processes_running_the_round_at_once_send_each_issue_once(town):
    west_readers(town)
    submitted(town)
    weekly_west(town)
    newsletters.set_schedule(town.store, town.council, None, 7, SOON, NOW)
    start = threading.Barrier(2)
    sent = []

    def round_() -> None:
        start.wait()
        sent.append(newsletters.issue_due(town.store, ROUND))

    workers = [threading.Thread(target=round_) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(sent) == 2  # West and the council, each by one of the two
    assert {area for _, _, area, *_ in issues(town)} == {town.west_id, None}
    assert sorted(user for user, *_ in newsletter_mail(town)) == sorted(
        [town.resident.user_id, town.east_officer.user_id]
    )


def test_an_issue_carries_only_public_news_escaped_for_its_format(town):
    west_readers(town)
    hostile = replace(FORM, title="<script>alert(1)</script> **Swings**")
    proposal_id = workflow.save_draft(town.store, town.leader, hostile, WEST_SITE, NOW)
    workflow.submit(town.store, town.leader, proposal_id, NOW)
    secret = replace(FORM, title="A draft nobody may read yet")
    workflow.save_draft(town.store, town.other_leader, secret, WEST_SITE, NOW)
    weekly_west(town)
    newsletters.issue_due(town.store, ROUND)
    subject, text_body, html_body = town.store.row(
        "SELECT subject, text_body, html_body FROM newsletter_issues"
    )
    everything = subject + text_body + html_body
    assert "A draft nobody may read yet" not in everything
    for private in ("@example.org", "rita", "Rita Resident", "Nina New"):
        assert private not in everything
    assert "<script>" not in html_body and "&lt;script&gt;" in html_body
    assert "\\*\\*Swings\\*\\*" in text_body  # Markdown marks kept as text


def test_a_test_goes_to_the_officer_alone_and_needs_their_confirmed_address(town):
    west_readers(town)
    submitted(town)
    schedule_id = weekly_west(town)
    with pytest.raises(InvalidInput, match="My account"):
        newsletters.send_test(town.store, town.council, town.west_id, NOW)
    confirm_email(town, town.council, "cora@example.org")
    issue_id = newsletters.send_test(town.store, town.council, town.west_id, NOW, token=TOKEN)
    assert newsletters.send_test(town.store, town.council, town.west_id, NOW, token=TOKEN) == (
        issue_id
    )  # the same press twice
    assert newsletter_mail(town) == [(town.council.user_id, "newsletter", issue_id, "waiting")]
    ((_, of_schedule, _, _, end, subject),) = issues(town)
    assert of_schedule is None and subject.startswith("[Test] SafePlay news for West")
    assert end == NOW.date()  # the next issue as it stands today
    assert town.store.value("SELECT count(*) FROM notices WHERE kind = 'newsletter'") == 0
    assert events(town, town.west_id)[-1] == "Test sent"
    with pytest.raises(PermissionDenied):
        newsletters.send_test(town.store, town.east_officer, town.west_id, NOW)
    newsletters.issue_due(town.store, ROUND)  # a test does not count as the period's issue
    assert [schedule for _, schedule, *_ in issues(town)] == [None, schedule_id]


def test_a_schedule_whose_ward_was_replaced_is_paused_and_says_why(town):
    weekly_west(town)
    with town.store.write() as cursor:  # the level's boundaries loaded anew: new ids
        cursor.execute("DELETE FROM areas WHERE id = ?", [town.west_id])
    assert newsletters.issue_due(town.store, ROUND) == 0
    (paused,) = town.store.rows(
        "SELECT active, set_by FROM newsletter_schedules WHERE area_id = ?", [town.west_id]
    )
    assert paused == (False, newsletters.ORPHANED)
    assert town.store.value("SELECT event FROM newsletter_log ORDER BY id DESC") == "paused"
    assert newsletters.issue_due(town.store, ROUND + timedelta(days=7)) == 0
