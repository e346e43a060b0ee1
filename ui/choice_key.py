"""The key of a select box whose choice a filter may hide.

When the filters hide what a select box shows, the page must clear the box. Setting its
session-state value to None (or deleting it) is not enough in Streamlit 1.67: the server
then says nothing is selected while the box in the browser keeps showing the old name.
A box with a new key is a new box, empty in the browser too; so clearing moves the box to
the next key of a series (``name``, ``name__1``, ``name__2``…). The first key is the plain
name, so links, tests and clicks that set the box address it as before.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import streamlit as st


class ChoiceKey:
    """The current key of the select box ``name`` and what it holds."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def _generation(self) -> int:
        return int(st.session_state.get(f"{self.name}__generation", 0))

    @property
    def key(self) -> str:
        """The key to give the select box in this run."""
        return self.name if self._generation == 0 else f"{self.name}__{self._generation}"

    def value(self) -> Any:
        return st.session_state.get(self.key)

    def set(self, value: Any) -> None:
        """Choose ``value`` (call before the box is drawn)."""
        st.session_state[self.key] = value

    def keep_only(self, shown: Collection[Any]) -> None:
        """Empty the box, in the browser too, if its choice is no longer ``shown``."""
        current = self.value()
        if current is not None and current not in shown:
            st.session_state.pop(self.key, None)
            st.session_state[f"{self.name}__generation"] = self._generation + 1
