"""A message for the next run: kept in session state before ``st.rerun()``, shown once.

After a write a page reruns so every part of it shows the change; a confirmation written
before the rerun would vanish with it. ``Notice`` keeps the message across the rerun and
shows it, once, where the page calls ``show`` — next to the button that was pressed.

Messages are kept as plain text and escaped for Markdown only where they are shown, so a
login or a title quoted in one reads as typed (escaping it when kept as well would show
the backslashes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

import streamlit as st

from geo.escape import for_markdown


class Notice:
    """One message slot, named per page or form (two slots never share a message)."""

    def __init__(self, name: str) -> None:
        self.key = f"notice:{name}"

    def keep(self, message: str | None) -> None:
        """Keep ``message`` (plain text) for the next ``show``; None forgets the kept one."""
        if message is None:
            st.session_state.pop(self.key, None)
        else:
            st.session_state[self.key] = message

    def rerun_with(self, message: str) -> NoReturn:
        """Keep ``message`` and rerun the page at once."""
        self.keep(message)
        st.rerun()

    def waiting(self) -> bool:
        """Whether a message is kept and not shown yet."""
        return self.key in st.session_state

    def show(self, element: Callable[[str], Any] = st.success) -> bool:
        """Show the kept message here with ``element`` (st.success unless told), once;
        ``True`` if there was one."""
        message = st.session_state.pop(self.key, None)
        if message:
            element(for_markdown(message))
        return message is not None


# Said at the top of whatever page opens next (session ended, single sign-on refused).
APP_NOTICE = Notice("app")
