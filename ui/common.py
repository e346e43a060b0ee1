"""What every page needs from Streamlit, written once.

The store is a cached resource: on DuckDB one connection per process with cursors per
thread, on PostgreSQL one pool of connections per process.
Errors from ``geo`` are shown in one way, so a person always gets the message, never a
traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from geo.errors import SafePlayError
from geo.escape import for_markdown
from geo.i18n import t
from geo.storage.db import Store, database_location
from geo.wording import sentence, text


def store() -> Store:
    """The open database: ``SAFEPLAY_DATABASE_URL``, else ``SAFEPLAY_DB`` (or the default file)."""
    return _open(database_location())


@st.cache_resource(show_spinner=False)
def _open(location: str) -> Store:
    return Store(location)


@contextmanager
def user_errors() -> Iterator[None]:
    """Show a ``geo`` error as a message instead of stopping the page."""
    try:
        yield
    except SafePlayError as error:
        st.error(for_markdown(sentence(str(error))))


def facts_table(facts: list[tuple[str, str]]) -> None:
    """Facts as a two-column table at full height with wrapped text: partners, goals and
    dates are read at a glance, not scrolled for inside a small grid."""
    text_table(pd.DataFrame(facts, columns=[t("What"), t("Details")]), header=False)


def text_table(frame: pd.DataFrame, header: bool = True) -> None:
    """A table that wraps long text (a council's reason, a note) instead of cutting it.

    ``st.table`` renders every cell as Markdown, so every cell is escaped here:
    user text shows literally. Missing values read as nothing, never "nan" or "None"."""
    shown = frame.map(lambda value: for_markdown(text(value)))  # headings are our own words
    st.table(shown, hide_index=True, hide_header=not header, border="horizontal")
