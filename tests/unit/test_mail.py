"""E-mail from the outbox through a real SMTP server: what arrives, once, and how it reads."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.errors import InvalidInput, PermissionDenied
from geo.notify import addresses, notices, sender
from geo.notify.mail import unsubscribe_target
from geo.notify.smtp import DeliveryFailed, SmtpTransport, smtp_settings
from tests.mailbox import html_part, text_part
from tests.unit.conftest import NOW

HOSTILE = "<script>alert(1)</script> [x](http://evil.example) {{7*7}} www.evil.example a@b.org"


def confirmed(town, actor, address):
    """Give ``actor`` a confirmed address the quick way (the full path has its own test)."""
    with town.store.write() as cursor:
        cursor.execute(
            "UPDATE users SET email = ?, email_confirmed_at = ? WHERE id = ?",
            [address, NOW, actor.user_id],
        )


def tell(town, actor, kind="decision", subject="Your proposal was approved", at=NOW, **extra):
    with town.store.write() as cursor:
        return notices.notify(
            cursor,
            [actor.user_id],
            kind,
            subject,
            "Because it fits the plan.",
            at,
            link="proposals?id=1",
            **extra,
        )


def send(town, smtp, at=NOW, name="test-sender"):
    return sender.send_due(town.store, at, smtp.transport, name)


def states(town):
    return town.store.rows("SELECT state, attempts FROM outbox ORDER BY id")


def test_a_notice_arrives_once_with_both_parts_and_one_click_unsubscribe(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident)
    assert send(town, smtp).sent == 1
    assert send(town, smtp, NOW + timedelta(minutes=5)).sent == 0
    (message,) = smtp.mailbox.to("rita@example.org")
    assert message["Subject"] == "Your proposal was approved"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://localhost:8501/unsubscribe?t=")
    assert unsubscribe_target(town.store, parse_qs(urlsplit(link).query)["t"][0]) == (
        town.resident.user_id,
        "decision",
    )
    assert link in text_part(message) and link.replace("&", "&amp;") in html_part(message)
    assert "http://localhost:8501/proposals?id=1" in text_part(message)
    assert re.fullmatch(r"<outbox-\d+@localhost>", message["Message-ID"])
    assert town.store.rows("SELECT state, message_id FROM outbox") == [
        ("sent", message["Message-ID"])
    ]


def test_links_use_the_public_address(town, smtp, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_PUBLIC_URL", "https://play.council.example/")
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident)
    send(town, smtp)
    (message,) = smtp.mailbox.messages
    assert "https://play.council.example/proposals?id=1" in text_part(message)
    assert message["List-Unsubscribe"].startswith("<https://play.council.example/unsubscribe?")
    assert message["Message-ID"].endswith("@play.council.example>")


def test_the_unsubscribe_header_is_the_plain_link_mail_programs_read(town, smtp, monkeypatch):
    # A link longer than a header line must not be folded into RFC 2047 encoded words:
    # mail programs read List-Unsubscribe as "<url>" and show no unsubscribe button else.
    monkeypatch.setenv("SAFEPLAY_PUBLIC_URL", "https://play.millbrook-town-council.example/")
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident)
    send(town, smtp)
    (raw,) = smtp.mailbox.raw
    header = re.search(rb"^List-Unsubscribe: (.*)$", raw, re.MULTILINE).group(1).strip()
    assert header == f"<{smtp.mailbox.messages[0]['List-Unsubscribe'].strip('<>')}>".encode()
    assert header.startswith(b"<https://play.millbrook-town-council.example/unsubscribe?t=")


def test_a_daily_digest_batches_the_days_notices_into_one_email_at_its_hour(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    for hour in (1, 2, 3):
        tell(town, town.resident, "comment", f"Comment {hour}", at=NOW + timedelta(hours=hour))
    assert send(town, smtp, NOW + timedelta(hours=6)).sent == 0  # 18:00: not yet
    morning = (NOW + timedelta(days=1)).replace(hour=notices.DIGEST_HOUR)
    assert send(town, smtp, morning).sent == 1
    (message,) = smtp.mailbox.messages
    assert message["Subject"] == "Your daily SafePlay digest: 3 notices"
    body = text_part(message)
    assert body.index("Comment 1") < body.index("Comment 2") < body.index("Comment 3")
    assert "Stop the daily digest" in body
    assert {row[0] for row in states(town)} == {"sent"}


def test_hostile_titles_arrive_inert_in_both_parts(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident, subject=HOSTILE)
    send(town, smtp)
    (message,) = smtp.mailbox.messages
    markup, text = html_part(message), text_part(message)
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert 'href="http://evil' not in markup and "http://evil" not in markup
    assert "http\u2060://evil.example" in markup and "a\u2060@b.org" in markup
    assert "http\u2060://evil.example" in text and "www\u2060.evil" in text
    assert "a\u2060@b.org" in text and "a@b.org" not in text
    assert "{{7*7}}" in text and "49" not in text


def test_no_message_body_carries_an_email_address(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident)
    addresses.set_email(town.store, town.newcomer, "nina@example.org", NOW)
    send(town, smtp)
    assert len(smtp.mailbox.messages) == 2
    for message in smtp.mailbox.messages:
        for part in (text_part(message), html_part(message)):
            assert "@example.org" not in part
            assert not re.search(r"[\w.]+@[\w-]+\.\w+", part.replace("\u2060", "#"))


def test_an_address_is_confirmed_by_the_link_it_was_sent(town, smtp):
    addresses.set_email(town.store, town.resident, " Rita@Example.ORG ", NOW)
    assert addresses.email_status(town.store, town.resident).state == "waiting"
    tell(town, town.resident)  # not e-mailed: the address is not confirmed yet
    send(town, smtp)
    (message,) = smtp.mailbox.to("Rita@example.org")
    assert message["Subject"] == "Confirm your e-mail address for SafePlay"
    assert "List-Unsubscribe" not in message
    token = parse_qs(urlsplit(re.search(r"http\S+confirm-email\S+", text_part(message))[0]).query)
    addresses.confirm_email(town.store, token["t"][0], NOW + timedelta(hours=1))
    addresses.confirm_email(town.store, token["t"][0], NOW + timedelta(hours=2))  # twice: fine
    status = addresses.email_status(town.store, town.resident)
    assert status == addresses.EmailStatus("Rita@example.org", "confirmed")
    with pytest.raises(InvalidInput):
        addresses.confirm_email(town.store, token["t"][0][:-2] + "xx", NOW)


def test_a_link_sent_to_an_old_address_does_not_confirm_a_new_one(town, smtp):
    addresses.set_email(town.store, town.resident, "old@example.org", NOW)
    send(town, smtp)
    addresses.set_email(town.store, town.resident, "new@example.org", NOW)
    old = re.search(r"confirm-email\?t=(\S+)", text_part(smtp.mailbox.messages[0]))[1]
    with pytest.raises(InvalidInput):
        addresses.confirm_email(town.store, old, NOW)
    assert addresses.email_status(town.store, town.resident).state == "waiting"


def test_a_confirmation_link_expires_after_a_week(town, smtp):
    addresses.set_email(town.store, town.resident, "rita@example.org", NOW)
    token = addresses.confirmation_token(town.store, town.resident.user_id, "rita@example.org", NOW)
    with pytest.raises(InvalidInput, match="expired"):
        addresses.confirm_email(town.store, token, NOW + timedelta(days=8))


@pytest.mark.parametrize("typed", ["", "rita", "rita@", "@example.org", "a b@c.org", "a@b"])
def test_an_invalid_address_is_refused_with_words(town, typed):
    with pytest.raises(InvalidInput, match="e-mail address like"):
        addresses.set_email(town.store, town.resident, typed, NOW)


def test_a_young_person_takes_an_address_only_with_a_guardians_consent(town, smtp):
    with town.store.write() as cursor:
        cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [town.newcomer.user_id])
    assert addresses.email_status(town.store, town.newcomer).state == "needs_consent"
    with pytest.raises(PermissionDenied, match="guardian"):
        addresses.set_email(town.store, town.newcomer, "nina@example.org", NOW)
    admin = town.council  # a council officer may not record it
    with pytest.raises(PermissionDenied):
        addresses.record_guardian_consent(town.store, admin, town.newcomer.user_id, NOW)
    from geo.permissions import COMMAND_LINE

    addresses.record_guardian_consent(town.store, COMMAND_LINE, town.newcomer.user_id, NOW)
    addresses.set_email(town.store, town.newcomer, "nina@example.org", NOW)
    assert addresses.email_status(town.store, town.newcomer).state == "waiting"
    addresses.withdraw_guardian_consent(town.store, COMMAND_LINE, town.newcomer.user_id, NOW)
    assert addresses.email_status(town.store, town.newcomer) == addresses.EmailStatus(
        None, "needs_consent"
    )
    assert send(town, smtp).sent == 0  # the confirmation waiting for her was dropped


def test_failures_back_off_and_stop_the_address_after_five(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident)
    smtp.mailbox.refuse = 451
    at = NOW
    waits = []
    for _ in range(sender.MAX_ATTEMPTS):
        assert send(town, smtp, at).sent == 0
        due = town.store.value("SELECT due_at FROM outbox")
        waits.append(due - at)
        assert send(town, smtp, due - timedelta(seconds=1)).sent == 0  # not before its time
        at = due
    assert waits[:4] == list(sender.BACKOFF[:4])
    state, attempts, error = town.store.row("SELECT state, attempts, last_error FROM outbox")
    assert (state, attempts) == ("failed", 5) and "451" in error
    assert "rita" not in error and "password" not in error.lower()
    assert addresses.email_status(town.store, town.resident).state == "stopped"
    tell(town, town.resident, subject="Later")
    smtp.mailbox.refuse = None
    assert send(town, smtp, at).sent == 0  # a stopped address gets nothing more
    assert states(town) == [("failed", 5)]


def test_a_permanent_refusal_stops_the_address_at_once(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident)
    smtp.mailbox.refuse = 550
    outcome = send(town, smtp)
    assert (outcome.failed, states(town)) == (1, [("failed", 1)])
    assert addresses.email_status(town.store, town.resident).state == "stopped"
    addresses.set_email(town.store, town.resident, "rita@example.org", NOW)  # try it again
    assert addresses.email_status(town.store, town.resident).state == "waiting"


def test_our_server_down_ends_the_round_without_stopping_anyones_address(town, smtp):
    for person, address in ((town.resident, "r@example.org"), (town.newcomer, "n@example.org")):
        confirmed(town, person, address)
        tell(town, person)
    smtp.stop()
    outcome = send(town, smtp)
    assert outcome.server_error and outcome.retrying == 1
    assert states(town) == [("waiting", 1), ("waiting", 0)]
    assert addresses.email_status(town.store, town.resident).state == "confirmed"
    smtp.start()
    assert send(town, smtp, NOW + timedelta(minutes=2)).sent == 2


def test_the_daily_cap_keeps_the_rest_for_the_next_day(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    for number in range(sender.DAILY_CAP + 3):
        tell(town, town.resident, subject=f"Decision {number}")
    assert send(town, smtp).sent == sender.DAILY_CAP
    assert send(town, smtp, NOW + timedelta(hours=1)).sent == 0
    tomorrow = NOW.replace(hour=0) + timedelta(days=1)
    assert town.store.value("SELECT count(*) FROM outbox WHERE due_at = ?", [tomorrow]) == 3
    assert send(town, smtp, tomorrow).sent == 3


def test_rows_of_a_kind_turned_off_or_an_address_removed_are_dropped(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    confirmed(town, town.newcomer, "nina@example.org")
    tell(town, town.resident, "comment")
    tell(town, town.newcomer)
    with town.store.write() as cursor:  # as if the choice changed behind the row's back
        cursor.execute(
            "INSERT INTO email_choices (user_id, kind, choice) VALUES (?, 'comment', 'off')",
            [town.resident.user_id],
        )
    addresses.remove_email(town.store, town.newcomer, NOW)
    morning = (NOW + timedelta(days=1)).replace(hour=notices.DIGEST_HOUR)
    assert send(town, smtp, morning).dropped == 2
    assert smtp.mailbox.messages == []


def test_a_sender_that_died_after_claiming_is_taken_over_after_its_lease(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    tell(town, town.resident)
    with town.store.write() as cursor:
        cursor.execute(
            "UPDATE outbox SET state = 'sending', claimed_by = 'dead', claimed_at = ?", [NOW]
        )
    assert send(town, smtp, NOW + timedelta(minutes=1)).sent == 0
    assert send(town, smtp, NOW + sender.LEASE + timedelta(seconds=1)).sent == 1
    assert len(smtp.mailbox.messages) == 1


def test_a_test_email_needs_a_confirmed_address(town, smtp):
    with pytest.raises(InvalidInput, match="confirm"):
        addresses.send_test(town.store, town.resident, NOW)
    confirmed(town, town.resident, "rita@example.org")
    addresses.send_test(town.store, town.resident, NOW)
    send(town, smtp)
    (message,) = smtp.mailbox.messages
    assert message["Subject"] == "SafePlay test e-mail"


def test_smtp_settings_come_from_the_environment_or_the_secrets():
    assert smtp_settings({}, {}) is None
    given = smtp_settings(
        {"host": "mail.example", "security": "tls", "sender": "Play <p@x.org>", "password": "pw"},
        {},
    )
    assert (given.port, given.security) == (465, "tls")
    assert "pw" not in repr(given) and "pw" not in given.describe()
    env = {"SAFEPLAY_SMTP_HOST": "smtp.example", "SAFEPLAY_SMTP_SENDER": "p@x.org"}
    assert smtp_settings({"host": "other"}, env).port == 587
    with pytest.raises(InvalidInput, match="SECURITY"):
        smtp_settings({}, {**env, "SAFEPLAY_SMTP_SECURITY": "ssl3"})
    with pytest.raises(InvalidInput, match="SENDER"):
        smtp_settings({"host": "mail.example"}, {})


def test_a_newsletter_issue_goes_as_built_with_the_newsletter_unsubscribe(town, smtp):
    confirmed(town, town.resident, "rita@example.org")
    with town.store.write() as cursor:
        cursor.execute(
            "INSERT INTO newsletter_issues (id, schedule_id, area_id, period_start, period_end, "
            "subject, text_body, html_body, created_by, created_at) VALUES (1, NULL, ?, ?, ?, "
            "'West in November', 'Three new play areas.', "
            "'<!doctype html><html><body><p>Three new play areas.</p></body></html>', "
            "'council', ?)",
            [town.west_id, NOW.date(), NOW.date(), NOW],
        )
        notices.queue(cursor, town.resident.user_id, "newsletter", "newsletter", NOW, issue_id=1)
    assert send(town, smtp).sent == 1
    (message,) = smtp.mailbox.messages
    assert message["Subject"] == "West in November"
    assert "Three new play areas." in text_part(message)
    page = html_part(message)
    assert page.count("<html") == 1 and page.count("</body>") == 1
    assert page.index("Three new play areas.") < page.index("Stop") < page.index("</body>")
    token = parse_qs(urlsplit(message["List-Unsubscribe"].strip("<>")).query)["t"][0]
    assert unsubscribe_target(town.store, token) == (town.resident.user_id, "newsletter")


def test_starttls_asked_of_a_server_without_it_fails_as_our_servers_problem(smtp):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "p@test.org", "r@example.org", "Hi"
    message.set_content("Hi")
    strict = SmtpTransport(replace(smtp.settings, security="starttls"))
    with pytest.raises(DeliveryFailed, match="STARTTLS") as failed:
        strict.send(message)
    assert failed.value.reason == "server" and smtp.mailbox.messages == []
