"""The permission table in the docs and the code agree, and every write checks it."""

import ast
import re
from pathlib import Path

import pytest

from geo.errors import PermissionDenied
from geo.permissions import (
    ACTIONS,
    PERMISSIONS,
    ROLES,
    VISITOR,
    Actor,
    allowed,
    may_answer,
    may_summarise_event,
    require,
)
from geo.permissions.resources import RESOURCES
from geo.proposals import lifecycle
from geo.vocabulary import INITIATIVE_STATUSES

ROOT = Path(__file__).resolve().parents[2]


def _documented() -> dict[tuple[str, str], bool]:
    table = {}
    text = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    header = None
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "action":
            header = cells[1:]
        elif header and len(cells) == len(header) + 1 and not set(cells[1]) <= {"-"}:
            for role, cell in zip(header, cells[1:], strict=True):
                table[(cells[0], role)] = cell == "yes"
    return table


DOCUMENTED = _documented()


def test_docs_list_every_action_and_role():
    assert {a for a, _ in DOCUMENTED} == set(PERMISSIONS)
    assert {r for _, r in DOCUMENTED} == set(ROLES)


@pytest.mark.parametrize(("action", "role"), sorted(DOCUMENTED))
def test_role_may_do_exactly_what_the_docs_say(action, role):
    actor = Actor(role=role, login=f"{role}-user")
    if DOCUMENTED[(action, role)]:
        require(actor, action)
    else:
        with pytest.raises(PermissionDenied):
            require(actor, action)


def test_unknown_action_is_denied_even_to_admins():
    with pytest.raises(PermissionDenied):
        require(Actor(role="admin"), "launch_rockets")


def test_council_limited_to_wards_cannot_act_outside_them():
    officer = Actor(role="council", login="o", ward_ids=frozenset({1, 2}))
    assert allowed(officer, "manage_places", [2, 7])
    with pytest.raises(PermissionDenied, match="outside the wards"):
        require(officer, "manage_places", [7])
    assert allowed(Actor(role="council"), "manage_places", [7])  # no limit set


def _resources_documented() -> dict[str, tuple[str, str, set[str]]]:
    """The docs' table of resources: kind -> (owned by, its wards, the actions on it)."""
    text = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    table, header = {}, False
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[:2] == ["kind", "owned by"]:
            header = True
        elif header and len(cells) == 4 and not set(cells[1]) <= {"-"}:
            actions = {a.strip(" `") for a in cells[3].split(",") if a.strip()}
            table[cells[0].strip("`")] = (cells[1].strip("`"), cells[2], actions)
        elif header and not line.strip():
            header = False
    return table


def test_every_action_acts_on_a_documented_kind_of_resource():
    documented = _resources_documented()
    assert set(documented) == set(RESOURCES)
    for kind, resource in RESOURCES.items():
        owner, _, actions = documented[kind]
        assert owner == (resource.owner or "nobody"), kind
        assert actions == {name for name, a in ACTIONS.items() if kind in a.resources}, kind


# Named rules, on the town of tests/unit/test_scope.py: wards 1 (West) and 2 (East).
OWNER = Actor(role="leader", login="lee", user_id=10)
OTHER_LEADER = Actor(role="leader", login="lou", user_id=11)
DEMOTED_OWNER = Actor(role="resident", login="lee", user_id=10)
RESIDENT = Actor(role="resident", login="rita", user_id=12)
COUNCIL = Actor(role="council", login="cat", user_id=13)
EAST_OFFICER = Actor(role="council", login="ed", user_id=14, ward_ids=frozenset({2}))
BEFORE_A_DECISION = {"draft", "submitted", "changes_requested"}


@pytest.mark.parametrize("status", sorted(INITIATIVE_STATUSES))
def test_only_the_proposer_withdraws_and_only_before_a_decision(status):
    proposal = {"status": status, "owner_id": OWNER.user_id}
    assert lifecycle.may_withdraw(OWNER, proposal) == (status in BEFORE_A_DECISION)
    for someone in (OTHER_LEADER, DEMOTED_OWNER, COUNCIL, VISITOR):
        assert not lifecycle.may_withdraw(someone, proposal), someone.login
    assert not lifecycle.may_withdraw(OWNER, {"status": status, "owner_id": None})


def test_the_proposer_marks_their_approved_work_started_and_then_completed():
    def may(status: str, to_status: str, actor: Actor = OWNER) -> bool:
        return lifecycle.proposer_may(actor, {"status": status, "owner_id": 10}, to_status)

    assert may("approved", "in_progress") and may("in_progress", "completed")
    assert not may("submitted", "in_progress") and not may("approved", "completed")
    assert not may("submitted", "approved")  # a reviewer's step, even on one's own
    assert not may("approved", "in_progress", OTHER_LEADER)


