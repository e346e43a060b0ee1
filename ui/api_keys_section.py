"""The API keys section of the Users and roles page: issue a key, see every key, revoke one.

A new key is shown once, right after it is issued, with the words to hand it over safely;
the database keeps only its hash, so the page cannot show it again (a lost key is revoked
and a new one issued). Revoking takes a second press that names the key, because the
partner's app stops working at once.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from geo.accounts import api_keys
from geo.i18n import t
from geo.i18n.casing import in_sentence
from geo.permissions import Actor, allowed
from geo.wording import moment
from ui import confirm
from ui.common import store, user_errors
from ui.forms import OnceForm
from ui.notices import Notice
from ui.session import utc_now

ISSUED = "api_keys:issued"


def may_in_words(scopes: Iterable[str], within_sentence: bool = False) -> str:
    """What a key may do as the form words it ("Read public data, File concern reports"),
    never the stored scope names; ``within_sentence`` writes each as it reads inside one."""
    labels = [api_keys.SCOPES.get(scope, scope) for scope in sorted(scopes)]
    return ", ".join(in_sentence(label) if within_sentence else label for label in labels)


def key_table(keys: pd.DataFrame) -> pd.DataFrame:
    """Every key with headings and values in words; whether it still works comes before
    the dates, since as the last column it sat beyond the edge of a laptop's table."""
    return pd.DataFrame(
        {
            t("Number"): [str(i) for i in keys["id"]],
            t("Name"): keys["name"],
            # list_keys gives the scopes as one string, "read, write".
            t("May"): [may_in_words(written.split(", ")) for written in keys["scopes"]],
            t("State"): [
                t("Revoked {when} by {who}", when=moment(at), who=by)
                if pd.notna(at)
                else t("In use")
                for at, by in zip(keys["revoked_at"], keys["revoked_by"], strict=True)
            ],
            t("Last used"): [moment(at, t("Never")) for at in keys["last_used"]],
            t("Issued"): [
                t("{when} by {who}", when=moment(at), who=by)
                for at, by in zip(keys["created_at"], keys["created_by"], strict=True)
            ],
        }
    )


def api_keys_section(actor: Actor) -> None:
    """The section, for an administrator who may manage API keys (nothing for others)."""
    if not allowed(actor, "manage_api_keys"):
        return
    notice = Notice("api_keys")
    st.header(t("API keys"))
    st.caption(
        t(
            "Partner apps send a key with each request to the Open311 API "
            "(docs/open311.md). Reading public data needs no key; filing concern reports "
            "needs one that may write."
        )
    )
    form = OnceForm("api_keys_issue")  # what was typed stays after an error, once
    issued = st.session_state.pop(ISSUED, None)
    if form.notice() and issued:
        # Wrapped: a key is one long word, and on a phone the end of it was cut off.
        st.code(issued[1], language=None, wrap_lines=True)
    with st.form(form.key("form")):
        name = st.text_input(
            t("Whose app is it for?"), max_chars=api_keys.MAX_NAME, key=form.key("name")
        )
        scopes = st.multiselect(
            t("It may"),
            list(api_keys.SCOPES),
            default=["read"],
            format_func=api_keys.SCOPES.get,
            key=form.key("scopes"),
        )
        if st.form_submit_button(t("Issue a key")):
            with user_errors():
                key_id, key = api_keys.issue_key(store(), actor, name, scopes, utc_now())
                st.session_state[ISSUED] = (key_id, key)
                form.done(
                    t(
                        "Key {number} for {name} issued ({may}). Copy it now with the button "
                        "at its right and hand it to the partner over a private channel: it "
                        "is shown only this once.",
                        number=key_id,
                        name=" ".join(name.split()),
                        may=may_in_words(scopes, within_sentence=True),
                    )
                )
    keys = api_keys.list_keys(store(), actor)
    working = keys[keys["revoked_at"].isna()]
    if len(working):
        names = dict(zip(working["id"].astype(int), working["name"], strict=True))
        chosen = st.selectbox(
            t("Key to revoke"),
            list(names),
            format_func=lambda i: f"{i} · {names[i]}",
            key="api_keys_revoke_choice",
        )
        if st.button(t("Revoke"), key="api_keys_revoke"):
            confirm.arm("revoke_key", chosen)
        if confirm.confirmed(
            "revoke_key",
            chosen,
            t(
                "Revoke key {number} ({name}): its app is refused from its next request.",
                number=chosen,
                name=names[chosen],
            ),
            t("Confirm: revoke"),
        ):
            with user_errors():
                api_keys.revoke_key(store(), actor, chosen, utc_now())
                notice.rerun_with(t("Key {number} is revoked.", number=chosen))
    notice.show()
    if len(keys):
        st.dataframe(key_table(keys), hide_index=True, width="stretch")
    else:
        st.caption(t("No keys issued yet."))
