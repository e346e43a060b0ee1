"""Every write service × every role, plus a council officer outside the ward and a session
that signed out: zero unexpected allows, zero unexpected refusals.

Figure for docs/reliability.md: the number of (service, person) pairs tried and the number
of unexpected allows (must be 0).
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import shapely

from geo import (
    areas,
    auth,
    backup,
    concerns,
    events,
    feedback,
    imports,
    initiatives,
    inspections,
    partners,
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


class Setting(dict):
    """West-ward items proposed by `leader`, each built only when a service asks for it, so
    that every (service, person) pair starts from fresh items without paying for all."""

    def __init__(self, town) -> None:
        super().__init__()
        self.town = town

    def __missing__(self, key: str):
        t = self.town
        if key in ("submitted", "approved", "draft"):
            value = proposals.save_draft(t.store, t.leader, FORM, WEST_SITE, NOW)
            if key != "draft":
                proposals.submit(t.store, t.leader, value, NOW)
            if key == "approved":
                proposals.review(t.store, t.council, value, "approved", "Yes.", NOW)
        elif key == "comment":
            value = feedback.add_comment(t.store, t.council, self["submitted"], "Noted.", NOW)[0]
        elif key == "voice":
            value = voices.submit_voice(t.store, "More lights", NOW, place_id=t.playground_id)
        elif key == "concern":
            value = concerns.report_concern(t.store, t.playground_id, "lighting", "Dark", NOW)
        elif key == "milestone":
            value = progress.add_milestone(t.store, t.leader, self["approved"], "Step", None,
                                           None, NOW)  # fmt: skip
        elif key == "partner":
            value = partners.save_partner(t.store, t.council, f"Partner {len(self)}-{id(self)}",
                                          "ngo", None, None, (), NOW)  # fmt: skip
        elif key == "thanks":
            value = recognition.thank(t.store, t.leader, self["approved"], "Pat", "Fence", True,
                                      True, NOW)  # fmt: skip
        else:  # event
            tomorrow = NOW + timedelta(days=1)
            value = events.post_event(t.store, t.leader, "Play day", "play_day", tomorrow,
                                      None, "Lee", -1.04, 52.01, NOW)  # fmt: skip
        self[key] = value
        return value


def setting(town) -> Setting:
    return Setting(town)


def _file(folder: Path, name: str) -> Path:
    """A one-feature GeoJSON file to import."""
    feature = {
        "type": "Feature",
        "properties": {"name": "N", "code": "N"},
        "geometry": shapely.geometry.mapping(shapely.box(-1.04, 52.01, -1.039, 52.011)),
    }
    path = folder / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


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
        t.store, a, i["submitted"], NOW), SIGNED_IN - {"leader", "council", "admin"}),
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
    "imports.import_areas": (lambda t, i, a, p: imports.import_areas(
        t.store, a, _file(p, "a.geojson"), level="district"), {"admin"}),
    "imports.import_places": (lambda t, i, a, p: imports.import_places(
        t.store, a, _file(p, "p.geojson")), ANY_COUNCIL | {"east_officer"}),
    "proposals.open_for_feedback (its proposer only)": (lambda t, i, a, p:
        proposals.open_for_feedback(t.store, a, i["draft"], True, NOW), {"leader"}),
    "feedback.withdraw_support": (lambda t, i, a, p: feedback.withdraw_support(
        t.store, a, i["submitted"]), SIGNED_IN),
    "progress.add_milestone": (lambda t, i, a, p: progress.add_milestone(
        t.store, a, i["approved"], "More", None, None, NOW), NOT_EAST | {"leader"}),
    "progress.edit_milestone": (lambda t, i, a, p: progress.edit_milestone(
        t.store, a, i["milestone"], "Renamed", None, None), NOT_EAST | {"leader"}),
    "progress.move_milestone": (lambda t, i, a, p: progress.move_milestone(
        t.store, a, i["milestone"], 1), NOT_EAST | {"leader"}),
    "partners.add_member": (lambda t, i, a, p: partners.add_member(
        t.store, a, i["partner"], "resident"), ANY_COUNCIL | {"east_officer"}),
    "recognition.revoke_thanks": (lambda t, i, a, p: recognition.revoke_thanks(
        t.store, a, i["thanks"], NOW), NOT_EAST | {"leader"}),
    "recognition.set_named_consent (oneself)": (lambda t, i, a, p:
        recognition.set_named_consent(t.store, a, True, NOW), SIGNED_IN),
    "events.add_summary (its organiser or council)": (lambda t, i, a, p: events.add_summary(
        t.store, a, i["event"], "It went well.", NOW + timedelta(days=5)),
        {"leader", "council", "east_officer", "admin"}),
    "voices.submit_voice (anyone)": (lambda t, i, a, p: voices.submit_voice(
        t.store, "An idea", NOW), set(PEOPLE)),
    "concerns.report_concern (anyone)": (lambda t, i, a, p: concerns.report_concern(
        t.store, t.playground_id, "lighting", "Too dark", NOW), set(PEOPLE)),
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
    assert tried >= 250
    assert unexpected_allows == [], unexpected_allows
    assert unexpected_refusals == [], unexpected_refusals
