"""Who is told of what: each change tells exactly the right people once, in its transaction.

Every test reads the ``notices`` table (the inbox) after a real change made through the
services, so a rolled-back change, a stopped follow and a young person's account are seen
as a person would see them.
"""

from datetime import timedelta

import pytest

from geo.accountability import partners, progress, recognition
from geo.accountability.events import post_event
from geo.accounts.language import set_language
from geo.delivery.reminders import remind
from geo.notify import follows, notices
from geo.proposals import feedback, lifecycle, workflow
from geo.safeguarding import concerns, inspections, voices
from tests.unit.conftest import NOW
from tests.unit.test_feedback import published_comment
from tests.unit.test_follows import confirm_email, outbox
from tests.unit.test_progress import approved
from tests.unit.test_proposals import FORM, WEST_SITE, submitted

PARTNER = FORM.partners[0]
SECRET = "Broken glass under the slide, call me on 07700 900123"
DAY = timedelta(days=1)


def told(town, kind):
    """(user id, subject, body, link) of every notice of ``kind``, by person."""
    return town.store.rows(
        "SELECT user_id, subject, body, link FROM notices WHERE kind = ? ORDER BY user_id, id",
        [kind],
    )


def who(town, kind):
    return [row[0] for row in told(town, kind)]


def ids(*actors):
    return sorted(actor.user_id for actor in actors)


def with_partner_member(town, member_login="other"):
    """The proposal's partner in the directory, with ``member_login`` as its member."""
    partner_id = partners.save_partner(
        town.store, town.council, PARTNER, "school", None, None, (), NOW
    )
    partners.add_member(town.store, town.council, partner_id, member_login, NOW)
    return partner_id


def test_a_decision_and_its_reason_reach_the_proposer_and_followers_not_the_reviewer(town):
    proposal_id = submitted(town)
    follows.follow(town.store, town.resident, "initiative", NOW, proposal_id)
    feedback.support(town.store, town.newcomer, proposal_id, NOW)  # supporters follow
    workflow.review(
        town.store, town.council, proposal_id, "changes_requested", "Move it 20 m north.", NOW
    )
    rows = told(town, "decision")
    assert [row[0] for row in rows] == ids(town.leader, town.resident, town.newcomer)
    _, subject, body, link = rows[0]
    assert subject == f"Changes requested: {FORM.title}"
    assert "Move it 20 m north." in body
    assert link == f"proposals?id={proposal_id}"


def test_started_and_completed_tell_the_same_people_less_whoever_marked_it(town):
    proposal_id = approved(town)
    follows.follow(town.store, town.resident, "initiative", NOW, proposal_id)
    workflow.advance(town.store, town.leader, proposal_id, "in_progress", None, NOW)
    workflow.advance(town.store, town.council, proposal_id, "completed", "Opened.", NOW)
    subjects = [(user, subject) for user, subject, *_ in told(town, "decision")]
    assert subjects == [
        (town.leader.user_id, f"Approved: {FORM.title}"),
        (town.leader.user_id, f"Completed: {FORM.title}"),
        (town.resident.user_id, f"Started: {FORM.title}"),
        (town.resident.user_id, f"Completed: {FORM.title}"),
    ]


def test_a_first_submission_tells_the_area_and_the_proposers_other_steps_tell_nobody(town):
    follows.follow(town.store, town.resident, "area", NOW, town.west_id)
    follows.follow(town.store, town.newcomer, "area", NOW, town.east_id)
    draft = workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    assert told(town, "new_proposal") == []  # a draft is nobody's news
    workflow.submit(town.store, town.leader, draft, NOW)
    workflow.review(town.store, town.council, draft, "changes_requested", "Smaller.", NOW)
    workflow.submit(town.store, town.leader, draft, NOW)  # the revision
    workflow.withdraw(town.store, town.leader, draft, None, NOW)
    assert who(town, "new_proposal") == [town.resident.user_id]
    assert who(town, "decision") == [town.leader.user_id]  # the request for changes only


