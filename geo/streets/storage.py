"""Keeping the street network in the database: one per council, replaced whole.

An import writes every table in one transaction (``store.write``), so a failed or
interrupted import leaves the network that was there before, and the data version moves
only when the new one is in — the pages' caches of walking coverage key on it. Nodes and
edges travel in bulk (Arrow on DuckDB, COPY on PostgreSQL) and come back as whole columns,
straight into the arrays of ``StreetNetwork``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geo.permissions import Actor, require, rereads_actor
from geo.registry import areas
from geo.storage.db import Cursor, Store, bulk_insert
from geo.streets.network import StreetNetwork
from geo.streets.osm_streets import MIN_COMPONENT_NODES, Progress, StreetReading, read_streets
from geo.wording import count, moment

#: Every table a network lives in (emptied together: a council with no streets imported).
STREET_TABLES = (
    "street_networks",
    "street_nodes",
    "street_edges",
    "street_points",
    "street_areas",
    "street_barriers",
)


@dataclass(frozen=True)
class NetworkSummary:
    """What an officer is told about the network in the database."""

    source: str
    imported_at: datetime
    imported_by: str
    nodes: int
    edges: int
    components: int
    length_km: float
    dropped_fragments: int


@dataclass(frozen=True)
class StreetImport:
    """An import's outcome: what was read, and the network it replaced (None: the first)."""

    reading: StreetReading
    replaced: NetworkSummary | None
    # The council's wards the streets do not reach (by name) and how many wards there are:
    # an extract of the wrong place imports cleanly, so the summary has to say so.
    wards_missing: tuple[str, ...] = ()
    wards_total: int = 0

    def lines(self) -> list[str]:
        """The import in words, for the command line (and any page that reports one). Plain
        text holding a file name: a page escapes it like any text from outside."""
        network, reading = self.reading.network, self.reading
        out = [
            f"Imported {count(network.node_count, 'node')} and "
            f"{count(network.edge_count, 'edge')} ({network.length_km:,.1f} km of walkable "
            f"ways) in {count(reading.components, 'component')}.",
            f"Also {count(len(network.entrances), 'entrance or gate', 'entrances and gates')}, "
            f"{count(len(network.homes), 'home')}, "
            f"{count(len(network.residential), 'residential area')} and "
            f"{count(len(network.barriers), 'barrier')}{_tally(network.barriers)}.",
        ]
        out.extend(self._reach())
        if reading.dropped_fragments:
            out.append(
                f"Left out {count(reading.dropped_fragments, 'fragment')} of fewer than "
                f"{MIN_COMPONENT_NODES} nodes ({count(reading.dropped_nodes, 'node')}), "
                "joined to no other street."
            )
        out.append(
            f"Replaced {in_words(self.replaced)}." if self.replaced else "First street network."
        )
        return out

    def _reach(self) -> list[str]:
        """A warning when the streets miss some or all of the council's wards."""
        missing, total = self.wards_missing, self.wards_total
        if not missing:
            return []
        if len(missing) == total:
            return [
                f"Warning: none of these streets lies in the council's {count(total, 'ward')}. "
                "Is this the extract of the right place? Walking coverage counts every home "
                "in a ward without streets as out of reach on foot."
            ]
        names = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5:,} more" if len(missing) > 5 else ""
        )
        return [
            f"Warning: no street lies in {len(missing):,} of the council's {total:,} wards "
            f"({names}); their homes count as out of reach on foot until an extract "
            "covering them is imported."
        ]


def _tally(barriers: gpd.GeoDataFrame) -> str:
    """ " (138 railway, 98 fence, 16 water)": the barriers by kind, most first."""
    if barriers.empty:
        return ""
    kinds = barriers["kind"].value_counts()
    return " (" + ", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in kinds.items()) + ")"


def in_words(network: NetworkSummary) -> str:
    """ "the network imported on 03 Dec 2026, 14:40 (UTC) from x.osm.pbf by …" """
    return (
        f"the network imported on {moment(network.imported_at)} (UTC) from {network.source} "
        f"by {network.imported_by}: {count(network.nodes, 'node')}, "
        f"{network.length_km:,.1f} km, {count(network.components, 'component')}"
    )


@rereads_actor
def import_streets(
    store: Store, actor: Actor, path: str | Path, progress: Progress | None = None
) -> StreetImport:
    """Read an OSM extract and store its network in place of the old one, or nothing.

    The right is checked before the file is read (no minutes of work for someone refused);
    a file that cannot be read raises ``ImportRejected`` before anything is written.
    """
    require(actor, "manage_boundaries")
    reading = read_streets(path, progress)
    replaced = replace_network(
        store,
        actor,
        reading.network,
        source=Path(path).name,
        components=reading.components,
        dropped_fragments=reading.dropped_fragments,
    )
    wards = areas.area_shapes(store, "ward")
    missing = reading.network.wards_without_streets(wards) if not wards.empty else []
    return StreetImport(reading, replaced, tuple(missing), len(wards))


