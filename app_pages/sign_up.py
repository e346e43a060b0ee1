"""Residents create their own account; other roles are given by an administrator.

The form is a plain page served beside the app (``/session/sign-up``), so creating the
account signs the person in with a session cookie at once and lands them on a welcome.
"""

import streamlit as st

from ui.session import sign_up_button, visitor_or_stop

st.title("Create an account")
visitor_or_stop()
st.write(
    "A resident account lets you support and comment on proposals. Neighbourhood leaders, "
    "council officers and administrators get their role from an administrator."
)
sign_up_button()
