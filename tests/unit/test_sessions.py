"""Server-side sessions: only a hash is stored; idle and absolute limits; changes end them."""

from datetime import datetime, timedelta

import pytest

from geo.accounts import auth, sessions
from geo.permissions import COMMAND_LINE

NOW = datetime(2026, 12, 1, 9, 0)
GOOD = "swings and roundabouts"
POLICY = sessions.Policy(
    everyone=sessions.Limits(timedelta(minutes=60), timedelta(hours=12)),
    staff=sessions.Limits(timedelta(minutes=20), timedelta(hours=8)),
)


@pytest.fixture
def accounts(store):
    auth.create_user(store, COMMAND_LINE, "rosa", "Rosa", "resident", GOOD)
    auth.create_user(store, COMMAND_LINE, "olu", "Olu", "council", GOOD)
    return store


def user_id(store, login: str) -> int:
    return store.cursor().execute("SELECT id FROM users WHERE login = ?", [login]).fetchone()[0]


def test_the_token_is_never_stored_only_its_hash(accounts):
    token = sessions.create(accounts, user_id(accounts, "rosa"), NOW, POLICY)
    stored = accounts.cursor().execute("SELECT * FROM sessions").fetchall()
    assert token not in repr(stored)
    assert stored[0][1] == sessions.token_hash(token) != token
    assert len(token) >= 40  # 32 random bytes


def test_a_session_finds_its_account_and_a_made_up_token_finds_none(accounts):
    rosa = user_id(accounts, "rosa")
    token = sessions.create(accounts, rosa, NOW, POLICY)
    assert sessions.resolve(accounts, token, NOW, POLICY).user_id == rosa
    unknown = sessions.resolve(accounts, token[:-1] + "x", NOW, POLICY)
    assert unknown == sessions.Resolved()


def test_use_keeps_a_session_alive_and_idleness_ends_it(accounts):
    token = sessions.create(accounts, user_id(accounts, "rosa"), NOW, POLICY)
    later = NOW
    for _ in range(5):  # used every 50 minutes: 4 h 10 min, never idle for an hour
        later += timedelta(minutes=50)
        assert sessions.resolve(accounts, token, later, POLICY).user_id is not None
    idle = sessions.resolve(accounts, token, later + timedelta(minutes=60, seconds=1), POLICY)
    assert idle.user_id is None and "not used for 1 hour" in idle.ended
    # ended for good: using it again does not revive it
    assert sessions.resolve(accounts, token, later, POLICY).user_id is None


def test_exactly_at_the_idle_limit_the_session_still_works(accounts):
    token = sessions.create(accounts, user_id(accounts, "rosa"), NOW, POLICY)
    assert sessions.resolve(accounts, token, NOW + timedelta(minutes=60), POLICY).user_id


def test_the_absolute_lifetime_ends_a_session_however_busy(accounts):
    token = sessions.create(accounts, user_id(accounts, "rosa"), NOW, POLICY)
    moment = NOW
    while moment < NOW + timedelta(hours=12) - timedelta(minutes=10):
        moment += timedelta(minutes=10)
        assert sessions.resolve(accounts, token, moment, POLICY).user_id is not None
    ended = sessions.resolve(accounts, token, NOW + timedelta(hours=12), POLICY)
    assert ended.user_id is None and "at most 12 hours" in ended.ended


def test_council_and_admin_sessions_are_shorter(accounts):
    token = sessions.create(accounts, user_id(accounts, "olu"), NOW, POLICY)
    ended = sessions.resolve(accounts, token, NOW + timedelta(minutes=21), POLICY)
    assert "not used for 20 minutes" in ended.ended


def test_a_promotion_to_council_brings_the_shorter_lifetime(accounts):
    rosa = user_id(accounts, "rosa")
    token = sessions.create(accounts, rosa, NOW, POLICY)
    accounts.cursor().execute("UPDATE users SET role = 'council' WHERE id = ?", [rosa])
    moment = NOW
    for _ in range(8 * 6):  # busy every 10 minutes for 8 hours
        moment += timedelta(minutes=10)
        resolved = sessions.resolve(accounts, token, moment, POLICY)
    assert resolved.user_id is None and "at most 8 hours" in resolved.ended


def test_limits_come_from_the_environment():
    policy = sessions.Policy.from_env(
        {"SAFEPLAY_IDLE_MINUTES": "5", "SAFEPLAY_STAFF_SESSION_HOURS": "2"}
    )
    assert policy.everyone == sessions.Limits(timedelta(minutes=5), timedelta(hours=12))
    assert policy.staff == sessions.Limits(timedelta(minutes=20), timedelta(hours=2))