@rereads_actor
def replace_network(
    store: Store,
    actor: Actor,
    network: StreetNetwork,
    *,
    source: str,
    components: int,
    dropped_fragments: int = 0,
) -> NetworkSummary | None:
    """Store ``network`` in place of the one there (if any); return the one replaced.

    Streets are base geography like ward boundaries, so the same administrators' right
    (``manage_boundaries``) governs them.
    """
    require(actor, "manage_boundaries")
    imported_at = datetime.now(UTC).replace(tzinfo=None)
    with store.write() as cursor:
        before = _summary(cursor)
        for table in STREET_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - names are ours
        cursor.execute(
            "INSERT INTO street_networks (source, imported_at, imported_by, nodes, edges, "
            "components, length_km, dropped_fragments) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source,
                imported_at,
                actor.login or actor.display_name,
                network.node_count,
                network.edge_count,
                components,
                network.length_km,
                dropped_fragments,
            ],
        )
        _insert_graph(cursor, network)
        _insert_shapes(cursor, "street_points", network.entrances, role="entrance")
        _insert_shapes(cursor, "street_points", network.homes, role="home")
        _insert_shapes(cursor, "street_areas", network.residential)
        _insert_shapes(cursor, "street_barriers", network.barriers, names=True)
    return before


def load(store: Store) -> StreetNetwork | None:
    """The stored network, or None when no streets were imported."""
    if store.value("SELECT count(*) FROM street_networks") == 0:
        return None
    nodes = store.frame("SELECT lon, lat FROM street_nodes ORDER BY idx")
    edges = store.frame("SELECT u, v, length_m, steps FROM street_edges ORDER BY idx")
    points = store.geoframe(
        "SELECT role, kind, ST_AsWKB(geom) AS wkb FROM street_points ORDER BY role, kind"
    )
    return StreetNetwork(
        lon=nodes["lon"].to_numpy(dtype=np.float64),
        lat=nodes["lat"].to_numpy(dtype=np.float64),
        u=edges["u"].to_numpy(dtype=np.int32),
        v=edges["v"].to_numpy(dtype=np.int32),
        length_m=edges["length_m"].to_numpy(dtype=np.float64),
        steps=edges["steps"].to_numpy(dtype=bool),
        entrances=_role(points, "entrance"),
        homes=_role(points, "home"),
        residential=store.geoframe("SELECT kind, ST_AsWKB(geom) AS wkb FROM street_areas"),
        barriers=_named(
            store.geoframe("SELECT kind, name, ST_AsWKB(geom) AS wkb FROM street_barriers")
        ),
    )


def summary(store: Store) -> NetworkSummary | None:
    """Nodes, edges, km, components, source and when, or None when no streets were imported."""
    return _summary(store.cursor())


def _summary(cursor: Cursor) -> NetworkSummary | None:
    row = cursor.execute(
        "SELECT source, imported_at, imported_by, nodes, edges, components, length_km, "
        "dropped_fragments FROM street_networks"
    ).fetchone()
    if row is None:
        return None
    source, imported_at, imported_by, nodes, edges, components, km, dropped = row
    return NetworkSummary(
        source,
        imported_at,
        imported_by,
        int(nodes),
        int(edges),
        int(components),
        float(km),
        int(dropped),
    )


def _insert_graph(cursor: Cursor, network: StreetNetwork) -> None:
    bulk_insert(
        cursor,
        "street_nodes",
        pa.table(
            {
                "idx": pa.array(np.arange(network.node_count, dtype=np.int32)),
                "lon": pa.array(np.asarray(network.lon, dtype=np.float64)),
                "lat": pa.array(np.asarray(network.lat, dtype=np.float64)),
            }
        ),
    )
    bulk_insert(
        cursor,
        "street_edges",
        pa.table(
            {
                "idx": pa.array(np.arange(network.edge_count, dtype=np.int32)),
                "u": pa.array(np.asarray(network.u, dtype=np.int32)),
                "v": pa.array(np.asarray(network.v, dtype=np.int32)),
                "length_m": pa.array(np.asarray(network.length_m, dtype=np.float64)),
                "steps": pa.array(np.asarray(network.steps, dtype=bool)),
            }
        ),
    )


def _insert_shapes(
    cursor: Cursor,
    table: str,
    frame: gpd.GeoDataFrame,
    *,
    role: str | None = None,
    names: bool = False,
) -> None:
    if frame.empty:
        return
    columns: dict[str, pa.Array] = {}
    if role is not None:
        columns["role"] = pa.array([role] * len(frame), pa.string())
    columns["kind"] = pa.array(frame["kind"].astype(str).tolist(), pa.string())
    if names:
        columns["name"] = pa.array([_text(name) for name in frame["name"]], pa.string())
    columns["geom"] = pa.array(shapely.to_wkb(frame.geometry.to_numpy()).tolist(), pa.binary())
    bulk_insert(cursor, table, pa.table(columns))


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _named(barriers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A barrier without a name has ``None``, as the reader gives it (a database's NULL
    arrives as NaN, which would be shown as "nan")."""
    names = barriers["name"].astype(object)
    barriers["name"] = names.where(names.notna(), None)
    return barriers


def _role(points: gpd.GeoDataFrame, role: str) -> gpd.GeoDataFrame:
    chosen = points[points["role"] == role].drop(columns="role").reset_index(drop=True)
    return gpd.GeoDataFrame(chosen, geometry="geometry", crs="EPSG:4326")
