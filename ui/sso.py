"""Optional single sign-on with Streamlit's ``st.login``.

Offered only when ``.streamlit/secrets.toml`` has an ``[auth]`` section; otherwise nothing
about it shows. Roles still come from our users table (``auth.sso_account``).
"""

from __future__ import annotations

import streamlit as st

from geo import auth
from ui.common import store
from ui.session import sign_in


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def sso_section() -> None:
    if not sso_configured():
        return
    st.divider()
    if st.user.get("is_logged_in", False):
        sign_in(auth.sso_account(store(), str(st.user.get("email", "")), st.user.get("name")))
        st.rerun()
    if st.button("Sign in with the council's single sign-on"):
        st.login()
