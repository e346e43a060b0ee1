"""Play gaps by walking, in AppTest: the demo town with its own streets, with a street
extract imported in their place (built in the test as a real .osm.pbf and read by the
streets import), and the same town with its streets taken out."""

import pytest

from geo.council import coverage
from geo.escape import for_markdown
from geo.io.demo.streets import RAILWAY, RIVER, STREETS_SOURCE
from geo.mapping import walking_layers
from geo.permissions import COMMAND_LINE
from geo.registry import areas
from geo.streets import storage
from tests.app.conftest import open_page, person
from tests.osm_files import at, write_osm
from tests.street_grid import HOSTILE_RAILWAY, write_town_streets
from tests.street_grid import RIVER as GRID_RIVER
from ui.common import store


@pytest.fixture
def council(database):
    return person("olu@demo.example")


@pytest.fixture
def with_streets(council, tmp_path):
    bounds = tuple(float(v) for v in areas.area_shapes(store(), "ward").total_bounds)
    extract = write_town_streets(tmp_path / "town streets.osm.pbf", bounds)
    storage.import_streets(store(), COMMAND_LINE, extract)
    return council


@pytest.fixture
def without_streets(council):
    """The demo town as a council sees it before importing any streets."""
    with store().write() as cursor:
        for table in storage.STREET_TABLES:
            cursor.execute(f"DELETE FROM {table}")
    return council


def every_cell(at) -> list[str]:
    return [str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()]


def test_walking_is_the_default_once_streets_are_imported(with_streets):
    at = open_page(with_streets, "app_pages/play_gaps.py")
    assert at.radio[0].value == "walking"
    assert at.radio[0].options == ["Walking along streets", "Straight line"]
    assert any(
        "town streets.osm.pbf" in c.value and "km of walkable" in c.value for c in at.caption
    )
    ranking = at.dataframe[0].value
    assert list(ranking.columns) == [
        "Ward",
        "Children out of reach (est.)",
        "On foot",
        "As the crow flies (240 m)",
        "Difference",
        "Residents out of reach",
    ]
    assert len(ranking) == 14
    children = [int(n.replace(",", "")) for n in ranking["Children out of reach (est.)"]]
    assert children == sorted(children, reverse=True)
    assert ranking["Difference"].str.contains(r"points? (?:fewer|more) on foot|The same").all()
    # The map's ward picker starts at the neediest ward.
    picker = next(s for s in at.selectbox if s.label == "Ward on the map")
    assert picker.format_func(picker.value) == ranking["Ward"].iloc[0]
    assert not any(c in ("nan", "None", "<NA>") for c in every_cell(at))


def test_cut_off_homes_name_the_barrier_in_words(with_streets):
    at = open_page(with_streets, "app_pages/play_gaps.py")
    cut = at.dataframe[1].value
    barriers = set(cut["Cut off by"])
    assert f"a railway — {HOSTILE_RAILWAY}" in barriers  # shown as text, cell by cell
    assert f"a river — {GRID_RIVER}" in barriers
    assert cut["Homes or spots"].gt(0).all()
    assert cut["Crow flies"].str.startswith("about ").all()


def test_a_proposal_reports_residents_reached_and_the_walk_it_saves(with_streets):
    at = open_page(with_streets, "app_pages/play_gaps.py")
    candidates = coverage.what_if_candidates(store())
    streets = candidates[candidates["title"].str.contains("play street", case=False)]
    at.multiselect[0].set_value([int(i) for i in streets["id"]]).run()
    assert not at.exception
    change = at.dataframe[2].value
    assert set(change["Proposal"]) <= set(streets["title"])
    assert change["Level"].eq("Doorstep play (LAP)").any()
    assert change["Average walk saved"].str.contains("second|minute").all()


def test_the_london_plan_bands_replace_the_levels(with_streets):
    at = open_page(with_streets, "app_pages/play_gaps.py")
    at.selectbox[0].select("london").run()
    assert not at.exception
    assert at.selectbox[1].options == [
        "Under 5: doorstep play",
        "Ages 5–11: local play",
        "Ages 12 and over: youth play",
    ]
    assert "As the crow flies (240 m)" in at.dataframe[0].value.columns


