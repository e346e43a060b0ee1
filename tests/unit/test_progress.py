"""Milestones, check-ins, stale and overdue rules, recognition consent, the newsletter."""

from datetime import timedelta

import pytest

from geo.accountability import digest, partners, progress, recognition
from geo.accounts.auth import load_actor, sign_up
from geo.council.matching import select_initiatives
from geo.council.selection import Selection
from geo.errors import IllegalTransition, InvalidInput, PermissionDenied
from geo.permissions import COMMAND_LINE
from geo.proposals import timeline, workflow
from geo.proposals.form import ProposalForm
from tests.unit.conftest import NOW
from tests.unit.test_proposals import submitted

DAY = timedelta(days=1)


def approved(town, owner=None):
    proposal_id = submitted(town, owner=owner)
    workflow.review(town.store, town.council, proposal_id, "approved", "Funded.", NOW)
    return proposal_id


@pytest.mark.parametrize(
    ("stated", "done", "total", "expected"),
    [(None, 1, 4, 25), (None, 0, 0, None), (60, 1, 4, 60), (None, 3, 3, 100), (0, 3, 3, 0)],
)
def test_progress_is_the_stated_figure_else_milestones_done(stated, done, total, expected):
    assert progress.progress_percent(stated, done, total) == expected


@pytest.mark.parametrize(
    ("silence", "stale"),
    [(14 * DAY, False), (14 * DAY + timedelta(seconds=1), True), (3 * DAY, False)],
)
def test_stale_after_the_cadence_and_not_a_second_before(silence, stale):
    last = NOW - silence
    assert progress.is_stale("in_progress", last, NOW - 30 * DAY, 14, NOW) is stale


def test_without_a_check_in_the_cadence_counts_from_approval_and_finished_work_is_never_stale():
    assert progress.is_stale("approved", None, NOW - 15 * DAY, 14, NOW)
    assert not progress.is_stale("approved", None, NOW - 14 * DAY, 14, NOW)
    assert not progress.is_stale("completed", None, NOW - 99 * DAY, 14, NOW)


def test_milestones_are_overdue_only_after_their_due_day_and_while_not_done(town):
    initiative = approved(town)
    today = NOW.date()
    due_today = progress.add_milestone(
        town.store, town.leader, initiative, "Today", None, today, NOW
    )
    late = progress.add_milestone(
        town.store, town.leader, initiative, "Late", "PTA", today - DAY, NOW
    )
    done_late = progress.add_milestone(
        town.store, town.leader, initiative, "Done late", None, today - 5 * DAY, NOW
    )
    progress.complete_milestone(town.store, town.leader, done_late, "Finished.", NOW)
    steps = progress.milestones(town.store, initiative, today).set_index("id")
    assert steps["overdue"].to_dict() == {due_today: False, late: True, done_late: False}
    state = progress.tracking_state(town.store, NOW, [initiative]).iloc[0]
    assert (state["overdue"], state["milestones"], state["done"], state["progress"]) == (
        1,
        3,
        1,
        33,
    )
    with pytest.raises(IllegalTransition, match="already done"):
        progress.complete_milestone(town.store, town.leader, done_late, None, NOW)


def test_a_stated_progress_in_a_check_in_overrides_the_milestones(town):
    initiative = approved(town)
    progress.add_milestone(town.store, town.leader, initiative, "One", None, None, NOW)
    progress.post_checkin(town.store, town.leader, initiative, "Going well.", NOW, progress=70)
    assert progress.tracking_state(town.store, NOW, [initiative]).iloc[0]["progress"] == 70
    progress.post_checkin(town.store, town.leader, initiative, "No figure this time.", NOW + DAY)
    assert progress.tracking_state(town.store, NOW + DAY, [initiative]).iloc[0]["progress"] == 0


def test_milestones_can_be_reordered(town):
    initiative = approved(town)
    first, _, third = (
        progress.add_milestone(town.store, town.leader, initiative, name, None, None, NOW)
        for name in ("A", "B", "C")
    )
    progress.move_milestone(town.store, town.leader, third, -1)
    progress.move_milestone(town.store, town.leader, first, -1)  # already first: no change
    titles = progress.milestones(town.store, initiative, NOW.date())["title"].tolist()
    assert titles == ["A", "C", "B"]


