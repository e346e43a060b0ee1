"""Every write service × every role, plus a council officer outside the ward, a session
that signed out and an account deactivated since it signed in: zero unexpected allows,
zero unexpected refusals. Then the scope half: every list, queue, count and export as a
ward-limited officer holds zero rows outside their wards, and nobody's lists hold other
people's drafts or withdrawn proposals.

Figures for docs/reliability.md: the number of (service, person) pairs tried and the number
of unexpected allows (must be 0); the number of list and export services checked and the
rows outside scope (must be 0).
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import shapely

from geo.accountability import events, partners, progress, recognition
from geo.accounts import api_keys, auth
from geo.council import dashboard, matching, population, selection
from geo.errors import PermissionDenied, SafePlayError
from geo.io import backup, exports, imports
from geo.notify import addresses
from geo.permissions import COMMAND_LINE, PRIVATE_STATUSES, VISITOR
from geo.proposals import feedback, reading, workflow
from geo.registry import areas, initiatives, places
from geo.registry.filters import MapFilter
from geo.safeguarding import concerns, inspections, voices
from geo.streets import storage as street_storage
from geo.vocabulary import INITIATIVE_STATUSES
from tests.osm_files import riverside
from tests.unit.conftest import NOW, PLAYGROUND, box
from tests.unit.test_proposals import EAST_SITE, FORM, WEST_SITE

PEOPLE = (
    "signed_out",
    "resident",
    "leader",
    "other_leader",
    "council",
    "east_officer",
    "admin",
    "deactivated",
)
ANY_COUNCIL = {"council", "admin"}
NOT_EAST = {"council", "admin"}  # the West-ward item is outside the east officer's wards
SIGNED_IN = {"resident", "leader", "other_leader", "council", "east_officer", "admin"}


def make_admin(town):
    user_id = auth.create_user(
        town.store, COMMAND_LINE, "root", "Root", "admin", "a long password 9"
    )
    return auth.load_actor(town.store, user_id)


def make_deactivated(town):
    """A leader as their session holds them, after an administrator deactivated them."""
    user_id = auth.create_user(
        town.store, COMMAND_LINE, "gone", "Gone Leader", "leader", "a long password 8"
    )
    signed_in = auth.load_actor(town.store, user_id)
    auth.set_account_state(town.store, COMMAND_LINE, "gone", active=False)
    return signed_in


class Setting(dict):
    """West-ward items proposed by `leader`, each built only when a service asks for it, so
    that every (service, person) pair starts from fresh items without paying for all."""

    def __init__(self, town) -> None:
        super().__init__()
        self.town = town

    def __missing__(self, key: str):
        t = self.town
        if key in ("submitted", "approved", "draft"):
            value = workflow.save_draft(t.store, t.leader, FORM, WEST_SITE, NOW)
            if key != "draft":
                workflow.submit(t.store, t.leader, value, NOW)
            if key == "approved":
                workflow.review(t.store, t.council, value, "approved", "Yes.", NOW)
        elif key == "comment":
            value = feedback.add_comment(t.store, t.council, self["submitted"], "Noted.", NOW)[0]
        elif key == "voice":
            value = voices.submit_voice(t.store, "More lights", NOW, place_id=t.playground_id)
        elif key == "concern":
            value = concerns.report_concern(t.store, t.playground_id, "lighting", "Dark", NOW)
        elif key == "milestone":
            value = progress.add_milestone(
                t.store, t.leader, self["approved"], "Step", None, None, NOW
            )
        elif key == "partner":
            value = partners.save_partner(
                t.store, t.council, f"Partner {len(self)}-{id(self)}", "ngo", None, None, (), NOW
            )
        elif key == "thanks":
            value = recognition.thank(
                t.store, t.leader, self["approved"], "Pat", "Fence", True, True, NOW
            )
        else:  # event
            tomorrow = NOW + timedelta(days=1)
            value = events.post_event(
                t.store, t.leader, "Play day", "play_day", tomorrow, None, "Lee", -1.04, 52.01, NOW
            )
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


def _young(town, user_id: int) -> int:
    """Mark an account as a young person's (consent is recorded only for those)."""
    with town.store.write() as cursor:
        cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [user_id])
    return user_id


