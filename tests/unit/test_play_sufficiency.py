"""Children by age band from the population file, and the play sufficiency assessment: the
suggested ratings, the officer's ratings with evidence, actions, finalising, the audit
trail, who may do it, and the DOCX / PDF / HTML report with the figures from the data."""

import io
from datetime import date, datetime

import docx
import geopandas as gpd
import pandas as pd
import pytest

from geo.council import population
from geo.council.sufficiency import assessments, exports, frameworks
from geo.council.sufficiency import figures as figures_module
from geo.council.sufficiency.figures import Figures
from geo.errors import IllegalTransition, ImportRejected, InvalidInput, PermissionDenied
from tests.unit.conftest import NOW

YEARS = ",".join(f"age_{n}" for n in range(18))


def ages_csv(*rows: tuple[str, int, list[int]]) -> bytes:
    lines = [f"ward_code,people,{YEARS}"]
    lines += [f"{code},{people},{','.join(map(str, ages))}" for code, people, ages in rows]
    return "\n".join(lines).encode()


def bands_of(store):
    return {
        (area, band): children
        for area, band, children in store.rows("SELECT area_id, band, children FROM area_age_bands")
    }


def test_single_years_of_age_are_summed_into_the_welsh_bands(town):
    report = population.import_population(
        town.store, town.council, ages_csv(("W", 4000, list(range(18)))),
        match_field="ward_code", population_field="people",
    )  # fmt: skip
    bands = bands_of(town.store)
    assert bands[(town.west_id, "0-3")] == 0 + 1 + 2 + 3
    assert bands[(town.west_id, "8-12")] == 8 + 9 + 10 + 11 + 12
    assert bands[(town.west_id, "16-17")] == 33
    # no children column: children under 18 are the bands' sum
    children = town.store.value("SELECT child_population FROM areas WHERE id = ?", [town.west_id])
    assert children == sum(range(18))
    assert report.age_bands == 1
    assert "from single years of age" in report.lines()[1]


def test_a_bad_age_figure_skips_its_row_and_reimport_replaces_the_bands(town):
    population.import_population(
        town.store, town.council, ages_csv(("W", 4000, [1] * 18)),
        match_field="ward_code", population_field="people",
    )  # fmt: skip
    data = ages_csv(("W", 4000, [2] * 18)).replace(b"\n", b"\nE,900," + b"x," * 17 + b"1\n", 1)
    report = population.import_population(
        town.store, town.council, data, match_field="ward_code", population_field="people"
    )
    assert report.bad_numbers == ["line 2 ('E'): not a whole number"]
    assert bands_of(town.store)[(town.west_id, "0-3")] == 8


def test_more_children_in_the_bands_than_people_is_refused_for_that_row(town):
    report = population.import_population(
        town.store, town.council, ages_csv(("W", 10, [1] * 18), ("E", 900, [1] * 18)),
        match_field="ward_code", population_field="people",
    )  # fmt: skip
    assert "more children in the age bands (18) than people" in report.bad_numbers[0]
    assert {area for area, _ in bands_of(town.store)} == {town.east_id}


def test_missing_years_or_other_bands_are_refused_with_the_reason(town):
    missing = (
        "ward_code,people," + ",".join(f"age_{n}" for n in range(16)) + "\nW,1," + "1," * 15 + "1"
    )
    with pytest.raises(ImportRejected, match="not for 16, 17"):
        population.import_population(
            town.store, town.council, missing.encode(), match_field="ward_code",
            population_field="people",
        )  # fmt: skip
    odd = b"ward_code,people,0-4,5-9,10-17\nW,100,1,2,3\n"
    with pytest.raises(ImportRejected, match="cannot be split"):
        population.import_population(
            town.store, town.council, odd, match_field="ward_code", population_field="people"
        )


def test_a_file_already_in_bands_is_read_as_it_is(town):
    data = b"ward_code,people,0-3,4-7,8-12,13-15,16-17\nW,4000,10,20,30,40,50\n"
    population.import_population(
        town.store, town.council, data, match_field="ward_code", population_field="people"
    )
    assert bands_of(town.store)[(town.west_id, "13-15")] == 40


