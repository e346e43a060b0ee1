"""Applying a council workspace filter (``Selection``): which initiatives match, their full
rows for what is shown or exported, and counts per ward for the map's overview.

Kept apart from the value itself because this is where speed matters (bench/README.md):
the filter returns ids only, ward filters read the membership stored at write time,
shapes and radii narrow candidates with the RTREE index and then measure in metres.
Every answer is for one actor: only initiatives touching the wards they may see
(``permissions.scope``), and never other people's drafts or withdrawn proposals.
"""

from __future__ import annotations

from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.accountability import progress
from geo.council.selection import Selection
from geo.permissions import PRIVATE_STATUSES, Actor, private_sql, scope
from geo.storage import membership
from geo.storage.db import Store
from geo.storage.frames import to_geodataframe

# How many matching initiatives the workspace lists and draws one by one; beyond this it
# counts them per ward on the map (exports always hold every match).
SHOWN_LIMIT = 1_000


_DECIDED = (
    "(SELECT max(s.changed_at) FROM status_changes s WHERE s.initiative_id = i.id "
    " AND s.to_status IN ('approved', 'rejected'))"
)
_DATE_COLUMN = {"created": "i.created_at", "decided": _DECIDED, "due": "i.end_date"}


def match(
    store: Store, actor: Actor, selection: Selection, now: datetime | None = None
) -> pd.DataFrame:
    """Which initiatives ``actor`` may see match ``selection``: their id and status (and,
    for a radius, the distance in metres), newest first.

    This is the filter itself, kept lean on purpose: at city scale a ward holds thousands of
    initiatives, and reading their text and geometry back out of a column store costs ten
    times more than deciding which they are (bench/README.md). The workspace counts, pages
    and maps from this; ``details`` reads full rows only for what is shown or exported.
    Only the facets an officer set become conditions, so the database reads only their
    columns; a ward filter with no other facet reads the membership table alone.
    ``now`` decides what counts as stale or overdue (default: the current UTC time).
    """
    where = scope(actor, "use_workspace")
    selection = selection.checked()
    conditions, params = _facet_conditions(selection)
    if set(selection.statuses) & set(PRIVATE_STATUSES):
        visible, visible_params = private_sql(actor)
        conditions.append(visible)
        params.update(visible_params)
    params["statuses"] = list(selection.statuses)
    if selection.mode in ("areas", "shape"):
        # The candidates carry id, status and last update: with no other facet nothing
        # else of the initiatives is read.
        found_in = "in_area" if selection.mode == "areas" else "in_shape"
        in_scope, scope_params = where.initiative_sql(f"{found_in}.id")
        joined = f"{found_in} JOIN initiatives i ON i.id = {found_in}.id"
        source = joined if conditions else found_in
        columns = f"{found_in}.id, {found_in}.status, NULL, {found_in}.updated_at"
        conditions.append(in_scope)
        if selection.mode == "areas":
            params["areas"] = list(selection.area_ids)
            prefix = _IN_AREA
        else:
            params["shape"] = shapely.to_wkb(selection.shape())
            prefix = _IN_SHAPE
            conditions.insert(0, "list_contains($statuses, in_shape.status)")
    else:
        in_scope, scope_params = where.initiative_sql("i.id")
        conditions.append(in_scope)
        conditions.insert(0, "list_contains($statuses, i.status)")
        source, columns, prefix = "initiatives i", "i.id, i.status, NULL, i.updated_at", ""
        if selection.mode == "radius":
            prefix, radius_params = _near(store, selection)
            params.update(radius_params)
            source += " JOIN near ON near.id = i.id"
            conditions.append("near.metres <= $radius")
            columns = "i.id, i.status, round(near.metres, 1), i.updated_at"
    params.update(scope_params)
    found = store.frame(
        f"""{prefix}
        SELECT id, status, distance_m FROM (
            SELECT {columns} FROM {source} WHERE {" AND ".join(conditions)}
        ) AS found (id, status, distance_m, updated_at)
        ORDER BY updated_at DESC, id
        """,  # noqa: S608 - conditions, columns and sources are constants; values are parameters
        params,
    )
    if selection.attention and not found.empty:
        state = progress.tracking_state(store, now or datetime.now(UTC).replace(tzinfo=None))
        flagged = state["stale"] if selection.attention == "stale" else state["overdue"] > 0
        found = found[found["id"].isin(state.loc[flagged, "id"])].reset_index(drop=True)
    return found