# service -> (call(town, ids, actor, tmp), who may)
SERVICES = {
    "areas.add_areas": (
        lambda t, i, a, p: areas.add_areas(
            t.store,
            a,
            [areas.AreaRecord("N", "N", shapely.box(0, 51, 0.01, 51.01))],
            "district",
            "test",
        ),
        {"admin"},
    ),
    "places.add_places": (
        lambda t, i, a, p: places.add_places(
            t.store, a, [places.PlaceRecord("P", "playground", PLAYGROUND, "test")]
        ),
        ANY_COUNCIL | {"east_officer"},
    ),
    "initiatives.add_initiatives": (
        lambda t, i, a, p: initiatives.add_initiatives(t.store, a, []),
        {"admin"},
    ),
    "auth.create_user": (
        lambda t, i, a, p: auth.create_user(
            t.store, a, f"u{len(p.name)}x", "U", "resident", "a long password 3"
        ),
        {"admin"},
    ),
    "auth.set_role": (
        lambda t, i, a, p: auth.set_role(t.store, a, "newcomer", "leader", ()),
        {"admin"},
    ),
    "auth.set_account_state": (
        lambda t, i, a, p: auth.set_account_state(t.store, a, "resident", unlock=True),
        {"admin"},
    ),
    "workflow.save_draft": (
        lambda t, i, a, p: workflow.save_draft(t.store, a, FORM, WEST_SITE, NOW),
        {"leader", "other_leader", "council", "east_officer", "admin"},
    ),
    "workflow.submit (its proposer only)": (
        lambda t, i, a, p: workflow.submit(t.store, a, i["submitted"], NOW),
        {"leader"},
    ),
    "workflow.withdraw (its proposer only)": (
        lambda t, i, a, p: workflow.withdraw(t.store, a, i["submitted"], None, NOW),
        {"leader"},
    ),
    "workflow.review": (
        lambda t, i, a, p: workflow.review(
            t.store, a, i["submitted"], "changes_requested", "Why.", NOW
        ),
        NOT_EAST,
    ),
    "workflow.advance": (
        lambda t, i, a, p: workflow.advance(t.store, a, i["approved"], "in_progress", None, NOW),
        NOT_EAST | {"leader"},
    ),
    "feedback.support": (
        lambda t, i, a, p: feedback.support(t.store, a, i["submitted"], NOW),
        SIGNED_IN - {"leader", "council", "admin"},
    ),
    "feedback.add_comment": (
        lambda t, i, a, p: feedback.add_comment(t.store, a, i["submitted"], "Hi", NOW),
        SIGNED_IN,
    ),
    "feedback.flag_comment": (
        lambda t, i, a, p: feedback.flag_comment(t.store, a, i["comment"], NOW),
        SIGNED_IN - {"council"},
    ),
    "feedback.moderate": (
        lambda t, i, a, p: feedback.moderate(t.store, a, i["comment"], "hidden", "Rude.", NOW),
        NOT_EAST,
    ),
    "voices.moderate_voice": (
        lambda t, i, a, p: voices.moderate_voice(t.store, a, i["voice"], "published", None, NOW),
        NOT_EAST,
    ),
    "population.import_population": (
        lambda t, i, a, p: population.import_population(
            t.store, a, b"code,p\nW,1\n", match_field="code", population_field="p"
        ),
        NOT_EAST,
    ),
    "progress.post_checkin": (
        lambda t, i, a, p: progress.post_checkin(t.store, a, i["approved"], "News", NOW),
        NOT_EAST | {"leader"},
    ),
    "progress.complete_milestone": (
        lambda t, i, a, p: progress.complete_milestone(t.store, a, i["milestone"], None, NOW),
        NOT_EAST | {"leader"},
    ),
    "progress.set_cadence": (
        lambda t, i, a, p: progress.set_cadence(t.store, a, i["approved"], 7),
        NOT_EAST | {"leader"},
    ),
    "partners.save_partner": (
        lambda t, i, a, p: partners.save_partner(
            t.store, a, "A partner", "ngo", None, None, (), NOW
        ),
        NOT_EAST,
    ),
    "recognition.thank": (
        lambda t, i, a, p: recognition.thank(
            t.store, a, i["approved"], "Pat", "Fence", True, True, NOW
        ),
        NOT_EAST | {"leader"},
    ),
    "concerns.update_concern": (
        lambda t, i, a, p: concerns.update_concern(
            t.store, a, i["concern"], "investigating", "Looking.", NOW
        ),
        NOT_EAST,
    ),
    "inspections.record_inspection": (
        lambda t, i, a, p: inspections.record_inspection(
            t.store, a, t.playground_id, "routine", NOW.date(), "Ian", "pass", None, NOW
        ),
        NOT_EAST,
    ),
    "inspections.set_schedule": (
        lambda t, i, a, p: inspections.set_schedule(
            t.store, a, t.playground_id, inspections.Schedule()
        ),
        NOT_EAST,
    ),
    "events.post_event": (
        lambda t, i, a, p: events.post_event(
            t.store,
            a,
            "Play day",
            "play_day",
            NOW + timedelta(days=2),
            None,
            "Lee",
            -1.04,
            52.01,
            NOW,
        ),
        {"leader", "other_leader", "council", "admin"},
    ),
    "backup.backup": (lambda t, i, a, p: backup.backup(t.store, a, p / "b.duckdb"), {"admin"}),
    "imports.import_areas": (
        lambda t, i, a, p: imports.import_areas(
            t.store, a, _file(p, "a.geojson"), level="district"
        ),
        {"admin"},
    ),
    "street_storage.import_streets": (
        lambda t, i, a, p: street_storage.import_streets(t.store, a, riverside(p / "s.osm.pbf")),
        {"admin"},
    ),
    "imports.import_places": (
        lambda t, i, a, p: imports.import_places(t.store, a, _file(p, "p.geojson")),
        ANY_COUNCIL | {"east_officer"},
    ),
    "workflow.open_for_feedback (its proposer only)": (
        lambda t, i, a, p: workflow.open_for_feedback(t.store, a, i["draft"], True, NOW),
        {"leader"},
    ),
    "feedback.withdraw_support": (
        lambda t, i, a, p: feedback.withdraw_support(t.store, a, i["submitted"]),
        SIGNED_IN,
    ),
    "progress.add_milestone": (
        lambda t, i, a, p: progress.add_milestone(
            t.store, a, i["approved"], "More", None, None, NOW
        ),
        NOT_EAST | {"leader"},
    ),
    "progress.move_milestone": (
        lambda t, i, a, p: progress.move_milestone(t.store, a, i["milestone"], 1),
        NOT_EAST | {"leader"},
    ),
    "partners.add_member": (
        lambda t, i, a, p: partners.add_member(t.store, a, i["partner"], "resident"),
        NOT_EAST,
    ),
    "recognition.revoke_thanks": (
        lambda t, i, a, p: recognition.revoke_thanks(t.store, a, i["thanks"], NOW),
        NOT_EAST | {"leader"},
    ),
    "addresses.set_email (oneself)": (
        lambda t, i, a, p: addresses.set_email(t.store, a, "me@example.org", NOW),
        SIGNED_IN,
    ),
    "addresses.record_guardian_consent (administrators)": (
        lambda t, i, a, p: addresses.record_guardian_consent(
            t.store, a, _young(t, t.newcomer.user_id), NOW
        ),
        {"admin"},
    ),
    "addresses.withdraw_guardian_consent (administrators)": (
        lambda t, i, a, p: addresses.withdraw_guardian_consent(
            t.store, a, _young(t, t.newcomer.user_id), NOW
        ),
        {"admin"},
    ),
    "recognition.set_named_consent (oneself)": (
        lambda t, i, a, p: recognition.set_named_consent(t.store, a, True, NOW),
        SIGNED_IN,
    ),
    "events.add_summary (its organiser or council)": (
        lambda t, i, a, p: events.add_summary(
            t.store, a, i["event"], "It went well.", NOW + timedelta(days=5)
        ),
        {"leader", "council", "admin"},
    ),
    "voices.submit_voice (anyone)": (
        lambda t, i, a, p: voices.submit_voice(t.store, "An idea", NOW),
        set(PEOPLE),
    ),
    "concerns.report_concern (anyone)": (
        lambda t, i, a, p: concerns.report_concern(
            t.store, t.playground_id, "lighting", "Too dark", NOW
        ),
        set(PEOPLE),
    ),
    "api_keys.issue_key (admin)": (
        lambda t, i, a, p: api_keys.issue_key(t.store, a, "Fix My Park", ["read"], NOW),
        {"admin"},
    ),
    "api_keys.revoke_key (admin)": (
        lambda t, i, a, p: api_keys.revoke_key(
            t.store, a, api_keys.issue_key(t.store, COMMAND_LINE, "App", ["read"], NOW)[0], NOW
        ),
        {"admin"},
    ),
}


