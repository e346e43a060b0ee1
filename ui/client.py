"""Who is sending, for the rate limits in ``geo.accounts.rate_limits``: a random key per browser
session and the address the request came from.

Streamlit gives the connection's address as ``st.context.ip_address``. Behind a reverse
proxy that is the proxy's own address, the same for everyone; set
``SAFEPLAY_TRUSTED_PROXIES`` to the number of proxies in front of the app (usually 1) and
the address the outermost one saw is taken from ``X-Forwarded-For`` instead. Without a
proxy leave it unset: the header would then be whatever the sender chose.
"""

from __future__ import annotations

import secrets

import streamlit as st

from geo.accounts.rate_limits import Client, client_address, trusted_proxies


def current_client() -> Client:
    """This browser session's sender, to pass to every rate-limited call in ``geo``."""
    key = st.session_state.setdefault("rate_limit_key", secrets.token_hex(16))
    return Client(
        session=key,
        address=client_address(
            st.context.ip_address,
            st.context.headers.get("X-Forwarded-For"),
            trusted_proxies(),
        ),
    )
