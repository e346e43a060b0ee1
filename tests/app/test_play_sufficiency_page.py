"""The Play sufficiency page in AppTest: create an assessment, a rating refused without
evidence (the choice kept), then saved with it; finalising after a confirmation; residents
are refused the page."""

from datetime import date

from geo.council.sufficiency import assessments
from geo.council.sufficiency.frameworks import FRAMEWORKS
from tests.app.conftest import open_page, person, read
from ui.common import store
from ui.session import utc_now


def button(at, label):
    return next(b for b in at.button if b.label == label)


def messages(at, kind):
    return [read(m.value) for m in getattr(at, kind)]


def test_an_officer_creates_an_assessment_and_rates_with_evidence_only(database):
    olu = person("olu@demo.example")
    at = open_page(olu, "app_pages/play_sufficiency.py")
    assert any("No assessment yet" in read(m.value) for m in at.info)
    button(at, "Create assessment").click().run()
    assert not at.exception
    assert any("Assessment created" in m for m in messages(at, "success"))
    (made,) = assessments.assessments(store(), olu)["id"]
    assert [read(b.proto.label) for b in at.get("download_button")] == [
        "Download: Word document (DOCX)", "Download: PDF", "Download: Web page (HTML)",
    ]  # fmt: skip

    rating = next(r for r in at.radio if r.label == "Rating")
    rating.set_value("red")
    button(at, "Save rating").click().run()
    assert any("write the evidence" in m.lower() for m in messages(at, "error"))
    assert next(r for r in at.radio if r.label == "Rating").value == "red"  # kept
    assert not assessments.assessment(store(), olu, made).ratings

    next(t for t in at.text_area if t.label == "Evidence (always needed)").set_value(
        "Census 2021 by ward"
    )
    button(at, "Save rating").click().run()
    assert any("Rating saved" in m for m in messages(at, "success"))
    saved = assessments.assessment(store(), olu, made).ratings["A"]
    assert (saved.rating, saved.evidence) == ("red", "Census 2021 by ward")


def test_residents_cannot_open_the_page(database):
    at = open_page(person("rosa@demo.example"), "app_pages/play_sufficiency.py")
    assert not at.radio and not [b for b in at.button if b.label == "Create assessment"]


def test_finalising_asks_first_and_then_locks_the_ratings(database):
    olu = person("olu@demo.example")
    made = assessments.create_assessment(
        store(), olu, "london", date(2025, 1, 1), date(2026, 12, 31), [], utc_now()
    )
    for criterion in FRAMEWORKS["london"].criteria:
        assessments.rate(store(), olu, made, criterion.id, "amber", "Audit 2026", utc_now())
    at = open_page(olu, "app_pages/play_sufficiency.py")
    next(t for t in at.text_input if t.label.startswith("Why it is final")).set_value(
        "Approved by cabinet"
    )
    button(at, "Mark final…").click().run()
    assert any("nothing in this assessment can change" in read(w.value) for w in at.warning)
    assert assessments.assessment(store(), olu, made).status == "draft"  # not yet
    button(at, "Confirm: mark final").click().run()
    assert not at.exception
    assert assessments.assessment(store(), olu, made).status == "final"
    assert not [r for r in at.radio if r.label == "Rating"]  # nothing left to change


def test_two_drafts_of_one_framework_and_period_are_told_apart_in_the_picker(database):
    olu = person("olu@demo.example")
    at = open_page(olu, "app_pages/play_sufficiency.py")
    button(at, "Create assessment").click().run()
    at = open_page(olu, "app_pages/play_sufficiency.py")  # a second try, later
    button(at, "Create assessment").click().run()
    picker = next(s for s in at.selectbox if s.label == "Assessment")
    labels = list(picker.options)  # as shown: the labels, not the ids
    assert len(labels) == 2 and len(set(labels)) == 2  # not the same words twice
    assert all("whole council" in label and "; created " in label for label in labels)
    assert labels[0].startswith(f"No. {picker.value}: ")  # as the downloads' file names
