"""Residents create their own account; other roles are given by an administrator.

The form is a plain page served beside the app (``/session/sign-up``), so creating the
account signs the person in with a session cookie at once and lands them on a welcome.
"""

import streamlit as st

from geo.i18n import t
from ui import session
from ui.session import sign_up_button, visitor_or_stop

st.title(t("Create an account"))
visitor_or_stop()
st.write(t(session.SIGN_UP_TEXT))
sign_up_button()
