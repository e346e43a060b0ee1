"""Each role sees exactly its pages; a page outside the role cannot be opened by URL."""

from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from geo.permissions import VISITOR, Actor
from tests.app.conftest import ENTRY

PAGES = {
    "app_pages/explore_map.py": "Play areas and initiatives",
    "app_pages/proposals.py": "Proposals",
    "app_pages/initiatives_under_way.py": "Initiatives under way",
    "app_pages/partners.py": "Partners",
    "app_pages/newsletter.py": "Newsletter",
    "app_pages/needs_me.py": "What needs me now",
    "app_pages/have_your_say.py": "Have your say",
    "app_pages/voices.py": "Voices",
    "app_pages/report_concern.py": "Report a concern",
    "app_pages/events.py": "Events",
    "app_pages/concerns.py": "Concerns",
    "app_pages/inspections.py": "Inspections",
    "app_pages/propose.py": "Propose",
    "app_pages/my_proposals.py": "My proposals",
    "app_pages/review.py": "Review proposals",
    "app_pages/moderation.py": "Moderation",
    "app_pages/workspace.py": "Council workspace",
    "app_pages/wards.py": "Wards at a glance",
    "app_pages/play_gaps.py": "Play gaps",
    "app_pages/sign_in.py": "Sign in",
    "app_pages/sign_up.py": "Create an account",
    "app_pages/account.py": "My account",
    "app_pages/users.py": "Users and roles",
}
EVERYONE = {
    "app_pages/explore_map.py",
    "app_pages/proposals.py",
    "app_pages/initiatives_under_way.py",
    "app_pages/partners.py",
    "app_pages/newsletter.py",
    "app_pages/have_your_say.py",
    "app_pages/voices.py",
    "app_pages/report_concern.py",
    "app_pages/events.py",
}
PROPOSING = {"app_pages/propose.py", "app_pages/my_proposals.py", "app_pages/needs_me.py"}
REVIEWING = {
    "app_pages/review.py",
    "app_pages/concerns.py",
    "app_pages/inspections.py",
    "app_pages/moderation.py",
    "app_pages/workspace.py",
    "app_pages/wards.py",
    "app_pages/play_gaps.py",
}
VISIBLE = {
    "visitor": EVERYONE | {"app_pages/sign_in.py", "app_pages/sign_up.py"},
    "resident": EVERYONE | {"app_pages/account.py"},
    "leader": EVERYONE | PROPOSING | {"app_pages/account.py"},
    "council": EVERYONE | PROPOSING | REVIEWING | {"app_pages/account.py"},
    "admin": EVERYONE | PROPOSING | REVIEWING | {"app_pages/account.py", "app_pages/users.py"},
}


def open_as(actor: Actor, page: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    if actor is not VISITOR:
        at.session_state["actor"] = actor
        at.session_state["last_seen"] = datetime.utcnow()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> set[str]:
    return {t.value for t in at.title}


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("page", sorted(PAGES))
def test_role_opens_exactly_its_pages(database, role, page):
    actor = VISITOR if role == "visitor" else Actor(role=role, login=f"{role}@x", display_name=role)
    at = open_as(actor, page)
    if page in VISIBLE[role]:
        assert PAGES[page] in titles(at)
    else:  # whatever the URL, none of the page's content is shown
        assert (not at.dataframe and not at.text_input) or PAGES[page] not in titles(at)
        assert not any(d.value is not None and "login" in d.value.columns for d in at.dataframe)


def test_admin_page_lists_demo_accounts(database):
    admin = Actor(role="admin", login="ada@demo.example", display_name="Ada")
    at = open_as(admin, "app_pages/users.py")
    logins = set(at.dataframe[0].value["login"])
    assert {"rosa@demo.example", "olu@demo.example"} <= logins
    assert "password_hash" not in at.dataframe[0].value.columns


def test_sign_in_with_a_demo_account_and_sign_out(database):
    at = open_as(VISITOR, "app_pages/sign_in.py")
    at.text_input[0].input("olu@demo.example")
    at.text_input[1].input("play-strategy-review")
    at.button[0].click().run()
    assert at.session_state["actor"].role == "council"
    assert "play-strategy-review" not in str([at.session_state[k] for k in at.session_state])
    at.switch_page("app_pages/account.py").run()
    assert "My account" in titles(at)
    at.button(key="sign_out_account").click().run()
    assert "actor" not in at.session_state


def test_wrong_password_says_so(database):
    at = open_as(VISITOR, "app_pages/sign_in.py")
    at.text_input[0].input("olu@demo.example")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert any("wrong login or password" in e.value.lower() for e in at.error)


def test_idle_session_is_signed_out(database, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_IDLE_MINUTES", "30")
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.session_state["actor"] = Actor(role="admin", login="ada@demo.example", display_name="Ada")
    at.session_state["last_seen"] = datetime(2020, 1, 1)
    at.run()
    assert "actor" not in at.session_state
    assert any("signed out" in i.value for i in at.info)


def test_admin_promotes_a_resident_to_council_for_one_ward(database):
    admin = Actor(role="admin", login="ada@demo.example", display_name="Ada")
    at = open_as(admin, "app_pages/users.py")
    at.selectbox[0].set_value("rosa@demo.example")
    at.selectbox[1].set_value("council")
    at.multiselect[0].set_value(["Riverside"])
    at.button[0].click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "login" in d.value.columns)
    rosa = table[table["login"] == "rosa@demo.example"].iloc[0]
    assert rosa["role"] == "council" and rosa["wards"] == "Riverside"
