"""Distances along the street network: from play areas' entrances to where people live.

Fields in Trust's 100 / 400 / 1,000 m are walking distances. A walk is measured here from
the nearest way into a play area (its gates, else where a path meets its outline), along
the walkable graph of ``StreetNetwork``, to the point of the nearest street beside a home,
plus the short step from that street to the home. Rivers, railways and motorways are not
in the graph, so a walk crosses them only where the graph does (a bridge, a level crossing).

Everything here is plain geometry in metres of one ``LocalFrame`` and knows nothing of
wards, stores or play policy: ``geo/council/coverage.py`` turns these distances into
coverage. Shortest paths are scipy's sparse Dijkstra, bounded by the distance asked for,
so a city of 160,000 nodes answers in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.geometry import LocalFrame
from geo.i18n import N_
from geo.streets.network import BARRIER_WORDS, StreetNetwork
from geo.streets.snapping import CANDIDATES, SegmentIndex

# Farther than this from every walkable street, a home is "not on the network": counted
# out of reach rather than joined to a street it cannot walk to. 250 m is wider than any
# urban block (so a home set back in a courtyard still joins its street) but narrower than
# the 400 m a local play area is meant to be within, so the step never swamps the walk.
SNAP_LIMIT_M = 250.0
# An entrance node within this of a play area's outline is one of its ways in (OSM gates
# are drawn on the fence line, give or take the mapper's hand).
ENTRANCE_TOUCH_M = 3.0
# Grid cells stand for residents where the extract has no buildings: 40 m squares, fine
# enough for the 100 m doorstep distance and coarse enough for a city in a few seconds.
CELL_M = 40.0
# The pace a child walks with a carer (4.3 km/h, below the 4.8 km/h adult planning pace),
# used to turn metres saved into seconds.
WALKING_SPEED_M_S = 1.2
NO_CROSSING = N_("no crossing in the data")
_TINY_M = 1e-6  # sparse graphs drop zero weights; a source on a node is this far from it


@dataclass(frozen=True)
class Snapped:
    """Points joined to the network: the edge each lies beside (-1: not on the network),
    how far along it (0 at ``u``, 1 at ``v``) and the step from the point to it, in metres
    (inf when not on the network)."""

    edge: np.ndarray
    fraction: np.ndarray
    offset_m: np.ndarray

    @staticmethod
    def empty(count: int = 0) -> Snapped:
        return Snapped(np.full(count, -1, dtype=np.int64), np.zeros(count), np.full(count, np.inf))

    @property
    def on_network(self) -> np.ndarray:
        return self.edge >= 0

    def take(self, which: np.ndarray) -> Snapped:
        return Snapped(self.edge[which], self.fraction[which], self.offset_m[which])

    @staticmethod
    def join(parts: list[Snapped]) -> Snapped:
        if not parts:
            return Snapped.empty()
        return Snapped(
            np.concatenate([p.edge for p in parts]),
            np.concatenate([p.fraction for p in parts]),
            np.concatenate([p.offset_m for p in parts]),
        )


@dataclass(frozen=True)
class Sources:
    """Where walks start: the ways into each place, ``place[i]`` the index of the place
    source ``i`` belongs to."""

    place: np.ndarray
    points: Snapped


class WalkingGraph:
    """One network in metres, ready to snap points and measure walks on.

    ``step_free`` leaves out flights of steps (a walk with a buggy or a wheelchair).
    Built once per question; each Dijkstra adds its own sources as extra vertices.
    """

    def __init__(self, network: StreetNetwork, frame: LocalFrame, step_free: bool = False):
        self.network = network
        nodes = frame.to_metres(shapely.points(network.lon, network.lat))
        self.node_xy = shapely.get_coordinates(nodes) if len(nodes) else np.zeros((0, 2))
        keep = np.asarray(network.u) != np.asarray(network.v)
        if step_free:
            keep &= ~np.asarray(network.steps, dtype=bool)
        self.kept = np.flatnonzero(keep)  # position in the network's own edge arrays
        self.u = np.asarray(network.u, dtype=np.int64)[self.kept]
        self.v = np.asarray(network.v, dtype=np.int64)[self.kept]
        self.length_m = np.asarray(network.length_m, dtype=float)[self.kept]
        self.segments = SegmentIndex(self.node_xy[self.u], self.node_xy[self.v])
        self.barriers = (
            frame.to_metres(network.barriers.geometry.to_numpy())
            if not network.barriers.empty
            else np.array([], dtype=object)
        )
        self.barrier_tree = shapely.STRtree(self.barriers)
        self.entrances = (
            frame.to_metres(network.entrances.geometry.to_numpy())
            if not network.entrances.empty
            else np.array([], dtype=object)
        )
        self._base = self._base_edges()

    @property
    def node_count(self) -> int:
        return len(self.node_xy)

    # Shapes and trees that only play areas' outlines need (a few thousand queries), built
    # when first asked for rather than for every question.
    @cached_property
    def lines(self) -> np.ndarray:
        if not len(self.u):
            return np.array([], dtype=object)
        return shapely.linestrings(np.stack([self.node_xy[self.u], self.node_xy[self.v]], axis=1))

    @cached_property
    def edge_tree(self) -> shapely.STRtree:
        return shapely.STRtree(self.lines)

    @cached_property
    def entrance_tree(self) -> shapely.STRtree:
        return shapely.STRtree(self.entrances)

    @cached_property
    def node_tree(self) -> shapely.STRtree:
        return shapely.STRtree(shapely.points(self.node_xy))

    def _base_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Both directions of every edge; of two edges between the same nodes, the shorter
        (a sparse matrix would add them up)."""
        low, high = np.minimum(self.u, self.v), np.maximum(self.u, self.v)
        frame = pd.DataFrame({"a": low, "b": high, "w": np.maximum(self.length_m, _TINY_M)})
        shortest = frame.groupby(["a", "b"], sort=False)["w"].min().reset_index()
        a, b, w = shortest["a"].to_numpy(), shortest["b"].to_numpy(), shortest["w"].to_numpy()
        return np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([w, w])

    # -- snapping ---------------------------------------------------------------------

    def snap(self, shapes: np.ndarray, avoid_barriers: bool = True) -> Snapped:
        """Each shape joined to its nearest walkable edge within ``SNAP_LIMIT_M``.

        With ``avoid_barriers``, a join whose step crosses a barrier (a home on the far
        bank of a river) is replaced by the nearest join that crosses none, or the point
        is not on the network; without it (a play area itself), the nearest join stands.
        Points (homes, cells, gates) go through the KD-tree of ``snapping``; areas and
        lines, which are few and are play areas rather than homes, through shapely's
        exact nearest search, joining their nearest street as it is.
        """
        shapes = np.asarray(shapes, dtype=object)
        result = Snapped.empty(len(shapes))
        if not len(shapes) or not len(self.u):
            return result
        point = shapely.get_type_id(shapes) == 0
        self._snap_points(result, np.flatnonzero(point), shapes[point], avoid_barriers)
        other = np.flatnonzero(~point & ~shapely.is_empty(shapes))
        if not len(other):
            return result
        which, edge = self.edge_tree.query_nearest(
            shapes[other], max_distance=SNAP_LIMIT_M, all_matches=False
        )
        which = other[which]
        steps = shapely.shortest_line(shapes[which], self.lines[edge])
        result.edge[which] = edge
        result.offset_m[which] = shapely.length(steps)
        result.fraction[which] = shapely.line_locate_point(
            self.lines[edge], shapely.get_point(steps, 1), normalized=True
        )
        return result

    def _snap_points(
        self, result: Snapped, where: np.ndarray, points: np.ndarray, avoid_barriers: bool
    ) -> None:
        xy = shapely.get_coordinates(points)
        if not len(xy):
            return
        edge, fraction, distance = self.segments.nearest(xy, SNAP_LIMIT_M)
        if avoid_barriers and len(self.barriers):
            blocked = np.flatnonzero(self._steps_cross(xy, edge, fraction))
            if len(blocked):
                # The nearest street that no barrier parts from the point, among the
                # segments behind its 64 nearest samples: the right bank's street may be
                # farther than many of the wrong bank's segments.
                wide = self.segments.candidates(xy[blocked], SNAP_LIMIT_M, 4 * CANDIDATES)
                along, away = self.segments.project(xy[blocked], wide)
                crossing = self._steps_cross(
                    np.repeat(xy[blocked], wide.shape[1], axis=0), wide.ravel(), along.ravel()
                ).reshape(wide.shape)
                away[crossing] = np.inf
                best = np.argmin(away, axis=1)
                rows = np.arange(len(blocked))
                edge[blocked], fraction[blocked] = wide[rows, best], along[rows, best]
                distance[blocked] = away[rows, best]
        found = distance <= SNAP_LIMIT_M
        result.edge[where[found]] = edge[found]
        result.fraction[where[found]] = fraction[found]
        result.offset_m[where[found]] = distance[found]

    def _steps_cross(self, xy: np.ndarray, edge: np.ndarray, fraction: np.ndarray) -> np.ndarray:
        """Whether the straight step from each point to its foot on ``edge`` crosses a
        barrier (False for -1)."""
        e = np.maximum(edge, 0)
        foot = self.node_xy[self.u[e]] + fraction[:, None] * (
            self.node_xy[self.v[e]] - self.node_xy[self.u[e]]
        )
        hit, _ = self.barrier_tree.query(
            shapely.linestrings(np.stack([xy, foot], axis=1)), predicate="intersects"
        )
        crosses = np.zeros(len(xy), dtype=bool)
        crosses[hit] = True
        return crosses & (edge >= 0)

    # -- ways into play areas -----------------------------------------------------------

    def sources(self, places: np.ndarray) -> Sources:
        """The ways into each place (shapes in metres), by what the data holds.

        An area is entered at its entrances (gates within ``ENTRANCE_TOUCH_M`` of its
        outline); failing those, wherever the network meets it (edges crossing its outline,
        nodes inside or on it); failing those, like a point, at the nearest edge point —
        never at its centroid, which for a park may be 200 m from any gate.
        """
        places = np.asarray(places, dtype=object)
        parts: list[tuple[np.ndarray, Snapped]] = []
        areal = ~shapely.is_empty(places) & (shapely.get_type_id(places) != 0)
        outlines = np.where(shapely.get_dimensions(places) == 2, shapely.boundary(places), places)
        has_way = np.zeros(len(places), dtype=bool)
        if len(self.entrances) and areal.any():
            owner, gate = self.entrance_tree.query(
                outlines[areal], predicate="dwithin", distance=ENTRANCE_TOUCH_M
            )
            owner = np.flatnonzero(areal)[owner]
            snapped = self.snap(self.entrances[gate], avoid_barriers=False)
            parts.append((owner, snapped))
            has_way[owner[snapped.on_network]] = True
        meet = areal & ~has_way
        if meet.any() and len(self.u):
            owners, snapped = self._meeting_points(places, outlines, np.flatnonzero(meet))
            parts.append((owners, snapped))
            has_way[owners] = True
        rest = np.flatnonzero(~has_way & ~shapely.is_empty(places))
        parts.append((rest, self.snap(places[rest], avoid_barriers=False)))
        owner = np.concatenate([p[0] for p in parts])
        points = Snapped.join([p[1] for p in parts])
        found = points.on_network
        return Sources(owner[found], points.take(found))

    def _meeting_points(
        self, places: np.ndarray, outlines: np.ndarray, which: np.ndarray
    ) -> tuple[np.ndarray, Snapped]:
        owner, edge = self.edge_tree.query(outlines[which], predicate="intersects")
        owner = which[owner]
        crossings = shapely.intersection(self.lines[edge], outlines[owner])
        # A crossing is a point, or several, or a stretch where a path runs along a fence:
        # every vertex of it is a way in.
        coords, index = shapely.get_coordinates(crossings, return_index=True)
        cross_owner, cross_edge = owner[index], edge[index]
        fraction = shapely.line_locate_point(
            self.lines[cross_edge], shapely.points(coords), normalized=True
        )
        inside_owner, node = self.node_tree.query(
            places[which], predicate="dwithin", distance=ENTRANCE_TOUCH_M
        )
        inside_owner = which[inside_owner]
        node_edge, node_fraction = self._edge_at_node(node)
        known = node_edge >= 0
        owners = np.concatenate([cross_owner, inside_owner[known]])
        snapped = Snapped(
            np.concatenate([cross_edge, node_edge[known]]),
            np.concatenate([fraction, node_fraction[known]]),
            np.zeros(len(owners)),
        )
        return owners, snapped

    def _edge_at_node(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """An edge touching each node and the node's end of it (-1 for an isolated node)."""
        first_u = np.full(self.node_count, -1, dtype=np.int64)
        first_v = np.full(self.node_count, -1, dtype=np.int64)
        first_u[self.u[::-1]] = np.arange(len(self.u))[::-1]
        first_v[self.v[::-1]] = np.arange(len(self.v))[::-1]
        edge = np.where(first_u[nodes] >= 0, first_u[nodes], first_v[nodes])
        fraction = np.where(first_u[nodes] >= 0, 0.0, 1.0)
        return edge, fraction

    # -- walking ------------------------------------------------------------------------

    def node_distances(self, sources: Snapped, limit_m: float) -> np.ndarray:
        """Metres from the nearest source to every node (inf beyond ``limit_m``).

        Each source is an extra vertex on its edge, at its exact fraction, joined to one
        extra start vertex by its step from the place: one bounded Dijkstra answers for all
        sources at once, exactly.
        """
        n, k = self.node_count, len(sources.edge)
        if k == 0:
            return np.full(n, np.inf)
        a, b = self.u[sources.edge], self.v[sources.edge]
        length = self.length_m[sources.edge]
        virtual = np.arange(n, n + k)
        start = n + k
        to_a = np.maximum(sources.fraction * length, _TINY_M)
        to_b = np.maximum((1 - sources.fraction) * length, _TINY_M)
        base_from, base_to, base_w = self._base
        rows = np.concatenate([base_from, virtual, a, virtual, b, np.full(k, start)])
        cols = np.concatenate([base_to, a, virtual, b, virtual, virtual])
        weights = np.concatenate(
            [base_w, to_a, to_a, to_b, to_b, np.maximum(sources.offset_m, _TINY_M)]
        )
        graph = csr_matrix((weights, (rows, cols)), shape=(start + 1, start + 1))
        found = dijkstra(graph, directed=True, indices=start, limit=limit_m)
        return found[:n]

    def distances(
        self, node_m: np.ndarray, sources: Snapped, targets: Snapped, limit_m: float
    ) -> np.ndarray:
        """Metres walked from the nearest source to each target (inf beyond ``limit_m``):
        its step to the street plus the shorter way along its edge, to either end and on
        from there, or straight to a source on the same edge."""
        result = np.full(len(targets.edge), np.inf)
        on = targets.on_network
        edge, t = targets.edge[on], targets.fraction[on]
        length = self.length_m[edge]
        along = np.minimum(
            node_m[self.u[edge]] + t * length, node_m[self.v[edge]] + (1 - t) * length
        )
        result[on] = targets.offset_m[on] + along
        shared = np.isin(targets.edge, sources.edge) & on
        if shared.any():
            pairs = pd.DataFrame({"edge": targets.edge[shared], "target": np.flatnonzero(shared)})
            pairs = pairs.merge(
                pd.DataFrame(
                    {"edge": sources.edge, "ts": sources.fraction, "off": sources.offset_m}
                ),
                on="edge",
            )
            target = pairs["target"].to_numpy()
            direct = (
                pairs["off"].to_numpy()
                + np.abs(targets.fraction[target] - pairs["ts"].to_numpy())
                * self.length_m[pairs["edge"].to_numpy()]
                + targets.offset_m[target]
            )
            best = pd.Series(direct).groupby(target).min()
            index = best.index.to_numpy()
            result[index] = np.minimum(result[index], best.to_numpy())
        result[result > limit_m] = np.inf
        return result

    def edge_distances(self, node_m: np.ndarray) -> np.ndarray:
        """Per edge of the network (in its own order), metres to its nearer end; inf for
        edges left out (steps, in a step-free walk) or beyond the limit."""
        result = np.full(self.network.edge_count, np.inf)
        result[self.kept] = np.minimum(node_m[self.u], node_m[self.v])
        return result

    # -- what is in the way -------------------------------------------------------------

    def barrier_between(self, starts: np.ndarray, ends: np.ndarray) -> tuple[list, list]:
        """For each straight line from ``starts[i]`` to ``ends[i]``, the kind (in words)
        and OSM name of the barrier it crosses nearest its start; ``NO_CROSSING`` and
        None where it crosses none the data holds."""
        kinds = [NO_CROSSING] * len(starts)
        names: list[str | None] = [None] * len(starts)
        if not len(starts) or not len(self.barriers):
            return kinds, names
        lines = shapely.linestrings(
            np.stack([shapely.get_coordinates(starts), shapely.get_coordinates(ends)], axis=1)
        )
        line, barrier = self.barrier_tree.query(lines, predicate="intersects")
        nearness = shapely.distance(np.asarray(starts, dtype=object)[line], self.barriers[barrier])
        order = np.lexsort((nearness, line))
        line, barrier = line[order], barrier[order]
        first = np.unique(line, return_index=True)[1]
        table = self.network.barriers
        for i, j in zip(line[first], barrier[first], strict=True):
            kind = str(table["kind"].iat[j])
            kinds[i] = BARRIER_WORDS.get(kind, kind)
            name = table["name"].iat[j]
            names[i] = str(name) if isinstance(name, str) and name.strip() else None
        return kinds, names


def resident_points(
    wards: np.ndarray, homes: np.ndarray, residential: np.ndarray, cell_m: float = CELL_M
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each ward's residents are taken to live (shapes in metres): its homes where
    the extract has buildings in it, else the centres of ``cell_m`` grid cells over its
    residential land, else over the whole ward (a ward smaller than a cell: one point).

    Returns the points, the ward index of each and what each is ("home" or "cell").
    Ward populations are all we hold, so residents are spread evenly over the points.
    """
    points, owners, what = [], [], []
    home_ward, home = (
        shapely.STRtree(homes).query(wards, predicate="contains")
        if len(homes)
        else (np.array([], dtype=int), np.array([], dtype=int))
    )
    land = shapely.union_all(residential) if len(residential) else None
    for i, ward in enumerate(wards):
        mine = homes[home[home_ward == i]]
        kind = "home"
        if not len(mine):
            kind = "cell"
            mine = _cells(shapely.intersection(ward, land), cell_m) if land is not None else []
            if not len(mine):
                mine = _cells(ward, cell_m)
        points.append(mine)
        owners.append(np.full(len(mine), i))
        what.append(np.full(len(mine), kind, dtype=object))
    if not points:
        return np.array([], dtype=object), np.array([], dtype=int), np.array([], dtype=object)
    return np.concatenate(points), np.concatenate(owners), np.concatenate(what)


def _cells(area, cell_m: float) -> np.ndarray:
    """Centres of the grid cells whose centre lies in ``area`` (its representative point
    when none does)."""
    if area is None or area.is_empty:
        return np.array([], dtype=object)
    x0, y0, x1, y1 = area.bounds
    xs = np.arange(np.floor(x0 / cell_m), np.ceil(x1 / cell_m)) * cell_m + cell_m / 2
    ys = np.arange(np.floor(y0 / cell_m), np.ceil(y1 / cell_m)) * cell_m + cell_m / 2
    gx, gy = (grid.ravel() for grid in np.meshgrid(xs, ys))
    shapely.prepare(area)
    inside = shapely.contains_xy(area, gx, gy)
    if not inside.any():
        return np.array([area.representative_point()], dtype=object)
    return shapely.points(gx[inside], gy[inside])
