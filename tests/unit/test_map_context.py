"""Maps with context: a key on every map, what exists on the Propose map, the surroundings
of one proposal, the move to a picked place or a filtered ward, and taps outside the area."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import shapely

from geo.errors import InvalidInput
from geo.mapping import explore, maps
from geo.registry import areas
from geo.registry.filters import MapFilter
from geo.safeguarding import voices


@pytest.fixture(autouse=True)
def no_tiles(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "none")


def rendered(fmap, *groups) -> str:
    for group in groups:
        group.add_to(fmap)
    return fmap.get_root().render()


def legend_rows(html: str) -> list[str]:
    """The texts of the key's rows, decoded from the JSON string the script carries."""
    content = html.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')
    return re.findall(r'class="safeplay-key-row">.*?</span>(.*?)</div>', content)


def test_the_explore_key_names_ward_lines_kinds_clusters_and_initiatives(demo_store):
    view = explore.explore(demo_store, MapFilter())
    html = rendered(maps.add_legend(maps.base_map(view.bounds()), view.legend()))
    rows = legend_rows(html)
    assert rows[0] == "Ward boundary"
    assert {"Playground", "Park or green"} <= set(rows)
    assert "Play areas close together: click or zoom in" in rows
    assert "Initiative: approved" in rows and "What you picked" in rows
    assert 'class="safeplay-swatch safeplay-dotted" style="--c: #2f9e44"' in html.replace(
        '\\"', '"'
    )  # initiatives are dotted outlines in their status colour, as drawn


def test_the_key_escapes_its_text_and_refuses_anything_but_a_colour():
    entry = maps.LegendEntry("fill", "#123456", "<b>bold</b> & co")
    html = rendered(maps.add_legend(maps.base_map((0, 0, 1, 1)), [entry]))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html.replace("\\u0026", "&")
    with pytest.raises(ValueError):
        maps.add_legend(maps.base_map((0, 0, 1, 1)), [maps.LegendEntry("fill", "red;x", "x")])


def test_every_map_keeps_its_tooltips_inside_its_frame():
    html = rendered(maps.base_map((0, 0, 1, 1)))
    assert "proto._setPosition = function" in html and "max-width: 260px" in html


def test_picking_a_place_frames_and_rings_it_and_a_click_only_rings_it(demo_store):
    view = explore.explore(demo_store, MapFilter())
    place = view.places[view.places.geometry.geom_type == "Point"].iloc[0]
    picked = view.focus(("place", int(place["id"])), ())
    minx, miny, maxx, maxy = picked.bounds
    assert minx < place.geometry.x < maxx and miny < place.geometry.y < maxy
    assert maxy - miny < 0.005  # a few hundred metres, not the town
    html = rendered(maps.base_map(view.bounds()), maps.focus_layer(picked))
    assert f'var key = "place:{int(place["id"])}"' in html and "var bounds = [[" in html
    assert '"color": "#fab005"' in html  # the ring
    assert round(place.geometry.x, 6) in [round(x, 6) for x in _numbers(html)]
    clicked = view.focus(("place", int(place["id"])), (), picked_on_map=True)
    assert clicked.bounds is None and clicked.highlight is not None


def test_a_ward_filter_frames_the_ward_and_clearing_it_frames_the_town(demo_store):
    ward = areas.area_shapes(demo_store, "ward").iloc[0]
    view = explore.explore(demo_store, MapFilter(area_ids=(int(ward["id"]),)))
    focus = view.focus(None, (int(ward["id"]),))
    assert focus.key == f"wards:{int(ward['id'])}"
    assert focus.bounds == pytest.approx(ward.geometry.bounds)
    html = rendered(maps.base_map(view.bounds()), maps.focus_layer(focus))
    minx, miny, maxx, maxy = ward.geometry.bounds
    assert f"[[{miny}, {minx}], [{maxy}, {maxx}]]" in html
    cleared = explore.explore(demo_store, MapFilter()).focus(None, ())
    assert cleared.key == "" and cleared.only_after == "wards:"
    assert cleared.bounds == view.bounds()


def test_the_propose_map_shows_what_exists_and_the_proposal_maps_their_surroundings(
    demo_store,
):
    view = explore.explore(demo_store, MapFilter())
    layers = maps.build_layers(view.wards, view.places, view.initiatives).all()
    site = view.places[view.places.geometry.geom_type == "Polygon"].iloc[0]
    around = explore.surroundings(demo_store, site.geometry)
    assert int(site["id"]) in set(around.places["id"]) and 0 < len(around.places) < 273
    assert 0 < len(around.wards) < len(view.wards)
    assert around.places.geometry.intersects(shapely.box(*around.bounds)).all()
    html = rendered(maps.base_map(around.bounds), *layers)
    assert site["name"] in html or "Play areas (areas)" in html
    assert '"dashArray": "2 6"' in html  # initiatives drawn


def test_a_tap_shows_a_pin_and_a_point_outside_the_council_area_is_refused(demo_store):
    inside = areas.area_shapes(demo_store, "ward").iloc[0].geometry.representative_point()
    assert areas.in_council_area(demo_store, inside.x, inside.y)
    assert not areas.in_council_area(demo_store, inside.x + 1.0, inside.y)
    html = rendered(maps.base_map((0, 0, 1, 1)), maps.tap_layer(inside.x, inside.y))
    assert '"fillColor": "#1971c2"' in html
    with pytest.raises(InvalidInput, match="outside the council area"):
        voices.submit_voice(
            demo_store, "More swings please", datetime.now(UTC), lon=inside.x + 1.0, lat=inside.y
        )


def test_with_no_boundary_loaded_no_point_is_refused(store):
    assert areas.in_council_area(store, 0.5, 0.5)


def _numbers(html: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+\.\d+", html)]


def test_every_map_in_the_app_has_a_key():
    """Each st_folium call gets a map with a legend (read from the source: a page that
    draws a map without one fails here)."""
    root = Path(__file__).resolve().parents[2]
    without = []
    for path in [*root.glob("app_pages/*.py"), *root.glob("ui/*.py")]:
        source = path.read_text(encoding="utf-8")
        if source.count("st_folium(") > source.count("add_legend("):
            without.append(path.name)
    assert not without, f"maps without a key: {without}"
