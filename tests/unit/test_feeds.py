"""Atom feeds read by a real feed parser: valid, the right news, and nothing private."""

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta

import feedparser
import pytest

from geo.accountability import events, progress, recognition
from geo.delivery import feeds
from geo.errors import NotFound
from geo.escape import for_xml
from geo.proposals import feedback, workflow
from geo.safeguarding import concerns, voices
from tests.unit.conftest import NOW
from tests.unit.test_proposals import EAST_SITE, FORM, WEST_SITE, submitted

BASE = "http://safeplay.example/"
# PostgreSQL cannot store NUL at all; every other character XML forbids is here.
HOSTILE = "<script>alert(1)</script> ]]> & \"quoted\" 'x' \x01\x07\x1b\x7f\ufffe end"
HOSTILE_READ = "<script>alert(1)</script> ]]> & \"quoted\" 'x' \x7f end"  # XML keeps DEL


def parsed(store, kind, number=None):
    document = feeds.feed(store, kind, number, BASE)
    ET.fromstring(document)  # well-formed for a strict parser too
    read = feedparser.parse(document)
    assert not read.bozo, read.bozo_exception
    return read


def titles(read):
    return [entry.title for entry in read.entries]


def running(town):
    """A West proposal taken through every public step, with progress, an event and thanks."""
    proposal_id = submitted(town)
    workflow.review(town.store, town.council, proposal_id, "changes_requested", "Add seats.", NOW)
    later = NOW + timedelta(days=1)
    workflow.save_draft(town.store, town.leader, FORM, WEST_SITE, later, proposal_id)
    workflow.submit(town.store, town.leader, proposal_id, later)
    workflow.review(town.store, town.council, proposal_id, "approved", "Fills a gap.", later)
    started = NOW + timedelta(days=2)
    workflow.advance(town.store, town.leader, proposal_id, "in_progress", None, started)
    step = progress.add_milestone(
        town.store, town.leader, proposal_id, "Agree the site", None, None, started
    )
    progress.complete_milestone(town.store, town.leader, step, "Signed with the parish.", started)
    progress.post_checkin(
        town.store,
        town.leader,
        proposal_id,
        "Fence posts are in.",
        started + timedelta(hours=1),
        progress=40,
        next_step="Lay the surface.",
    )
    recognition.thank(
        town.store,
        town.leader,
        proposal_id,
        "Pat Painter",
        "Painted the fence",
        True,
        True,
        started,
    )
    event_id = events.post_event(
        town.store,
        town.leader,
        "Opening play day",
        "play_day",
        started + timedelta(days=1),
        None,
        "Mill Lane Friends",
        -1.03,
        52.02,
        started,
        initiative_id=proposal_id,
    )
    events.add_summary(
        town.store, town.leader, event_id, "Sixty families came.", started + timedelta(days=2)
    )
    return proposal_id


def test_the_feeds_are_valid_atom_with_every_kind_of_public_news(town):
    proposal_id = running(town)
    whole, west, one = (
        parsed(town.store, "council"),
        parsed(town.store, "area", town.west_id),
        parsed(town.store, "initiative", proposal_id),
    )
    title = FORM.title
    expected = {
        f"New proposal: {title}",
        f"Council asked for changes: {title}",
        f"Resubmitted after changes: {title}",
        f"Council approved it: {title}",
        f"Work started: {title}",
        f"Milestone done: Agree the site ({title})",
        f"Check-in: {title}",
        "Thank you, Pat Painter",
        "Event: Opening play day",
    }
    for read in (whole, west, one):
        assert set(titles(read)) == expected
        assert read.version == "atom10"
        when = [entry.updated_parsed for entry in read.entries]
        assert when == sorted(when, reverse=True)  # newest first
        assert read.feed.updated_parsed == when[0]
        assert len({entry.id for entry in read.entries}) == len(read.entries)
        assert all(entry.id.startswith("tag:safeplay.example,2026:") for entry in read.entries)
    by_title = {entry.title: entry for entry in one.entries}
    assert (
        by_title[f"Council asked for changes: {title}"].summary
        == "The council's reason: Add seats."
    )
    assert by_title[f"Check-in: {title}"].summary == (
        "Fence posts are in. · Next step: Lay the surface. · Progress: 40%"
    )
    event = by_title["Event: Opening play day"].summary
    assert "Sixty families came." in event and f"Part of {title}." in event
    assert by_title[f"Council approved it: {title}"].link == f"{BASE}proposals?id={proposal_id}"
    assert {link.rel: link.href for link in one.feed.links} == {
        "self": f"{BASE}feeds/initiatives/{proposal_id}.atom",
        "alternate": f"{BASE}proposals?id={proposal_id}",
    }
    assert parsed(town.store, "area", town.east_id).entries == []  # nothing happened there


def test_entry_ids_stay_the_same_from_one_reading_to_the_next(town):
    proposal_id = running(town)
    first = [entry.id for entry in parsed(town.store, "initiative", proposal_id).entries]
    workflow.advance(town.store, town.leader, proposal_id, "completed", "All done.", NOW)
    again = [entry.id for entry in parsed(town.store, "initiative", proposal_id).entries]
    assert set(first) < set(again) and len(again) == len(first) + 1


