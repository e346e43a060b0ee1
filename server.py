"""SafePlay's server: the Streamlit app plus the plain pages that sign people in and out.

Start it with ``streamlit run server.py`` (``scripts/start.sh`` does). Streamlit finds
``app`` and serves ``streamlit_app.py`` with the routes and the page-load gate of
``ui/session_routes.py`` in the same process; ``streamlit run streamlit_app.py`` would run
the app without them, so nobody could sign in with a password (nor read a feed: the Atom
feeds of ``ui/feed_routes.py`` are routes too, and so is the public map of
``ui/public_map_routes.py``). Every response carries the
headers of ``ui/security_headers.py`` (Content-Security-Policy first of all). The links in
e-mails (``ui/mail_routes.py``) are served here too, and this process's delivery thread
(``ui/delivery.py``) sends the outbox every minute. Open311 GeoReport v2 is served under
``/api/open311/v2`` (``ui/open311_routes.py``), with CORS on ``/api/`` only where
``SAFEPLAY_API_CORS_ORIGINS`` names origins (``ui/api_cors.py``), and OGC API – Features
for GIS clients under ``/api/ogc`` (``ui/ogc_routes.py``).
"""

import streamlit as st
from starlette.middleware import Middleware

from ui import api_cors, feed_routes, ogc_routes, open311_routes, public_map_routes
from ui.delivery import start_delivery
from ui.mail_routes import mail_routes
from ui.security_headers import SecurityHeaders
from ui.session_routes import middleware, routes

app = st.App(
    "streamlit_app.py",
    routes=[
        *routes(),
        *feed_routes.routes(),
        *public_map_routes.routes(),
        *mail_routes(),
        *open311_routes.routes(),
        *ogc_routes.routes(),
    ],
    middleware=[
        Middleware(SecurityHeaders),
        *api_cors.middleware(),
        *middleware(),
    ],
)
start_delivery()
