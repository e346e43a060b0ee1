from datetime import datetime, timedelta

import pytest

from geo.accounts import auth
from geo.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    PermissionDenied,
    WeakPassword,
)
from geo.permissions import COMMAND_LINE, Actor

NOW = datetime(2026, 11, 24, 10, 0)
GOOD = "swings and roundabouts"


@pytest.fixture
def officer(store):
    auth.create_user(store, COMMAND_LINE, "Officer@Council.example", "Olu", "council", GOOD)
    return store


def test_password_is_stored_only_as_an_argon2_hash(officer):
    stored = officer.cursor().execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and GOOD not in stored


def test_sign_in_returns_the_actor_with_role_and_normalised_login(officer):
    actor = auth.authenticate(officer, " officer@council.EXAMPLE ", GOOD, NOW)
    assert (actor.role, actor.login, actor.display_name) == (
        "council",
        "officer@council.example",
        "Olu",
    )


def test_wrong_password_and_unknown_login_get_the_same_message(officer):
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.authenticate(officer, "officer@council.example", "not it at all", NOW)
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.authenticate(officer, "nobody@council.example", GOOD, NOW)
    assert str(wrong.value) == str(unknown.value) == "wrong login or password"
    assert GOOD not in str(wrong.value)


def test_account_locks_after_repeated_failures_and_unlocks_by_itself(officer):
    login = "officer@council.example"
    for attempt in range(auth.MAX_FAILURES - 1):
        with pytest.raises(AuthenticationFailed):
            auth.authenticate(officer, login, f"wrong guess {attempt}", NOW)
    with pytest.raises(AccountLocked, match="locked until 10:15"):
        auth.authenticate(officer, login, "wrong guess last", NOW)
    with pytest.raises(AccountLocked):  # even the right password waits
        auth.authenticate(officer, login, GOOD, NOW + timedelta(minutes=14, seconds=59))
    later = NOW + timedelta(minutes=auth.LOCK_MINUTES)
    assert auth.authenticate(officer, login, GOOD, later).role == "council"


