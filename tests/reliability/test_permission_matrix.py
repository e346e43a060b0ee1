"""Every write service × every role, plus a council officer outside the ward and a session
that signed out: zero unexpected allows, zero unexpected refusals.

Figure for docs/reliability.md: the number of (service, person) pairs tried and the number
of unexpected allows (must be 0).
"""

from datetime import timedelta

import pytest
import shapely

from geo import (
    areas,
    auth,
    backup,
    concerns,
    events,
    feedback,
    initiatives,
    inspections,
    partners,  # fmt: skip
    places,
    population,
    progress,
    proposals,
    recognition,
    voices,
)
from geo.errors import PermissionDenied, SafePlayError
from geo.permissions import VISITOR
from tests.unit.conftest import NOW, PLAYGROUND
from tests.unit.test_proposals import FORM, WEST_SITE

PEOPLE = ("signed_out", "resident", "leader", "other_leader", "council", "east_officer", "admin")
ANY_COUNCIL = {"council", "admin"}
NOT_EAST = {"council", "admin"}  # the West-ward item is outside the east officer's wards
SIGNED_IN = {"resident", "leader", "other_leader", "council", "east_officer", "admin"}


def make_admin(town):
    user_id = auth.create_user(
        town.store, auth_admin(), "root", "Root", "admin", "a long password 9"
    )
    return auth.load_actor(town.store, user_id)


def auth_admin():
    from geo.permissions import COMMAND_LINE

    return COMMAND_LINE


def setting(town):
    """A submitted West proposal, an approved one, a published comment, a pending voice and
    an open concern — all in the West ward, proposed by `leader`."""
    submitted = proposals.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    proposals.submit(town.store, town.leader, submitted, NOW)
    approved = proposals.save_draft(town.store, town.leader, FORM, WEST_SITE, NOW)
    proposals.submit(town.store, town.leader, approved, NOW)
    proposals.review(town.store, town.council, approved, "approved", "Yes.", NOW)
    comment, _ = feedback.add_comment(town.store, town.council, submitted, "Noted.", NOW)
    voice = voices.submit_voice(town.store, "More lights", NOW, place_id=town.playground_id)
    concern = concerns.report_concern(town.store, town.playground_id, "lighting", "Dark", NOW)
    milestone = progress.add_milestone(town.store, town.leader, approved, "Step", None, None, NOW)
    return {"submitted": submitted, "approved": approved, "comment": comment, "voice": voice,
            "concern": concern, "milestone": milestone}  # fmt: skip


