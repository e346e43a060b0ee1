"""The public layers other maps draw for context, read once per data version.

The Propose map shows what already exists, so a drawing that overlaps a play area or an
initiative is seen while drawing. The same filtered-for-the-public view as Explore, cached
the same way: a write moves the data version and with it the cache key.
"""

from __future__ import annotations

import streamlit as st

from geo.mapping import explore
from geo.registry.filters import MapFilter
from geo.storage.db import Store
from ui.common import store


def public_view(db: Store) -> explore.ExploreView:
    """Every public play area and initiative (per-ward totals at city scale)."""
    return _public_view(db.location, db.data_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _public_view(database: str, data_version: int) -> explore.ExploreView:
    del database, data_version  # cache key only
    return explore.explore(store(), MapFilter())
