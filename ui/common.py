"""What every page needs from Streamlit, written once.

The store is a cached resource (one DuckDB connection per process, cursors per thread).
Errors from ``geo`` are shown in one way, so a person always gets the message, never a
traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from geo.db import Store, database_path
from geo.errors import SafePlayError


def store() -> Store:
    """The open database named by ``SAFEPLAY_DB`` (or the default file)."""
    return _open(str(database_path()))


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    return Store(path)


@contextmanager
def user_errors() -> Iterator[None]:
    """Show a ``geo`` error as a message instead of stopping the page."""
    try:
        yield
    except SafePlayError as error:
        st.error(str(error))


def facts_table(facts: list[tuple[str, str]]) -> None:
    """Facts as a two-column table; the grid shows user text as text, never as HTML."""
    st.dataframe(
        pd.DataFrame(facts, columns=["", "Details"]),
        hide_index=True,
        width="stretch",
    )
