"""Imports of every supported format, with the imperfections real files have."""

import json
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from geo.errors import ImportRejected
from geo.io.imports import import_areas, import_places
from geo.io.osm import parse_other_tags, place_attributes, place_kind
from geo.permissions import COMMAND_LINE as ADMIN


def _count(store, table):
    return store.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _wards_file(tmp_path, name="wards.geojson"):
    bowtie = Polygon([(0.10, 51.50), (0.12, 51.52), (0.12, 51.50), (0.10, 51.52)])
    frame = gpd.GeoDataFrame(
        {"WD_NAME": ["North", "South", "Bow"], "WD_CODE": ["N1", "S1", "B1"]},
        geometry=[box(0.0, 51.51, 0.1, 51.6), box(0.0, 51.4, 0.1, 51.51), bowtie],
        crs="EPSG:4326",
    )
    path = tmp_path / name
    frame.to_file(path)
    return path


def test_geojson_wards_load_with_guessed_fields_and_repaired_bowtie(store, tmp_path):
    report = import_areas(store, ADMIN, _wards_file(tmp_path))
    assert report.imported == 3
    assert [issue.name for issue in report.repaired] == ["Bow"]
    names = {r[0] for r in store.cursor().execute("SELECT name FROM areas").fetchall()}
    assert names == {"North", "South", "Bow"}


def test_projected_geopackage_is_reprojected_to_lon_lat(store, tmp_path):
    # British National Grid, metres: a ward around Trafalgar Square.
    frame = gpd.GeoDataFrame(
        {"name": ["Centre"], "code": ["C1"]},
        geometry=[box(529_000, 180_000, 531_000, 181_000)],
        crs="EPSG:27700",
    )
    path = tmp_path / "wards.gpkg"
    frame.to_file(path, driver="GPKG")
    import_areas(store, ADMIN, path)
    x, y = (
        store.cursor()
        .execute("SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM areas")
        .fetchone()
    )
    assert -0.15 < x < -0.10 and 51.50 < y < 51.52  # longitude first, in London


def test_zipped_shapefile_loads(store, tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.read_file(_wards_file(tmp_path)).to_file(folder / "wards.shp")
    archive = tmp_path / "wards.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, part.name)
    assert import_areas(store, ADMIN, archive).imported == 3


def test_zip_without_shapefile_is_rejected_with_its_contents(store, tmp_path):
    archive = tmp_path / "notes.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ImportRejected, match=r"no \.shp.*readme\.txt"):
        import_areas(store, ADMIN, archive)


def test_projected_coordinates_without_crs_are_refused(store, tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("name,x,y\nA,529000,180000\nB,529100,180100\n")
    with pytest.raises(ImportRejected, match="not degrees"):
        import_places(store, ADMIN, path)
    assert _count(store, "places") == 0


def test_csv_rows_without_coordinates_at_zero_or_swapped_are_reported(store, tmp_path):
    rows = ["name,lat,lon"]
    rows += [f"Park {i},51.5{i},-0.1{i}" for i in range(6)]
    rows += ["No location,,", "Null island,0,0", "Swapped,-0.12,51.53"]
    path = tmp_path / "places.csv"
    path.write_text("\n".join(rows) + "\n")
    report = import_places(store, ADMIN, path)
    assert report.imported == 7
    reasons = {issue.name: issue.reason for issue in report.skipped + report.repaired}
    assert "no coordinates" in reasons["No location"]
    assert "0" in reasons["Null island"]
    assert "swapped" in reasons["Swapped"]
    lon, lat = (
        store.cursor()
        .execute("SELECT ST_X(geom), ST_Y(geom) FROM places WHERE name = 'Swapped'")
        .fetchone()
    )
    assert (lon, lat) == (51.53, -0.12)[::-1]


def test_wkt_csv_in_windows_encoding_loads(store, tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes("name,WKT\nCafé Green,POINT (-0.1 51.5)\nBad,POINT (oops)\n".encode("cp1252"))
    report = import_places(store, ADMIN, path)
    assert report.imported == 1 and report.skipped[0].name == "Bad"
    assert store.cursor().execute("SELECT name FROM places").fetchone()[0] == "Café Green"


def test_json_array_like_nyc_parks_loads_and_reimport_adds_nothing(store, tmp_path):
    rows = [
        {
            "Playground_ID": f"B{i}",
            "Name": f"Playground {i}",
            "Accessible": "Y",
            "lat": f"40.7{i}",
            "lon": f"-73.9{i}",
        }
        for i in range(5)
    ]
    path = tmp_path / "dpr.json"
    path.write_text(json.dumps(rows))
    assert import_places(store, ADMIN, path).imported == 5
    again = import_places(store, ADMIN, path)
    assert again.imported == 0 and len(again.skipped) == 5
    assert store.cursor().execute("SELECT DISTINCT wheelchair FROM places").fetchall() == [("yes",)]


def test_unguessable_name_field_asks_the_user_to_choose(store, tmp_path):
    frame = gpd.GeoDataFrame({"BoroCD": [101]}, geometry=[box(0, 51, 0.1, 51.1)], crs=4326)
    path = tmp_path / "cd.geojson"
    frame.to_file(path)
    with pytest.raises(ImportRejected, match=r"--name-field.*BoroCD"):
        import_areas(store, ADMIN, path)
    assert import_areas(store, ADMIN, path, name_field="BoroCD").imported == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"{not json", "cannot read"), (b"[1, 2]", "not of objects")],
)
def test_malformed_files_are_rejected_and_nothing_is_written(store, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ImportRejected, match=message):
        import_places(store, ADMIN, path)
    assert _count(store, "places") == 0


