"""The Explore page's map at city scale: query, folium layers and HTML, for the first view
and after zooming in."""

from __future__ import annotations

from pathlib import Path

from city import make_city
from measure import add_wards, load_places, median_time

from geo.mapping import explore, maps
from geo.registry.filters import MapFilter
from geo.storage.db import Store


def map_at(places: int, folder: Path, repeat: int) -> list[dict]:
    """The Explore page's map pipeline (query, layers, HTML) for the first view of the whole
    city, and after zooming in to about 1.5 km across."""
    city = make_city(0, places)
    store = Store(folder / f"map-{places}.duckdb")
    add_wards(store, city)
    load_places(store, city.places)
    centre = city.places.geometry.iloc[0].centroid
    zoomed = (centre.x - 0.011, centre.y - 0.0065, centre.x + 0.011, centre.y + 0.0065)

    def build(filters: MapFilter, zoom: int | None) -> str:
        view = explore.explore(store, filters, zoom)
        fmap = maps.base_map(view.bounds())
        layers = maps.build_layers(view.wards, view.places, view.initiatives, view.place_counts)
        return maps.standalone_html(fmap, layers)

    rows = []
    for name, filters, zoom in (
        ("first view", MapFilter(), None),
        ("zoomed in", MapFilter(bbox=zoomed), 16),
    ):
        seconds, html = median_time(lambda f=filters, z=zoom: build(f, z), repeat)
        rows.append(
            {"places": places, "view": name, "build_s": seconds, "bytes": len(html.encode())}
        )
    store.close()
    return rows
