"""The links in e-mails over plain HTTP: unsubscribe and confirm, without signing in."""

import re
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from geo.accounts.sessions import utc_now
from geo.notify import addresses, mail, notices
from tests.app.conftest import person
from ui.common import store
from ui.mail_routes import mail_routes


@pytest.fixture
def client(database):
    with TestClient(Starlette(routes=mail_routes()), follow_redirects=False) as opened:
        yield opened


def a_resident():
    return person(store().value("SELECT login FROM users WHERE role = 'resident' ORDER BY id"))


def link_token(url: str) -> str:
    return re.search(r"[?&]t=([^&]+)", url)[1]


def test_one_click_unsubscribe_works_by_post_without_a_session(client):
    resident = a_resident()
    url = mail.unsubscribe_link(store(), resident.user_id, "decision")
    path = url.removeprefix("http://localhost:8501")
    answer = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "Decisions" in answer.text
    assert notices.email_choices(store(), resident)["decision"] == "off"
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200


def test_opening_an_unsubscribe_link_changes_nothing_until_the_button(client):
    resident = a_resident()
    url = mail.unsubscribe_link(store(), resident.user_id, "daily")
    page = client.get(url.removeprefix("http://localhost:8501"))
    assert page.status_code == 200 and "<form method='post'" in page.text
    assert "Press the button to stop the daily digest." in page.text  # says what it stops
    assert "off" not in notices.email_choices(store(), resident).values()
    token = re.search(r"name='t' value='([^']+)'", page.text)[1]
    assert client.post("/unsubscribe", data={"t": token}).status_code == 200
    choices = notices.email_choices(store(), resident)
    assert choices["comment"] == "off" and choices["decision"] == "now"  # only the digest's


def test_the_unsubscribe_page_names_the_kind_it_stops(client):
    url = mail.unsubscribe_link(store(), a_resident().user_id, "decision")
    page = client.get(url.removeprefix("http://localhost:8501"))
    assert "Press the button to stop “Decisions” by e-mail." in page.text


def test_a_forged_unsubscribe_link_is_refused_and_changes_nothing(client):
    resident = a_resident()
    token = link_token(mail.unsubscribe_link(store(), resident.user_id, "decision"))
    other = token.replace(f"{resident.user_id}~", f"{resident.user_id + 1}~", 1)
    for answer in (client.get(f"/unsubscribe?t={other}"), client.post(f"/unsubscribe?t={other}")):
        assert answer.status_code == 400 and "not valid" in answer.text
    assert client.post("/unsubscribe").status_code == 400


def test_an_address_is_confirmed_by_the_button_not_by_opening_the_link(client):
    resident = a_resident()
    addresses.set_email(store(), resident, "someone@example.org", utc_now())
    token = addresses.confirmation_token(
        store(), resident.user_id, "someone@example.org", utc_now()
    )
    assert client.get(f"/confirm-email?t={token}").status_code == 200
    assert addresses.email_status(store(), resident).state == "waiting"
    answer = client.post("/confirm-email", data={"t": token})
    assert answer.status_code == 200 and "confirmed" in answer.text
    assert "someone@example.org" not in answer.text
    assert addresses.email_status(store(), resident).state == "confirmed"
    late = addresses.confirmation_token(
        store(), resident.user_id, "someone@example.org", utc_now() - timedelta(days=9)
    )
    assert client.post(f"/confirm-email?t={late}").status_code == 400