def test_who_may_report_progress(town):
    initiative = approved(town)
    for outsider in (town.other_leader, town.resident):
        with pytest.raises(PermissionDenied):
            progress.post_checkin(town.store, outsider, initiative, "Hello", NOW)
    with pytest.raises(PermissionDenied, match="outside the wards"):
        progress.post_checkin(town.store, town.east_officer, initiative, "Hi", NOW)
    progress.post_checkin(town.store, town.council, initiative, "Council visit.", NOW)
    # A member of a partner named on the initiative may report too.
    partner = partners.save_partner(
        town.store, town.council, "St Anne's Primary PTA", "school", None, None, (), NOW
    )
    partners.add_member(town.store, town.council, partner, "other")
    progress.post_checkin(town.store, town.other_leader, initiative, "PTA stall booked.", NOW)
    assert len(progress.checkins(town.store, initiative)) == 2


def test_progress_is_tracked_only_after_approval(town):
    proposal_id = submitted(town)
    with pytest.raises(IllegalTransition, match="once an initiative is approved"):
        progress.post_checkin(town.store, town.leader, proposal_id, "Too early.", NOW)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"happened": " "}, "write what happened"),
        ({"progress": 101}, "0 to 100"),
        ({"blocked": "x" * 1001}, "keep it under 1,000"),
    ],
)
def test_bad_check_ins_get_a_specific_message(town, kwargs, message):
    initiative = approved(town)
    values = {"happened": "Fine.", **kwargs}
    happened = values.pop("happened")
    with pytest.raises(InvalidInput, match=message):
        progress.post_checkin(town.store, town.leader, initiative, happened, NOW, **values)


def test_what_needs_me_now_lists_my_stale_and_late_initiatives_only(town):
    quiet = approved(town)
    busy = approved(town)
    others = approved(town, owner=town.other_leader)
    progress.post_checkin(town.store, town.leader, busy, "All good.", NOW)
    later = NOW + 15 * DAY
    urgent = progress.needs_me(town.store, town.leader, later)
    assert urgent["id"].tolist() == [quiet, busy] or set(urgent["id"]) == {quiet, busy}
    assert others not in urgent["id"].tolist()
    on_time = progress.needs_me(town.store, town.leader, NOW + 2 * DAY)
    assert on_time.empty


def test_the_council_filters_stale_initiatives_in_the_workspace(town):
    quiet, busy = approved(town), approved(town)
    progress.post_checkin(town.store, town.leader, busy, "All good.", NOW + 10 * DAY)
    later = NOW + 16 * DAY
    stale = select_initiatives(town.store, COMMAND_LINE, Selection(attention="stale"), now=later)
    assert stale["id"].tolist() == [quiet]
    assert Selection.from_query({"attention": "stale"}).attention == "stale"


def test_the_roll_names_partners_and_consenting_adults_only(town):
    initiative = approved(town)
    progress.post_checkin(town.store, town.leader, initiative, "Done a lot.", NOW)
    names = set(recognition.roll(town.store, [initiative])["name"])
    assert names == {"St Anne's Primary PTA"}  # the leader has not agreed to be named
    recognition.set_named_consent(town.store, town.leader, True, NOW)
    assert "Lee Leader" in set(recognition.roll(town.store, [initiative])["name"])
    recognition.set_named_consent(town.store, town.leader, False, NOW)
    assert "Lee Leader" not in set(recognition.roll(town.store, [initiative])["name"])


def test_a_young_person_is_never_named_even_with_consent_on_record(town):
    young = load_actor(
        town.store, sign_up(town.store, "teen", "Sam", "a long password 1", is_minor=True)
    )
    with pytest.raises(InvalidInput, match="under-18s are never named"):
        recognition.set_named_consent(town.store, young, True, NOW)
    initiative = approved(town)
    with town.store.write() as cursor:  # even if consent reached the database somehow
        cursor.execute("UPDATE users SET named_consent_at = ? WHERE login = 'teen'", [NOW])
        cursor.execute(
            "UPDATE initiatives SET owner_id = ? WHERE id = ?", [young.user_id, initiative]
        )
    assert "Sam" not in set(recognition.roll(town.store, [initiative])["name"])


