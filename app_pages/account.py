"""The signed-in person's account: who they are, changing the password, signing out."""

import streamlit as st

from geo import auth, recognition
from geo.escape import for_markdown
from ui.common import store, user_errors
from ui.session import sign_out, signed_in_or_stop, utc_now

st.title("My account")
actor = signed_in_or_stop()
st.markdown(f"**{for_markdown(actor.display_name)}** · {actor.role} · {for_markdown(actor.login)}")

st.subheader("Change password")
with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password")
    new = st.text_input("New password", type="password")
    again = st.text_input("New password again", type="password")
    submitted = st.form_submit_button("Change password")
if submitted:
    with user_errors():
        if new != again:
            st.error("The two new passwords differ.")
        else:
            auth.change_password(store(), actor, current, new, utc_now())
            st.success("Password changed.")

st.subheader("Thank-you lists")
named = st.toggle(
    "Name me in public thank-you lists of initiatives I take part in",
    value=recognition.has_named_consent(store(), actor),
    help="You can change your mind at any time. Under-18s are never named.",
)
if named != recognition.has_named_consent(store(), actor):
    with user_errors():
        recognition.set_named_consent(store(), actor, named, utc_now())
        st.success("Saved." if named else "You will no longer be named.")

if st.button("Sign out", key="sign_out_account"):
    sign_out()
    st.rerun()
