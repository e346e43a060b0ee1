import csv

import geopandas as gpd
import pytest

from geo.cli import main
from geo.errors import ExportFailed
from geo.io import exports
from geo.permissions import COMMAND_LINE


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_export_writes_exactly_the_area_filtered_set(demo_store, tmp_path, fmt):
    everything = exports.collect(demo_store, COMMAND_LINE, "places")
    in_ward = exports.collect(demo_store, COMMAND_LINE, "places", area="Riverside")
    assert 0 < len(in_ward) < len(everything)
    target = tmp_path / f"places.{fmt}"
    assert exports.write(in_ward, fmt, target) == len(in_ward)
    if fmt == "csv":
        with target.open(encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len(in_ward) and rows[0]["wkt"] and rows[0]["latitude"]
    else:
        back = gpd.read_file(target)
        assert len(back) == len(in_ward) and back.crs.to_epsg() == 4326


def test_export_to_a_missing_folder_says_so(demo_store, tmp_path):
    with pytest.raises(ExportFailed, match="does not exist"):
        exports.write(
            exports.collect(demo_store, COMMAND_LINE, "areas"), "csv", tmp_path / "no" / "x.csv"
        )


def test_cli_loads_demo_and_prints_stats(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAFEPLAY_DB", str(tmp_path / "cli.duckdb"))
    assert main(["demo"]) == 0
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Riverside" in out and "14 wards" in out
    assert main(["demo", "--if-empty"]) == 0


def test_cli_failure_is_one_line_and_non_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAFEPLAY_DB", str(tmp_path / "cli.duckdb"))
    assert main(["import-places", str(tmp_path / "missing.csv")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "does not exist" in err and "\n" not in err


def test_cli_export_unknown_area_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAFEPLAY_DB", str(tmp_path / "cli.duckdb"))
    main(["demo"])
    code = main(["export", "places", "--area", "Atlantis", "--format", "csv", "-o", "x.csv"])
    assert code == 1 and "Atlantis" in capsys.readouterr().err


def test_cli_creates_the_first_admin_with_password_from_stdin(tmp_path, monkeypatch, capsys):
    import io
    from datetime import datetime

    from geo.accounts import auth
    from geo.storage.db import Store

    database = tmp_path / "cli.duckdb"
    monkeypatch.setenv("SAFEPLAY_DB", str(database))
    monkeypatch.setattr("sys.stdin", io.StringIO("a long pass phrase\n"))
    assert main(["create-user", "--login", "Ada", "--role", "admin"]) == 0
    assert "a long pass phrase" not in capsys.readouterr().out
    store = Store(database)
    assert (
        auth.authenticate(store, "ada", "a long pass phrase", datetime(2026, 1, 1)).role == "admin"
    )
    store.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["create-user", "--login", "bob", "--role", "resident"]) == 1
    assert "at least" in capsys.readouterr().err
