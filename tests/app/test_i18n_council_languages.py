"""The council's and the administrator's pages read in Welsh and German, and in the
pseudo-language none of their own words is left in English (issue 21).

Words that come from other modules (the proposal table, the vocabulary, the Follow button,
the sidebar) are checked by the tests of those modules; this file checks what the council's
pages and their sections write themselves.
"""

import re

import pytest

from geo import i18n
from geo.i18n.casing import in_sentence
from tests.app.conftest import open_page, person

OLU, ADA = "olu@demo.example", "ada@demo.example"
# Every page of this area, with who may open it.
PAGES = [
    (OLU, "app_pages/review.py"),
    (OLU, "app_pages/moderation.py"),
    (OLU, "app_pages/concerns.py"),
    (OLU, "app_pages/inspections.py"),
    (OLU, "app_pages/wards.py"),
    (OLU, "app_pages/workspace.py"),
    (ADA, "app_pages/users.py"),
    (OLU, "app_pages/inbox.py"),
]
TEXTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
)
LABELLED = (
    "button",
    "text_input",
    "text_area",
    "selectbox",
    "multiselect",
    "radio",
    "toggle",
    "number_input",
    "date_input",
    "slider",
    "metric",
    "expander",
)
# Tables whose every heading this area writes (the proposal table is ui/proposal_view.py's).
OWN_TABLES = {"app_pages/users.py", "app_pages/inspections.py"}


def our_words(at, page: str) -> list[str]:
    """What the page's main area writes itself: texts, labels and its own tables' headings
    (the Follow button is ui/follow_button.py's)."""
    main = at.main
    words = [e.value for kind in TEXTS for e in getattr(main, kind)]
    for kind in LABELLED:
        words += [
            e.label
            for e in getattr(main, kind)
            if not (kind == "button" and str(e.key).startswith("follow_"))
        ]
    if page in OWN_TABLES:
        words += [str(column) for frame in at.dataframe for column in frame.value.columns]
    return words


def words_of_ours(text: str) -> bool:
    """Whether ``text`` holds more than links named by data ("- [Riverside](/feeds/…)")."""
    return bool(re.sub(r"\[[^\]]*\]\([^)]*\)|[-*·\s]", "", text))


@pytest.mark.parametrize(("login", "page"), PAGES, ids=[page for _, page in PAGES])
def test_no_english_of_the_council_pages_is_left_outside_the_catalogue(database, login, page):
    at = open_page(person(login), page, lang="qps")
    left = [w for w in our_words(at, page) if words_of_ours(w) and i18n.PSEUDO_OPEN not in w]
    assert not left, left


@pytest.mark.parametrize(
    ("lang", "title", "waiting", "open_one"),
    [
        ("cy", "Adolygu cynigion", "Yn aros", "Agorwch gynnig i'w adolygu"),
        ("de", "Vorschläge prüfen", "Wartend", "Vorschlag zum Prüfen öffnen"),
    ],
)
def test_the_review_page_reads_in_welsh_and_german(database, lang, title, waiting, open_one):
    at = open_page(person(OLU), "app_pages/review.py", lang=lang)
    assert [t.value for t in at.title] == [title]
    assert waiting in [m.label for m in at.metric]
    assert open_one in [s.label for s in at.selectbox]


@pytest.mark.parametrize(
    ("lang", "title", "buttons"),
    [
        ("cy", "Defnyddwyr a rolau", {"Cadw'r rôl", "Cyhoeddi allwedd", "Paratoi copi wrth gefn"}),
        ("de", "Nutzende und Rollen", {"Rolle speichern", "Schlüssel ausstellen"}),
    ],
)
def test_users_and_roles_reads_in_welsh_and_german(database, lang, title, buttons):
    at = open_page(person(ADA), "app_pages/users.py", lang=lang)
    assert [t.value for t in at.title] == [title]
    assert buttons <= {b.label for b in at.button}
    headings = next(d for d in at.dataframe if len(d.value.columns) == 8).value.columns
    assert ("Rôl" if lang == "cy" else "Rolle") in headings


@pytest.mark.parametrize(
    ("lang", "title", "metric"),
    [
        ("cy", "Gweithle'r cyngor", "Yn aros i'w hadolygu"),
        ("de", "Arbeitsbereich der Gemeinde", "Warten auf Prüfung"),
    ],
)
def test_the_council_workspace_reads_in_welsh_and_german(database, lang, title, metric):
    at = open_page(person(OLU), "app_pages/workspace.py", lang=lang)
    assert [t.value for t in at.title] == [title]
    assert metric in [m.label for m in at.metric]


def test_a_role_inside_a_sentence_keeps_its_capital_only_in_german():
    with i18n.speaking("fr"):
        assert in_sentence("Agent de la collectivité") == "agent de la collectivité"
    with i18n.speaking("de"):
        assert in_sentence("Mitarbeitende der Gemeinde") == "Mitarbeitende der Gemeinde"