def _facet_conditions(selection: Selection) -> tuple[list[str], dict[str, object]]:
    """The SQL conditions (on initiatives ``i``) and parameters for the facets that are set;
    a facet left at its default adds nothing, so its columns are not even read."""
    conditions: list[str] = []
    params: dict[str, object] = {}
    if selection.kinds:
        conditions.append("list_contains($kinds, i.kind)")
        params["kinds"] = list(selection.kinds)
    if selection.partner.strip():
        # Partner names joined by a control character no typed name holds, so a match
        # cannot span two partners.
        conditions.append("contains(lower(array_to_string(i.partners, chr(31))), lower($partner))")
        params["partner"] = selection.partner.strip()
    if (selection.min_age, selection.max_age) != (0, 18):
        conditions.append(
            "coalesce(i.min_age, 0) <= $max_age AND coalesce(i.max_age, 99) >= $min_age"
        )
        params.update(min_age=selection.min_age, max_age=selection.max_age)
    date_column = _DATE_COLUMN[selection.date_field]
    if selection.date_from:
        conditions.append(f"CAST({date_column} AS DATE) >= $from")
        params["from"] = selection.date_from
    if selection.date_to:
        conditions.append(f"CAST({date_column} AS DATE) <= $to")
        params["to"] = selection.date_to
    if selection.text.strip():
        conditions.append(
            "contains(lower(i.title || ' ' || i.summary || ' ' || i.proposer || ' ' "
            "|| array_to_string(i.partners, ' ')), lower($text))"
        )
        params["text"] = selection.text.strip()
    return conditions, params


def details(store: Store, matched: pd.DataFrame) -> gpd.GeoDataFrame:
    """Full rows for ``matched`` (from ``match``), in its order: what the table and the
    exports show — title, summary, partners, goals, dates, ward names, latest reason,
    supports, comments and geometry (and the distance for a radius filter)."""
    frame = store.frame(
        """
            WITH wanted AS (
                SELECT unnest(CAST($ids AS INTEGER[])) AS id,
                       unnest(CAST($ranks AS INTEGER[])) AS rank
            ),
            hits AS MATERIALIZED (
                SELECT i.*, wanted.rank FROM initiatives i JOIN wanted ON wanted.id = i.id
            ),
            ward_names AS (
                SELECT ia.initiative_id, string_agg(a.name, ', ' ORDER BY a.name) AS wards
                FROM initiative_areas ia JOIN areas a ON a.id = ia.area_id
                WHERE a.level = 'ward' AND ia.initiative_id IN (SELECT id FROM hits)
                GROUP BY ia.initiative_id
            ),
            steps AS (
                SELECT initiative_id,
                       max(changed_at) FILTER (WHERE to_status IN ('approved', 'rejected'))
                           AS decided_at
                FROM status_changes WHERE initiative_id IN (SELECT id FROM hits)
                GROUP BY initiative_id
            ),
            latest AS (
                SELECT DISTINCT ON (initiative_id) initiative_id, reason AS latest_reason
                FROM status_changes WHERE initiative_id IN (SELECT id FROM hits)
                ORDER BY initiative_id, changed_at DESC, id DESC
            ),
            backing AS (
                SELECT initiative_id, count(*) AS supports FROM supports
                WHERE initiative_id IN (SELECT id FROM hits) GROUP BY initiative_id
            ),
            talk AS (
                SELECT initiative_id, count(*) AS comments FROM comments
                WHERE state = 'published' AND initiative_id IN (SELECT id FROM hits)
                GROUP BY initiative_id
            )
            SELECT i.id, i.title, i.summary, i.kind, i.status, i.proposer, i.partners,
                   i.goals, i.min_age, i.max_age, i.budget, i.start_date, i.end_date,
                   i.created_at, i.updated_at, steps.decided_at, ward_names.wards,
                   latest.latest_reason, coalesce(backing.supports, 0) AS supports,
                   coalesce(talk.comments, 0) AS comments, ST_AsWKB(i.geom) AS wkb
            FROM hits i
            LEFT JOIN ward_names ON ward_names.initiative_id = i.id
            LEFT JOIN steps ON steps.initiative_id = i.id
            LEFT JOIN latest ON latest.initiative_id = i.id
            LEFT JOIN backing ON backing.initiative_id = i.id
            LEFT JOIN talk ON talk.initiative_id = i.id
            ORDER BY i.rank
            """,
        {"ids": matched["id"].tolist(), "ranks": list(range(len(matched)))},
    )
    found = to_geodataframe(frame)
    if matched["distance_m"].notna().any():
        found["distance_m"] = matched["distance_m"].to_numpy()
    return found


