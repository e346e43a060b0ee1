"""Play gaps and Play sufficiency in Welsh and German, and in the pseudo-language: the
words a council officer reads come from the catalogue, and none of ours is left in
English (what is left outside ⟦ ⟧ in ``qps`` is data: ward names, file names, numbers)."""

import re
from datetime import date

import pytest

from geo.council.sufficiency import assessments
from geo.i18n import PSEUDO_CLOSE, PSEUDO_OPEN
from geo.io.demo.streets import RAILWAY, RIVER
from tests.app.conftest import open_page, person, read
from ui.common import store
from ui.session import utc_now

PAGES = ("app_pages/play_gaps.py", "app_pages/play_sufficiency.py")
TEXTS = (
    "title",
    "header",
    "subheader",
    "caption",
    "markdown",
    "info",
    "warning",
    "error",
    "success",
)
WIDGETS = ("radio", "selectbox", "multiselect", "toggle", "number_input", "text_input",
           "text_area", "date_input", "button", "download_button")  # fmt: skip


@pytest.fixture
def officer(database):
    """A council officer of the demo town with one draft London Plan S4 audit, so the
    sufficiency page shows its ratings, action plan and downloads."""
    olu = person("olu@demo.example")
    assessments.create_assessment(
        store(), olu, "london", date(2025, 1, 1), date(2026, 12, 31), [], utc_now()
    )
    return olu


def words(at) -> list[str]:
    """Everything of the page's main column a person reads: headings, text, messages,
    widget labels and options, buttons, table headers."""
    main = at.main
    texts = [read(e.value) for kind in TEXTS for e in main.get(kind)]
    for kind in WIDGETS:
        for widget in main.get(kind):
            label = getattr(widget, "label", None) or getattr(widget.proto, "label", "")
            texts.append(read(label))
            texts += [read(str(o)) for o in getattr(widget.proto, "options", [])]
    texts += [read(e.label) for e in main.get("expander")]
    for frame in main.get("dataframe"):
        texts += [str(c) for c in frame.value.columns]
        texts += [str(v) for v in frame.value.to_numpy().ravel()]
    return [t for t in texts if t]


def outside_brackets(text: str) -> str:
    """``text`` without every ⟦…⟧ (innermost first: a message's values are translated
    words of their own)."""
    pattern = re.compile(f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*{PSEUDO_CLOSE}")
    while (shorter := pattern.sub("", text)) != text:
        text = shorter
    return text


@pytest.mark.parametrize(
    ("lang", "page", "expected"),
    [
        ("cy", "app_pages/play_gaps.py", ["Bylchau chwarae", "Dull", "Safon"]),
        ("de", "app_pages/play_gaps.py", ["Versorgungslücken", "Methode", "Stadtteil"]),
        ("cy", "app_pages/play_sufficiency.py", ["Digonolrwydd chwarae", "Creu asesiad",
                                                 "Cynllun gweithredu", "Lawrlwytho: PDF"]),
        ("de", "app_pages/play_sufficiency.py", ["Spielraumversorgung", "Bewertung anlegen",
                                                 "Maßnahmenplan", "Herunterladen: PDF"]),
    ],
)  # fmt: skip
def test_the_pages_read_in_welsh_and_german(officer, lang, page, expected):
    at = open_page(officer, page, lang=lang)
    text = "\n".join(words(at))
    for phrase in expected:
        assert phrase in text, (phrase, text[:2000])
    assert "Play gaps" not in text and "Create assessment" not in text


def test_the_sufficiency_criteria_keep_their_statutory_names_beside_the_german(officer):
    at = open_page(officer, "app_pages/play_sufficiency.py", lang="de")
    headings = [read(e.label) for e in at.main.get("expander")]
    assert any("Mindestens 10 m² Spielfläche pro Kind" in h for h in headings), headings
    picker = next(s for s in at.main.selectbox if read(s.label) == "Bewertung")
    assert "London Plan Policy S4" in read(str(picker.options[0]))


@pytest.mark.parametrize("page", PAGES)
def test_no_english_of_ours_is_left_in_the_pseudo_language(officer, page):
    at = open_page(officer, page, lang="qps")
    ours = [t for t in words(at) if PSEUDO_OPEN in t or re.search("[A-Za-z]{4,}", t)]
    # Ward, proposal and barrier names are data; everything else must sit inside ⟦ ⟧.
    data = {str(n) for n in store().frame("SELECT name FROM areas")["name"]} | {RIVER, RAILWAY}
    data |= {str(n) for n in store().frame("SELECT title FROM initiatives")["title"]}
    left = []
    for text in ours:
        rest = outside_brackets(text)
        for name in sorted(data, key=len, reverse=True):
            rest = rest.replace(name, "")
        if re.search("[A-Za-z]{4,}", rest):
            left.append(text)
    assert not left, left
