"""My account's E-mail section and the administrators' consent button, as people use them."""

from geo.accounts.sessions import utc_now
from geo.notify import addresses, notices
from tests.app.conftest import open_page, person, read
from ui.common import store


def resident():
    return person(store().value("SELECT login FROM users WHERE role = 'resident' ORDER BY id"))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def captions(at):
    return " | ".join(c.value for c in at.caption)


def test_setting_an_address_sends_a_link_and_shows_it_waiting(database):
    someone = resident()
    at = open_page(someone, "app_pages/account.py")
    assert "No address yet" in captions(at)
    at.text_input[-1].set_value("rita@example.org")
    button(at, "Send me a confirmation link").click().run()
    assert not at.exception
    assert "Waiting for confirmation" in captions(at)
    assert "rita@example.org" in read(" ".join(m.value for m in at.markdown))
    assert store().rows("SELECT kind, state FROM outbox WHERE user_id = ?", [someone.user_id]) == [
        ("address", "waiting")
    ]


def test_an_invalid_address_keeps_what_was_typed(database):
    at = open_page(resident(), "app_pages/account.py")
    box = at.text_input[-1]
    box.set_value("rita at example")
    button(at, "Send me a confirmation link").click().run()
    assert "e-mail address like" in at.error[0].value
    assert at.text_input[-1].value == "rita at example"


def test_a_confirmed_address_offers_the_choice_per_kind(database):
    someone = resident()
    addresses.set_email(store(), someone, "rita@example.org", utc_now())
    with store().write() as cursor:
        cursor.execute(
            "UPDATE users SET email_confirmed_at = ? WHERE id = ?", [utc_now(), someone.user_id]
        )
    at = open_page(someone, "app_pages/account.py")
    box = next(s for s in at.selectbox if s.label == "Comments on your proposals")
    box.set_value("weekly")
    button(at, "Save e-mail choices").click().run()
    assert not at.exception
    assert notices.email_choices(store(), someone)["comment"] == "weekly"
    assert any("Saved" in s.value for s in at.success)


def test_a_young_persons_account_is_told_why_there_is_no_address_box(database):
    someone = resident()
    with store().write() as cursor:
        cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [someone.user_id])
    at = open_page(someone, "app_pages/account.py")
    assert "notices in the app only" in captions(at)
    assert not any(b.label == "Send me a confirmation link" for b in at.button)


def test_an_administrator_records_consent_without_seeing_the_address(database):
    someone = resident()
    with store().write() as cursor:
        cursor.execute(
            "UPDATE users SET is_minor = true, email = 'kid@example.org' WHERE id = ?",
            [someone.user_id],
        )
    admin = person("ada@demo.example")
    at = open_page(admin, "app_pages/users.py")
    at.selectbox(key="users_account").set_value(someone.user_id).run()
    button(at, "Record a guardian's consent to e-mail").click().run()
    button(at, "Confirm: consent recorded").click().run()
    assert not at.exception
    assert addresses.guardian_consent(store(), admin, someone.user_id).recorded_at is not None
    page = " ".join(e.value for e in (*at.markdown, *at.caption, *at.success))
    assert "kid@example.org" not in read(page)
    assert "E-mail is off" in " ".join(w.value for w in at.warning)


def test_consent_is_recorded_and_withdrawn_only_after_saying_what_follows(database):
    # Walked in Chromium: one press recorded consent, and "Withdraw" then stood where
    # "Record" had been, so a double click recorded and withdrew it at once.
    someone = resident()
    with store().write() as cursor:
        cursor.execute("UPDATE users SET is_minor = true WHERE id = ?", [someone.user_id])
    admin = person("ada@demo.example")
    at = open_page(admin, "app_pages/users.py")
    at.selectbox(key="users_account").set_value(someone.user_id).run()
    assert "the council keeps that consent" in captions(at)
    button(at, "Record a guardian's consent to e-mail").click().run()
    button(at, "Record a guardian's consent to e-mail").click().run()  # the double click
    assert addresses.guardian_consent(store(), admin, someone.user_id).recorded_at is None
    asked = read(" ".join(w.value for w in at.warning))
    assert "agreed to e-mail: they may then set an address" in asked
    button(at, "Confirm: consent recorded").click().run()
    consent = addresses.guardian_consent(store(), admin, someone.user_id)
    assert consent.recorded_by == "ada@demo.example"
    assert "Consent recorded" in read(" ".join(s.value for s in at.success))
    assert "by ada@demo.example" in read(captions(at))
    button(at, "Withdraw the consent (removes their address)").click().run()
    assert addresses.guardian_consent(store(), admin, someone.user_id).recorded_at is not None
    button(at, "Cancel").click().run()
    assert not any(b.label == "Confirm: withdraw" for b in at.button)
    button(at, "Withdraw the consent (removes their address)").click().run()
    button(at, "Confirm: withdraw").click().run()
    consent = addresses.guardian_consent(store(), admin, someone.user_id)
    assert consent.recorded_at is None
    # Withdrawing clears the consent in force; the history keeps who recorded and withdrew it.
    assert [(event, by) for event, by, _ in consent.history] == [
        ("withdrawn", "ada@demo.example"),
        ("recorded", "ada@demo.example"),
    ]
    history = read(captions(at))
    assert "Consent history: withdrawn" in history
    assert "; recorded" in history
