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
from geo.i18n import N_, Words, t, tn
from geo.i18n.casing import in_sentence
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

# What happened to a guardian's consent (the stored event is a key).
CONSENT_EVENTS = Words({"recorded": N_("recorded"), "withdrawn": N_("withdrawn")})


def outbox_in_words(counts: dict[str, int]) -> str:
    """How many e-mails are in each state of the outbox, counted in the reader's words."""
    phrases = {
        "waiting": tn("{n} waiting", "{n} waiting", counts.get("waiting", 0)),
        "sending": tn("{n} sending", "{n} sending", counts.get("sending", 0)),
        "sent": tn("{n} sent", "{n} sent", counts.get("sent", 0)),
        "failed": tn("{n} failed", "{n} failed", counts.get("failed", 0)),
        "dropped": tn("{n} dropped", "{n} dropped", counts.get("dropped", 0)),
    }
    return " · ".join(phrases[state] for state in counts if state in phrases)


def account_table(accounts: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Every account with headings and values in words (the grid shows text as text)."""
    rows = list(accounts)
    return pd.DataFrame(
        {
            t("Login"): [r["login"] for r in rows],
            t("Name"): [r["display_name"] for r in rows],
            t("Role"): [ROLE_NAMES[r["role"]] for r in rows],
            t("Wards"): [
                r["wards"]
                if pd.notna(r["wards"])
                else t("Whole council area")
                if r["role"] == "council"
                else ""
                for r in rows
            ],
            t("Active"): [t("Yes") if r["active"] else t("Deactivated") for r in rows],
            t("Created"): [moment(r["created_at"]) for r in rows],
            t("Last sign-in"): [moment(r["last_login"], t("Never")) for r in rows],
            t("Locked until"): [moment(r["locked_until"]) for r in rows],
        }
    )


def young_person_consent(actor: Actor, user_id: int, who: str, consent: addresses.Consent) -> None:
    """A young person's account gets e-mail only with a guardian's consent recorded here.

    Recording and withdrawing each take a second press that says what follows: the two
    buttons sit in the same place, so a double click on one landed on the other at once.
    """
    if consent.history:
        events = "; ".join(
            t(
                "{event} {when} UTC by {who}",
                event=CONSENT_EVENTS.get(event, event),
                when=moment(at),
                who=by,
            )
            for event, by, at in consent.history
        )
        st.caption(for_markdown(t("Consent history: {events}.", events=events)))
    if consent.recorded_at is None:
        st.caption(
            t(
                "{who} is a young person's account: notices in the app only. To let them set "
                "an e-mail address, a parent or guardian must agree; the council keeps that "
                "consent (a signed form, a letter) and you record here that it has it.",
                who=for_markdown(who),
            )
        )
        if st.button(t("Record a guardian's consent to e-mail"), key=f"users_consent_{user_id}"):
            confirm.arm("consent", ("record", user_id))
        if confirm.confirmed(
            "consent",
            ("record", user_id),
            t(
                "Record that a parent or guardian of {who} agreed to e-mail: they may then "
                "set an address and be e-mailed notices. Your login and the time are kept "
                "with it.",
                who=who,
            ),
            t("Confirm: consent recorded"),
        ):
            with user_errors():
                addresses.record_guardian_consent(store(), actor, user_id, utc_now())
                notice.rerun_with(t("Consent recorded: they may now set an e-mail address."))
    else:
        st.caption(
            t(
                "A guardian's consent to e-mail was recorded {when} UTC by {who}.",
                when=for_markdown(moment(consent.recorded_at)),
                who=for_markdown(consent.recorded_by),
            )
        )
        if st.button(
            t("Withdraw the consent (removes their address)"), key=f"users_withdraw_{user_id}"
        ):
            confirm.arm("consent", ("withdraw", user_id))
        if confirm.confirmed(
            "consent",
            ("withdraw", user_id),
            t(
                "Withdraw the consent for {who}: their e-mail address is removed at once and "
                "nothing more is e-mailed to them; notices stay in the app.",
                who=who,
            ),
            t("Confirm: withdraw"),
        ):
            with user_errors():
                addresses.withdraw_guardian_consent(store(), actor, user_id, utc_now())
                notice.rerun_with(t("Consent withdrawn: their address is removed."))


st.title(t("Users and roles"))
actor = allowed_or_stop("manage_users")
# Confirmed beside the buttons after the rerun that shows the change everywhere.
notice = Notice("users")


with user_errors():
    accounts = {int(row["id"]): row for row in auth.list_users(store(), actor)}
    wards = areas.list_areas(store(), "ward")
    ward_names = {int(i): name for i, name in zip(wards["id"], wards["name"], strict=True)}
    if accounts:
        st.header(t("Change an account"))
        user_id = st.selectbox(
            t("Account"),
            list(accounts),
            format_func=lambda i: f"{accounts[i]['display_name']} · {accounts[i]['login']}",
            key="users_account",
        )
        account = accounts[user_id]
        login, now_role = account["login"], account["role"]
        now_wards = tuple(w for w in account["ward_ids"] if w in ward_names)
        who = f"{account['display_name']} ({login})"
        now_words = for_markdown(role_in_words(now_role, now_wards, ward_names))
        if account["active"]:
            st.caption(t("Now: {role}, active.", role=now_words))
        else:
            st.caption(t("Now: {role}, deactivated.", role=now_words))
        version = f"{user_id}_{now_role}_{'-'.join(map(str, now_wards))}"
        role = st.selectbox(
            t("Role"),
            auth.ACCOUNT_ROLES,
            index=auth.ACCOUNT_ROLES.index(now_role),
            format_func=ROLE_NAMES.get,
            key=f"users_role_{version}",
        )
        chosen: tuple[int, ...] = ()
        if role == "council":
            chosen = tuple(
                st.multiselect(
                    t("Council wards (empty: the whole council area)"),
                    list(ward_names),
                    default=list(now_wards),
                    format_func=ward_names.get,
                    key=f"users_wards_{version}",
                )
            )
        change = (user_id, role, tuple(sorted(chosen)))
        if st.button(t("Save role"), key=f"users_save_{user_id}"):
            if change == (user_id, now_role, now_wards):
                st.info(t("Nothing to save: that is the account's role already."))
            else:
                with user_errors():
                    auth.refuse_lockout(store(), actor, login, role=role)
                    confirm.arm("role", change)
        new_role = role_in_words(role, chosen, ward_names)
        new_words = for_markdown(new_role)
        if confirm.confirmed(
            "role",
            change,
            t(
                "{who}: from {old} to {new}. What they may see and do changes at their next step.",
                who=who,
                old=now_words,
                new=new_words,
            ),
            t("Confirm the new role"),
        ):
            with user_errors():
                auth.set_role(store(), actor, login, role, chosen)
                notice.rerun_with(
                    t("{login} is now {role}.", login=login, role=in_sentence(new_role))
                )
        columns = st.columns(3)
        with user_errors():
            if pd.notna(account["locked_until"]) and columns[0].button(
                t("Unlock"), key=f"users_unlock_{user_id}"
            ):
                auth.set_account_state(store(), actor, login, unlock=True)
                notice.rerun_with(t("{login} is unlocked.", login=login))
            if not account["active"] and columns[1].button(
                t("Reactivate"), key=f"users_reactivate_{user_id}"
            ):
                auth.set_account_state(store(), actor, login, active=True)
                notice.rerun_with(t("{login} is active again.", login=login))
            if account["active"] and columns[1].button(
                t("Deactivate"), key=f"users_deactivate_{user_id}"
            ):
                auth.refuse_lockout(store(), actor, login, active=False)
                confirm.arm("deactivate", user_id)
        if confirm.confirmed(
            "deactivate",
            user_id,
            t(
                "Deactivate {who}: they can no longer sign in, and their proposals and "
                "comments stay. An administrator can reactivate the account.",
                who=who,
            ),
            t("Confirm: deactivate"),
        ):
            with user_errors():
                auth.set_account_state(store(), actor, login, active=False)
                notice.rerun_with(t("{login} is deactivated.", login=login))
        consent = addresses.guardian_consent(store(), actor, user_id)
        if consent.young:
            young_person_consent(actor, user_id, who, consent)
        notice.show()
    # Listed after the actions so the table shows their effect at once.
    st.header(t("All accounts"))
    st.dataframe(account_table(accounts.values()), hide_index=True, width="stretch")

api_keys_section(actor)

st.header(t("E-mail"))
settings, problem = mail_settings()
if settings is None:
    st.warning(
        t(
            "E-mail is off: {problem}. Notices wait in the inbox and the outbox keeps what "
            "would be sent. docs/notifications.md explains the set-up.",
            problem=for_markdown(problem),
        )
    )
else:
    st.caption(t("E-mail goes through {server}.", server=for_markdown(settings.describe())))
in_outbox = outbox_in_words(outbox_counts(store()))
st.caption(t("In the outbox: {counts}.", counts=for_markdown(in_outbox)))

st.header(t("Backup"))
st.caption(
    t(
        "A consistent copy of the whole database, taken while the app runs. Restore it with "
        "`python -m geo restore FILE` while the app is stopped."
    )
)
if st.button(t("Prepare a backup")):
    with tempfile.TemporaryDirectory() as scratch, user_errors():
        target = Path(scratch) / f"safeplay-backup-{utc_now():%Y%m%d-%H%M}.duckdb"
        sums = backup.backup(store(), actor, target)
        st.session_state["backup_file"] = (target.read_bytes(), target.name, len(sums))
prepared = st.session_state.get("backup_file")
if prepared:
    st.download_button(
        tn(
            "Download {file} ({n} table)",
            "Download {file} ({n} tables)",
            prepared[2],
            file=for_markdown(prepared[1]),
        ),
        prepared[0],
        file_name=prepared[1],
    )
