"""Sign in with a SafePlay account (or the council's single sign-on where configured).

The password form itself is a plain page served beside the app (``/session/sign-in``,
``ui/session_routes.py``): only an HTTP response can set the session cookie that keeps a
person signed in across reloads, new tabs and shared links.
"""

import streamlit as st

from geo.i18n import t
from ui.session import sign_in_button, visitor_or_stop
from ui.sso import sso_section

st.title(t("Sign in"))
visitor_or_stop()
st.write(
    t(
        "Sign in to propose, support and comment, and to use the council's pages. You stay "
        "signed in on this browser when you reload or open another tab, until you sign out "
        "or stop using SafePlay for a while."
    )
)
sign_in_button()
st.caption(t("No account yet? Residents can create one under **Create an account**."))
sso_section()
