"""Each role sees exactly its pages; a page outside the role cannot be opened by URL."""

import pytest
from streamlit.testing.v1 import AppTest

from geo.accounts.auth import set_account_state
from geo.permissions import VISITOR, Actor
from tests.app.conftest import ENTRY, person
from ui.common import store

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
    "app_pages/play_sufficiency.py": "Play sufficiency",
    "app_pages/sign_in.py": "Sign in",
    "app_pages/sign_up.py": "Create an account",
    "app_pages/account.py": "My account",
    "app_pages/users.py": "Users and roles",
    "app_pages/accessibility.py": "Accessibility statement",
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
    "app_pages/accessibility.py",
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
    "app_pages/play_sufficiency.py",
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
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def link_on(at: AppTest) -> str:
    """The HTML of the page's link button (the first HTML element is the language script)."""
    return next(html.proto.body for html in at.get("html") if "href=" in html.proto.body)


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
        assert not any(d.value is not None and "Login" in d.value.columns for d in at.dataframe)


def test_sign_in_page_links_to_the_sign_in_form_in_the_same_tab(database):
    at = open_as(VISITOR, "app_pages/sign_in.py")
    link = link_on(at)
    assert 'href="/session/sign-in"' in link and "target" not in link


def test_a_visitor_on_a_link_behind_sign_in_is_asked_to_sign_in_and_comes_back(database):
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.query_params["status"] = "approved"
    at.switch_page("app_pages/workspace.py")
    at.run()
    assert not at.exception
    assert "Sign in to open the page this link points to." in [i.value for i in at.info]
    link = link_on(at)
    assert "/session/sign-in?next=%2Fworkspace%3Fstatus%3Dapproved" in link
    assert "Council workspace" not in titles(at)


def test_a_resident_on_an_admin_link_is_told_it_is_not_for_them(database):
    at = open_as(person("rosa@demo.example"), "app_pages/users.py")
    assert "This page is not available to your account." in [w.value for w in at.warning]
    assert not at.dataframe


def test_an_account_deactivated_mid_task_is_signed_out_on_its_next_run(database):
    rosa = person("rosa@demo.example")
    at = open_as(rosa, "app_pages/account.py")
    assert "My account" in titles(at)
    admin = person("ada@demo.example")
    set_account_state(store(), admin, "rosa@demo.example", active=False)
    at.run()
    assert "My account" not in titles(at) and "Sign in" in titles(at)
