"""The words every page shares, read in Welsh, German and the pseudo-language.

My account's E-mail and Following sections are built from ui/email_settings.py and
ui/follow_settings.py (and the followed rows from geo/notify/follow_words.py): opened in
``cy`` and ``de`` they show the translated words, and in ``qps`` none of their English is
left outside ⟦ ⟧. The menu's titles and sections come from ui/pages_table.py.
"""

import re

import pytest

from geo import i18n
from geo.vocabulary import PLACE_KINDS, ROLE_NAMES
from geo.wording import opening_hours
from tests.app.conftest import open_page, person, read
from ui.inbox import menu_title
from ui.pages_table import PAGES

_WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")


def shown(at) -> list[str]:
    """Every text of the page a person reads: headings, Markdown, alerts, widgets' labels
    and options (with the escapes of ``for_markdown`` taken out)."""
    texts = [
        element.value
        for kind in ("header", "subheader", "caption", "markdown", "info", "success", "warning")
        for element in getattr(at, kind)
    ]
    texts += [button.label for button in at.button]
    for widget in (*at.radio, *at.selectbox):
        texts.append(widget.label)
        texts += [str(option) for option in widget.options]
    texts += [box.label for box in at.text_input]
    return [read(text) for text in texts]


def our_english() -> set[str]:
    """Our msgids a page could show whole (those without names filled in)."""
    return {
        message.id
        for message in i18n.catalogue("de")
        if isinstance(message.id, str) and message.id and "{" not in message.id
    }


def account(lang: str):
    return open_page(person("rosa@demo.example"), "app_pages/account.py", lang=lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cy", ["E-bost", "Dilyn", "Beth i'w ddilyn", "Ward neu ardal", "Y cyngor cyfan"]),
        ("de", ["E-Mail", "Folgen", "Was möchten Sie verfolgen?", "Die ganze Gemeinde"]),
    ],
)
def test_my_accounts_shared_sections_speak_the_readers_language(database, lang, expected):
    texts = shown(account(lang))
    for words in expected:
        assert words in texts, f"{words!r} not on the page in {lang}"
    assert "Following" not in texts and "What to follow" not in texts


def test_in_the_pseudo_language_none_of_our_english_is_left_outside(database):
    texts = shown(account("qps"))
    assert "⟦E-mail⟧" in texts and "⟦Following⟧" in texts
    english = our_english()
    left = {text for text in texts if _WRAPPED.sub("", text).strip(" .:;,-()*") in english}
    assert not left, f"English of ours outside ⟦ ⟧: {sorted(left)}"


def test_menu_titles_sections_and_vocabulary_are_translated_where_read():
    inbox = next(page for page in PAGES if page.url_path == "inbox")
    with i18n.speaking("cy"):
        assert menu_title(inbox, 3) == "Mewnflwch (3)"
        assert inbox.shown_section() == "Cyfrif"
        assert PLACE_KINDS["playground"] == "Maes chwarae"
        assert opening_hours("sunrise-sunset") == "Gwawr – cyfnos"
    with i18n.speaking("de"):
        assert menu_title(inbox, 1_250) == "Posteingang (1.250)"
        assert dict(ROLE_NAMES.items())["council"] == "Mitarbeitende der Gemeinde"
        assert opening_hours("Mo-Fr 15:30-19:00") == "Montag bis Freitag 15:30–19:00"
    assert menu_title(inbox, 3) == "Inbox (3)" and inbox.shown_title() == inbox.title
