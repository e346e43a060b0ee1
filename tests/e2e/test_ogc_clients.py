"""Real GIS clients against the running app: GDAL's OGC API – Features driver (what QGIS
uses), through pyogrio, and OWSLib's OGC API client read every collection."""

from __future__ import annotations

import json
import shutil
import urllib.request

import pyogrio
import pytest
import shapely
from owslib.ogcapi.features import Features

from geo.storage.db import Store
from geo.vocabulary import PUBLIC_STATUSES
from tests.e2e.conftest import running_app
from tests.ogc_data import plant

BOX = (-1.52, 52.90, -1.48, 52.93)


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    """The app's API address over a copy of the demo town with voices and events planted,
    and each collection's count and the ids inside ``BOX``, read raw from the API — after
    checking those counts against the database's public rows before the app started."""
    scratch = tmp_path_factory.mktemp("ogc")
    planted = scratch / "planted.duckdb"
    shutil.copy(demo_db_file, planted)
    db = Store(str(planted))
    plant(db)
    counts = {
        "play-areas": db.value("SELECT count(*) FROM places"),
        "initiatives": db.value(
            "SELECT count(*) FROM initiatives WHERE list_contains(?, status)",
            [list(PUBLIC_STATUSES)],
        ),
        "wards": db.value("SELECT count(*) FROM areas WHERE level = 'ward'"),
        "councils": db.value("SELECT count(*) FROM areas WHERE level = 'council'"),
        "events": db.value("SELECT count(*) FROM events"),
        "voices": db.value("SELECT count(*) FROM voices WHERE state = 'published'"),
    }
    db.close()
    with running_app(planted, scratch) as url:
        found = expected(f"{url}/api/ogc")
        assert {name: count for name, (count, _inside) in found.items()} == counts
        yield f"{url}/api/ogc", found


def raw(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def expected(api: str) -> dict[str, tuple[int, set[int]]]:
    """Each collection's count and the ids a bbox must keep, from every feature read raw."""
    found = {}
    for collection in raw(f"{api}/collections")["collections"]:
        features = raw(f"{api}/collections/{collection['id']}/items?limit=1000")["features"]
        inside = {
            f["id"]
            for f in features
            if f["geometry"] and shapely.geometry.shape(f["geometry"]).intersects(shapely.box(*BOX))
        }
        found[collection["id"]] = (len(features), inside)
    return found


def test_gdal_lists_and_reads_every_collection_with_counts_and_bbox(app):
    api, wanted = app
    assert set(wanted) == {"play-areas", "initiatives", "wards", "councils", "events", "voices"}
    assert [name for name, _kind in pyogrio.list_layers(f"OAPIF:{api}")] == list(wanted)
    for layer, (count, inside) in wanted.items():
        frame = pyogrio.read_dataframe(f"OAPIF:{api}", layer=layer, fid_as_index=True)
        assert len(frame) == count > 0, layer
        boxed = pyogrio.read_dataframe(f"OAPIF:{api}", layer=layer, bbox=BOX, fid_as_index=True)
        assert set(boxed.index) == inside, layer  # GDAL keeps our ids as its FIDs
    places = pyogrio.read_dataframe(f"OAPIF:{api}", layer="play-areas")
    assert {"name", "kind", "kind_label", "wards"} <= set(places.columns)
    assert len(places) == 273 and len(places[places["kind"] == "park"]) > 0


def test_gdal_pages_a_collection_larger_than_one_page(app):
    """GDAL asks for its own page size and follows the next links to the end."""
    api, _wanted = app
    frame = pyogrio.read_dataframe(f"OAPIF:{api}", layer="play-areas", max_features=250)
    assert len(frame) == 250
    assert pyogrio.read_info(f"OAPIF:{api}", layer="play-areas")["features"] == 273


def test_owslib_reads_collections_items_and_one_feature(app):
    api, wanted = app
    client = Features(api)
    assert client.conformance()["conformsTo"]
    assert [c["id"] for c in client.collections()["collections"]] == list(wanted)
    for collection_id, (count, inside) in wanted.items():
        every = client.collection_items(collection_id, limit=1000)
        assert every["numberMatched"] == len(every["features"]) == count, collection_id
        boxed = client.collection_items(collection_id, bbox=list(BOX), limit=1000)
        assert {f["id"] for f in boxed["features"]} == inside, collection_id
    approved = client.collection_items("initiatives", status="approved", limit=1000)["features"]
    assert approved and {f["properties"]["status"] for f in approved} == {"approved"}
    first = client.collection_items("initiatives", limit=1)["features"][0]
    assert client.collection_item("initiatives", str(first["id"]))["id"] == first["id"]


def test_gdal_sends_a_simple_attribute_filter_to_the_server(app):
    """GDAL reads the filters each collection takes from the OpenAPI definition and asks
    with ``kind=park`` instead of fetching every feature to filter itself."""
    api, _wanted = app
    parks = raw(f"{api}/collections/play-areas/items?kind=park&limit=1000")["features"]
    frame = pyogrio.read_dataframe(
        f"OAPIF:{api}", layer="play-areas", where="kind = 'park'", fid_as_index=True
    )
    assert set(frame.index) == {f["id"] for f in parks} and len(parks) > 0
    assert set(frame["kind"]) == {"park"}
