"""Feeds and the pages e-mail links open, in Welsh, German and the pseudo-language."""

import re

import feedparser
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from geo.accounts.language import set_language
from geo.notify import mail
from tests.app.conftest import person
from ui import feed_routes
from ui.common import store
from ui.mail_routes import mail_routes


@pytest.fixture
def client(database):
    app = Starlette(routes=[*feed_routes.routes(), *mail_routes()])
    with TestClient(app, base_url="https://news.example", follow_redirects=False) as opened:
        yield opened


def a_resident():
    return person(store().value("SELECT login FROM users WHERE role = 'resident' ORDER BY id"))


def test_a_feed_asked_in_german_is_german_with_its_xml_lang(client):
    answer = client.get("/feeds/council.atom?lang=de")
    assert answer.status_code == 200 and answer.headers["content-language"] == "de"
    assert b'xml:lang="de"' in answer.content
    read = feedparser.parse(answer.content)
    assert read.feed.title == "SafePlay-Neuigkeiten für die ganze Gemeinde"
    assert read.feed.links[0].href == "https://news.example/feeds/council.atom?lang=de"
    assert read.entries and all("lang=de" in entry.link for entry in read.entries)
    english = client.get("/feeds/council.atom")
    assert b'xml:lang="en"' in english.content
    assert english.headers["etag"] != answer.headers["etag"]  # a cache keeps both apart


def test_a_feed_in_the_pseudo_language_has_no_english_of_ours(client):
    read = feedparser.parse(client.get("/feeds/council.atom?lang=qps").content)
    assert read.feed.title.startswith("⟦") and read.feed.subtitle.startswith("⟦")
    for entry in read.entries:
        assert entry.title.startswith("⟦"), entry.title  # "New proposal: …", "Event: …"


def test_the_unsubscribe_page_speaks_the_language_the_account_chose(client):
    resident = a_resident()
    set_language(store(), resident, "cy")
    path = mail.unsubscribe_link(store(), resident.user_id, "decision").split("8501", 1)[1]
    page = client.get(path)
    assert "Rhoi&#x27;r gorau i&#x27;r e-byst hyn" in page.text
    assert "Pwyswch y botwm i roi&#x27;r gorau i “Penderfyniadau” drwy e-bost." in page.text
    assert "Stop these e-mails" not in page.text
    german = client.get(path + "&lang=de")
    assert "Diese E-Mails abbestellen" in german.text and "„Entscheidungen“" in german.text


def test_the_pages_a_link_opens_in_the_pseudo_language_leave_no_english_of_ours(client):
    path = mail.unsubscribe_link(store(), a_resident().user_id, "daily").split("8501", 1)[1]
    page = client.get(path + "&lang=qps").text
    main = re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1])
    outside = main
    while "⟦" in outside:  # a message with a value of ours in it nests: ⟦… ⟦…⟧ …⟧
        outside = re.sub(r"⟦[^⟦⟧]*⟧", " ", outside)
    assert "⟦Stop these e-mails⟧" in page
    assert not re.search(r"press|button|inbox|back to", outside, re.IGNORECASE), outside