def test_an_answer_is_told_once_and_only_when_a_moderator_has_published_it(town):
    proposal_id = submitted(town)
    question = published_comment(town, town.resident, proposal_id, "Is it fenced?")
    assert who(town, "comment") == [town.leader.user_id]
    answer, state = feedback.add_comment(
        town.store, town.leader, proposal_id, "Yes, all round.", NOW, reply_to=question
    )
    assert state == "pending" and told(town, "reply") == []  # held: nobody is told yet
    feedback.moderate(town.store, town.council, answer, "published", None, NOW)
    feedback.moderate(town.store, town.council, answer, "hidden", "Checking.", NOW)
    feedback.moderate(town.store, town.council, answer, "published", None, NOW)
    ((user, subject, body, _),) = told(town, "reply")
    assert user == town.resident.user_id
    assert subject == f"An answer to your comment on {FORM.title}"
    assert "Yes, all round." not in body and "Is it fenced?" not in body
    assert who(town, "comment") == [town.leader.user_id]  # not told of their own answer


def test_a_new_comment_tells_the_proposer_and_partners_members_only(town):
    with_partner_member(town)
    proposal_id = submitted(town)
    follows.follow(town.store, town.newcomer, "initiative", NOW, proposal_id)
    published_comment(town, town.resident, proposal_id, "Please add a bench.")
    assert who(town, "comment") == ids(town.leader, town.other_leader)
    assert all("bench" not in body for _, _, body, _ in told(town, "comment"))


def test_check_ins_and_milestones_tell_leader_partners_and_followers(town):
    proposal_id = approved(town)
    with_partner_member(town)  # joining a partner follows its public initiatives
    follows.follow(town.store, town.resident, "initiative", NOW, proposal_id)
    progress.post_checkin(town.store, town.council, proposal_id, "Site visit.", NOW, progress=30)
    assert who(town, "checkin") == ids(town.leader, town.other_leader, town.resident)
    assert "Progress: 30%." in told(town, "checkin")[0][2]
    milestone = progress.add_milestone(
        town.store, town.leader, proposal_id, "Order", None, None, NOW
    )
    progress.complete_milestone(town.store, town.leader, milestone, "Ordered.", NOW)
    assert who(town, "milestone") == ids(town.other_leader, town.resident)


def test_stopping_a_follow_stops_the_notices_even_for_the_proposer(town):
    proposal_id = approved(town)
    follows.follow(town.store, town.resident, "initiative", NOW, proposal_id)
    for person in (town.resident, town.leader):
        mine = follows.active_follow(town.store, person, "initiative", proposal_id)
        follows.stop(town.store, person, mine, NOW)
    progress.post_checkin(town.store, town.council, proposal_id, "Site visit.", NOW)
    assert told(town, "checkin") == []
    feedback.support(town.store, town.resident, proposal_id, NOW)  # taking part again
    progress.post_checkin(town.store, town.council, proposal_id, "Dug.", NOW + DAY)
    assert told(town, "checkin") == []  # does not quietly start the messages again


def test_a_rolled_back_decision_tells_nobody(town):
    proposal_id = submitted(town)
    with pytest.raises(RuntimeError), town.store.write() as cursor:
        lifecycle.record(cursor, proposal_id, "submitted", "approved", town.council, "Yes.", NOW)
        raise RuntimeError("the change failed after the decision was written")
    assert told(town, "decision") == []
    assert outbox(town) == []


def test_a_young_persons_account_gets_in_app_notices_only(town):
    proposal_id = submitted(town)
    confirm_email(town, town.resident, "rita@example.org")
    confirm_email(town, town.newcomer, "nina@example.org")
    with town.store.write() as cursor:
        cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [town.resident.user_id])
    for person in (town.resident, town.newcomer):
        follows.follow(town.store, person, "initiative", NOW, proposal_id)
    workflow.review(town.store, town.council, proposal_id, "approved", "Funded.", NOW)
    assert who(town, "decision") == ids(town.leader, town.resident, town.newcomer)
    assert [row[0] for row in outbox(town)] == [town.newcomer.user_id]


def test_thanks_tell_the_initiatives_team_and_not_whoever_wrote_them(town):
    proposal_id = approved(town)
    with_partner_member(town)
    recognition.thank(
        town.store, town.leader, proposal_id, "Sam Baker", "Built the benches", True, True, NOW
    )
    ((user, _, body, _),) = told(town, "thanks")
    assert user == town.other_leader.user_id and "Sam Baker" in body