def test_success_resets_the_failure_count(officer):
    login = "officer@council.example"
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(AuthenticationFailed):
            auth.authenticate(officer, login, "wrong guess", NOW)
    auth.authenticate(officer, login, GOOD, NOW)
    with pytest.raises(AuthenticationFailed):  # a fresh count: one failure does not lock
        auth.authenticate(officer, login, "wrong guess", NOW)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least"),
        ("x" * 200, "at most"),
        ("officer2026!!", "login"),
        ("aaaaaaaaaaaa", "easy"),
        ("password12", "easy"),
        ("qwerty12345", "easy"),
        ("millbrook1", "easy"),
        ("safeplay2026", "SafePlay"),
        ("MySafePlay pass", "SafePlay"),
        ("iloveyou2025", "easy"),
        ("Summer2026!", "easy"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(store, password, reason):
    with pytest.raises(WeakPassword, match=reason):
        auth.sign_up(store, "officer", "O", password)
    assert store.cursor().execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_sign_up_makes_a_resident_and_only_admins_create_other_roles(store):
    user_id = auth.sign_up(store, "parent@mail.example", "Pat", GOOD)
    assert auth.load_actor(store, user_id).role == "resident"
    resident = auth.load_actor(store, user_id)
    with pytest.raises(PermissionDenied):
        auth.create_user(store, resident, "boss", "Boss", "admin", GOOD)
    with pytest.raises(PermissionDenied):
        auth.set_role(store, Actor(role="leader", login="l"), "parent@mail.example", "admin")


def test_set_role_limits_a_council_account_to_wards(demo_store):
    ward = (
        demo_store.cursor().execute("SELECT id FROM areas WHERE level='ward' LIMIT 1").fetchone()[0]
    )
    auth.sign_up(demo_store, "olu", "Olu", GOOD)
    auth.set_role(demo_store, COMMAND_LINE, "olu", "council", (ward,))
    actor = auth.authenticate(demo_store, "olu", GOOD, NOW)
    assert actor.role == "council" and actor.ward_ids == frozenset({ward})


def test_sign_up_with_a_taken_login_answers_like_a_new_one_and_changes_nothing(
    officer, monkeypatch
):
    hashed = []

    class CountingHasher:
        def __getattr__(self, name):
            return getattr(real, name)

        def hash(self, password):
            hashed.append(password)
            return real.hash(password)

    real = auth._HASHER
    monkeypatch.setattr(auth, "_HASHER", CountingHasher())
    assert auth.sign_up(officer, "OFFICER@council.example", "Other", "another long phrase") is None
    assert auth.sign_up(officer, "newcomer@mail.example", "Nia", "another long phrase") > 0
    assert len(hashed) == 2  # the same work for a taken login as for a new one
    assert auth.authenticate(officer, "officer@council.example", GOOD, NOW).display_name == "Olu"
    with pytest.raises(AuthenticationFailed):  # the stranger's password did not get in
        auth.authenticate(officer, "officer@council.example", "another long phrase", NOW)
    assert "taken" not in auth.SIGN_UP_ANSWER and "exists" not in auth.SIGN_UP_ANSWER


def test_administrators_are_still_told_a_login_is_taken(officer):
    with pytest.raises(AuthenticationFailed, match="taken"):
        auth.create_user(officer, COMMAND_LINE, "officer@council.example", "O", "council", GOOD)


def test_a_locked_real_login_does_the_same_work_as_a_locked_unknown_one(officer, monkeypatch):
    """Both verify one argon2 hash before answering, so they take the same time
    (measured in docs/reliability.md: the same ~1 ms answer gave real logins away)."""
    for login in ("officer@council.example", "nobody@council.example"):
        for attempt in range(auth.MAX_FAILURES):
            with pytest.raises((AuthenticationFailed, AccountLocked)):
                auth.authenticate(officer, login, f"wrong {attempt}", NOW)
    verified = []
    real_verify = auth._verify
    monkeypatch.setattr(auth, "_verify", lambda h, p: verified.append(h) or real_verify(h, p))
    answers = []
    for login in ("officer@council.example", "nobody@council.example"):
        with pytest.raises(AccountLocked) as locked:
            auth.authenticate(officer, login, GOOD, NOW)
        answers.append(str(locked.value))
    assert verified == [auth._DUMMY_HASH, auth._DUMMY_HASH]
    assert answers[0] == answers[1]


@pytest.mark.parametrize(
    "name",
    [
        "Olu (council officer)",
        "Councillor Sam",
        "ADMIN",
        "Site administrator",
        "The moderator",
        "Town Official",
        "Officer\u200bDibble",
        "ｃｏｕｎｃｉｌ desk",
        "OluCouncil",
        "olu_council",
        "C0unc1l team",
        "Sam (m0derat0r)",
    ],
)
def test_residents_and_leaders_cannot_use_staff_words_in_their_names(store, name):
    with pytest.raises(InvalidInput, match="badge"):
        auth.sign_up(store, "someone", name, GOOD)
    with pytest.raises(InvalidInput, match="badge"):
        auth.create_user(store, COMMAND_LINE, "lead", name, "leader", GOOD)
    assert store.cursor().execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_staff_may_say_what_they_are_and_ordinary_names_pass(store):
    auth.create_user(store, COMMAND_LINE, "olu", "Olu (council officer)", "council", GOOD)
    auth.create_user(store, COMMAND_LINE, "ada", "Ada (administrator)", "admin", GOOD)
    assert auth.sign_up(store, "bee", "Bee, badminton fan", GOOD) is not None


def test_change_password_needs_the_current_one(officer):
    actor = auth.authenticate(officer, "officer@council.example", GOOD, NOW)
    with pytest.raises(AuthenticationFailed):
        auth.change_password(officer, actor, "not the current one", "a brand new phrase", NOW)
    auth.change_password(officer, actor, GOOD, "a brand new phrase", NOW)
    assert auth.authenticate(officer, "officer@council.example", "a brand new phrase", NOW)


def test_admin_unlocks_and_deactivates_accounts(officer):
    login = "officer@council.example"
    for attempt in range(auth.MAX_FAILURES):
        with pytest.raises((AuthenticationFailed, AccountLocked)):
            auth.authenticate(officer, login, f"wrong {attempt}", NOW)
    auth.set_account_state(officer, COMMAND_LINE, login, unlock=True)
    assert auth.authenticate(officer, login, GOOD, NOW).role == "council"
    auth.set_account_state(officer, COMMAND_LINE, login, active=False)
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(officer, login, GOOD, NOW)
    with pytest.raises(PermissionDenied):
        auth.set_account_state(officer, Actor(role="council"), login, active=True)


def test_user_list_never_contains_password_hashes(officer):
    rows = auth.list_users(officer, COMMAND_LINE)
    assert rows[0]["login"] == "officer@council.example"
    assert not any("argon2" in str(value) for row in rows for value in row.values())


def test_demo_has_one_working_account_per_role(demo_store):
    from geo.io.demo import DEMO_ACCOUNTS

    for login, _name, role, password in DEMO_ACCOUNTS:
        assert auth.authenticate(demo_store, login, password, NOW).role == role
    assert {role for *_, role, _password in DEMO_ACCOUNTS} == set(auth.ACCOUNT_ROLES)


def test_single_sign_on_creates_a_resident_once_and_keeps_given_roles(store):
    first = auth.sso_account(store, "Sam@Council.example", "Sam Smith", email_verified=True)
    assert (first.role, first.login, first.display_name) == (
        "resident",
        "sam@council.example",
        "Sam Smith",
    )
    auth.set_role(store, COMMAND_LINE, "sam@council.example", "council")
    again = auth.sso_account(store, "sam@council.example", "Sam", email_verified=True)
    assert again.user_id == first.user_id and again.role == "council"
    with pytest.raises(AuthenticationFailed):  # no password was ever set: SSO only
        auth.authenticate(store, "sam@council.example", "", NOW)


def test_single_sign_on_never_matches_an_unverified_e_mail(officer):
    with pytest.raises(AuthenticationFailed, match="not confirmed this e-mail"):
        auth.sso_account(officer, "officer@council.example", "Mallory", email_verified=False)
    logins = officer.cursor().execute("SELECT login FROM users").fetchall()
    assert logins == [("officer@council.example",)]  # nothing created either