def test_an_officer_of_one_ward_sets_only_its_age_bands(town):
    data = ages_csv(("W", 4000, [1] * 18), ("E", 900, [2] * 18))
    report = population.import_population(
        town.store, town.east_officer, data, match_field="ward_code", population_field="people"
    )
    assert report.outside_rows == ["line 2 ('W')"]
    assert {area for area, _ in bands_of(town.store)} == {town.east_id}


def _figures(**wards: list) -> Figures:
    table = pd.DataFrame(
        {
            "id": [1, 2],
            "name": ["West", "East"],
            "population": [1000, 1000],
            "child_population": [200, 200],
            "area_ha": [1.0, 1.0],
            **{band: [10, None] for band in population.AGE_BANDS},
            **wards,
        }
    )
    places = pd.DataFrame(
        {
            "kind": ["playground"] * 4,
            "fee": [False, False, False, True],
            "opening_hours": [None] * 4,
            "wheelchair": ["yes", "no", None, "limited"],
            "result": ["pass", "pass", "defects", None],
            "inspected": [date(2026, 6, 1), date(2020, 1, 1), date(2026, 6, 1), None],
            "m2": [1000.0, 1000.0, 1000.0, 1000.0],
        }
    )
    voices = pd.DataFrame({"theme": ["Safety"], "age_band": ["under_12"], "voices": [2]})
    return Figures(
        gpd.GeoDataFrame(table), places, voices,
        pd.DataFrame({"category": [], "concerns": []}), "test", date(2026, 12, 31),
    )  # fmt: skip


def test_suggested_ratings_follow_their_rules():
    figures = _figures(
        doorstep_share=[1.0, 0.5], local_share=[0.9, 0.8], neighbourhood_share=[0.2, 0.4]
    )
    assert frameworks.population(figures).rating == "amber"  # bands for 1 of 2 wards
    assert frameworks.diverse_needs(figures).rating == "green"  # 2 of 3 recorded usable
    assert frameworks.charges(figures).rating == "amber"  # 3 of 4 free: 75%
    assert frameworks.quality(figures).rating == "red"  # 1 of 4 passed within a year
    assert frameworks._reach("local")(figures).rating == "green"  # 85% of children
    assert frameworks._reach("doorstep", "neighbourhood")(figures).rating == "red"  # 30%
    assert frameworks.space_per_child(figures).rating == "green"  # 4,000 m² / 400 = 10
    assert frameworks.consultation(figures).rating == "green"  # 2 voices per 400: 5 per 1,000
    assert frameworks.WALES.criterion("D").suggest(figures).rating is None


def test_every_framework_states_its_rules_in_words():
    for framework in frameworks.FRAMEWORKS.values():
        assert framework.source and framework.cycle
        for criterion in framework.criteria:
            assert criterion.rule and criterion.asks
    assert [c.id for c in frameworks.WALES.criteria] == list("ABCDEFGHI")


def _create(town, framework="wales", wards=()):
    return assessments.create_assessment(
        town.store, town.council, framework, date(2024, 4, 1), date(2027, 3, 31), wards, NOW
    )


def test_ratings_need_evidence_and_every_change_is_audited(town):
    assessment_id = _create(town)
    with pytest.raises(InvalidInput, match="evidence"):
        assessments.rate(town.store, town.council, assessment_id, "A", "green", "  ", NOW)
    assessments.rate(town.store, town.council, assessment_id, "A", "red", "No census yet", NOW)
    assessments.rate(town.store, town.council, assessment_id, "A", "green", "Census in", NOW)
    assessments.add_action(
        town.store, town.council, assessment_id, "C", "Survey parks", "Parks", date(2025, 1, 1), NOW
    )
    with pytest.raises(IllegalTransition, match="still unrated: Matter B"):
        exports.finalise(town.store, town.council, assessment_id, "Cabinet approved", NOW)
    for criterion in "BCDEFGHI":
        assessments.rate(town.store, town.council, assessment_id, criterion, "amber", "seen", NOW)
    exports.finalise(town.store, town.council, assessment_id, "Cabinet approved", NOW)
    found = assessments.assessment(town.store, town.council, assessment_id)
    assert found.status == "final" and found.ratings["A"].rating == "green"
    changes = found.changes
    assert list(changes.loc[changes["item"] == "rating:A", "from_value"].fillna("-")) == [
        "-",
        "red",
    ]
    assert changes.iloc[-1][["item", "from_value", "to_value", "actor", "reason"]].tolist() == [
        "status", "draft", "final", "council", "Cabinet approved",
    ]  # fmt: skip
    with pytest.raises(IllegalTransition, match="final"):
        assessments.rate(town.store, town.council, assessment_id, "A", "red", "later", NOW)


