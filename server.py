"""SafePlay's server: the Streamlit app plus the plain pages that sign people in and out.

Start it with ``streamlit run server.py`` (``scripts/start.sh`` does). Streamlit finds
``app`` and serves ``streamlit_app.py`` with the routes and the page-load gate of
``ui/session_routes.py`` in the same process; ``streamlit run streamlit_app.py`` would run
the app without them, so nobody could sign in with a password.
"""

import streamlit as st

from ui.session_routes import middleware, routes

app = st.App("streamlit_app.py", routes=routes(), middleware=middleware())
