"""The signed-in person's account: who they are, language, password, where they are signed in."""

import pandas as pd
import streamlit as st

from geo.accountability import recognition
from geo.accounts import auth, sessions
from geo.escape import for_markdown
from geo.i18n import t, tn
from geo.vocabulary import ROLE_NAMES
from geo.wording import moment
from ui.common import store, user_errors
from ui.email_settings import email_section
from ui.follow_settings import follow_settings
from ui.language import language_picker
from ui.session import current_session, sign_out_button, signed_in_or_stop, utc_now

st.title(t("My account"))
actor = signed_in_or_stop()
if st.query_params.get("welcome"):
    st.success(
        t(
            "Welcome to SafePlay, {name}! Your account is ready and you are signed in. You "
            "can now support and comment on proposals: start with **Proposals** or "
            "**Explore the map**.",
            name=for_markdown(actor.display_name),
        )
    )
    del st.query_params["welcome"]  # a reload does not welcome again
st.markdown(
    f"**{for_markdown(actor.display_name)}** · "
    f"{for_markdown(ROLE_NAMES.get(actor.role, actor.role))} · {for_markdown(actor.login)}"
)
session = current_session()

st.header(t("Language"))
language_picker(actor, key="account_language")
st.caption(
    t(
        "SafePlay's pages and the e-mails it sends you are written in this language, on "
        "every device you sign in on."
    )
)

st.header(t("Change password"))
with st.form("change_password", clear_on_submit=True):
    current = st.text_input(t("Current password"), type="password")
    new = st.text_input(t("New password"), type="password")
    again = st.text_input(t("New password again"), type="password")
    submitted = st.form_submit_button(t("Change password"))
if submitted:
    with user_errors():
        if new != again:
            st.error(t("The two new passwords differ."))
        else:
            auth.change_password(
                store(), actor, current, new, utc_now(), keep_session=session.session_id
            )
            st.success(t("Password changed. You were signed out everywhere else."))

follow_settings(store(), actor)

st.header(t("Thank-you lists"))
named = st.toggle(
    t("Name me in public thank-you lists of initiatives I take part in"),
    value=recognition.has_named_consent(store(), actor),
    help=t("You can change your mind at any time. Under-18s are never named."),
)
if named != recognition.has_named_consent(store(), actor):
    with user_errors():
        recognition.set_named_consent(store(), actor, named, utc_now())
        st.success(t("Saved.") if named else t("You will no longer be named."))

email_section(actor)

if session.session_id is not None:
    st.header(t("Where you are signed in"))
    active = sessions.active_sessions(store(), actor.user_id, utc_now())
    st.dataframe(
        pd.DataFrame(
            [
                (
                    t("This browser") if row.session_id == session.session_id else t("Elsewhere"),
                    f"{moment(row.created_at)} UTC",
                    f"{moment(row.last_seen)} UTC",
                )
                for row in active
            ],
            columns=[t("Where"), t("Signed in"), t("Last used")],
        ),
        hide_index=True,
    )
    if st.button(t("Sign out everywhere…"), key="everywhere"):
        st.session_state["confirm_everywhere"] = True
    if st.session_state.get("confirm_everywhere"):
        st.warning(
            t(
                "This signs you out in every browser and on every device ({count}), this one "
                "included. Anyone using your account elsewhere is signed out at once.",
                count=tn("{n} session", "{n} sessions", len(active)),
            )
        )
        yes, no = st.columns(2)
        if yes.button(t("Yes, sign out everywhere"), type="primary", key="everywhere_yes"):
            del st.session_state["confirm_everywhere"]
            sessions.end_all(store(), actor.user_id, sessions.SIGNED_OUT_EVERYWHERE)
            st.rerun()
        if no.button(t("Cancel"), key="everywhere_no"):
            del st.session_state["confirm_everywhere"]
            st.rerun()

st.divider()
sign_out_button(key="sign_out_account")
