"""The Newsletter page's "Send by e-mail" section in AppTest: schedule, pause, test send."""

from geo import i18n
from geo.accountability import newsletters
from geo.accounts.auth import create_user, load_actor
from geo.permissions import VISITOR
from geo.registry import areas
from tests.app.conftest import open_page, person, read
from ui.common import store
from ui.session import utc_now


def button(at, label):
    return next(b for b in at.button if b.label == label)


def messages(at, kind="success"):
    return [read(m.value) for m in getattr(at, kind)]


def test_an_officer_schedules_pauses_and_resumes_the_councils_newsletter(database):
    olu = person("olu@demo.example")
    at = open_page(olu, "app_pages/newsletter.py")
    assert "Send by e-mail" in [h.value for h in at.header]
    assert any(m.label == "Subscribers by e-mail" for m in at.metric)
    assert any("No newsletter is scheduled" in read(m.value) for m in at.markdown)
    next(s for s in at.selectbox if s.label == "How often").set_value(14)
    button(at, "Save schedule").click().run()
    assert not at.exception
    assert any(m.startswith("Saved: every 2 weeks") for m in messages(at))
    plan = newsletters.schedule(store(), olu, None)
    assert (plan.every_days, plan.active) == (14, True)
    assert plan.next_at.date() > utc_now().date()

    button(at, "Pause").click().run()
    assert any(m.startswith("Paused") for m in messages(at))
    assert not newsletters.schedule(store(), olu, None).active
    button(at, "Resume").click().run()
    assert newsletters.schedule(store(), olu, None).active
    shown = at.table[-1].value
    assert list(shown["What"]) == ["Resumed", "Paused", "Schedule set"]


def test_a_test_send_needs_the_officers_own_confirmed_address(database):
    olu = person("olu@demo.example")
    at = open_page(olu, "app_pages/newsletter.py")
    button(at, "Send a test to me").click().run()
    assert any("My account" in m for m in messages(at, "error"))
    with store().write() as cursor:
        cursor.execute(
            "UPDATE users SET email = 'olu@example.org', email_confirmed_at = ? WHERE id = ?",
            [utc_now(), olu.user_id],
        )
    button(at, "Send a test to me").click().run()
    assert any("nobody else receives it" in m for m in messages(at))
    assert store().rows("SELECT user_id, batch FROM outbox") == [(olu.user_id, "newsletter")]
    (sent,) = at.table[-1].value.to_dict("records")
    assert (sent["What"], sent["E-mails"]) == ("Test sent", "1")
    assert read(sent["By"]) == "Olu (council officer)"
    assert sent["Period"].endswith(f"to {i18n.date(utc_now())}")


def test_residents_see_the_preview_and_no_sending(database):
    for reader in (VISITOR, person("rosa@demo.example")):
        at = open_page(reader, "app_pages/newsletter.py")
        assert "Send by e-mail" not in [h.value for h in at.header]
        assert not any(b.label == "Send a test to me" for b in at.button)


def test_a_notices_link_opens_its_ward_and_period(database):
    wards = areas.list_areas(store(), "ward")
    ward_id, ward = int(wards["id"].iloc[0]), wards["name"].iloc[0]
    at = open_page(VISITOR, "app_pages/newsletter.py", area=str(ward_id), **{"from": "2026-01-05"})
    assert at.selectbox[0].value == ward_id
    assert str(at.date_input[0].value) == "2026-01-05"
    # the issue sits under the page's heading: its title is an h2 (app_pages/newsletter.py)
    assert any(read(m.value).startswith(f"## SafePlay news for {ward}") for m in at.markdown)


def test_an_officer_of_other_wards_is_told_whose_newsletter_it_is(database):
    wards = areas.list_areas(store(), "ward")
    mine, other = int(wards["id"].iloc[0]), int(wards["id"].iloc[1])
    user_id = create_user(
        store(),
        person("ada@demo.example"),
        "wanda@demo.example",
        "Wanda Ward",
        "council",
        "a long password 4",
        (mine,),
    )
    wanda = load_actor(store(), user_id)
    at = open_page(wanda, "app_pages/newsletter.py", area=str(other))
    assert any("your account covers other wards" in read(i.value) for i in at.info)
    assert not any(b.label == "Save schedule" for b in at.button)
    at = open_page(wanda, "app_pages/newsletter.py", area=str(mine))
    assert any(b.label == "Save schedule" for b in at.button)
