"""Population from a council's CSV, and exports of exactly the council's filtered set."""

import csv

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.cli import main
from geo.council import population
from geo.council.matching import select_initiatives
from geo.council.selection import Selection
from geo.errors import ImportRejected, PermissionDenied
from geo.io import exports
from geo.permissions import COMMAND_LINE


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def population_of(store):
    return dict(store.cursor().execute("SELECT name, population FROM areas").fetchall())


def test_population_joins_on_code_and_reports_every_mismatch(town):
    data = csv_bytes(
        "ward_code,people,kids\n"
        'W,"4,321",900\n'  # a thousands separator, as spreadsheets write it
        "X,100,10\n"  # no such ward
        "E,lots,5\n"  # not a number
    )
    report = population.import_population(
        town.store,
        town.council,
        data,
        match_field="ward_code",
        population_field="people",
        children_field="kids",
    )
    assert report.matched == 1
    assert report.unmatched_rows == ["line 3 ('X')"]
    assert report.bad_numbers == ["line 4 ('E'): not a whole number"]
    assert report.areas_without == ["E"]
    assert population_of(town.store)["West"] == 4321


def test_population_joins_on_names_in_windows_1252(town):
    data = "name,population\n  east ,1200\nWést,99\n".encode("cp1252")
    report = population.import_population(
        town.store,
        town.council,
        data,
        match_field="name",
        population_field="population",
        by="name",
    )
    assert report.matched == 1 and population_of(town.store)["East"] == 1200
    assert report.unmatched_rows == ["line 3 ('Wést')"]


@pytest.mark.parametrize(
    ("data", "fields", "message"),
    [
        (b"", ("code", "pop"), "empty"),
        (b"code,pop\nQ,1\n", ("code", "pop"), "no row matched"),
        (b"code,pop\nW,1\n", ("ward", "pop"), "no column 'ward'"),
        (b'code,pop\n"W,1\n', ("code", "pop"), "not a readable CSV"),
    ],
)
def test_a_file_that_cannot_be_joined_changes_nothing(town, data, fields, message):
    before = population_of(town.store)
    with pytest.raises(ImportRejected, match=message):
        population.import_population(
            town.store, town.council, data, match_field=fields[0], population_field=fields[1]
        )
    assert population_of(town.store) == before


def test_only_council_and_admin_import_population(town):
    with pytest.raises(PermissionDenied):
        population.import_population(
            town.store, town.leader, b"code,pop\nW,1\n", match_field="code", population_field="pop"
        )


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_the_filtered_set_is_exported_field_by_field(demo_store, tmp_path, fmt):
    ward_id = (
        demo_store.cursor().execute("SELECT id FROM areas WHERE name = 'Riverside'").fetchone()[0]
    )
    shown = select_initiatives(
        demo_store, COMMAND_LINE, Selection(mode="areas", area_ids=(ward_id,))
    )
    assert len(shown) > 1
    target = tmp_path / f"initiatives.{fmt}"
    progress = []
    assert exports.write(shown, fmt, target, progress=progress.append) == len(shown)
    assert progress[-1] == 1.0
    if fmt == "csv":
        with target.open(encoding="utf-8-sig") as handle:
            back = pd.DataFrame(list(csv.DictReader(handle)))
        geometry = [shapely.from_wkt(w) for w in back["wkt"]]
    else:
        back = gpd.read_file(target, engine="pyogrio")
        assert back.crs.to_epsg() == 4326
        geometry = list(back.geometry)
    assert [int(i) for i in back["id"]] == shown["id"].tolist()
    assert back["title"].tolist() == shown["title"].tolist()
    assert back["status"].tolist() == shown["status"].tolist()
    assert back["partners"].tolist() == ["; ".join(p) for p in shown["partners"]]
    assert all(a.equals_exact(b, 1e-7) for a, b in zip(geometry, shown.geometry, strict=True))