# service -> (call(town, ids, actor, tmp), who may)
SERVICES = {
    "areas.add_areas": (lambda t, i, a, p: areas.add_areas(
        t.store, a, [areas.AreaRecord("N", "N", shapely.box(0, 51, 0.01, 51.01))], "district",
        "test"), {"admin"}),
    "places.add_places": (lambda t, i, a, p: places.add_places(
        t.store, a, [places.PlaceRecord("P", "playground", PLAYGROUND, "test")]), ANY_COUNCIL
        | {"east_officer"}),
    "initiatives.add_initiatives": (lambda t, i, a, p: initiatives.add_initiatives(
        t.store, a, []), {"admin"}),
    "auth.create_user": (lambda t, i, a, p: auth.create_user(
        t.store, a, f"u{len(p.name)}x", "U", "resident", "a long password 3"), {"admin"}),
    "auth.set_role": (lambda t, i, a, p: auth.set_role(t.store, a, "resident", "leader", ()),
                      {"admin"}),
    "auth.set_account_state": (lambda t, i, a, p: auth.set_account_state(
        t.store, a, "resident", unlock=True), {"admin"}),
    "proposals.save_draft": (lambda t, i, a, p: proposals.save_draft(
        t.store, a, FORM, WEST_SITE, NOW), {"leader", "other_leader", "council",
                                            "east_officer", "admin"}),
    "proposals.submit (its proposer only)": (lambda t, i, a, p: proposals.submit(
        t.store, a, i["submitted"], NOW), {"leader"}),
    "proposals.withdraw (its proposer only)": (lambda t, i, a, p: proposals.withdraw(
        t.store, a, i["submitted"], None, NOW), {"leader"}),
    "proposals.review": (lambda t, i, a, p: proposals.review(
        t.store, a, i["submitted"], "changes_requested", "Why.", NOW), NOT_EAST),
    "proposals.advance": (lambda t, i, a, p: proposals.advance(
        t.store, a, i["approved"], "in_progress", None, NOW), NOT_EAST | {"leader"}),
    "feedback.support": (lambda t, i, a, p: feedback.support(
        t.store, a, i["submitted"], NOW), SIGNED_IN - {"leader"}),
    "feedback.add_comment": (lambda t, i, a, p: feedback.add_comment(
        t.store, a, i["submitted"], "Hi", NOW), SIGNED_IN),
    "feedback.flag_comment": (lambda t, i, a, p: feedback.flag_comment(
        t.store, a, i["comment"], NOW), SIGNED_IN - {"council"}),
    "feedback.moderate": (lambda t, i, a, p: feedback.moderate(
        t.store, a, i["comment"], "hidden", "Rude.", NOW), NOT_EAST),
    "voices.moderate_voice": (lambda t, i, a, p: voices.moderate_voice(
        t.store, a, i["voice"], "published", None, NOW), NOT_EAST),
    "population.import_population": (lambda t, i, a, p: population.import_population(
        t.store, a, b"code,p\nW,1\n", match_field="code", population_field="p"),
        ANY_COUNCIL | {"east_officer"}),
    "progress.post_checkin": (lambda t, i, a, p: progress.post_checkin(
        t.store, a, i["approved"], "News", NOW), NOT_EAST | {"leader"}),
    "progress.complete_milestone": (lambda t, i, a, p: progress.complete_milestone(
        t.store, a, i["milestone"], None, NOW), NOT_EAST | {"leader"}),
    "progress.set_cadence": (lambda t, i, a, p: progress.set_cadence(
        t.store, a, i["approved"], 7), NOT_EAST | {"leader"}),
    "partners.save_partner": (lambda t, i, a, p: partners.save_partner(
        t.store, a, "A partner", "ngo", None, None, (), NOW), ANY_COUNCIL | {"east_officer"}),
    "recognition.thank": (lambda t, i, a, p: recognition.thank(
        t.store, a, i["approved"], "Pat", "Fence", True, True, NOW), NOT_EAST | {"leader"}),
    "concerns.update_concern": (lambda t, i, a, p: concerns.update_concern(
        t.store, a, i["concern"], "investigating", "Looking.", NOW), NOT_EAST),
    "inspections.record_inspection": (lambda t, i, a, p: inspections.record_inspection(
        t.store, a, t.playground_id, "routine", NOW.date(), "Ian", "pass", None, NOW), NOT_EAST),
    "inspections.set_schedule": (lambda t, i, a, p: inspections.set_schedule(
        t.store, a, t.playground_id, inspections.Schedule()), NOT_EAST),
    "events.post_event": (lambda t, i, a, p: events.post_event(
        t.store, a, "Play day", "play_day", NOW + timedelta(days=2), None, "Lee", -1.04, 52.01,
        NOW), {"leader", "other_leader", "council", "east_officer", "admin"}),
    "backup.backup": (lambda t, i, a, p: backup.backup(t.store, a, p / "b.duckdb"), {"admin"}),
}  # fmt: skip


@pytest.fixture
def world(town):
    ids = None
    people = {"signed_out": VISITOR, "resident": town.resident, "leader": town.leader,
              "other_leader": town.other_leader, "council": town.council,
              "east_officer": town.east_officer, "admin": make_admin(town)}  # fmt: skip
    return town, ids, people


def test_every_write_service_and_person(world, tmp_path):
    town, ids, people = world
    unexpected_allows, unexpected_refusals, tried = [], [], 0
    for service, (call, may) in SERVICES.items():
        for person in PEOPLE:
            ids = setting(town)  # fresh items: one person's success must not block the next
            tried += 1
            scratch = tmp_path / f"{service}-{person}"
            scratch.mkdir()
            try:
                call(town, ids, people[person], scratch)
                refused = False
            except PermissionDenied:
                refused = True
            except SafePlayError:
                refused = False  # allowed in, then stopped by a rule of the data
            if refused and person in may:
                unexpected_refusals.append((service, person))
            if not refused and person not in may:
                unexpected_allows.append((service, person))
    print(f"\npermission matrix: {tried} pairs, {len(unexpected_allows)} unexpected allows")
    assert tried >= 150
    assert unexpected_allows == [], unexpected_allows
    assert unexpected_refusals == [], unexpected_refusals
