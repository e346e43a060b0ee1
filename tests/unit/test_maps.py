import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.io.demo import HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME
from geo.mapping import explore, maps
from geo.mapping.assets import AssetsMissing, serve_locally
from geo.registry.filters import MapFilter


@pytest.fixture
def demo_html(demo_store, monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "none")
    view = explore.explore(demo_store, MapFilter())
    fmap = maps.base_map(tuple(view.wards.total_bounds))
    return maps.standalone_html(fmap, maps.build_layers(view.wards, view.places, view.initiatives))


def test_unescaped_text_in_folium_is_evaluated_on_the_server():
    """The threat is real: this is why every user string goes through escape.for_map."""
    fmap = folium.Map(tiles=None)
    folium.Marker([0, 0], tooltip="{{ 6*7 }} plus").add_to(fmap)
    assert "42 plus" in fmap.get_root().render()


def test_hostile_template_name_is_not_evaluated_when_the_map_renders(demo_html):
    assert "PWNED-42" not in demo_html
    as_text = demo_html.replace("\\u0026", "&")  # JSON spells & as \u0026
    assert "&#123;&#123; cycler" in as_text  # present, but as inert character references


def test_hostile_markup_name_reaches_the_map_only_as_text(demo_html):
    assert "<script>alert('xss')" not in demo_html
    assert 'onerror="alert' not in demo_html
    assert "&lt;script&gt;alert(" in demo_html.replace("\\u0026", "&")
    assert HOSTILE_MARKUP_NAME not in demo_html and HOSTILE_TEMPLATE_NAME not in demo_html


def test_map_links_only_assets_served_by_the_app(demo_html):
    links = re.findall(r'(?:src|href)="([^"]+)"', demo_html)
    assert links and all(link.startswith("/app/static/vendor/") for link in links)
    assert "cdn" not in demo_html.lower()


def test_map_carries_only_the_properties_it_shows(demo_html):
    assert "inspection_result" not in demo_html and "source_ref" not in demo_html


def test_an_asset_without_a_local_copy_is_refused():
    element = folium.Map(tiles=None)
    element.default_js = [("some_new_plugin", "https://cdn.example/x.js")]
    with pytest.raises(AssetsMissing):
        serve_locally(element)


def test_clicking_inside_a_polygon_or_next_to_a_point_finds_it(demo_store):
    places = explore.explore(demo_store, MapFilter()).places
    polygon = places[places.geometry.geom_type == "Polygon"].iloc[0]
    inside = polygon.geometry.representative_point()
    assert maps.feature_at(places, inside.x, inside.y) == polygon["id"]
    point = places[places.geometry.geom_type == "Point"].iloc[0]
    assert maps.feature_at(places, point.geometry.x + 0.00005, point.geometry.y) == point["id"]
    assert maps.feature_at(places, 0.5, 0.5) is None


def test_view_offers_every_shown_feature_and_resolves_clicks(demo_store):
    view = explore.explore(demo_store, MapFilter(place_kinds=("park",)))
    choices = view.choices()
    assert len(choices) == len(view.places) + len(view.initiatives)
    park = view.places[view.places.geometry.geom_type == "Polygon"].iloc[0]
    inside = park.geometry.representative_point()
    assert view.feature_at(inside.x, inside.y) in {("place", park["id"])} | {
        k for k in choices if k[0] == "initiative"
    }
    assert view.feature_at(0.5, 0.5) is None


def test_empty_database_frames_the_world(store):
    view = explore.explore(store, MapFilter())
    assert view.bounds() == (-180.0, -60.0, 180.0, 75.0) and view.choices() == {}


def test_the_drawing_map_and_a_proposal_layer_stay_offline_and_inert(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "none")
    site = shapely.box(-1.04, 52.01, -1.0395, 52.0105)
    title = "<img src=x onerror=alert(1)> {{ 6*7 }} ${7*6} plan"
    fmap = maps.add_draw_tools(maps.base_map(maps.framing(site)))
    maps.proposal_layer(site, title, "submitted").add_to(fmap)
    html = fmap.get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/app/static/vendor/leaflet-draw/leaflet.draw.js" in links
    assert all(link.startswith("/app/static/vendor/") for link in links)
    # "42 " after a hex digit is the end of one of folium's random element ids, not {{ 6*7 }}
    evaluated = re.search(r"(?<![0-9a-f])42 ", html)
    assert "<img src=x" not in html and evaluated is None and "${7*6}" not in html
    assert "&#36;&#123;7*6&#125;" in html.replace("\\u0026", "&")


def test_initiative_tooltips_count_supporters_and_comments(demo_html):
    assert re.search(r"\d+ supporters? \S+ \d+ comments?", demo_html) and "Feedback" in demo_html


def test_at_city_scale_the_map_sends_totals_per_ward_until_the_reader_zooms_in(
    demo_store, monkeypatch
):
    monkeypatch.setattr(explore, "DETAIL_LIMIT", 100)  # the demo town has 273 play areas
    overview = explore.explore(demo_store, MapFilter())
    assert overview.summarised and overview.places.empty and overview.total_places == 273
    assert overview.city_scale
    assert overview.place_counts["count"].sum() == 273
    html = maps.standalone_html(
        maps.base_map(overview.bounds()),
        maps.build_layers(
            overview.wards, overview.places, overview.initiatives, overview.place_counts
        ),
    )
    assert all(f"{int(n):,} play areas" in html for n in overview.place_counts["count"])
    minx, miny, maxx, maxy = overview.wards.total_bounds
    box = (minx, miny, minx + (maxx - minx) / 3, miny + (maxy - miny) / 3)
    zoomed = explore.explore(demo_store, MapFilter(bbox=box), zoom=16)
    assert not zoomed.summarised and 0 < len(zoomed.places) < 273 and zoomed.city_scale
    inside = zoomed.places.geometry.intersects(shapely.box(*box))
    assert inside.all()
    assert not explore.explore(demo_store, MapFilter(bbox=box), zoom=12).places.shape[0]


def test_event_and_voice_layers_escape_their_texts_and_leave_unplaced_voices_off(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "none")
    hostile = "<img src=x onerror=alert(1)> {{ 6*7 }} plan"
    coming = gpd.GeoDataFrame(
        {"title": [hostile], "starts_at": [pd.Timestamp("2026-06-13 10:30")]},
        geometry=[shapely.Point(-1.04, 52.01)],
        crs="EPSG:4326",
    )
    said = pd.DataFrame({"theme": [hostile, "Lighting"], "lon": [-1.03, None], "lat": [52.0, None]})
    fmap = maps.base_map((-1.05, 52.0, -1.0, 52.02))
    maps.event_layer(coming).add_to(fmap)
    maps.voice_layer(said).add_to(fmap)
    html = fmap.get_root().render()
    assert "<img src=x" not in html and "42 plan" not in html
    assert "&#123;&#123; 6*7 &#125;&#125; plan" in html.replace("\\u0026", "&")
    assert "13 Jun 2026, 10:30" in html and "Lighting" not in html
    assert html.count("L.circleMarker(") == 2
    assert maps.EVENT_ENTRY.colour in html and maps.VOICE_ENTRY.colour in html
