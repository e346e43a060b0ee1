"""The one moderation skeleton: every decision is checked the same way and leaves one audit row.

The skeleton is tried on a table of its own (``notes``), so these tests say what any
moderated table gets; the last ones check that comments, voices and concerns are each
described to it and keep their own audit trail.
"""

from datetime import timedelta

import pytest

from geo.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from geo.moderation import Moderated, clean_reason, decide, in_its_ward, logged_as
from geo.proposals import feedback
from geo.safeguarding import concerns, voices
from tests.unit.conftest import NOW
from tests.unit.test_proposals import submitted

LATER = NOW + timedelta(hours=2)
MODERATION_LOG = (
    "SELECT from_state, to_state, actor, reason, changed_at FROM moderation_log "
    "WHERE item_kind = ? AND item_id = ? ORDER BY id"
)
NOTES = Moderated(
    noun="note",
    table="notes",
    state_column="state",
    action="moderate_comments",
    transitions=frozenset({("new", "kept"), ("new", "dropped"), ("kept", "dropped")}),
    unknown_decision="a moderator can keep or drop a note",
    illegal=lambda before, after: f"a {before} note cannot be {after}",
    ward_column="area_id",
    wards=in_its_ward,
    clean=lambda decision, reason: clean_reason(
        reason, required=decision == "dropped", missing="say why the note is dropped"
    ),
    audit=logged_as("note"),
    also_set=lambda reason, now: {"note": reason, "decided_at": now},
)


@pytest.fixture
def notes(town):
    """Three notes: new in West, new in no ward, and one already dropped in West."""
    with town.store.write() as cursor:
        cursor.execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, state VARCHAR, area_id INTEGER, "
            "note VARCHAR, decided_at TIMESTAMP)"
        )
        cursor.execute(
            "INSERT INTO notes (id, state, area_id) VALUES (1, 'new', ?), (2, 'new', NULL), "
            "(3, 'dropped', ?)",
            [town.west_id, town.west_id],
        )
    return town


def note(town, note_id):
    return town.store.row("SELECT state, note, decided_at FROM notes WHERE id = ?", [note_id])


def audit_rows(town, kind="note"):
    return town.store.rows(
        "SELECT item_id, from_state, to_state, actor, reason, changed_at FROM moderation_log "
        "WHERE item_kind = ? ORDER BY id",
        [kind],
    )


def refused_and_unchanged(town, error, match, actor, note_id, decision, reason=None):
    """``decide`` refuses with ``error``, writes nothing and never works out the edits."""
    before = (note(town, note_id), audit_rows(town), town.store.data_version())

    def edits():
        raise AssertionError("the edits of a refused decision were worked out")

    with pytest.raises(error, match=match):
        decide(town.store, actor, NOTES, note_id, decision, reason, LATER, edits)
    assert (note(town, note_id), audit_rows(town), town.store.data_version()) == before


def test_an_illegal_step_is_refused_and_nothing_is_written(notes):
    refused_and_unchanged(
        notes, IllegalTransition, "^a dropped note cannot be kept$", notes.council, 3, "kept"
    )
    refused_and_unchanged(
        notes, InvalidInput, "keep or drop", notes.council, 1, "published"
    )  # not a state of this table
    refused_and_unchanged(notes, NotFound, "^there is no note number 9$", notes.council, 9, "kept")


def test_a_moderator_outside_the_ward_is_refused(notes):
    refused_and_unchanged(
        notes, PermissionDenied, "outside the wards", notes.east_officer, 1, "kept"
    )
    # A note in no ward belongs to officers for the whole council area only.
    refused_and_unchanged(
        notes, PermissionDenied, "outside the wards", notes.east_officer, 2, "kept"
    )
    refused_and_unchanged(notes, PermissionDenied, "may not moderate", notes.resident, 1, "kept")
    decide(notes.store, notes.council, NOTES, 2, "kept", None, LATER)
    assert note(notes, 2)[0] == "kept"


def test_the_role_is_checked_before_the_words(notes):
    # A resident is told they may not moderate, not that their reason is missing.
    refused_and_unchanged(
        notes, PermissionDenied, "may not moderate", notes.resident, 1, "dropped", ""
    )
    refused_and_unchanged(
        notes, InvalidInput, "^say why the note is dropped$", notes.council, 1, "dropped", "  "
    )


def test_every_decision_writes_one_audit_row_with_who_when_and_why(notes):
    assert decide(notes.store, notes.council, NOTES, 1, "kept", None, NOW) == "new"
    assert decide(notes.store, notes.council, NOTES, 1, "dropped", "  A duplicate. ", LATER) == (
        "kept"
    )
    assert audit_rows(notes) == [
        (1, "new", "kept", "Cora Council", None, NOW),
        (1, "kept", "dropped", "Cora Council", "A duplicate.", LATER),
    ]
    assert note(notes, 1) == ("dropped", "A duplicate.", LATER)  # the table's own columns too


def test_edits_are_written_with_the_decision(notes):
    decide(notes.store, notes.council, NOTES, 1, "kept", None, NOW, lambda: {"note": "Edited."})
    assert note(notes, 1) == ("kept", "Edited.", NOW)


def test_comments_voices_and_concerns_each_keep_one_audit_row_per_decision(town):
    west = submitted(town)
    comment_id, _ = feedback.add_comment(town.store, town.newcomer, west, "Hello", NOW)
    voice_id = voices.submit_voice(
        town.store, "More swings please", NOW, place_id=town.playground_id
    )
    concern_id = concerns.report_concern(
        town.store, town.playground_id, "lighting", "The lamp is out", NOW
    )
    decided = [
        (
            lambda who: feedback.moderate(town.store, who, comment_id, "hidden", "Rude.", LATER),
            "SELECT from_state, to_state, actor, reason, changed_at FROM comment_changes "
            "WHERE comment_id = ? ORDER BY id",
            [comment_id],
        ),
        (
            lambda who: voices.moderate_voice(town.store, who, voice_id, "hidden", "Rude.", LATER),
            MODERATION_LOG,
            ["voice", voice_id],
        ),
        (
            lambda who: concerns.update_concern(
                town.store, who, concern_id, "fixed", "Rude.", LATER
            ),
            MODERATION_LOG,
            ["concern", concern_id],
        ),
    ]
    for take, trail, params in decided:
        first = town.store.rows(trail, params)
        with pytest.raises(PermissionDenied, match="outside the wards"):
            take(town.east_officer)
        assert town.store.rows(trail, params) == first  # a refusal leaves no row
        take(town.council)
        after = town.store.rows(trail, params)
        assert after[:-1] == first and len(after) == len(first) + 1
        assert after[-1][2:] == ("Cora Council", "Rude.", LATER)
        assert after[-1][1] in ("hidden", "fixed")
