"""Sign in with a SafePlay account (or the council's single sign-on where configured)."""

import streamlit as st

from geo import auth
from ui.common import store, user_errors
from ui.session import sign_in, utc_now, visitor_or_stop
from ui.sso import sso_section

st.title("Sign in")
visitor_or_stop()
with st.form("sign_in", clear_on_submit=True):
    login = st.text_input("Login (name or e-mail)")
    password = st.text_input("Password", type="password")
    submitted = st.form_submit_button("Sign in", type="primary")
if submitted:
    with user_errors():
        sign_in(auth.authenticate(store(), login, password, utc_now()))
        st.rerun()
st.caption("No account yet? Residents can create one under **Create an account**.")
sso_section()
