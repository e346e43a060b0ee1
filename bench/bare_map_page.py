"""A Streamlit page that holds only the Explore page's map: the floor for Streamlit.

What Streamlit and st_folium cost by themselves, with the same data, layers, legend and
height as ``app_pages/explore_map.py`` and nothing else (no filters, no details column, no
menu, no sign-in). ``public_map.py`` runs it as its own Streamlit server beside the app.
"""

import streamlit as st
from streamlit_folium import st_folium

from geo.mapping import explore, maps
from geo.registry.filters import MapFilter
from ui.common import store


@st.cache_data(max_entries=4, show_spinner=False)
def load_view(database: str, data_version: int) -> explore.ExploreView:
    del database, data_version  # cache key only, as on the Explore page
    return explore.explore(store(), MapFilter())


db = store()
view = load_view(db.location, db.data_version())
layers = maps.build_layers(view.wards, view.places, view.initiatives, view.place_counts)
st_folium(
    maps.add_legend(maps.base_map(view.bounds()), view.legend()),
    key="bare_map",
    height=560,
    use_container_width=True,
    feature_group_to_add=layers.all(),
    returned_objects=["last_object_clicked"],
)
