"""A second, explicit step before a decision that is hard to undo.

The first press only *arms* the step with exactly what would be done (the account and its
new role, the proposal and its decision and reason); the page then says in words what will
happen and records nothing until "Confirm". If what the widgets show changes in between,
the armed step is dropped, so what is recorded is always what was shown and confirmed.
"""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from geo.escape import for_markdown
from geo.i18n import t


def arm(key: str, action: Hashable) -> None:
    """Ask for confirmation of ``action`` (shown by ``confirmed`` in this same run)."""
    st.session_state[f"confirm_{key}"] = action


def confirmed(key: str, action: Hashable, message: str, button: str) -> bool:
    """True once, when the person confirms ``action`` armed under ``key``.

    While armed, shows ``message`` (already escaped: it may quote user text) with
    ``button`` and "Cancel" (both in the reader's language: ``message`` and ``button``
    come translated from the page). An armed action other than ``action`` — the widgets changed
    since the first press — is dropped without a word.
    """
    state = f"confirm_{key}"
    armed = st.session_state.get(state)
    if armed is None:
        return False
    if armed != action:
        del st.session_state[state]
        return False
    with st.container(border=True):
        st.warning(for_markdown(message))
        yes, no = st.columns(2)
        if yes.button(for_markdown(button), type="primary", key=f"{state}_yes"):
            del st.session_state[state]
            return True
        if no.button(t("Cancel"), key=f"{state}_no"):
            del st.session_state[state]
            st.rerun()
    return False
