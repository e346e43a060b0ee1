"""Forms that never lose or repeat what was typed, written once for every page.

A form render has a random token kept in session state. Every widget of the form is keyed
by it (``key``), and so is the send button, so:

- an error leaves the token alone: the same widgets come back with what was typed;
- a success (``done``) draws a new token and reruns: the next render has new, empty
  widgets, and the confirmation is shown where the page calls ``notice`` — next to the
  button;
- a second press or a double click that arrives after the success belongs to a button the
  new render no longer has, so Streamlit ignores it. One that races the first write still
  carries the old token, which the page passes to the core (``token``): the core writes
  once per token (``geo.storage.submissions``) and returns the first record.
"""

from __future__ import annotations

from typing import Any, NoReturn
from uuid import uuid4

import streamlit as st

from geo.escape import for_markdown
from ui.notices import Notice


class OnceForm:
    """One form on a page: its render token, widget keys and confirmation."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.token: str = st.session_state.setdefault(self._state("token"), uuid4().hex)
        self._notice = Notice(f"form:{name}")

    def _state(self, what: str) -> str:
        return f"form:{self.name}:{what}"

    def key(self, field: str) -> str:
        """The widget key of ``field`` in this render (kept after an error, new after success)."""
        return f"{self.name}:{field}:{self.token}"

    def fill(self, field: str, value: Any) -> None:
        """Put ``value`` into ``field`` (before its widget is drawn), as if typed."""
        st.session_state[self.key(field)] = value

    def done(self, message: str) -> NoReturn:
        """After a successful write: empty the form, keep ``message`` for ``notice``, rerun."""
        st.session_state[self._state("token")] = uuid4().hex
        self._notice.rerun_with(message)

    def succeeded(self) -> bool:
        """Whether the last run of this form wrote (its confirmation is still to be shown)."""
        return self._notice.waiting()

    def notice(self) -> bool:
        """Show the confirmation of the last success here, once; ``True`` if there was one."""
        return self._notice.show()


def section(label: str, key: str, *forms: OnceForm) -> Any:
    """An expander that remembers being open across reruns (a page above it may grow and
    shift it), and opens to show the confirmation of any of ``forms``."""
    if any(form.succeeded() for form in forms):
        st.session_state[key] = True  # set before the expander is drawn, as Streamlit needs
    return st.expander(for_markdown(label), key=key, on_change="rerun")