@pytest.fixture
def world(town):
    ids = None
    people = {
        "signed_out": VISITOR,
        "resident": town.resident,
        "leader": town.leader,
        "other_leader": town.other_leader,
        "council": town.council,
        "east_officer": town.east_officer,
        "admin": make_admin(town),
        "deactivated": make_deactivated(town),
    }
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


# The scope half ---------------------------------------------------------------------------

EVERY_STATUS = tuple(INITIATIVE_STATUSES)
BOTH_WARDS = box(-1.05, 52.0, 0.1, 0.05).wkt  # a drawn shape over the whole town


@pytest.fixture
def spread(town):
    """One of everything in each ward: a submitted proposal with a comment waiting for a
    moderator, another person's private draft and withdrawn proposal, a voice, a concern."""
    t = town
    (east_place,) = places.add_places(
        t.store,
        COMMAND_LINE,
        [places.PlaceRecord("East Green", "playground", box(-0.97, 52.02), "test")],
    )
    for site, place in ((WEST_SITE, t.playground_id), (EAST_SITE, east_place)):
        proposal = workflow.save_draft(t.store, t.leader, FORM, site, NOW)
        workflow.submit(t.store, t.leader, proposal, NOW)
        feedback.add_comment(t.store, t.newcomer, proposal, "Held for a moderator.", NOW)
        workflow.save_draft(t.store, t.other_leader, FORM, site, NOW)
        gone = workflow.save_draft(t.store, t.other_leader, FORM, site, NOW)
        workflow.withdraw(t.store, t.other_leader, gone, None, NOW)
        voices.submit_voice(t.store, "More lights", NOW, place_id=place)
        concerns.report_concern(t.store, place, "lighting", "Dark after four", NOW)
    return t


