"""Administrators: change roles and council wards, unlock, deactivate; list all accounts;
issue and revoke API keys (``ui/api_keys_section.py``).

The Role and wards boxes are keyed by the account and its current role and wards, so they
always open on the selected account's real values (never the previous account's). Saving a
role and deactivating take a second press that says what will change; the core refuses
demoting or deactivating oneself and the last active administrator, and the page asks it
before offering to confirm.
"""

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo.accounts import auth
from geo.escape import for_markdown
from geo.io import backup
from geo.notify import addresses
from geo.notify.sender import outbox_counts
from geo.permissions import Actor
from geo.registry import areas
from geo.vocabulary import ROLE_NAMES
from geo.wording import moment, role_in_words
from ui import confirm
from ui.api_keys_section import api_keys_section
from ui.common import store, user_errors
from ui.delivery import mail_settings
from ui.notices import Notice
from ui.session import allowed_or_stop, utc_now


def account_table(accounts: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Every account with headings and values in words (the grid shows text as text)."""
    rows = list(accounts)
    return pd.DataFrame(
        {
            "Login": [r["login"] for r in rows],
            "Name": [r["display_name"] for r in rows],
            "Role": [ROLE_NAMES[r["role"]] for r in rows],
            "Wards": [
                r["wards"]
                if pd.notna(r["wards"])
                else "Whole council area"
                if r["role"] == "council"
                else ""
                for r in rows
            ],
            "Active": ["Yes" if r["active"] else "Deactivated" for r in rows],
            "Created": [moment(r["created_at"]) for r in rows],
            "Last sign-in": [moment(r["last_login"], "Never") for r in rows],
            "Locked until": [moment(r["locked_until"]) for r in rows],
        }
    )


def young_person_consent(actor: Actor, user_id: int, who: str, consent: addresses.Consent) -> None:
    """A young person's account gets e-mail only with a guardian's consent recorded here.

    Recording and withdrawing each take a second press that says what follows: the two
    buttons sit in the same place, so a double click on one landed on the other at once.
    """
    if consent.history:
        st.caption(
            "Consent history: "
            + "; ".join(
                f"{for_markdown(event)} {for_markdown(moment(at))} UTC by {for_markdown(by)}"
                for event, by, at in consent.history
            )
            + "."
        )
    if consent.recorded_at is None:
        st.caption(
            f"{for_markdown(who)} is a young person's account: notices in the app "
            "only. To let them set an e-mail address, a parent or guardian must agree; the "
            "council keeps that consent (a signed form, a letter) and you record here that "
            "it has it."
        )
        if st.button("Record a guardian's consent to e-mail", key=f"users_consent_{user_id}"):
            confirm.arm("consent", ("record", user_id))
        if confirm.confirmed(
            "consent",
            ("record", user_id),
            f"Record that a parent or guardian of {who} agreed to e-mail: they may then "
            "set an address and be e-mailed notices. Your login and the time are kept "
            "with it.",
            "Confirm: consent recorded",
        ):
            with user_errors():
                addresses.record_guardian_consent(store(), actor, user_id, utc_now())
                notice.rerun_with("Consent recorded: they may now set an e-mail address.")
    else:
        when = for_markdown(moment(consent.recorded_at))
        st.caption(
            f"A guardian's consent to e-mail was recorded {when} UTC "
            f"by {for_markdown(consent.recorded_by)}."
        )
        if st.button(
            "Withdraw the consent (removes their address)", key=f"users_withdraw_{user_id}"
        ):
            confirm.arm("consent", ("withdraw", user_id))
        if confirm.confirmed(
            "consent",
            ("withdraw", user_id),
            f"Withdraw the consent for {who}: their e-mail address is removed at once and "
            "nothing more is e-mailed to them; notices stay in the app.",
            "Confirm: withdraw",
        ):
            with user_errors():
                addresses.withdraw_guardian_consent(store(), actor, user_id, utc_now())
                notice.rerun_with("Consent withdrawn: their address is removed.")


st.title("Users and roles")
actor = allowed_or_stop("manage_users")
# Confirmed beside the buttons after the rerun that shows the change everywhere.
notice = Notice("users")


with user_errors():
    accounts = {int(row["id"]): row for row in auth.list_users(store(), actor)}
    wards = areas.list_areas(store(), "ward")
    ward_names = {int(i): name for i, name in zip(wards["id"], wards["name"], strict=True)}
    if accounts:
        st.header("Change an account")
        user_id = st.selectbox(
            "Account",
            list(accounts),
            format_func=lambda i: f"{accounts[i]['display_name']} · {accounts[i]['login']}",
            key="users_account",
        )
        account = accounts[user_id]
        login, now_role = account["login"], account["role"]
        now_wards = tuple(w for w in account["ward_ids"] if w in ward_names)
        who = f"{account['display_name']} ({login})"
        now_words = for_markdown(role_in_words(now_role, now_wards, ward_names))
        state = "active" if account["active"] else "deactivated"
        st.caption(f"Now: {now_words}, {state}.")
        version = f"{user_id}_{now_role}_{'-'.join(map(str, now_wards))}"
        role = st.selectbox(
            "Role",
            auth.ACCOUNT_ROLES,
            index=auth.ACCOUNT_ROLES.index(now_role),
            format_func=ROLE_NAMES.get,
            key=f"users_role_{version}",
        )
        chosen: tuple[int, ...] = ()
        if role == "council":
            chosen = tuple(
                st.multiselect(
                    "Council wards (empty: the whole council area)",
                    list(ward_names),
                    default=list(now_wards),
                    format_func=ward_names.get,
                    key=f"users_wards_{version}",
                )
            )
        change = (user_id, role, tuple(sorted(chosen)))
        if st.button("Save role", key=f"users_save_{user_id}"):
            if change == (user_id, now_role, now_wards):
                st.info("Nothing to save: that is the account's role already.")
            else:
                with user_errors():
                    auth.refuse_lockout(store(), actor, login, role=role)
                    confirm.arm("role", change)
        new_role = role_in_words(role, chosen, ward_names)
        new_words = for_markdown(new_role)
        if confirm.confirmed(
            "role",
            change,
            f"{who}: from {now_words} to {new_words}. What they may see and do changes at "
            "their next step.",
            "Confirm the new role",
        ):
            with user_errors():
                auth.set_role(store(), actor, login, role, chosen)
                notice.rerun_with(f"{login} is now {new_role[:1].lower()}{new_role[1:]}.")
        columns = st.columns(3)
        with user_errors():
            if pd.notna(account["locked_until"]) and columns[0].button(
                "Unlock", key=f"users_unlock_{user_id}"
            ):
                auth.set_account_state(store(), actor, login, unlock=True)
                notice.rerun_with(f"{login} is unlocked.")
            if not account["active"] and columns[1].button(
                "Reactivate", key=f"users_reactivate_{user_id}"
            ):
                auth.set_account_state(store(), actor, login, active=True)
                notice.rerun_with(f"{login} is active again.")
            if account["active"] and columns[1].button(
                "Deactivate", key=f"users_deactivate_{user_id}"
            ):
                auth.refuse_lockout(store(), actor, login, active=False)
                confirm.arm("deactivate", user_id)
        if confirm.confirmed(
            "deactivate",
            user_id,
            f"Deactivate {who}: they can no longer sign in, and their proposals and comments "
            "stay. An administrator can reactivate the account.",
            "Confirm: deactivate",
        ):
            with user_errors():
                auth.set_account_state(store(), actor, login, active=False)
                notice.rerun_with(f"{login} is deactivated.")
        consent = addresses.guardian_consent(store(), actor, user_id)
        if consent.young:
            young_person_consent(actor, user_id, who, consent)
        notice.show()
    # Listed after the actions so the table shows their effect at once.
    st.header("All accounts")
    st.dataframe(account_table(accounts.values()), hide_index=True, width="stretch")

api_keys_section(actor)

st.header("E-mail")
settings, problem = mail_settings()
if settings is None:
    st.warning(
        f"E-mail is off: {for_markdown(problem)}. Notices wait in the inbox and the "
        "outbox keeps what would be sent. docs/notifications.md explains the set-up."
    )
else:
    st.caption(f"E-mail goes through {for_markdown(settings.describe())}.")
in_outbox = " · ".join(f"{n} {what}" for what, n in outbox_counts(store()).items())
st.caption(for_markdown(f"In the outbox: {in_outbox}."))

st.header("Backup")
st.caption(
    "A consistent copy of the whole database, taken while the app runs. Restore it with "
    "`python -m geo restore FILE` while the app is stopped."
)
if st.button("Prepare a backup"):
    with tempfile.TemporaryDirectory() as scratch, user_errors():
        target = Path(scratch) / f"safeplay-backup-{utc_now():%Y%m%d-%H%M}.duckdb"
        sums = backup.backup(store(), actor, target)
        st.session_state["backup_file"] = (target.read_bytes(), target.name, len(sums))
prepared = st.session_state.get("backup_file")
if prepared:
    st.download_button(
        f"Download {for_markdown(prepared[1])} ({prepared[2]:,} tables)",
        prepared[0],
        file_name=prepared[1],
    )
