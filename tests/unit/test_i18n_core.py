"""The language machinery: one reader's language never leaks into another's, counted phrases
take the language's plural form, numbers and dates are written the reader's way, and a
translation that breaks a placeholder cannot break a page."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from geo import i18n


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.use("en")


def test_the_first_language_safeplay_speaks_is_chosen():
    assert i18n.choose(None, "", "cy-GB", "de") == "cy"
    assert i18n.choose("pt-BR", "fr_FR") == "fr"
    assert i18n.choose("pt", None) == "en"


def test_a_language_set_in_one_thread_is_not_read_in_another():
    i18n.use("de")
    seen: list[str] = []
    other = threading.Thread(target=lambda: seen.append(i18n.current()))
    other.start()
    other.join()
    assert i18n.current() == "de"
    assert seen == ["en"]


def test_speaking_switches_for_a_block_and_back():
    i18n.use("fr")
    with i18n.speaking("cy"):
        assert i18n.current() == "cy"
    assert i18n.current() == "fr"


def test_numbers_and_dates_are_written_the_readers_way():
    i18n.use("de")
    assert i18n.number(1250.5, 1) == "1.250,5"
    assert i18n.date(date(2026, 11, 7)) == "07.11.2026"
    i18n.use("en")
    assert i18n.number(1250) == "1,250"
    assert i18n.date(date(2026, 11, 7)) == "7 Nov 2026"
    assert i18n.tn("{n} place", "{n} places", 1250) == "1,250 places"
    assert i18n.tn("{n} place", "{n} places", 1) == "1 place"


def test_pseudo_language_wraps_our_words_but_not_the_values_filled_in():
    i18n.use(i18n.PSEUDO)
    assert i18n.t("Report for {place}", place="Elm Park") == "⟦Report for Elm Park⟧"


def test_vocabulary_words_follow_the_reader():
    words = i18n.Words({"swing": "Swing"})
    i18n.use(i18n.PSEUDO)
    assert words["swing"] == "⟦Swing⟧"
    assert dict(words.items()) == {"swing": "⟦Swing⟧"}
    assert words.english("swing") == "Swing"


def test_a_translation_that_breaks_a_placeholder_falls_back_to_the_source(monkeypatch):
    class Broken:
        def gettext(self, message):
            return "{plaec} kaputt"

    monkeypatch.setattr(i18n, "_translations", lambda language: Broken())
    assert i18n.t("{place} broken", place="Elm Park") == "Elm Park broken"
