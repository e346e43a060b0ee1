"""The street network in the database: stored whole, read back exactly, replaced in one write.

Runs on both stores (the ``store`` and ``places`` fixtures), including the command line.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from geo.accounts import auth
from geo.cli import main
from geo.errors import ImportRejected, PermissionDenied
from geo.io.moving import copy_store
from geo.permissions import COMMAND_LINE
from geo.registry import areas
from geo.storage.db import Store, is_postgres
from geo.streets import storage
from geo.streets.osm_streets import read_streets
from tests.osm_files import at, riverside, write_osm


@pytest.fixture(scope="module")
def town_file(tmp_path_factory: pytest.TempPathFactory):
    return riverside(tmp_path_factory.mktemp("osm") / "riverside.osm.pbf")


@pytest.fixture(scope="module")
def lane_file(tmp_path_factory: pytest.TempPathFactory):
    """A second, smaller extract: one lane of six nodes."""
    nodes = {i: at(i, 0) for i in range(1, 7)}
    ways = {1: ([1, 2, 3, 4, 5, 6], {"highway": "residential", "name": "Mill Lane"})}
    return write_osm(tmp_path_factory.mktemp("lane") / "lane.osm.pbf", nodes, ways)


def _same_frame(stored, read, columns: list[str]) -> None:
    """The same rows, attributes and exact geometry (as WKB), whatever their order."""

    def rows(frame) -> list[tuple]:
        values = [frame[c].tolist() for c in columns] + [list(frame.geometry.to_wkb())]
        return sorted(zip(*values, strict=True), key=repr)

    assert rows(stored) == rows(read)


def test_nothing_imported_reads_as_none(store):
    assert storage.load(store) is None and storage.summary(store) is None


def test_a_stored_network_reads_back_exactly(store, town_file):
    reading = read_streets(town_file)
    outcome = storage.import_streets(store, COMMAND_LINE, town_file)
    assert outcome.replaced is None
    loaded, read = storage.load(store), reading.network
    for name in ("lon", "lat", "u", "v", "length_m", "steps"):
        assert np.array_equal(getattr(loaded, name), getattr(read, name)), name
    assert loaded.u.dtype == np.int32 and loaded.steps.dtype == bool
    _same_frame(loaded.entrances, read.entrances, ["kind"])
    _same_frame(loaded.homes, read.homes, ["kind"])
    _same_frame(loaded.residential, read.residential, ["kind"])
    _same_frame(loaded.barriers, read.barriers, ["kind", "name"])
    assert set(loaded.barriers["name"].dropna()) == {"River Lea", "M11", "Mill Pond"}
    assert loaded.barriers["name"].isna().sum() == 3  # None in the database, not "None"


def test_the_summary_says_what_was_imported_when_and_by_whom(store, town_file):
    before = datetime.now(UTC).replace(tzinfo=None)
    storage.import_streets(store, COMMAND_LINE, town_file)
    told = storage.summary(store)
    assert (told.source, told.imported_by) == ("riverside.osm.pbf", "command-line")
    assert (told.nodes, told.edges, told.components, told.dropped_fragments) == (17, 15, 2, 1)
    assert told.length_km == pytest.approx(storage.load(store).length_km)
    assert before <= told.imported_at <= datetime.now(UTC).replace(tzinfo=None)


def test_reimport_replaces_the_network_and_moves_the_data_version(store, town_file, lane_file):
    storage.import_streets(store, COMMAND_LINE, town_file)
    version = store.data_version()
    outcome = storage.import_streets(store, COMMAND_LINE, lane_file)
    assert outcome.replaced.source == "riverside.osm.pbf" and outcome.replaced.nodes == 17
    assert store.data_version() != version
    network = storage.load(store)
    assert (network.node_count, network.edge_count) == (6, 5)
    assert network.entrances.empty and network.barriers.empty and network.homes.empty
    assert store.value("SELECT count(*) FROM street_networks") == 1
    assert storage.summary(store).source == "lane.osm.pbf"


def test_a_broken_file_writes_nothing_and_keeps_the_old_network(store, town_file, tmp_path):
    storage.import_streets(store, COMMAND_LINE, town_file)
    version = store.data_version()
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(town_file.read_bytes()[:200])  # a download cut short
    with pytest.raises(ImportRejected):
        storage.import_streets(store, COMMAND_LINE, broken)
    assert storage.summary(store).source == "riverside.osm.pbf"
    assert storage.load(store).node_count == 17 and store.data_version() == version


def test_a_write_failing_half_way_leaves_the_old_network(store, town_file, lane_file, monkeypatch):
    storage.import_streets(store, COMMAND_LINE, town_file)

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(storage, "_insert_shapes", fail)  # after nodes and edges are in
    with pytest.raises(RuntimeError):
        storage.import_streets(store, COMMAND_LINE, lane_file)
    assert storage.load(store).node_count == 17
    assert storage.summary(store).source == "riverside.osm.pbf"


def test_only_administrators_import_streets(store, town_file):
    auth.create_user(
        store, COMMAND_LINE, "officer@council.example", "Officer", "council", "a long phrase here"
    )
    officer = auth.authenticate(
        store,
        "officer@council.example",
        "a long phrase here",
        datetime.now(UTC).replace(tzinfo=None),
    )
    with pytest.raises(PermissionDenied):
        storage.import_streets(store, officer, town_file)
    assert storage.summary(store) is None


def _point_cli_at(places, monkeypatch) -> str:
    location = places.new("cli")
    variable = "SAFEPLAY_DATABASE_URL" if is_postgres(location) else "SAFEPLAY_DB"
    monkeypatch.setenv(variable, location)
    return location


def test_the_command_line_imports_and_says_so_in_words(
    places, monkeypatch, capsys, town_file, lane_file
):
    location = _point_cli_at(places, monkeypatch)
    assert main(["import-streets", str(town_file)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == (
        "Imported 17 nodes and 15 edges (1.6 km of walkable ways) in 2 components."
    )
    assert "2 entrances and gates, 2 homes, 2 residential areas and 6 barriers (1 " in captured.out
    assert "1 trunk road" in captured.out
    assert "Left out 1 fragment of fewer than 5 nodes (2 nodes)" in captured.out
    assert "First street network." in captured.out
    assert "Reading ways [" in captured.err and captured.err.endswith("\n")
    assert main(["import-streets", str(lane_file)]) == 0
    again = capsys.readouterr().out
    assert "Imported 6 nodes and 5 edges" in again
    assert "Replaced the network imported on " in again and "from riverside.osm.pbf" in again
    opened = Store(location)
    try:
        assert storage.summary(opened).source == "lane.osm.pbf"
    finally:
        opened.close()
    places.drop(location)


def test_the_command_line_refuses_a_missing_or_foreign_file_and_writes_nothing(
    places, monkeypatch, capsys, tmp_path
):
    location = _point_cli_at(places, monkeypatch)
    assert main(["import-streets", str(tmp_path / "nowhere.osm.pbf")]) == 1
    assert "nowhere.osm.pbf does not exist" in capsys.readouterr().err
    wards = tmp_path / "wards.geojson"
    wards.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert main(["import-streets", str(wards)]) == 1
    said = capsys.readouterr()
    assert "error: wards.geojson could not be read as OpenStreetMap data" in said.err
    assert said.out == ""
    opened = Store(location)
    try:
        assert storage.summary(opened) is None
    finally:
        opened.close()
    places.drop(location)


def test_an_extract_of_somewhere_else_is_imported_with_a_warning(demo_store, lane_file):
    # The lane lies near 0°, 0°, far from the demo town: it imports (an administrator may
    # mean it), but the summary says no ward has a street, before the walking page would
    # quietly count every home as out of reach.
    lines = storage.import_streets(demo_store, COMMAND_LINE, lane_file).lines()
    assert any(
        line.startswith("Warning: none of these streets lies in the council's ")
        and "Is this the extract of the right place?" in line
        for line in lines
    )


def test_an_extract_covering_some_wards_names_the_others(demo_store, tmp_path):
    wards = areas.area_shapes(demo_store, "ward")
    first = wards.iloc[0]
    centre = first.geometry.representative_point()
    nodes = {i + 1: (centre.x + i * 0.0002, centre.y, {}) for i in range(6)}
    path = write_osm(
        tmp_path / "one ward.osm.pbf", nodes, {1: ([1, 2, 3, 4, 5, 6], {"highway": "residential"})}
    )
    outcome = storage.import_streets(demo_store, COMMAND_LINE, path)
    assert first["name"] not in outcome.wards_missing
    assert outcome.wards_total == len(wards) and len(outcome.wards_missing) >= len(wards) - 2
    warning = next(line for line in outcome.lines() if line.startswith("Warning"))
    assert f"of the council's {len(wards)} wards (" in warning and "more)" in warning
    assert "out of reach on foot until an extract covering them is imported" in warning


def test_a_copy_of_the_database_carries_the_network(store, town_file, tmp_path):
    """``python -m geo copy`` (and so a backup of PostgreSQL) keeps the streets exactly."""
    storage.import_streets(store, COMMAND_LINE, town_file)
    copy_store(store, COMMAND_LINE, str(tmp_path / "copy.duckdb"))
    copied = Store(tmp_path / "copy.duckdb")
    try:
        there, here = storage.load(copied), storage.load(store)
        for name in ("lon", "lat", "u", "v", "length_m", "steps"):
            assert np.array_equal(getattr(there, name), getattr(here, name)), name
        _same_frame(there.barriers, here.barriers, ["kind", "name"])
        assert storage.summary(copied) == storage.summary(store)
    finally:
        copied.close()