def _everything(t):
    return matching.match(t.store, COMMAND_LINE, selection.Selection(statuses=EVERY_STATUS))


# list or export -> (call(town, actor), what its rows are)
LISTS = {
    "reading.review_queue": (
        lambda t, a: reading.review_queue(t.store, a, NOW, statuses=EVERY_STATUS),
        "initiatives",
    ),
    "reading.review_queue, only West picked": (
        lambda t, a: reading.review_queue(
            t.store, a, NOW, statuses=EVERY_STATUS, ward_ids=(t.west_id,)
        ),
        "initiatives",
    ),
    "matching.match": (
        lambda t, a: matching.match(t.store, a, selection.Selection(statuses=EVERY_STATUS)),
        "initiatives",
    ),
    "matching.match, only West picked": (
        lambda t, a: matching.match(
            t.store,
            a,
            selection.Selection(mode="areas", area_ids=(t.west_id,), statuses=EVERY_STATUS),
        ),
        "initiatives",
    ),
    "matching.match, a shape over both wards": (
        lambda t, a: matching.match(
            t.store,
            a,
            selection.Selection(mode="shape", shape_wkt=BOTH_WARDS, statuses=EVERY_STATUS),
        ),
        "initiatives",
    ),
    "matching.select_initiatives": (
        lambda t, a: matching.select_initiatives(
            t.store, a, selection.Selection(statuses=EVERY_STATUS)
        ),
        "initiatives",
    ),
    "matching.count_per_ward (map totals)": (
        lambda t, a: matching.count_per_ward(t.store, a, _everything(t)),
        "wards",
    ),
    "exports.collect initiatives": (
        lambda t, a: exports.collect(
            t.store, a, "initiatives", selection=selection.Selection(statuses=EVERY_STATUS)
        ),
        "initiatives",
    ),
    "dashboard.ward_overview": (lambda t, a: dashboard.ward_overview(t.store, a, NOW), "wards"),
    "concerns.concern_queue": (
        lambda t, a: concerns.concern_queue(t.store, a, include_closed=True),
        "concerns",
    ),
    "voices.voice_queue": (lambda t, a: voices.voice_queue(t.store, a), "voices"),
    "feedback.moderation_queue": (lambda t, a: feedback.moderation_queue(t.store, a), "comments"),
    "inspections.overdue": (lambda t, a: inspections.overdue(t.store, a, NOW.date()), "places"),
}


