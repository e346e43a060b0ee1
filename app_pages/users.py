"""Administrators: change roles and council wards, unlock, deactivate; list all accounts."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import areas, auth, backup
from ui.common import store, user_errors
from ui.session import allowed_or_stop, utc_now

st.title("Users and roles")
actor = allowed_or_stop("manage_users")
with user_errors():
    logins = [row["login"] for row in auth.list_users(store(), actor)]
    wards = areas.list_areas(store(), "ward")
    ward_ids = dict(zip(wards["name"], wards["id"], strict=True))
    if logins:
        st.subheader("Change an account")
        login = st.selectbox("Account", logins)
        with st.form("change_role"):
            role = st.selectbox("Role", auth.ACCOUNT_ROLES)
            chosen = st.multiselect("Council wards (empty: the whole council area)", list(ward_ids))
            if st.form_submit_button("Save role"):
                auth.set_role(store(), actor, login, role, tuple(int(ward_ids[w]) for w in chosen))
                st.success(f"{login} is now {role}.")
        columns = st.columns(3)
        if columns[0].button("Unlock"):
            auth.set_account_state(store(), actor, login, unlock=True)
            st.success(f"{login} unlocked.")
        if columns[1].button("Deactivate"):
            auth.set_account_state(store(), actor, login, active=False)
            st.success(f"{login} deactivated.")
        if columns[2].button("Reactivate"):
            auth.set_account_state(store(), actor, login, active=True)
            st.success(f"{login} reactivated.")
    # Listed after the actions so the table shows their effect at once.
    st.subheader("All accounts")
    st.dataframe(pd.DataFrame(auth.list_users(store(), actor)), hide_index=True, width="stretch")

st.subheader("Backup")
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
    st.download_button(f"Download {prepared[1]} ({prepared[2]} tables)", prepared[0],
                       file_name=prepared[1])  # fmt: skip