def test_only_the_proposer_opens_their_draft_for_feedback():
    draft = {"status": "draft", "owner_id": OWNER.user_id}
    assert lifecycle.may_open_for_feedback(OWNER, draft)
    assert not lifecycle.may_open_for_feedback(OWNER, {**draft, "status": "submitted"})
    for someone in (OTHER_LEADER, DEMOTED_OWNER, COUNCIL):
        assert not lifecycle.may_open_for_feedback(someone, draft), someone.login


@pytest.mark.parametrize("status", sorted(INITIATIVE_STATUSES))
def test_an_officer_for_its_wards_decides_a_waiting_proposal_but_never_their_own(status):
    proposal = {"status": status, "owner_id": OWNER.user_id, "ward_ids": [1]}
    assert lifecycle.may_review(COUNCIL, proposal) == (status == "submitted")
    for someone in (OWNER, OTHER_LEADER, RESIDENT, EAST_OFFICER, VISITOR):
        assert not lifecycle.may_review(someone, proposal), someone.login
    own = {**proposal, "owner_id": COUNCIL.user_id}
    assert not lifecycle.may_review(COUNCIL, own)


def test_the_proposer_or_an_officer_for_its_wards_answers_a_comment():
    assert may_answer(OWNER, OWNER.user_id, [1])
    assert may_answer(COUNCIL, OWNER.user_id, [1])
    assert may_answer(EAST_OFFICER, OWNER.user_id, [1, 2])
    assert not may_answer(EAST_OFFICER, OWNER.user_id, [1])
    assert not may_answer(EAST_OFFICER, OWNER.user_id, [])  # in no ward: whole-area officers
    for someone in (OTHER_LEADER, RESIDENT, VISITOR):
        assert not may_answer(someone, OWNER.user_id, [1]), someone.login
    assert not may_answer(VISITOR, None, [1])  # nobody owns it: a visitor is not its owner


def test_the_organiser_or_an_officer_for_its_ward_summarises_an_event():
    assert may_summarise_event(OWNER, OWNER.user_id, [1])
    assert may_summarise_event(COUNCIL, OWNER.user_id, [1])
    assert may_summarise_event(EAST_OFFICER, OWNER.user_id, [2])
    assert not may_summarise_event(EAST_OFFICER, OWNER.user_id, [1])
    assert may_summarise_event(EAST_OFFICER, EAST_OFFICER.user_id, [2])
    # Another leader does not manage events; an organiser who may no longer post events
    # (demoted to resident) no longer summarises theirs either.
    for someone in (OTHER_LEADER, DEMOTED_OWNER, RESIDENT, VISITOR):
        assert not may_summarise_event(someone, OWNER.user_id, [1]), someone.login


# Functions that write without `require`, and why.
SELF_SERVICE = {
    "sign_up": "anyone may create a resident account for themselves",
    "_insert_user": "called only after require() or by sign_up",
    "authenticate": "records the caller's own failed and successful sign-ins",
    "_fail_unknown": "records failed sign-ins for logins without an account",
    "sso_account": "the identity provider vouched for the person; creates a resident only",
    "change_password": "changes only the actor's own account, after proving the password",
    "set_named_consent": "changes only the actor's own consent to be named",
    "set_language": "changes only the actor's own language",
    "submit_voice": "anyone may leave a voice: no account, redacted, held for moderation",
    "report_concern": "anyone may report a concern: no account, redacted, to the ward queue",
    "write": "the transaction primitive itself",
    "_migrate": "schema changes at start-up",
    "_copy": "called only by copy_store, after require(actor, 'manage_backups')",
}


def _decorated(node: ast.FunctionDef, name: str) -> bool:
    return any(isinstance(d, ast.Name) and d.id == name for d in node.decorator_list)


def test_every_write_in_geo_checks_permission_for_the_account_as_it_is_now():
    """Every write checks a permission, and every write that acts for someone re-reads the
    account first (``@rereads_actor``): a deactivated, demoted or re-warded account cannot
    keep writing with what it was at sign-in."""
    unchecked, stale = [], []
    for path in (ROOT / "geo").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef):
                continue
            source = ast.get_source_segment(text, node) or ""
            arguments = [a.arg for a in node.args.args]
            writes_itself = ".write()" in source
            delegates = re.search(r"\badd_(areas|places|initiatives)\(", source)
            rereads = _decorated(node, "rereads_actor") and arguments[:2] == ["store", "actor"]
            if "actor" in arguments and (writes_itself or delegates) and not rereads:
                stale.append(f"{path.name}:{node.name}")
            if node.name in SELF_SERVICE:
                continue
            # may_track() calls require() and then checks ownership or partner membership;
            # scope() calls require() and answers where.
            checks = any(f"{call}(" in source for call in ("require", "may_track", "scope"))
            if (writes_itself and not checks) or (delegates and "actor" not in arguments):
                unchecked.append(f"{path.name}:{node.name}")
    assert not unchecked, f"writes without a permission check: {unchecked}"
    assert not stale, f"writes that trust the actor cached at sign-in: {stale}"