def test_thanking_by_name_needs_an_adult_who_agreed_and_can_be_taken_back(town):
    initiative = approved(town)
    for adult, agreed in ((False, True), (True, False)):
        with pytest.raises(InvalidInput, match="never name a child"):
            recognition.thank(
                town.store,
                town.leader,
                initiative,
                "Pat Jones",
                "Painted the fence",
                adult,
                agreed,
                NOW,
            )
    thanks_id = recognition.thank(
        town.store, town.leader, initiative, "Pat Jones", "Painted the fence", True, True, NOW
    )
    assert "Pat Jones" in set(recognition.roll(town.store, [initiative])["name"])
    recognition.revoke_thanks(town.store, town.leader, thanks_id, NOW)
    assert "Pat Jones" not in set(recognition.roll(town.store, [initiative])["name"])


def test_the_timeline_puts_decisions_milestones_check_ins_and_comments_in_order(town):
    initiative = approved(town)
    step = progress.add_milestone(town.store, town.leader, initiative, "Fence", None, None, NOW)
    progress.complete_milestone(town.store, town.leader, step, "Up.", NOW + 2 * DAY)
    progress.post_checkin(town.store, town.leader, initiative, "Halfway.", NOW + DAY, progress=50)
    story = timeline.for_initiative(town.store, initiative)
    assert story["What"].tolist()[-2:] == ["Check-in", "Milestone done"]
    assert story["What"].tolist()[:2] == ["Started as a draft", "Submitted for review"]
    assert "Halfway. (50%)" in story["Details"].tolist()


def test_the_newsletter_holds_the_periods_news_and_escapes_every_title(town):
    hostile = ProposalForm(
        title="<script>alert(1)</script> [link](http://x) *bold*",
        summary="A fenced play space with seating for carers.",
        kind="new_play_area",
        partners=("Mill Lane PTA",),
    )
    from tests.unit.conftest import box

    first = workflow.save_draft(town.store, town.leader, hostile, box(-1.04, 52.01), NOW)
    workflow.submit(town.store, town.leader, first, NOW)
    workflow.review(town.store, town.council, first, "approved", "Fills a gap.", NOW + DAY)
    workflow.advance(town.store, town.leader, first, "in_progress", None, NOW + DAY)
    progress.post_checkin(
        town.store, town.leader, first, "Fence is up.", NOW + 2 * DAY, progress=40
    )
    recognition.thank(town.store, town.leader, first, "Pat Jones", "Fence", True, True, NOW)
    news = digest.build(town.store, NOW.date(), NOW.date() + 7 * DAY, town.west_id, NOW + 3 * DAY)
    assert [d["decision"] for d in news.decisions] == ["Approved"]
    assert news.running[0]["progress"] == 40 and news.running[0]["news"] == "Fence is up."
    assert set(news.thanks) == {"Mill Lane PTA", "Pat Jones"}
    markdown, page = digest.to_markdown(news), digest.to_html(news)
    assert "\\<script\\>alert(1)\\</script\\> \\[link\\](http://x) \\*bold\\*" in markdown
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Fills a gap." in markdown and "40% done" in page
    east = digest.build(town.store, NOW.date(), NOW.date() + 7 * DAY, town.east_id, NOW)
    assert (
        not east.decisions and not east.running and "Nothing this time." in digest.to_markdown(east)
    )
    with pytest.raises(InvalidInput, match="ends before it starts"):
        digest.build(town.store, NOW.date(), NOW.date() - DAY, None, NOW)


def test_digest_from_the_command_line(tmp_path, monkeypatch, capsys):
    from geo.cli import main

    monkeypatch.setenv("SAFEPLAY_DB", str(tmp_path / "cli.duckdb"))
    assert main(["demo"]) == 0
    target = tmp_path / "news.html"
    assert (
        main(
            [
                "digest",
                "--from",
                "2026-01-01",
                "--to",
                "2026-11-01",
                "--area",
                "Riverside",
                "--format",
                "html",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert "SafePlay news for Riverside" in target.read_text(encoding="utf-8")
    assert main(["digest", "--from", "2026-13-01", "--to", "2026-11-01"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