def test_a_large_set_is_written_in_chunks_with_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 10)
    frame = gpd.GeoDataFrame(
        {"id": range(35), "title": [f"t{i}" for i in range(35)]},
        geometry=[shapely.Point(i / 100, 52) for i in range(35)],
        crs="EPSG:4326",
    )
    for fmt in ("csv", "gpkg"):
        progress = []
        exports.write(frame, fmt, tmp_path / f"big.{fmt}", progress=progress.append)
        assert progress == [10 / 35, 20 / 35, 30 / 35, 1.0, 1.0]
    assert len(gpd.read_file(tmp_path / "big.gpkg")) == 35
    with (tmp_path / "big.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 35


def test_cli_exports_initiatives_near_a_point_and_reports_coverage(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAFEPLAY_DB", str(tmp_path / "cli.duckdb"))
    assert main(["demo"]) == 0
    target = tmp_path / "near.geojson"
    near = ["--near", "52.93,-1.47,1500", "--status", "approved,in_progress"]
    assert main(["export", "initiatives", *near, "--format", "geojson", "-o", str(target)]) == 0
    back = gpd.read_file(target)
    assert set(back["status"]) <= {"approved", "in_progress"} and (back["distance_m"] <= 1500).all()
    assert main(["coverage", "--format", "csv", "--local", "300"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    header = lines[-15].split(",")
    assert "local_covered_pct" in header and len(lines[-14:]) == 14
    assert (
        main(
            [
                "export",
                "places",
                "--near",
                "52.9,-1.4,10",
                "--format",
                "csv",
                "-o",
                str(tmp_path / "x.csv"),
            ]
        )
        == 1
    )
    assert "filter initiatives only" in capsys.readouterr().err


def test_cli_imports_population(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAFEPLAY_DB", str(tmp_path / "cli.duckdb"))
    assert main(["demo"]) == 0
    people = tmp_path / "people.csv"
    people.write_text("Ward,Residents\nRiverside,12000\nAtlantis,5\n", encoding="utf-8")
    assert (
        main(
            [
                "import-population",
                str(people),
                "--match-field",
                "Ward",
                "--by",
                "name",
                "--population-field",
                "Residents",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "population set for 1 areas" in out and "line 3 ('Atlantis')" in out


def test_out_of_range_figures_are_refused_row_by_row(town):
    data = csv_bytes(
        "ward_code,people,kids\n"
        "W,99999999999,5\n"  # a typing slip, once an uncaught error
        "E,1000,2000\n"  # more children than people
        "W,4000,800\n" + "E," + "9" * 90 + ",1\n"
    )
    report = population.import_population(
        town.store,
        town.council,
        data,
        match_field="ward_code",
        population_field="people",
        children_field="kids",
    )
    assert report.matched == 1 and population_of(town.store)["West"] == 4000
    assert report.bad_numbers[0] == (
        "line 2 ('W'): 99999999999 is more than any area's population (at most 20,000,000)"
    )
    assert "more children (2,000) than people" in report.bad_numbers[1]
    assert len(report.bad_numbers) == 3


def test_a_huge_wrong_file_gets_a_short_report_and_an_oversized_one_is_refused(town):
    rows = [f"Z{n},{n}\n" for n in range(150_000)]
    report = population.import_population(
        town.store,
        town.council,
        csv_bytes("code,pop\nW,10\n" + "".join(rows[:90_000])),
        match_field="code",
        population_field="pop",
    )
    lines = report.lines()
    assert len(lines) == 1 + population.REPORT_LIMIT + 2  # summary, 50 rows, the rest, areas
    assert lines[-2].startswith("… and ") and "matched no area" in lines[-2]
    with pytest.raises(ImportRejected, match="one row per area"):
        population.import_population(
            town.store,
            town.council,
            csv_bytes("code,pop\n" + "".join(rows)),
            match_field="code",
            population_field="pop",
        )
    with pytest.raises(ImportRejected, match="larger than"):
        population.read_table(b"code,pop\n" + b"x" * (population.MAX_BYTES + 1))
