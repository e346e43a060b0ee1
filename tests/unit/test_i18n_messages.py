"""What SafePlay sends and people download, in the language of whoever reads it: e-mail in
the recipient's language whatever the sending run speaks, a newsletter issue per language,
a CSV's headings in the reader's."""

from __future__ import annotations

import csv
from dataclasses import replace

import geopandas as gpd

from geo import i18n
from geo.accountability import newsletters
from geo.accounts.language import set_language
from geo.cli import COMMAND_LINE
from geo.i18n import t
from geo.io import exports
from geo.notify import notices, sender
from geo.proposals import workflow
from tests.mailbox import html_part, text_part
from tests.unit.conftest import NOW
from tests.unit.test_mail import confirmed
from tests.unit.test_newsletters import ROUND, weekly_west, west_readers
from tests.unit.test_proposals import FORM, WEST_SITE


def test_an_email_to_an_account_that_chose_welsh_is_written_in_welsh(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    confirmed(town, town.leader, "lee@example.org")
    set_language(town.store, town.resident, "cy")
    assert i18n.current() == "en"  # the run that writes and sends speaks English
    with town.store.write() as cursor:
        notices.notify(
            cursor,
            [town.resident.user_id, town.leader.user_id],
            "decision",
            lambda: t("Overdue: {title}", title="Swings"),
            lambda: t("Thank you: your address is confirmed."),
            NOW,
            link="proposals?id=1",
        )
    assert sender.send_due(town.store, NOW, smtp.transport, "test-sender").sent == 2
    (welsh,) = smtp.mailbox.to("rita@example.org")
    assert welsh["Subject"] == "Yn hwyr: Swings"
    words = text_part(welsh)
    assert "Penderfyniadau: Yn hwyr: Swings" in words
    assert "Diolch: mae eich cyfeiriad wedi'i gadarnhau." in words
    assert "Agorwch ef yn SafePlay: http://localhost:8501/proposals?id=1" in words
    assert "Rhoi'r gorau i “Penderfyniadau” drwy e-bost" in words
    assert "lang='cy'" in html_part(welsh) and "Open it in SafePlay" not in html_part(welsh)
    (english,) = smtp.mailbox.to("lee@example.org")
    assert english["Subject"] == "Overdue: Swings"
    assert "Decisions: Overdue: Swings" in text_part(english)
    assert i18n.current() == "en"


def test_a_newsletter_issue_is_stored_in_each_subscribers_language(town):
    west_readers(town)  # Rita takes the West newsletter by e-mail
    set_language(town.store, town.resident, "cy")
    proposal_id = workflow.save_draft(
        town.store, town.leader, replace(FORM, title="Swings"), WEST_SITE, NOW
    )
    workflow.submit(town.store, town.leader, proposal_id, NOW)
    weekly_west(town)
    assert newsletters.issue_due(town.store, ROUND) == 1
    subjects = dict(town.store.rows("SELECT id, subject FROM newsletter_issues ORDER BY id"))
    english, welsh = subjects.values()
    assert english.startswith("SafePlay news for West")
    assert welsh.startswith("Newyddion SafePlay ar gyfer West")
    (rita_issue,) = town.store.rows(
        "SELECT issue_id FROM outbox WHERE kind = 'newsletter' AND user_id = ?",
        [town.resident.user_id],
    )[0]
    assert subjects[rita_issue] == welsh
    body = town.store.value("SELECT text_body FROM newsletter_issues WHERE id = ?", [rita_issue])
    assert "## Cynigion newydd" in body and "Swings" in body
    (inbox_subject,) = town.store.rows(
        "SELECT subject FROM notices WHERE kind = 'newsletter' AND user_id = ?",
        [town.resident.user_id],
    )[0]
    assert inbox_subject.startswith("Newyddion SafePlay ar gyfer West")


def test_a_csv_in_french_has_french_headings_and_geojson_keeps_its_keys(demo_store, tmp_path):
    places = exports.collect(demo_store, COMMAND_LINE, "places")
    with i18n.speaking("fr"):
        exports.write(places, "csv", tmp_path / "places.csv")
        exports.write(places, "geojson", tmp_path / "places.geojson")
    with (tmp_path / "places.csv").open(encoding="utf-8-sig") as handle:
        headings = next(csv.reader(handle))
    assert {"numéro", "nom", "type", "âge minimum", "latitude", "longitude"} <= set(headings)
    assert "name" not in headings and "min_age" not in headings
    keys = set(gpd.read_file(tmp_path / "places.geojson").columns)
    assert {"id", "name", "kind", "min_age"} <= keys  # programs read stable machine names
