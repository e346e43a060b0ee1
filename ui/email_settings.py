"""My account's "E-mail" section: one's address and its state, and per kind of notice
whether it is e-mailed at once, in a digest, or not at all.

The address is shown here, to its owner, and nowhere else. The forms use ``OnceForm``, so
an address refused as invalid stays in its box to correct, and one press makes one change.
"""

from __future__ import annotations

import streamlit as st

from geo.escape import for_markdown
from geo.i18n import N_, t
from geo.notify import addresses, notices
from geo.notify.kinds import EMAIL_CHOICES, KINDS
from geo.permissions import Actor
from ui.common import store, user_errors
from ui.delivery import mail_settings
from ui.forms import OnceForm
from ui.session import utc_now

STATES = {
    "none": N_("No address yet: your notices are in your inbox in SafePlay."),
    "waiting": N_("Waiting for confirmation: open the link we e-mailed to this address."),
    "confirmed": N_("Confirmed: notices are e-mailed as you choose below."),
    "stopped": N_(
        "This address stopped working: e-mails to it failed or were refused, so "
        "none are sent. Enter it again (or another) to try once more."
    ),
    "needs_consent": N_(
        "Your account gets notices in the app only. If a parent or guardian "
        "agrees, an administrator can record their consent, and you can then add an address."
    ),
}


def email_section(actor: Actor) -> None:
    """Draw the section for ``actor`` (signed in)."""
    st.header(t("E-mail"))
    settings, _problem = mail_settings()
    if settings is None:
        st.info(
            t(
                "E-mail is not set up on this server yet. Your notices are in your inbox; "
                "anything you choose to get by e-mail waits until it is."
            )
        )
    status = addresses.email_status(store(), actor)
    if status.address:
        st.markdown(
            t("Your address: **{address}** (only you see it)", address=for_markdown(status.address))
        )
    st.caption(for_markdown(t(STATES[status.state])))
    if status.state == "needs_consent":
        return
    _address_form(actor, status)
    if status.state == "confirmed":
        _choices_form(actor)


def _address_form(actor: Actor, status: addresses.EmailStatus) -> None:
    form = OnceForm("email_address")
    typed = st.text_input(
        t("New address") if status.address else t("Your e-mail address"),
        key=form.key("address"),
        autocomplete="email",
        max_chars=addresses.MAX_ADDRESS,
    )
    save, remove, test = st.columns(3)
    if save.button(t("Send me a confirmation link"), key=form.key("save")):
        with user_errors():
            addresses.set_email(store(), actor, typed, utc_now())
            form.done(t("We sent a confirmation link. Open it to start getting e-mail."))
    if status.address and remove.button(t("Remove my address"), key=form.key("remove")):
        with user_errors():
            addresses.remove_email(store(), actor, utc_now())
            form.done(t("Your address is removed. Notices stay in your inbox."))
    if status.state == "confirmed" and test.button(
        t("Send me a test e-mail"), key=form.key("test")
    ):
        with user_errors():
            addresses.send_test(store(), actor, utc_now())
            form.done(t("A test e-mail goes out within a minute."))
    form.notice()


def _choices_form(actor: Actor) -> None:
    form = OnceForm("email_choices")
    chosen = notices.email_choices(store(), actor)
    names = list(EMAIL_CHOICES)
    picked = {}
    with st.expander(t("Which notices are e-mailed, and when"), expanded=form.succeeded()):
        for kind, spec in KINDS.items():
            if kind == "queue" and actor.role == "resident":
                continue
            picked[kind] = st.selectbox(
                for_markdown(t(spec.label)),  # the kinds' words are marked in geo/notify/kinds
                names,
                index=names.index(chosen[kind]),
                format_func=lambda choice: t(EMAIL_CHOICES[choice]),
                help=t("When {what_happens}.", what_happens=t(spec.about)),
                key=form.key(kind),
            )
        st.caption(
            t(
                "Digests go out at {hour}:00 UTC; the weekly one on Mondays.",
                hour=f"{notices.DIGEST_HOUR:02d}",
            )
        )
        if st.button(t("Save e-mail choices"), key=form.key("save")):
            with user_errors():
                for kind, choice in picked.items():
                    if choice != chosen[kind]:
                        notices.set_email_choice(store(), actor, kind, choice)
                form.done(t("Saved: your notices are e-mailed as you chose."))
        form.notice()