def test_residents_are_refused_and_ward_officers_stay_in_their_wards(town):
    with pytest.raises(PermissionDenied):
        assessments.create_assessment(
            town.store, town.resident, "wales", date(2024, 1, 1), date(2026, 12, 31), [], NOW
        )
    whole = _create(town)
    with pytest.raises(PermissionDenied):
        assessments.assessment(town.store, town.east_officer, whole)
    with pytest.raises(PermissionDenied):
        assessments.create_assessment(
            town.store, town.east_officer, "scotland", date(2024, 1, 1), date(2026, 12, 31),
            [town.west_id], NOW,
        )  # fmt: skip
    east = assessments.create_assessment(
        town.store, town.east_officer, "scotland", date(2024, 1, 1), date(2026, 12, 31),
        [town.east_id], NOW,
    )  # fmt: skip
    assert list(assessments.assessments(town.store, town.east_officer)["id"]) == [east]


def test_the_report_holds_every_matter_with_the_figures_from_the_data(town):
    population.import_population(
        town.store, town.council, ages_csv(("W", 4000, [10] * 18), ("E", 2000, [5] * 18)),
        match_field="ward_code", population_field="people",
    )  # fmt: skip
    with town.store.write() as cursor:
        cursor.execute(
            "INSERT INTO voices (id, text, redactions, theme, age_band, child_mode, area_id, "
            "state, created_at) VALUES (nextval('voice_ids'), 'A swing please', "
            "CAST(? AS VARCHAR[]), 'Ŵyn play', 'under_12', true, ?, 'published', ?), "
            "(nextval('voice_ids'), 'secret', "
            "CAST(? AS VARCHAR[]), 'Hidden theme', 'under_12', true, ?, 'pending', ?)",
            [[], town.west_id, datetime(2025, 5, 1), [], town.west_id, datetime(2025, 5, 1)],
        )
        cursor.execute("UPDATE places SET fee = false")
    assessment_id = _create(town)
    assessments.rate(
        town.store, town.council, assessment_id, "A", "amber", "<b>ŵ ŷ</b> evidence", NOW
    )
    *_, made = exports.prepared(town.store, town.council, assessment_id)
    text = "\n".join(
        [p.text for p in docx.Document(io.BytesIO(exports.to_docx(made))).paragraphs]
        + [
            cell.text
            for table in docx.Document(io.BytesIO(exports.to_docx(made))).tables
            for row in table.rows
            for cell in row.cells
        ]
    )
    for criterion in frameworks.WALES.criteria:
        assert criterion.title in text
    assert "180" in text and "90" in text  # children under 18 per ward: 18 × 10, 18 × 5
    assert "Ŵyn play" in text and "Hidden theme" not in text  # published voices only
    assert "<b>ŵ ŷ</b> evidence" in text
    assert "Free to use" in text
    assert "1 published voice of children" in text  # counted: one voice, not "voices"
    pdf = exports.to_pdf(made)  # no PDF reader is installed: its start and its font
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf
    page = exports.to_html(made)
    assert "&lt;b&gt;ŵ ŷ&lt;/b&gt;" in page and "<b>ŵ" not in page
    assert "Matter I: Play within all relevant policy" in page
    assert "Summary for children and young people" in page
    words = text.split()
    assert "nan" not in words and "None" not in words, [w for w in words if w in ("nan", "None")]