def test_an_inspection_tells_the_play_areas_followers_its_result_not_the_defects(town):
    follows.follow(town.store, town.resident, "place", NOW, town.playground_id)
    inspections.record_inspection(
        town.store,
        town.council,
        town.playground_id,
        "routine",
        NOW.date(),
        "Ivan Inspector",
        "defects",
        "Loose bolt on the swing",
        NOW,
    )
    ((user, _, body, link),) = told(town, "inspection")
    assert user == town.resident.user_id
    assert "Defects found" in body and "bolt" not in body and "Ivan" not in body
    assert link == f"explore_map?place={town.playground_id}"


def test_a_concern_reported_tells_the_play_areas_followers_its_kind_only(town):
    follows.follow(town.store, town.newcomer, "place", NOW, town.playground_id)
    follows.follow(town.store, town.resident, "place", NOW, town.playground_id)
    concerns.report_concern(
        town.store, town.playground_id, "glass_or_sharps", SECRET, NOW, reporter=town.resident
    )
    ((user, subject, body, link),) = told(town, "concern")  # the reporter is not told
    assert user == town.newcomer.user_id
    assert "Mill Lane Playground" in subject and "glass" in body.lower()
    assert "07700" not in body and "slide" not in body
    assert link == f"explore_map?place={town.playground_id}"


def test_a_concern_moving_on_tells_its_signed_in_reporter_and_followers_never_its_text(town):
    mine = concerns.report_concern(
        town.store, town.playground_id, "glass_or_sharps", SECRET, NOW, reporter=town.resident
    )
    anonymous = concerns.report_concern(
        town.store, town.playground_id, "lighting", "Dark by four", NOW
    )
    follows.follow(town.store, town.newcomer, "place", NOW, town.playground_id)
    concerns.update_concern(town.store, town.council, mine, "fixed", "Swept on Monday.", NOW)
    rows = told(town, "concern")
    assert [row[0] for row in rows] == ids(town.resident, town.newcomer)
    assert all("Swept on Monday." in body and "Glass" in body for _, _, body, _ in rows)
    concerns.update_concern(town.store, town.council, anonymous, "investigating", "Looking.", NOW)
    assert who(town, "concern") == ids(town.resident, town.newcomer, town.newcomer)
    everything = " ".join(f"{s} {b}" for kind in ("concern",) for _, s, b, _ in told(town, kind))
    assert "07700" not in everything and "under the slide" not in everything


def test_a_tracking_code_shows_the_status_and_public_notes_only(town):
    code = concerns.new_tracking_code()
    concern_id = concerns.report_concern(
        town.store, town.playground_id, "glass_or_sharps", SECRET, NOW, tracking_code=code
    )
    stored = town.store.value("SELECT tracking_hash FROM concerns WHERE id = ?", [concern_id])
    assert stored and code not in stored  # only its hash is kept
    assert concerns.tracked(town.store, code)["status"] == "Open"
    concerns.update_concern(town.store, town.council, concern_id, "fixed", "Swept.", NOW + DAY)
    found = concerns.tracked(town.store, code)
    assert found["status"] == "Fixed" and found["place"] == "Mill Lane Playground"
    assert found["notes"] == [(NOW + DAY, "Fixed", "Swept.")]
    assert SECRET not in str(found) and "[phone]" not in str(found)
    wrong = code[:-1] + ("y" if code.endswith("x") else "x")  # one letter off, never the same
    assert concerns.tracked(town.store, wrong) is None
    assert concerns.tracked(town.store, None) is None


