"""The walking map's layers, read as the GeoJSON they send (no browser needed)."""

import json
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.mapping import maps, walking_layers

HOSTILE = "<img src=x onerror=alert(1)> {{ 6*7 }}"


def _grid_edges(n: int = 4) -> tuple[pd.DataFrame, np.ndarray]:
    """A 4 × 4 street grid 0.001° apart; the walk grows along x: 0, 100, 200, … metres."""
    rows, walk = [], []
    for i in range(n):
        for j in range(n):
            lon, lat = -1 + i * 0.001, 52 + j * 0.001
            if i + 1 < n:
                rows.append((lon, lat, lon + 0.001, lat))
                walk.append(i * 100.0)
            if j + 1 < n:
                rows.append((lon, lat, lon, lat + 0.001))
                walk.append(i * 100.0)
    edges = pd.DataFrame(rows, columns=["lon_u", "lat_u", "lon_v", "lat_v"])
    return edges, np.array(walk)


def test_streets_are_one_merged_feature_per_band_named_in_words():
    edges, walk = _grid_edges()
    walk[-1] = math.inf  # no route from this street at all
    features = walking_layers.edge_features(edges, walk, reach_m=200)
    bands = [f["properties"]["band"] for f in features]
    assert bands == [
        "Within 100 m on foot",
        "100 m to 200 m on foot (within reach)",
        "200 m to 400 m on foot (out of reach)",
        "Farther than 400 m, or no route",
    ]
    assert all(f["geometry"]["type"] in ("MultiLineString", "LineString") for f in features)
    # Every segment is drawn exactly once; merging joins segments end to end.
    drawn = sum(shapely.length(shapely.geometry.shape(f["geometry"])) for f in features)
    assert math.isclose(drawn, len(edges) * 0.001, rel_tol=1e-6)
    assert len({f["properties"]["dash"] for f in features}) == 4  # not colour alone


def test_an_edge_exactly_at_the_distance_is_within_reach():
    edges, _ = _grid_edges(2)
    features = walking_layers.edge_features(edges, np.full(len(edges), 400.0), reach_m=400)
    assert [f["properties"]["band"] for f in features] == ["200 m to 400 m on foot (within reach)"]


def test_the_key_names_every_band_with_a_pattern_and_its_distance():
    key = walking_layers.legend(400, "Local play (LEAP)")
    assert [e.swatch for e in key[:4]] == ["solid", "longdash", "dashed", "dotted"]
    assert "400 m to 800 m on foot (out of reach)" in key[2].text
    assert "Local play (LEAP)" in key[4].text
    html = maps.add_legend(folium.Map(tiles=None), key).get_root().render()
    assert "safeplay-longdash" in html and "Farther than 800 m" in html


def test_cut_off_places_say_the_barrier_in_words_escaped_and_draw_only_its_line():
    cut_off = gpd.GeoDataFrame(
        {
            "ward_id": [1, 1],
            "level": ["local", "local"],
            "line_m": [180.0, 220.0],
            "walk_m": [730.0, math.inf],
            "barrier_kind": ["a railway", "no crossing in the data"],
            "barrier_name": [HOSTILE, None],
        },
        geometry=[shapely.Point(-1.0, 52.0), shapely.Point(-1.001, 52.0)],
        crs="EPSG:4326",
    )
    barriers = gpd.GeoDataFrame(
        {"kind": ["railway", "river"], "name": [HOSTILE, "Far River"]},
        geometry=[
            shapely.LineString([(-1.01, 52.001), (-0.99, 52.001)]),
            shapely.LineString([(-1.01, 52.003), (-0.99, 52.003)]),
        ],
        crs="EPSG:4326",
    )
    features = walking_layers.cut_off_features(cut_off, barriers)
    texts = [f["properties"]["what"] for f in features]
    assert texts[0].startswith("180 m as the crow flies, 730 m on foot; cut off by a railway — ")
    assert "no route on foot" in texts[1] and "no crossing in the data" in texts[1]
    assert [f["properties"]["role"] for f in features] == ["place", "place", "barrier"]
    sent = json.dumps(features)
    assert "<img" not in sent and "{{" not in sent and "&lt;img" in sent
    assert "Far River" not in sent  # a barrier nobody is cut off by is not drawn


def test_barrier_words_read_as_a_sentence():
    assert walking_layers.barrier_words("a railway", "Main Line") == "a railway — Main Line"
    assert walking_layers.barrier_words("a motorway", None) == "a motorway"
    assert walking_layers.barrier_words(None, None) == "no crossing in the data"
    assert walking_layers.barrier_words(float("nan"), float("nan")) == "no crossing in the data"


def test_payload_is_measured_on_the_data_sent():
    edges, walk = _grid_edges()
    layer = walking_layers.edge_layer(edges, walk, 200)
    assert 500 < walking_layers.payload_bytes(layer) < 5_000
