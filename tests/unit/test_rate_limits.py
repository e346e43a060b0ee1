"""One sender cannot flood the forms that need no trust: voices, concerns, sign-ups, flags."""

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from geo.accounts import auth, rate_limits
from geo.accounts.rate_limits import Client, client_address
from geo.errors import TooManyAttempts
from geo.proposals import feedback
from geo.safeguarding import concerns, voices
from tests.unit.test_proposals import submitted

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 12, 0)
LIMITED = {
    "submit_voice": "voice",
    "report_concern": "concern",
    "sign_up": "sign_up",
    "flag_comment": "flag",
}


def _voice(town, client, now=NOW):
    return voices.submit_voice(town.store, "More lights by the gate", now, client=client)


def test_a_session_that_sent_several_voices_is_asked_to_wait_and_others_are_not(town):
    limit = rate_limits.LIMITS["voice"]
    me = Client("my-session", "203.0.113.7")
    for _ in range(limit.per_session):
        _voice(town, me)
    wait = "You have sent several in a short time; please try again in 10 minutes"
    with pytest.raises(TooManyAttempts, match=wait):
        _voice(town, me, NOW + timedelta(seconds=30))
    _voice(town, Client("someone-else", "198.51.100.2"))  # a different sender is unaffected
    _voice(town, me, NOW + limit.window)  # the window has passed
    stored = town.store.cursor().execute("SELECT count(*) FROM voices").fetchone()[0]
    assert stored == limit.per_session + 2


def test_new_sessions_from_one_address_hit_the_address_limit(town):
    limit = rate_limits.LIMITS["concern"]
    report = ("broken_equipment", "Gate is broken", NOW)
    for number in range(limit.per_address):
        concerns.report_concern(
            town.store, town.playground_id, *report, client=Client(f"fresh-{number}", "203.0.113.7")
        )
    with pytest.raises(TooManyAttempts):
        concerns.report_concern(
            town.store, town.playground_id, *report, client=Client("yet-another", "203.0.113.7")
        )


def test_ipv6_senders_count_per_household_block(town):
    limit = rate_limits.LIMITS["voice"]
    for number in range(limit.per_address):
        _voice(town, Client(f"s{number}", f"2001:db8:1:2::{number + 1:x}"))
    with pytest.raises(TooManyAttempts):
        _voice(town, Client("rotated", "2001:db8:1:2:ffff::9"))
    _voice(town, Client("neighbour", "2001:db8:1:3::1"))


def test_a_refused_form_is_not_counted(town):
    me = Client("typo-session")
    for _ in range(rate_limits.LIMITS["voice"].per_session + 3):
        with pytest.raises(Exception, match="few words"):
            voices.submit_voice(town.store, "x", NOW, client=me)
    _voice(town, me)


def test_sign_ups_and_flags_are_limited_too(town):
    me = Client("signup-session", "192.0.2.1")
    for number in range(rate_limits.LIMITS["sign_up"].per_session):
        auth.sign_up(
            town.store, f"person{number}", "Pat", "a quiet walk by the river", client=me, now=NOW
        )
    with pytest.raises(TooManyAttempts):
        auth.sign_up(town.store, "one-more", "Pat", "a quiet walk by the river", client=me, now=NOW)
    assert auth.sign_up(town.store, "from-cli", "Pat", "a quiet walk by the river") is not None

    proposal_id = submitted(town)
    comment_ids = []
    for number in range(rate_limits.LIMITS["flag"].per_session + 1):
        comment_id, _ = feedback.add_comment(
            town.store, town.council, proposal_id, f"Note {number}", NOW
        )
        comment_ids.append(comment_id)
    flagger = Client("flag-session", "192.0.2.9")
    for comment_id in comment_ids[:-1]:
        feedback.flag_comment(town.store, town.resident, comment_id, NOW, client=flagger)
    with pytest.raises(TooManyAttempts):
        feedback.flag_comment(town.store, town.resident, comment_ids[-1], NOW, client=flagger)


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", None, 0, "203.0.113.7"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.7", 0, "10.0.0.2"),  # header not trusted: no proxy
        ("10.0.0.2", "6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the spoofed part is ignored
        ("10.0.0.2", "203.0.113.7, 10.0.0.9", 2, "203.0.113.7"),
        ("10.0.0.2", "", 1, "10.0.0.2"),
        (None, None, 0, None),
    ],
)
def test_the_address_behind_a_proxy_is_the_one_the_proxy_saw(peer, forwarded, proxies, expected):
    assert client_address(peer, forwarded, proxies) == expected


def test_every_page_passes_its_sender_to_the_rate_limited_calls():
    """A page that forgot ``client=`` would switch the limits off for everyone using it."""
    calls = []
    for path in [*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if called and node.func.attr in LIMITED:
                calls.append((path.name, node.func.attr, {k.arg for k in node.keywords}))
    assert {name for _, name, _ in calls} == set(LIMITED)
    assert [c for c in calls if "client" not in c[2]] == []
    assert all("now" in kw for _, name, kw in calls if name == "sign_up")


def test_limits_exist_for_every_rate_limited_call():
    # "api" is every HTTP API request's, counted by api_keys.metered (tests/unit/test_open311.py).
    assert set(LIMITED.values()) | {"api"} == set(rate_limits.LIMITS)
