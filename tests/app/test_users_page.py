"""Users and roles: the boxes show the selected account's real role and wards, changes
say what they do and wait for a confirmation, and an administrator cannot lock themself out.
"""

import pytest

from geo.accounts import auth
from geo.escape import for_markdown
from geo.permissions import COMMAND_LINE
from tests.app.conftest import open_page, person
from ui.common import store

ROSA = for_markdown("rosa@demo.example")


@pytest.fixture
def admin(database):
    return person("ada@demo.example")


def user_id(login):
    return store().cursor().execute("SELECT id FROM users WHERE login = ?", [login]).fetchone()[0]


def ward_id(name):
    return store().cursor().execute("SELECT id FROM areas WHERE name = ?", [name]).fetchone()[0]


def account(login):
    return (
        store()
        .cursor()
        .execute("SELECT role, active FROM users WHERE login = ?", [login])
        .fetchone()
    )


def labelled(elements, label):
    return next(e for e in elements if e.label == label)


def select(at, login):
    at.selectbox(key="users_account").set_value(user_id(login)).run()
    assert not at.exception, at.exception


def role_box(at):
    return labelled(at.selectbox, "Role")


def wards_box(at):
    return labelled(at.multiselect, "Council wards (empty: the whole council area)")


def texts(elements):
    return " | ".join(e.value for e in elements)


def test_the_boxes_show_each_selected_accounts_real_role_and_wards(admin):
    riverside, old_town = ward_id("Riverside"), ward_id("Old Town")
    auth.set_role(store(), COMMAND_LINE, "olu@demo.example", "council", (riverside, old_town))
    at = open_page(admin, "app_pages/users.py")
    select(at, "olu@demo.example")
    assert role_box(at).value == "council"
    assert sorted(wards_box(at).value) == sorted([riverside, old_town])
    select(at, "leo@demo.example")
    assert role_box(at).value == "leader"
    select(at, "rosa@demo.example")
    assert role_box(at).value == "resident"
    select(at, "olu@demo.example")  # back again: still the real values, not the last shown
    assert role_box(at).value == "council"
    assert sorted(wards_box(at).value) == sorted([riverside, old_town])


def test_saving_a_role_says_what_changes_and_waits_for_confirmation(admin):
    riverside = ward_id("Riverside")
    at = open_page(admin, "app_pages/users.py")
    select(at, "rosa@demo.example")
    role_box(at).set_value("council").run()
    wards_box(at).set_value([riverside]).run()
    labelled(at.button, "Save role").click().run()
    assert "from Resident to Council officer for Riverside" in texts(at.warning)
    assert account("rosa@demo.example") == ("resident", True)  # nothing changed yet
    labelled(at.button, "Confirm the new role").click().run()
    assert account("rosa@demo.example") == ("council", True)
    assert f"{ROSA} is now council officer for Riverside." in texts(at.success)
    assert role_box(at).value == "council" and wards_box(at).value == [riverside]
    table = at.dataframe[0].value.set_index("Login")
    assert table.loc["rosa@demo.example", "Role"] == "Council officer"
    assert table.loc["rosa@demo.example", "Wards"] == "Riverside"


def test_deactivating_asks_first_and_then_the_account_cannot_sign_in(admin):
    at = open_page(admin, "app_pages/users.py")
    select(at, "leo@demo.example")
    labelled(at.button, "Deactivate").click().run()
    assert "Deactivate Leo" in texts(at.warning)
    assert account("leo@demo.example") == ("leader", True)
    labelled(at.button, "Confirm: deactivate").click().run()
    assert account("leo@demo.example") == ("leader", False)
    assert f"{for_markdown('leo@demo.example')} is deactivated." in texts(at.success)
    assert labelled(at.button, "Reactivate")


def test_an_administrator_cannot_deactivate_or_demote_themself(admin):
    at = open_page(admin, "app_pages/users.py")
    select(at, "ada@demo.example")
    labelled(at.button, "Deactivate").click().run()
    assert "you cannot deactivate your own account" in texts(at.error).lower()
    assert not any(b.label.startswith("Confirm") for b in at.button)
    role_box(at).set_value("council").run()
    labelled(at.button, "Save role").click().run()
    assert "you cannot remove your own administrator role" in texts(at.error).lower()
    assert not any(b.label.startswith("Confirm") for b in at.button)
    assert account("ada@demo.example") == ("admin", True)


def test_the_account_list_reads_in_words(admin):
    at = open_page(admin, "app_pages/users.py")
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Login",
        "Name",
        "Role",
        "Wards",
        "Active",
        "Created",
        "Last sign-in",
        "Locked until",
    ]
    assert {"rosa@demo.example", "olu@demo.example"} <= set(table["Login"])
    cells = {str(v) for v in table.to_numpy().ravel()}
    assert not cells & {"nan", "None", "NaT", "admin", "council", "True"}