def _wards_of_rows(t, kind: str, frame) -> list[set[int]]:
    """The wards each row lies in, read from the database (not from the row's text)."""
    cursor = t.store.cursor()
    if kind in ("initiatives", "comments"):
        column = "id" if kind == "initiatives" else "initiative_id"
        sql = "SELECT area_id FROM initiative_areas WHERE initiative_id = ?"
    elif kind in ("voices", "concerns"):
        column, sql = "id", f"SELECT area_id FROM {kind} WHERE id = ? AND area_id IS NOT NULL"
    elif kind == "places":
        column = "place_id"
        sql = (
            "SELECT pa.area_id FROM place_areas pa JOIN areas a ON a.id = pa.area_id "
            "WHERE pa.place_id = ? AND a.level = 'ward'"
        )
    else:
        return [{int(i)} for i in frame["id"]]
    return [{int(r[0]) for r in cursor.execute(sql, [int(i)]).fetchall()} for i in frame[column]]


@pytest.mark.parametrize("service", sorted(LISTS))
def test_a_ward_limited_officer_gets_no_row_outside_their_wards(spread, service):
    call, kind = LISTS[service]
    outside_east = [
        wards
        for wards in _wards_of_rows(spread, kind, call(spread, spread.council))
        if spread.east_id not in wards
    ]
    assert outside_east, "the whole-area officer must see West's rows, or this proves nothing"
    rows = _wards_of_rows(spread, kind, call(spread, spread.east_officer))
    outside = [wards for wards in rows if spread.east_id not in wards]
    print(f"\nscope: {service}: {len(rows)} rows, {len(outside)} outside the officer's wards")
    assert outside == []
    assert rows or "only West" in service  # the officer's own ward is still listed


def _private_of_others(t, frame, actor) -> list[int]:
    if "id" not in frame or frame.empty:
        return []
    rows = (
        t.store.cursor()
        .execute(
            "SELECT id FROM initiatives WHERE list_contains($ids, id) "
            "AND list_contains($private, status) AND owner_id IS DISTINCT FROM $me "
            "AND NOT (status = 'draft' AND open_for_feedback)",
            {
                "ids": [int(i) for i in frame["id"]],
                "private": list(PRIVATE_STATUSES),
                "me": actor.user_id,
            },
        )
        .fetchall()
    )
    return [int(r[0]) for r in rows]


def test_nobody_lists_other_peoples_drafts_or_withdrawn_proposals(spread, world):
    _, _, people = world
    lists = {name: call for name, (call, kind) in LISTS.items() if kind == "initiatives"}
    lists["reading.open_proposals"] = lambda t, a: reading.open_proposals(t.store, a)
    lists["initiatives.find_initiatives (public map)"] = lambda t, a: initiatives.find_initiatives(
        t.store, MapFilter(statuses=EVERY_STATUS)
    )
    leaked, tried = [], 0
    for person, actor in [*people.items(), ("command_line", COMMAND_LINE)]:
        for name, call in lists.items():
            try:
                frame = call(spread, actor)
            except PermissionDenied:
                continue
            tried += 1
            leaked += [(name, person, i) for i in _private_of_others(spread, frame, actor)]
    counts = dashboard.ward_overview(spread.store, COMMAND_LINE, NOW)
    assert counts[list(PRIVATE_STATUSES)].to_numpy().sum() == 0  # not even as a count
    print(f"\nscope: {tried} (list, person) pairs, {len(leaked)} private proposals of others")
    assert tried >= 20 and leaked == []