def test_signing_out_ends_only_that_session(accounts):
    rosa = user_id(accounts, "rosa")
    here, there = (sessions.create(accounts, rosa, NOW, POLICY) for _ in range(2))
    sessions.end(accounts, here, NOW)
    assert sessions.resolve(accounts, here, NOW, POLICY).ended == sessions.SIGNED_OUT
    assert sessions.resolve(accounts, there, NOW, POLICY).user_id == rosa


def test_sign_out_everywhere_ends_every_session_of_that_person_only(accounts):
    rosa, olu = user_id(accounts, "rosa"), user_id(accounts, "olu")
    rosas = [sessions.create(accounts, rosa, NOW, POLICY) for _ in range(3)]
    olus = sessions.create(accounts, olu, NOW, POLICY)
    sessions.end_all(accounts, rosa, sessions.SIGNED_OUT_EVERYWHERE, now=NOW)
    assert all(sessions.resolve(accounts, t, NOW, POLICY).user_id is None for t in rosas)
    assert sessions.resolve(accounts, olus, NOW, POLICY).user_id == olu
    assert sessions.active_sessions(accounts, rosa, NOW, POLICY) == []


def test_a_password_change_ends_every_other_session(accounts):
    rosa = user_id(accounts, "rosa")
    here, there = (sessions.create(accounts, rosa, NOW, POLICY) for _ in range(2))
    kept = sessions.resolve(accounts, here, NOW, POLICY).session_id
    actor = auth.load_actor(accounts, rosa)
    auth.change_password(accounts, actor, GOOD, "a brand new sentence", NOW, keep_session=kept)
    assert sessions.resolve(accounts, here, NOW, POLICY).user_id == rosa
    assert sessions.resolve(accounts, there, NOW, POLICY).ended == sessions.PASSWORD_CHANGED


def test_deactivation_and_a_role_change_end_every_session_at_once(accounts):
    rosa, olu = user_id(accounts, "rosa"), user_id(accounts, "olu")
    rosas = sessions.create(accounts, rosa, NOW, POLICY)
    olus = sessions.create(accounts, olu, NOW, POLICY)
    auth.set_account_state(accounts, COMMAND_LINE, "rosa", active=False)
    auth.set_role(accounts, COMMAND_LINE, "olu", "leader")
    assert sessions.resolve(accounts, rosas, NOW, POLICY).ended == sessions.DEACTIVATED
    assert sessions.resolve(accounts, olus, NOW, POLICY).ended == sessions.ACCESS_CHANGED


def test_unlocking_an_account_leaves_its_sessions_alone(accounts):
    rosa = user_id(accounts, "rosa")
    token = sessions.create(accounts, rosa, NOW, POLICY)
    auth.set_account_state(accounts, COMMAND_LINE, "rosa", unlock=True)
    assert sessions.resolve(accounts, token, NOW, POLICY).user_id == rosa


def test_an_account_deactivated_behind_the_app_is_refused_too(accounts):
    rosa = user_id(accounts, "rosa")
    token = sessions.create(accounts, rosa, NOW, POLICY)
    accounts.cursor().execute("UPDATE users SET active = false WHERE id = ?", [rosa])
    assert sessions.resolve(accounts, token, NOW, POLICY).ended == sessions.DEACTIVATED


def test_my_account_lists_active_sessions_newest_use_first(accounts):
    rosa = user_id(accounts, "rosa")
    first = sessions.create(accounts, rosa, NOW, POLICY)
    second = sessions.create(accounts, rosa, NOW + timedelta(minutes=5), POLICY)
    sessions.resolve(accounts, first, NOW + timedelta(minutes=30), POLICY)
    listed = sessions.active_sessions(accounts, rosa, NOW + timedelta(minutes=30), POLICY)
    assert [row.last_seen for row in listed] == [
        NOW + timedelta(minutes=30),
        NOW + timedelta(minutes=5),
    ]
    sessions.end(accounts, second, NOW)
    assert len(sessions.active_sessions(accounts, rosa, NOW + timedelta(minutes=31), POLICY)) == 1


def test_session_bookkeeping_leaves_cached_layers_alone(accounts):
    token = sessions.create(accounts, user_id(accounts, "rosa"), NOW, POLICY)
    version = accounts.data_version()
    sessions.resolve(accounts, token, NOW + timedelta(minutes=5), POLICY)
    sessions.end(accounts, token, NOW + timedelta(minutes=6))
    assert accounts.data_version() == version
