"""The permission table in the docs and the code agree, and every write checks it."""

import ast
import re
from pathlib import Path

import pytest

from geo.errors import PermissionDenied
from geo.permissions import PERMISSIONS, ROLES, Actor, allowed, require

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


# Functions that write without `require`, and why.
SELF_SERVICE = {
    "sign_up": "anyone may create a resident account for themselves",
    "_insert_user": "called only after require() or by sign_up",
    "authenticate": "records the caller's own failed and successful sign-ins",
    "_fail_unknown": "records failed sign-ins for logins without an account",
    "sso_account": "the identity provider vouched for the person; creates a resident only",
    "change_password": "changes only the actor's own account, after proving the password",
    "set_named_consent": "changes only the actor's own consent to be named",
    "submit_voice": "anyone may leave a voice: no account, redacted, held for moderation",
    "report_concern": "anyone may report a concern: no account, redacted, to the ward queue",
    "write": "the transaction primitive itself",
    "_migrate": "schema changes at start-up",
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
