"""Walking coverage read from the store: streets imported or not, on both stores."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.cli import main
from geo.council import coverage
from geo.errors import NotFound
from geo.geometry import distance_m
from geo.permissions import COMMAND_LINE
from geo.streets import storage
from geo.streets.network import StreetNetwork

# One street along latitude 52.02 across both wards of the town (tests/unit/conftest.py),
# on the south side of its playground, with a node every 0.005° (about 343 m).
LONS = np.round(np.arange(-1.05, -0.9499, 0.005), 6)


def main_street() -> StreetNetwork:
    lats = np.full(len(LONS), 52.02)
    u, v = np.arange(len(LONS) - 1), np.arange(1, len(LONS))
    length = [
        distance_m(shapely.Point(LONS[a], 52.02), shapely.Point(LONS[b], 52.02))
        for a, b in zip(u, v, strict=True)
    ]
    return StreetNetwork(LONS, lats, u, v, np.array(length), np.zeros(len(u), dtype=bool))


def import_streets(store) -> None:
    storage.replace_network(store, COMMAND_LINE, main_street(), source="test", components=1)


def test_without_streets_auto_is_the_straight_line_and_walking_says_what_to_do(town):
    assert coverage.walking_coverage(town.store) is None
    auto = coverage.coverage(town.store)
    assert "local_line_share" not in auto.table
    with pytest.raises(NotFound, match="import-streets"):
        coverage.coverage(town.store, method="walking")
    with pytest.raises(NotFound, match="import-streets"):
        coverage.what_if_walking(town.store, [1])


def test_with_streets_coverage_is_by_walking_beside_the_straight_line(town):
    import_streets(town.store)
    result = coverage.coverage(town.store)
    table = result.table.set_index("name")
    assert table.loc["East", "local_share"] == 0  # no play area there
    west = table.loc["West"]
    # Cells along the street within 400 m of the playground's edge (its step to the street
    # included), of a 3.4 × 5.6 km ward; the straight line's 240 m around it is as small.
    assert 0 < west["local_share"] < 0.05 and 0 < west["local_line_share"] < 0.05
    assert west["local_difference"] == pytest.approx(west["local_share"] - west["local_line_share"])
    assert west["local_residents"] == round(4000 * west["local_share"])
    # The straight line is measured over the same 40 m cells as the walk, so it matches the
    # area method's answer to within the cells' grain.
    straight = coverage.coverage(town.store, method="straight").table.set_index("name")
    assert straight.loc["West", "local_share"] == pytest.approx(west["local_line_share"], abs=0.002)
    assert set(result.gaps) == set(coverage.LEVELS)


def test_walking_coverage_gives_cells_edges_and_the_cut_off_for_the_map(town):
    import_streets(town.store)
    result = coverage.walking_coverage(town.store)
    assert len(result.edges) == len(LONS) - 1
    assert np.isfinite(result.edges["local_walk_m"]).sum() >= 1
    assert isinstance(result.cells, gpd.GeoDataFrame)
    assert set(result.cells["ward_id"]) == {town.west_id, town.east_id}
    # Cells north of the playground are within 240 m of it but far from the street.
    assert (result.cut_off["level"] == "local").any()
    assert set(result.cut_off["barrier_kind"]) == {"no crossing in the data"}


def test_what_if_walking_counts_residents_a_proposal_brings_in_reach(town):
    from geo.proposals import workflow
    from geo.proposals.form import ProposalForm
    from tests.unit.conftest import NOW, box

    import_streets(town.store)
    with town.store.write() as cursor:
        cursor.execute("UPDATE areas SET population = 2000 WHERE name = 'East'")
    form = ProposalForm(
        title="A new play area", summary="Somewhere to play at last.", kind="new_play_area"
    )
    east = workflow.save_draft(
        town.store, town.leader, form, box(-0.97, 52.0195, 0.001, 0.0008), NOW
    )
    gain = coverage.what_if_walking(town.store, [east]).iloc[0]
    assert gain["proposal_id"] == east
    assert gain["local_residents"] > 0 and gain["neighbourhood_residents"] == 0


def test_the_command_line_says_how_to_get_walking_coverage_without_streets(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("SAFEPLAY_DB", str(tmp_path / "empty.duckdb"))
    assert main(["coverage", "--method", "walking"]) == 1
    assert "import-streets" in capsys.readouterr().err


def test_the_command_line_writes_walking_straight_line_and_difference_columns(
    tmp_path, monkeypatch, capsys
):
    from geo.registry.areas import AreaRecord, add_areas
    from geo.registry.places import PlaceRecord, add_places
    from geo.storage.db import Store
    from tests.unit.conftest import EAST, PLAYGROUND, WEST

    path = tmp_path / "walking.duckdb"
    store = Store(str(path))
    add_areas(
        store,
        COMMAND_LINE,
        [AreaRecord("West", "W", WEST, population=4000), AreaRecord("East", "E", EAST)],
        level="ward",
        source="test",
    )
    add_places(store, COMMAND_LINE, [PlaceRecord("Mill Lane", "playground", PLAYGROUND, "test")])
    import_streets(store)
    store.close()
    monkeypatch.setenv("SAFEPLAY_DB", str(path))
    assert main(["coverage", "--method", "walking", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert {"local_covered_pct", "local_line_covered_pct", "local_difference_points"} <= set(header)
    assert main(["coverage", "--method", "straight", "--format", "csv"]) == 0
    assert "local_line_covered_pct" not in capsys.readouterr().out
    # The London Plan's age bands, walked (800 m for 12 and over) and as the crow flies.
    assert main(["coverage", "--standard", "london", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split(",")
    assert {"under_5_covered_pct", "age_12_plus_covered_pct"} <= set(header)
    assert "age_12_plus_line_covered_pct" in header and "local_covered_pct" not in header
    west = dict(zip(header, next(line for line in lines if "West" in line).split(","), strict=True))
    assert 0 < float(west["age_5_11_covered_pct"]) < 100  # a playground serves 5-11s
    assert float(west["age_12_plus_covered_pct"]) == 0  # but not 12 and over
    assert (
        main(["coverage", "--standard", "london", "--method", "straight", "--format", "csv"]) == 0
    )
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert "age_5_11_covered_pct" in header and "age_5_11_line_covered_pct" not in header


def test_the_network_is_read_once_per_import_and_afresh_after_a_new_one(town):
    import_streets(town.store)
    first = coverage.street_network(town.store)
    assert coverage.street_network(town.store) is first
    import_streets(town.store)  # a re-import replaces it: the next question reads it again
    again = coverage.street_network(town.store)
    assert again is not first
    assert again.node_count == first.node_count


def test_a_coverage_table_is_measured_once_per_data_version(town):
    import_streets(town.store)
    first = coverage.coverage(town.store, with_gaps=False)
    assert coverage.coverage(town.store, with_gaps=False) is first  # a rerun reads it again
    assert coverage.coverage(town.store, with_gaps=False, bands="london") is not first
    with town.store.write() as cursor:  # any committed write moves the data version
        cursor.execute("UPDATE areas SET population = 5000 WHERE name = 'West'")
    again = coverage.coverage(town.store, with_gaps=False)
    assert again is not first
    assert again.table.set_index("name").loc["West", "population"] == 5000
