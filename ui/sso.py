"""Optional single sign-on with Streamlit's ``st.login``.

Offered only when ``.streamlit/secrets.toml`` has an ``[auth]`` section; otherwise nothing
about it shows. Streamlit keeps the provider's login in its own signed cookie, so the
person stays signed in across reloads and tabs; roles still come from our users table
(``auth.sso_account``), read again on every run, and only an e-mail address the provider
has verified is matched to an account. Signing out also ends the provider's login
(``st.logout`` follows the provider's end-session address where it has one).
"""

from __future__ import annotations

import streamlit as st

from geo.accounts import auth
from geo.errors import SafePlayError
from geo.i18n import t
from geo.permissions import Actor
from ui.common import store
from ui.notices import APP_NOTICE


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def sso_signed_in() -> bool:
    return sso_configured() and bool(st.user.get("is_logged_in", False))


def sso_actor() -> Actor | None:
    """The account of the person signed in through the provider, or None.

    An address the provider has not verified, or a deactivated account, is refused with
    a message instead.
    """
    if not sso_signed_in():
        return None
    try:
        return auth.sso_account(
            store(),
            str(st.user.get("email", "")),
            st.user.get("name"),
            email_verified=st.user.get("email_verified") is True,
        )
    except SafePlayError as error:
        APP_NOTICE.keep(t("Single sign-on did not sign you in: {reason}.", reason=str(error)))
        return None


def sso_section() -> None:
    """The single sign-on button for the sign-in page, where it is configured."""
    if not sso_configured():
        return
    st.divider()
    if st.button(t("Sign in with the council's single sign-on")):
        st.login()


def sso_sign_out() -> None:
    """End the provider's login too, not only SafePlay's view of it."""
    st.logout()