def test_a_final_assessment_keeps_the_report_it_was_finalised_with(town):
    population.import_population(
        town.store, town.council, ages_csv(("W", 4000, [10] * 18), ("E", 2000, [5] * 18)),
        match_field="ward_code", population_field="people",
    )  # fmt: skip
    assessment_id = _create(town)
    for criterion in "ABCDEFGHI":
        assessments.rate(town.store, town.council, assessment_id, criterion, "amber", "seen", NOW)
    exports.finalise(town.store, town.council, assessment_id, "Cabinet approved", NOW)
    *_, published = exports.prepared(town.store, town.council, assessment_id)
    page = exports.to_html(published)
    assert "Status: Final" in page and "Cabinet approved" in page
    assert ">180<" in page  # West's children under 18 when it was finalised
    # A month later the council imports new figures: the published record does not move.
    population.import_population(
        town.store, town.council, ages_csv(("W", 4000, [20] * 18), ("E", 2000, [5] * 18)),
        match_field="ward_code", population_field="people",
    )  # fmt: skip
    _, figures, again = exports.prepared(town.store, town.council, assessment_id)
    assert figures.children == 18 * 20 + 18 * 5  # the page's figures are today's
    assert exports.to_html(again) == page
    assert exports.to_docx(again)[:2] == b"PK" and exports.to_pdf(again).startswith(b"%PDF")
    draft = _create(town)  # a draft reads today's figures
    *_, today = exports.prepared(town.store, town.council, draft)
    assert ">360<" in exports.to_html(today)


def test_a_missing_font_is_named_with_the_package_that_brings_it(monkeypatch, tmp_path):
    from geo.council.sufficiency import maps
    from geo.errors import ExportFailed

    monkeypatch.setattr(maps, "FONT", tmp_path / "DejaVuSans.ttf")
    with pytest.raises(ExportFailed, match="fonts-dejavu-core"):
        maps.coverage_map(gpd.GeoDataFrame({"name": [], "local_share": []}), "local")


def test_the_reports_map_shows_every_play_space_as_a_dot(town):
    from PIL import Image

    from geo.council.sufficiency import maps

    assessment_id = _create(town)
    _, figures, made = exports.prepared(town.store, town.council, assessment_id)
    assert len(figures.places) and figures.places[["lon", "lat"]].notna().all().all()
    (picture,) = [b for b in made.blocks if hasattr(b, "png")]

    def dot_pixels(png: bytes) -> int:
        image = Image.open(io.BytesIO(png)).convert("RGB")
        legend_starts = maps.WIDTH - maps.LEGEND
        return sum(
            1
            for x in range(0, legend_starts, 2)
            for y in range(0, maps.HEIGHT, 2)
            if image.getpixel((x, y)) == maps.DOT
        )

    assert dot_pixels(picture.png()) > 0
    assert dot_pixels(maps.coverage_map(picture.wards, picture.level)) == 0


def test_the_report_says_which_way_reach_was_measured():
    from geo.council.coverage import Coverage
    from geo.council.sufficiency import figures

    line = Coverage(pd.DataFrame(columns=["id", "local_share"]))
    walked = Coverage(pd.DataFrame(columns=["id", "local_share", "local_line_share"]))
    assert figures._method(line) == figures.STRAIGHT_LINE
    assert figures._method(walked) == figures.WALKING


def test_with_streets_londons_twelve_and_over_are_measured_at_800_m_walking(town):
    from tests.unit.test_walking_store import import_streets

    london = _create(town, framework="london")
    _, before, _ = exports.prepared(town.store, town.council, london)
    twelve = next(c for c in frameworks.LONDON.criteria if c.id == "age12plus")
    assert "neighbourhood" in twelve.suggest(before).because  # straight line: nearest level
    import_streets(town.store)
    _, walked, made = exports.prepared(town.store, town.council, london)
    assert walked.method == figures_module.WALKING
    assert "age_12_plus_share" in walked.wards.columns
    assert "12 and over within 800 m" in twelve.suggest(walked).because
    assert "12 and over within 800 m" in exports.to_html(made)  # the suggestion, in the report
    wales = _create(town)  # the other frameworks do not ask for it
    _, other, _ = exports.prepared(town.store, town.council, wales)
    assert "age_12_plus_share" not in other.wards.columns
