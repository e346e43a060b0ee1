"""SafePlay's entry point: page configuration and the navigation.

Pages are registered with ``st.navigation``; a page that is not in the list cannot be
opened by URL. Accounts and roles (a later step) decide which pages a person gets.
"""

import streamlit as st

from geo.assets import missing_assets

st.set_page_config(page_title="SafePlay", page_icon="🛝", layout="wide")

if missing_assets():
    st.error(
        "Map files are not installed. Run `bash scripts/start.sh` (or "
        "`.venv/bin/python -m geo install-assets`) and reload this page."
    )
    st.stop()

pages = [
    st.Page("pages/explore_map.py", title="Explore the map", icon="🗺️", default=True),
]
st.navigation(pages).run()
