"""What residents explore, read in Welsh, German and the pseudo-language: the pages' own
words come from the catalogue, and in ``qps`` none of our English is left outside ⟦ ⟧.

The pages are opened with ``?lang=`` (the entry script sets the language in the script's
own thread); the public map at ``/map`` is asked over HTTP with its ``lang`` option.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.i18n import PSEUDO_CLOSE, PSEUDO_OPEN
from geo.permissions import VISITOR
from tests.app.conftest import open_page, person
from tests.app.test_public_map_routes import make_client

# The innermost translated words (a sentence may carry translated words in its values).
WRAPPED = re.compile(f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*{PSEUDO_CLOSE}")
# What is left of a text once the translated words are taken out: numbers, punctuation,
# Markdown and link addresses are no English of ours.
NOT_WORDS = re.compile(r"\]\([^)]*\)|[\d\W_]+")


def shown_texts(at: AppTest) -> list[str]:
    """Every text of ours the page shows: headings, notes, alerts and widget labels.

    Tables and the details' facts hold the town's own names (content), so they are left
    to the page's tests; their headings are translated like everything else. The sidebar
    (sign-in, language picker) is the session's, not these pages'."""
    main = at.main
    texts = [
        element.value
        for group in (
            main.title,
            main.header,
            main.subheader,
            main.caption,
            main.info,
            main.warning,
            main.success,
        )
        for element in group
    ]
    texts += [m.label for m in main.metric]
    for group in (main.button, main.toggle, main.selectbox, main.multiselect, main.slider):
        texts += [widget.label for widget in group]
    texts += [widget.label for widget in main.radio]
    texts += [tab.label for tab in main.tabs]
    return [text for text in texts if text]


def untranslated(text: str) -> str:
    """What is left of ``text`` once every translated part, innermost first, is taken out."""
    while WRAPPED.search(text):
        text = WRAPPED.sub("", text)
    return NOT_WORDS.sub("", text)


def english_left(at: AppTest) -> list[str]:
    """The texts that still carry words outside ⟦ ⟧ in the pseudo-language."""
    return [text for text in shown_texts(at) if untranslated(text)]


PAGES = [
    ("app_pages/explore_map.py", VISITOR),
    ("app_pages/proposals.py", VISITOR),
    ("app_pages/initiatives_under_way.py", VISITOR),
    ("app_pages/partners.py", "olu@demo.example"),
    ("app_pages/newsletter.py", "olu@demo.example"),
]


def actor_for(who):
    return who if who is VISITOR else person(who)


@pytest.mark.parametrize(("page", "who"), PAGES, ids=[p for p, _ in PAGES])
def test_in_the_pseudo_language_no_english_of_ours_is_left(database, page, who):
    at = open_page(actor_for(who), page, lang="qps")
    page_words = [t for t in shown_texts(at) if PSEUDO_OPEN in t]
    assert page_words, "the page showed none of our words"
    assert not english_left(at), english_left(at)


def test_explore_reads_in_welsh_and_german(database):
    welsh = open_page(VISITOR, "app_pages/explore_map.py", lang="cy")
    assert welsh.title[0].value == "Ardaloedd chwarae a mentrau"
    assert "o ardaloedd chwarae yn cael eu dangos" in welsh.markdown[0].value  # the counts
    shown = [button.label for button in welsh.button]
    assert "Dangos yr ardaloedd chwarae a'r mentrau fel tabl" in shown
    german = open_page(VISITOR, "app_pages/explore_map.py", lang="de")
    assert german.title[0].value == "Spielbereiche und Initiativen"
    assert "Spielbereiche angezeigt" in german.markdown[0].value
    details = german.selectbox(key="selected_feature")
    assert details.label.startswith("Wählen Sie einen Spielbereich")
    assert any(option.startswith("Spielbereich · ") for option in details.options)


def test_proposals_and_partners_read_in_welsh_and_german(database):
    welsh = open_page(VISITOR, "app_pages/proposals.py", lang="cy")
    assert welsh.title[0].value == "Cynigion"
    assert any(box.label == "Agor cynnig" for box in welsh.selectbox)
    council = person("olu@demo.example")
    german = open_page(council, "app_pages/partners.py", lang="de")
    assert german.title[0].value == "Partner"
    assert "Partner speichern" in [button.label for button in german.button]


def test_the_public_map_speaks_its_lang_option(database):
    with make_client() as client:
        page = client.get("/map?lang=cy").text
        assert '<html lang="cy">' in page and "Cynnwys y map fel rhestr hefyd" in page
        assert "/map/data.json?lang=cy" in page
        data = client.get("/map/data.json?lang=de").json()
        assert data["words"]["open"] == "In SafePlay öffnen"
        assert data["status"].endswith("Initiativen.") and " und " in data["status"]
        place = next(f for f in data["features"] if f["properties"]["t"] == "place")
        assert place["properties"]["kind"]  # the vocabulary's label, for the reader
        pseudo = client.get("/map/data.json?lang=qps").json()
        assert all(word.startswith(PSEUDO_OPEN) for word in pseudo["words"].values())
        assert pseudo["status"].startswith(PSEUDO_OPEN)
        refused = client.get("/map/data.json?lang=xx")
        assert refused.status_code == 400 and "lang=cy" in refused.json()["detail"]