def test_step_free_routes_reach_no_more_homes_than_routes_with_steps(with_streets):
    at = open_page(with_streets, "app_pages/play_gaps.py")
    before = at.dataframe[0].value.set_index("Ward")["Residents out of reach"]
    at.toggle[0].set_value(True).run()
    assert not at.exception
    after = at.dataframe[0].value.set_index("Ward")["Residents out of reach"]
    as_number = lambda column: column.str.replace(",", "").astype(float)  # noqa: E731
    more, less = as_number(after[before.index]), as_number(before)
    assert (more >= less).all() and (more > less).any()  # the stepped bridge is left out


def test_the_demo_town_is_walked_along_its_own_streets_past_its_river_and_railway(council):
    at = open_page(council, "app_pages/play_gaps.py")
    assert at.radio[0].value == "walking"
    assert any(STREETS_SOURCE in c.value and "km of walkable" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 14
    barriers = set(at.dataframe[1].value["Cut off by"])
    assert {f"a river — {RIVER}", f"a railway — {RAILWAY}"} <= barriers
    assert not any(c in ("nan", "None", "<NA>") for c in every_cell(at))


def test_without_streets_only_the_straight_line_is_offered_and_how_to_import(without_streets):
    at = open_page(without_streets, "app_pages/play_gaps.py")
    assert at.radio[0].options == ["Straight line"]
    assert any("python -m geo import-streets FILE.osm.pbf" in c.value for c in at.caption)
    assert "Covered" in at.dataframe[0].value.columns


def test_a_ward_map_draws_the_named_barrier_escaped_and_stays_light(with_streets):
    result = coverage.walking_coverage(store())
    barriers = storage.load(store()).barriers
    cut = result.cut_off[result.cut_off["level"] == "local"]
    railway_ward = cut.loc[cut["barrier_kind"] == "a railway", "ward_id"].iloc[0]
    features = walking_layers.cut_off_features(cut[cut["ward_id"] == railway_ward], barriers)
    drawn = [f["properties"]["what"] for f in features if f["properties"]["role"] == "barrier"]
    assert "a railway — &lt;b&gt;Main&lt;/b&gt; Line &#123;&#123; 6*7 &#125;&#125;" in drawn
    streets = result.edges[result.edges["ward_id"] == railway_ward]
    layer = walking_layers.edge_layer(streets, streets["local_walk_m"], 400)
    assert 0 < walking_layers.payload_bytes(layer) < 40 * len(streets)  # merged, rounded


def test_streets_of_somewhere_else_are_named_as_such_over_the_figures(council, tmp_path):
    # An extract of another place imports cleanly; the page must not let "0% on foot"
    # read as a finding about the town.
    nodes = {i: at(i, 0) for i in range(1, 7)}
    far = write_osm(
        tmp_path / "elsewhere.osm.pbf", nodes, {1: ([1, 2, 3, 4, 5, 6], {"highway": "path"})}
    )
    storage.import_streets(store(), COMMAND_LINE, far)
    at_page = open_page(council, "app_pages/play_gaps.py")
    warned = [w.value for w in at_page.warning]
    assert any(
        for_markdown("None of the imported streets (elsewhere.osm.pbf) lies in any of the") in w
        and "read the straight line" in w
        for w in warned
    )


def test_a_ward_without_streets_is_named(council, tmp_path):
    wards = areas.area_shapes(store(), "ward")
    bounds = tuple(float(v) for v in wards.iloc[:1].total_bounds)  # one ward's streets
    storage.import_streets(
        store(), COMMAND_LINE, write_town_streets(tmp_path / "t.osm.pbf", bounds)
    )
    missing = coverage.street_network(store()).wards_without_streets(wards)
    assert wards["name"].iloc[0] not in missing and 0 < len(missing) < len(wards)
    warned = [w.value for w in open_page(council, "app_pages/play_gaps.py").warning]
    assert any(
        for_markdown(f"No imported street lies in {', '.join(missing)}: on foot, every home") in w
        for w in warned
    )
