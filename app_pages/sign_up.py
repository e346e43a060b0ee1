"""Residents create their own account; other roles are given by an administrator."""

import streamlit as st

from geo import auth
from ui.client import current_client
from ui.common import store, user_errors
from ui.session import utc_now, visitor_or_stop

st.title("Create an account")
visitor_or_stop()
st.write(
    "A resident account lets you support and comment on proposals. Neighbourhood leaders, "
    "council officers and administrators get their role from an administrator."
)
with st.form("sign_up", clear_on_submit=True):
    login = st.text_input("Login (a name or an e-mail address)")
    name = st.text_input("Name shown to others")
    password = st.text_input(
        "Password", type="password", help="At least 10 characters; a short sentence works well."
    )
    again = st.text_input("Password again", type="password")
    minor = st.checkbox(
        "I am under 18",
        help="We ask nothing else about you. Under-18s are never named in thank-you lists; "
        "please do not use your full name as the name shown to others.",
    )
    submitted = st.form_submit_button("Create account", type="primary")
if submitted:
    with user_errors():
        if password != again:
            st.error("The two passwords differ.")
        else:
            # The same answer whether or not the login was free (no sign-in here): the
            # form must not tell a stranger which logins exist.
            auth.sign_up(
                store(), login, name, password, is_minor=minor,
                client=current_client(), now=utc_now(),
            )  # fmt: skip
            st.success(auth.SIGN_UP_ANSWER)
            st.page_link("app_pages/sign_in.py", label="Sign in")
