"""What a moderator sees of a voice's removals: plain text, and warnings on what is left."""

from datetime import UTC, datetime

from geo.escape import for_markdown
from geo.safeguarding import voices
from tests.app.conftest import open_page, person
from ui.common import store

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_removals_are_shown_as_plain_text_not_rendered(database):
    link = "http://127.0.0.1:8765/x.png"
    voices.submit_voice(store(), f"See ![pic]({link}) and [report here]({link}) now", NOW)
    moderator = open_page(person("olu@demo.example"), "app_pages/moderation.py")
    removed = [c.value for c in moderator.caption if c.value.startswith("Removed: ")]
    assert removed == [
        "Removed: " + for_markdown(f"link: {link})") + "; " + for_markdown(f"link: {link})")
    ]
    assert all("](" not in value for value in removed)  # no Markdown link or image left


def test_the_moderator_is_warned_about_what_redaction_may_have_missed(database):
    voices.submit_voice(store(), "meine Tochter Zeynepnur wartet am Tor 4471 23", NOW)
    moderator = open_page(person("olu@demo.example"), "app_pages/moderation.py")
    warnings = [w.value for w in moderator.warning]
    assert (
        "Check before publishing: " + for_markdown("“Zeynepnur” after “Tochter” may be a name")
        in warnings
    )
    assert (
        "Check before publishing: " + for_markdown("“4471 23” is a long run of digits") in warnings
    )
