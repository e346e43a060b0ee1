"""Nobody demotes or deactivates themself, and the last active administrator stays one."""

import pytest

from geo.accounts import auth
from geo.errors import AccountProtected
from geo.permissions import COMMAND_LINE

GOOD = "swings and roundabouts"


@pytest.fixture
def admins(store):
    """Two administrators and a resident; returns the store and Ada signed in."""
    for login, role in (("ada", "admin"), ("bea", "admin"), ("rosa", "resident")):
        auth.create_user(store, COMMAND_LINE, login, login.title(), role, GOOD)
    return store, auth.load_actor(store, _id(store, "ada"))


def _id(store, login):
    return store.cursor().execute("SELECT id FROM users WHERE login = ?", [login]).fetchone()[0]


def _state(store, login):
    return (
        store.cursor().execute("SELECT role, active FROM users WHERE login = ?", [login]).fetchone()
    )


def test_an_administrator_cannot_deactivate_their_own_account(admins):
    store, ada = admins
    with pytest.raises(AccountProtected, match="deactivate your own account"):
        auth.set_account_state(store, ada, "ada", active=False)
    with pytest.raises(AccountProtected):  # the page asks the same question before confirming
        auth.refuse_lockout(store, ada, "ADA", active=False)
    assert _state(store, "ada") == ("admin", True)


def test_an_administrator_cannot_demote_themself(admins):
    store, ada = admins
    with pytest.raises(AccountProtected, match="your own administrator role"):
        auth.set_role(store, ada, "ada", "council")
    assert _state(store, "ada") == ("admin", True)
    auth.set_role(store, ada, "ada", "admin")  # keeping one's own role is no change


def test_the_last_active_administrator_cannot_be_demoted_or_deactivated(admins):
    store, ada = admins
    auth.set_role(store, ada, "bea", "leader")  # another admin remains: allowed
    assert _state(store, "bea") == ("leader", True)
    for change in (
        lambda: auth.set_role(store, COMMAND_LINE, "ada", "resident"),
        lambda: auth.set_account_state(store, COMMAND_LINE, "ada", active=False),
    ):
        with pytest.raises(AccountProtected, match="ada is the last active administrator"):
            change()
    assert _state(store, "ada") == ("admin", True)


def test_an_inactive_administrator_does_not_count_as_the_one_left(admins):
    store, ada = admins
    auth.set_account_state(store, ada, "bea", active=False)
    with pytest.raises(AccountProtected, match="last active administrator"):
        auth.set_role(store, COMMAND_LINE, "ada", "council")
    auth.set_role(store, ada, "bea", "resident")  # demoting an inactive admin locks nobody out
    auth.set_account_state(store, ada, "rosa", active=False)  # other accounts as before
    assert _state(store, "rosa") == ("resident", False)