def count_per_ward(store: Store, actor: Actor, matched: pd.DataFrame) -> pd.DataFrame:
    """How many of ``matched`` lie in each ward ``actor`` may see (an initiative touching two
    counts in both), with a point to draw the count at: the workspace map's overview of a
    large selection."""
    in_scope, params = scope(actor, "use_workspace").ward_sql("a.id")
    # The matches as a subquery, not tested with list_contains row by row: DuckDB walked the
    # list for each of a million membership rows (8 s for 25,000 matches; now 34 ms). A
    # plain join was as fast on DuckDB but made PostgreSQL hash all million rows.
    return store.frame(
        f"""
        SELECT a.id, a.name, count(*) AS count, {membership.WARD_LABEL_POINT}
        FROM initiative_areas ia JOIN areas a ON a.id = ia.area_id AND a.level = 'ward'
        WHERE ia.initiative_id IN (SELECT unnest(CAST($wanted AS INTEGER[]))) AND {in_scope}
        GROUP BY a.id, a.name ORDER BY a.name
        """,  # noqa: S608 - constant snippets; values are parameters
        {**params, "wanted": matched["id"].tolist()},
    )


def select_initiatives(
    store: Store, actor: Actor, selection: Selection, now: datetime | None = None
) -> gpd.GeoDataFrame:
    """Every initiative ``actor`` may see matching ``selection`` with its full row, newest
    first (exports and the command line; the workspace pages through ``match`` and
    ``details``)."""
    return details(store, match(store, actor, selection, now))


# The area part of a filter. Ward filters read the membership stored at write time, which
# carries each initiative's status and last update (geo.storage.membership), so with no
# other facet nothing else is read; an initiative in two chosen wards has two equal rows
# there, hence DISTINCT (PostgreSQL's any_value, a SQL function, took longer than the
# lookup). The area ids are cast to the column's type, or PostgreSQL widens the column
# instead and cannot use its index. A shape is a plain spatial
# predicate the database answers from its spatial index (an "x IS NULL OR ST_Intersects(…)"
# form makes it scan every row), in a step of its own: with the status test beside it
# PostgreSQL also read its status index, where nearly every row matches. A radius first takes
# the candidates in a box around the circle from the index and measures each once, in
# metres, the store's own exact way (``Store.metres_from``: an azimuthal equidistant frame
# on DuckDB, the spheroid on PostGIS); only then are the other facets applied.
_IN_AREA = """
    WITH in_area AS MATERIALIZED (
        SELECT DISTINCT initiative_id AS id, status, updated_at
        FROM initiative_areas
        WHERE list_contains(CAST($areas AS INTEGER[]), area_id)
          AND list_contains($statuses, status)
    )"""
_IN_SHAPE = """
    WITH in_shape AS MATERIALIZED (
        SELECT id, status, updated_at FROM initiatives
        WHERE ST_Intersects(geom, ST_GeomFromWKB($shape))
    )"""


def _near(store: Store, selection: Selection) -> tuple[str, dict[str, object]]:
    """The radius filter's candidates with their distance in metres (``near``), and its
    parameters."""
    lon, lat = selection.centre
    metres, params = store.metres_from("geom", lon, lat)
    sql = f"""
    WITH near AS MATERIALIZED (
        SELECT id, {metres} AS metres
        FROM initiatives WHERE ST_Intersects(geom, ST_MakeEnvelope($minx, $miny, $maxx, $maxy))
    )"""  # noqa: S608 - the store's constant expression; values are parameters
    box = dict(zip(("minx", "miny", "maxx", "maxy"), _envelope(selection), strict=True))
    return sql, {**params, **box, "radius": selection.radius_m}


def _envelope(selection: Selection) -> tuple[float, float, float, float]:
    """A box certainly holding the circle (for the index); exact distances come after."""
    lon, lat = selection.centre
    dlat = selection.radius_m / 110_540.0 * 1.05
    dlon = selection.radius_m / (111_320.0 * max(np.cos(np.radians(lat)), 0.01)) * 1.05
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