def test_duplicate_codes_reject_the_whole_file(store, tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["A", "B"], "code": ["X", "X"]},
        geometry=[box(0, 51, 0.1, 51.1), box(0.1, 51, 0.2, 51.1)],
        crs=4326,
    )
    path = tmp_path / "dup.geojson"
    frame.to_file(path)
    with pytest.raises(ImportRejected, match="unique"):
        import_areas(store, ADMIN, path)
    assert _count(store, "areas") == 0


def test_loading_wards_again_needs_replace_and_then_reassigns_places(store, tmp_path):
    path = _wards_file(tmp_path)
    import_areas(store, ADMIN, path)
    with pytest.raises(ImportRejected, match="--replace"):
        import_areas(store, ADMIN, path)
    csv = tmp_path / "p.csv"
    csv.write_text("name,lat,lon\nIn north,51.55,0.05\n")
    import_places(store, ADMIN, csv)
    import_areas(store, ADMIN, path, replace=True)
    ward = (
        store.cursor()
        .execute("SELECT a.name FROM place_areas pa JOIN areas a ON a.id = pa.area_id")
        .fetchall()
    )
    assert ward == [("North",)]


OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="60.1700" lon="24.9400"/>
  <node id="2" lat="60.1700" lon="24.9410"/>
  <node id="3" lat="60.1705" lon="24.9410"/>
  <node id="4" lat="60.1705" lon="24.9400"/>
  <node id="5" lat="60.1702" lon="24.9405"><tag k="playground" v="swing"/></node>
  <node id="6" lat="60.1800" lon="24.9500">
    <tag k="leisure" v="playground"/><tag k="name" v="Corner Play"/>
  </node>
  <way id="10">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="leisure" v="playground"/><tag k="name" v="Puistikko"/>
    <tag k="min_age" v="3"/><tag k="max_age" v="12"/><tag k="wheelchair" v="limited"/>
    <tag k="surface" v="sand"/><tag k="lit" v="yes"/><tag k="fee" v="no"/>
    <tag k="opening_hours" v="24/7"/><tag k="access" v="yes"/>
  </way>
</osm>
"""


def test_osm_playgrounds_load_with_tags_and_equipment(store, tmp_path):
    path = tmp_path / "extract.osm"
    path.write_text(OSM_XML)
    report = import_places(store, ADMIN, path)
    assert report.imported == 2
    row = (
        store.cursor()
        .execute(
            "SELECT min_age, max_age, wheelchair, surface, lit, fee, opening_hours, equipment, "
            "source_ref, ST_GeometryType(geom) FROM places WHERE name = 'Puistikko'"
        )
        .fetchone()
    )
    assert row == (3, 12, "limited", "sand", True, False, "24/7", ["swing"], "way/10", "POLYGON")


def test_osm_tag_mapping():
    assert place_kind({"leisure": "pitch", "sport": "skateboard"}, "playground") == "skate_park"
    assert place_kind({}, "park") == "park"
    attrs = place_attributes({"Wheelchair": "designated", "min_age": "4 years", "barrier": "fence"})
    assert attrs["wheelchair"] == "yes" and attrs["min_age"] == 4 and attrs["fenced"] is True
    assert parse_other_tags('"a"=>"1","b:c"=>"x \\"y\\""') == {"a": "1", "b:c": 'x "y"'}