def test_a_feed_keeps_the_newest_entries_up_to_its_limit(town):
    running(town)
    about = feeds.subject(town.store, "council")
    everything = feeds.entries(town.store, about)
    assert feeds.entries(town.store, about, limit=3) == everything[:3]


def test_no_private_data_reaches_any_feed(town):
    proposal_id = running(town)
    secrets = []

    def secret(word):
        secrets.append(word)
        return word

    workflow.save_draft(
        town.store, town.leader, replace(FORM, title=secret("Secret draft")), EAST_SITE, NOW
    )
    gone = workflow.save_draft(
        town.store, town.leader, replace(FORM, title=secret("Withdrawn idea")), EAST_SITE, NOW
    )
    workflow.submit(town.store, town.leader, gone, NOW)
    workflow.withdraw(town.store, town.leader, gone, None, NOW)
    open_one = submitted(town, EAST_SITE, town.other_leader)
    _, state = feedback.add_comment(
        town.store, town.newcomer, open_one, secret("Held comment words"), NOW
    )
    assert state == "pending"
    voices.submit_voice(
        town.store,
        secret("Swings are too high") + ", my name is Zara Quill",
        NOW,
        area_id=town.west_id,
    )
    secrets.append("Zara Quill")
    concerns.report_concern(
        town.store, town.playground_id, "broken_equipment", secret("The chain is snapped"), NOW
    )
    with town.store.write() as cursor:
        cursor.execute(
            "UPDATE users SET email = ? WHERE id = ?",
            [secret("lee.private@example.org"), town.leader.user_id],
        )
    revoked = recognition.thank(
        town.store, town.leader, proposal_id, secret("Kim Gone"), "Lent a van", True, True, NOW
    )
    recognition.revoke_thanks(town.store, town.leader, revoked, NOW)
    with town.store.write() as cursor:  # a thank-you the roll would never show
        cursor.execute(
            "INSERT INTO thanks (id, initiative_id, name, contribution, adult_confirmed, "
            "consent_at, added_by) VALUES (999, ?, ?, 'Helped', false, ?, 'Lee Leader')",
            [proposal_id, secret("Unconfirmed Name"), NOW],
        )
    events.post_event(
        town.store,
        town.leader,
        "Draft walk-round",
        "workshop",
        NOW + timedelta(days=3),
        None,
        "Mill Lane Friends",
        -0.97,
        52.01,
        NOW,
        initiative_id=None,
    )
    with town.store.write() as cursor:  # an event once linked to a proposal now withdrawn
        cursor.execute(
            "UPDATE events SET initiative_id = ? WHERE title = 'Draft walk-round'", [gone]
        )
    documents = [feeds.feed(town.store, "council", None, BASE)]
    for area_id in (town.west_id, town.east_id):
        documents.append(feeds.feed(town.store, "area", area_id, BASE))
    for number in range(1, gone + 2):
        try:
            documents.append(feeds.feed(town.store, "initiative", number, BASE))
        except NotFound:
            assert number not in (proposal_id, open_one)
    text = b"".join(documents).decode()
    assert "Event: Draft walk-round" in text  # the event is public; its withdrawn link is not
    east = titles(parsed(town.store, "area", town.east_id))
    assert "Event: Draft walk-round" in east and "Event: Opening play day" not in east
    for word in secrets:
        assert word not in text, word


def test_drafts_withdrawn_and_unknown_numbers_have_no_feed(town):
    draft = workflow.save_draft(town.store, town.leader, FORM, EAST_SITE, NOW)
    with pytest.raises(NotFound, match="no public proposal or initiative number"):
        feeds.subject(town.store, "initiative", draft)
    workflow.withdraw(town.store, town.leader, draft, None, NOW)
    with pytest.raises(NotFound):
        feeds.subject(town.store, "initiative", draft)
    with pytest.raises(NotFound, match="no area number 999"):
        feeds.subject(town.store, "area", 999)


def test_hostile_text_is_plain_text_and_the_feed_stays_well_formed(town):
    proposal_id = running(town)
    with town.store.write() as cursor:
        cursor.execute(
            "UPDATE initiatives SET title = ?, proposer = ? WHERE id = ?",
            [HOSTILE, HOSTILE, proposal_id],
        )
        cursor.execute("UPDATE checkins SET happened = ?", [HOSTILE])
        cursor.execute("UPDATE areas SET name = ? WHERE id = ?", [HOSTILE, town.west_id])
    for kind, number in (("initiative", proposal_id), ("area", town.west_id), ("council", None)):
        document = feeds.feed(town.store, kind, number, BASE)
        assert b"<script>" not in document and b"]]>" not in document
        read = parsed(town.store, kind, number)
        assert f"Check-in: {HOSTILE_READ}" in titles(read)
        assert any(entry.summary.startswith(HOSTILE_READ + " · ") for entry in read.entries)
    assert (
        parsed(town.store, "area", town.west_id).feed.title == f"SafePlay news for {HOSTILE_READ}"
    )


def test_text_for_xml_drops_what_xml_cannot_hold_and_keeps_the_rest():
    assert for_xml("a\x00b\x0bc\ud800d\uffff e\n\tf") == "abcd e f"
    assert for_xml("<b>Tom & Jerry's]]> 😀") == "<b>Tom & Jerry's]]> 😀"  # etree escapes these
    assert for_xml(None) == ""