def test_reminders_tell_overdue_and_quiet_work_once_per_milestone_and_per_spell(town):
    proposal_id = approved(town)
    follows.follow(town.store, town.resident, "initiative", NOW, proposal_id)
    progress.add_milestone(
        town.store, town.leader, proposal_id, "Order swings", None, NOW.date() + DAY, NOW
    )
    assert remind(town.store, NOW) == 0
    later = NOW + 3 * DAY
    remind(town.store, later)
    remind(town.store, later + timedelta(hours=1))
    overdue = [(u, s) for u, s, *_ in told(town, "overdue")]
    assert overdue == [
        (town.leader.user_id, "Overdue: Order swings"),
        (town.resident.user_id, "Overdue: Order swings"),
    ]
    quiet = NOW + 15 * DAY  # the cadence is 14 days, counted from the approval
    remind(town.store, quiet)
    remind(town.store, quiet + DAY)
    stale = [u for u, s, *_ in told(town, "overdue") if s.startswith("No check-in")]
    assert stale == ids(town.leader, town.resident)
    progress.post_checkin(town.store, town.leader, proposal_id, "Ordered.", quiet + DAY)
    remind(town.store, quiet + 30 * DAY)  # a new quiet spell is told again
    stale = [u for u, s, *_ in told(town, "overdue") if s.startswith("No check-in")]
    assert stale == ids(town.leader, town.leader, town.resident, town.resident)


def test_an_event_coming_up_is_told_once_to_who_follows_where_it_is(town):
    follows.follow(town.store, town.resident, "area", NOW, town.west_id)
    follows.follow(town.store, town.newcomer, "area", NOW, town.east_id)
    post_event(
        town.store, town.leader, "Play day", "play_day", NOW + 5 * DAY, None, "PTA",
        -1.02, 52.02, NOW,
    )  # fmt: skip
    assert remind(town.store, NOW) == 0  # five days away: not yet
    remind(town.store, NOW + 3 * DAY)
    remind(town.store, NOW + 4 * DAY)
    assert [(u, s) for u, s, *_ in told(town, "event")] == [
        (town.resident.user_id, "Coming up: Play day")
    ]


def test_staff_get_counts_of_their_queues_within_their_wards_once_a_day(town):
    voices.submit_voice(town.store, "My name is Tom, I want a zip wire", NOW, area_id=town.west_id)
    concerns.report_concern(town.store, town.playground_id, "glass_or_sharps", SECRET, NOW)
    proposal_id = submitted(town)
    feedback.add_comment(town.store, town.newcomer, proposal_id, "Great idea!", NOW)
    remind(town.store, NOW)
    remind(town.store, NOW + timedelta(hours=2))
    ((user, _, body, _),) = told(town, "queue")  # the East officer has none waiting
    assert user == town.council.user_id
    assert body == "1 voice, 1 concern and 1 comment wait in your queues within your wards."
    remind(town.store, NOW + DAY)
    assert who(town, "queue") == [town.council.user_id] * 2
    everything = " ".join(f"{s} {b}" for _, s, b, _ in town.store.rows(
        "SELECT user_id, subject, body, link FROM notices"
    ))  # fmt: skip
    for secret in ("Tom", "zip wire", "07700", "glass", "Great idea", "@"):
        assert secret not in everything


def test_notices_never_carry_an_email_address(town):
    confirm_email(town, town.leader, "lee@example.org")
    confirm_email(town, town.resident, "rita@example.org")
    proposal_id = submitted(town)
    follows.follow(town.store, town.resident, "initiative", NOW, proposal_id)
    published_comment(town, town.resident, proposal_id)
    workflow.review(town.store, town.council, proposal_id, "approved", "Funded.", NOW)
    rows = town.store.rows("SELECT subject, body, link FROM notices")
    assert rows and not any("@" in " ".join(filter(None, row)) for row in rows)
    assert notices.unread_count(town.store, town.resident) == 1


def test_a_concern_and_an_inspection_tell_a_welsh_follower_in_welsh(town):
    """The reporter's run is English; the follower chose Welsh, so their notices are Welsh."""
    set_language(town.store, town.newcomer, "cy")
    follows.follow(town.store, town.newcomer, "place", NOW, town.playground_id)
    concerns.report_concern(town.store, town.playground_id, "lighting", SECRET, NOW)
    ((_, subject, body, _),) = told(town, "concern")
    assert "Rhoddwyd gwybod am bryder yn Mill Lane Playground" in subject
    assert "Goleuadau" in body and "Someone" not in body
    inspections.record_inspection(
        town.store,
        town.council,
        town.playground_id,
        "routine",
        NOW.date(),
        "Ivan",
        "pass",
        None,
        NOW,
    )
    ((_, subject, body, _),) = told(town, "inspection")
    assert "archwilio" in subject and "Wedi pasio" in body
