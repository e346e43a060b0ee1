"""Taking part and leading read in Welsh and German, and nothing of ours stays English.

The pseudo-language ``qps`` wraps every word that went through ``t`` in ⟦ ⟧: whatever a page
shows outside those marks (names and places aside) is a string someone forgot to translate.
"""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.permissions import VISITOR
from tests.app.conftest import open_page, person

# Element kinds whose words are ours: (kind, the attribute a person reads).
READ = [
    *((kind, "value") for kind in ("title", "header", "subheader", "markdown", "caption", "info")),
    *((kind, "value") for kind in ("success", "warning", "error")),
    *((kind, "label") for kind in ("button", "text_area", "text_input", "radio", "toggle")),
    *((kind, "label") for kind in ("selectbox", "checkbox", "metric", "date_input")),
    *((kind, "label") for kind in ("time_input", "slider", "number_input")),
]
LEADER = "leo@demo.example"
# Parts these pages share with the proposal pages, translated by i18n-explore: their words
# are not this area's to check (that area's test checks them).
SHARED = (Path(__file__).resolve().parents[2] / "ui" / "proposal_view.py").read_text()


def shown(at: AppTest) -> list[str]:
    """The words of the page's main area, with its tables' headings."""
    words = [str(getattr(e, attr)) for kind, attr in READ for e in getattr(at.main, kind)]
    words += [str(column) for frame in at.main.dataframe for column in frame.value.columns]
    return words


def english_left(at: AppTest) -> list[str]:
    """What is still English outside ⟦ ⟧ (a word of two letters or more); marks nest when
    a translated sentence has translated words filled in."""
    left = []
    for text in shown(at):
        while (inner := re.sub(r"⟦[^⟦⟧]*⟧", "", text)) != text:
            text = inner
        if re.search(r"[A-Za-z]{2,}", text) and f'"{text}"' not in SHARED:
            left.append(text)
    return left


def reads(at: AppTest, *expected: str) -> None:
    everything = " ".join(shown(at))
    for words in expected:
        assert words in everything, (words, everything[:400])


@pytest.mark.parametrize(
    ("page", "login"),
    [
        ("app_pages/have_your_say.py", None),
        ("app_pages/voices.py", None),
        ("app_pages/report_concern.py", None),
        ("app_pages/track_concern.py", None),
        ("app_pages/events.py", None),
        ("app_pages/propose.py", LEADER),
        ("app_pages/my_proposals.py", LEADER),
        ("app_pages/needs_me.py", LEADER),
    ],
)
def test_taking_part_pages_keep_no_english_of_ours(database, page, login):
    at = open_page(person(login) if login else VISITOR, page, lang="qps")
    assert shown(at) and english_left(at) == []


def test_have_your_say_reads_in_welsh_and_german_also_for_children(database):
    reads(open_page(VISITOR, "app_pages/have_your_say.py", lang="cy"), "Dweud eich dweud")
    at = open_page(VISITOR, "app_pages/have_your_say.py", lang="de")
    reads(at, "Ihre Meinung", "An die Gemeinde senden", "Altersgruppe (freiwillig)")
    at.toggle[0].set_value(True).run()
    reads(at, "Was würde diesen Ort besser machen? 🛝", "🔦 Mehr Licht", "Wie alt sind Sie?")


def test_a_concern_is_reported_in_welsh_and_german(database):
    at = open_page(VISITOR, "app_pages/report_concern.py", lang="cy")
    reads(at, "Rhowch wybod am bryder", "Anfon at y cyngor", "Am beth mae e?")
    assert "Goleuadau" in at.main.radio[0].options  # the categories, their keys unchanged
    at = open_page(VISITOR, "app_pages/report_concern.py", lang="de")
    reads(at, "Bedenken melden", "Worum geht es?")


def test_events_and_a_leaders_pages_read_in_german_and_welsh(database):
    reads(open_page(VISITOR, "app_pages/events.py", lang="de"), "Veranstaltungen")
    reads(open_page(VISITOR, "app_pages/events.py", lang="cy"), "Digwyddiadau")
    leader = person(LEADER)
    reads(open_page(leader, "app_pages/propose.py", lang="de"), "Vorschlagen", "Entwurf speichern")
    reads(open_page(leader, "app_pages/propose.py", lang="cy"), "Cynnig", "Cadw'r drafft")
    reads(open_page(leader, "app_pages/my_proposals.py", lang="cy"), "Fy nghynigion")
    reads(open_page(leader, "app_pages/needs_me.py", lang="de"), "Was jetzt auf mich wartet")
