"""Where children lack somewhere to play: coverage of each ward by play areas in reach.

Following Fields in Trust's guidance, a home should be within 100 m walking of a doorstep
play space (LAP), 400 m of a local equipped play area (LEAP) and 1,000 m of a neighbourhood
one (NEAP). Walking routes are longer than straight lines, so the guidance's straight-line
equivalents — 60, 240 and 600 m — are used unless the council sets others. For each ward
and each level, the covered part is the ward within that distance of a play area of a
matching kind; the rest are its "play gaps". Residents are assumed spread evenly over a
ward (ward populations are all we hold), so the share of residents covered equals the
share of area covered.

Everything is measured in metres in one local frame centred on the council's area.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import NotFound
from geo.geometry import LocalFrame
from geo.i18n import N_, Words, number, t
from geo.registry import areas
from geo.storage.db import Store
from geo.streets import storage, walking
from geo.streets.network import StreetNetwork
from geo.wording import present


@dataclass(frozen=True)
class Level:
    name: str  # English, marked for the catalogue: ``label`` is what a person reads
    walk_m: int
    kinds: tuple[str, ...]

    @property
    def label(self) -> str:
        """The level in the reader's language: levels are built at import, and cached
        coverage results carrying them serve readers of every language."""
        return t(self.name)


LEVELS: dict[str, Level] = {
    "doorstep": Level(
        N_("Doorstep play (LAP)"),
        100,
        ("playground", "play_street", "water_play", "adventure_playground", "park", "school_yard"),
    ),
    "local": Level(
        N_("Local play (LEAP)"),
        400,
        ("playground", "water_play", "adventure_playground", "park"),
    ),
    "neighbourhood": Level(
        N_("Neighbourhood play (NEAP)"),
        1000,
        ("games_area", "skate_park", "youth_space", "adventure_playground", "park"),
    ),
}
METHOD = N_(
    "**Method.** Fields in Trust advises that homes be within 100 m walking of a doorstep "
    "play space (LAP), 400 m of a local equipped play area (LEAP) and 1,000 m of a "
    "neighbourhood play area (NEAP). Walking routes are longer than straight lines, so the "
    "straight-line equivalents 60, 240 and 600 m are used unless you set others below. A "
    "ward's *coverage* is the share of its area within that distance of a play area of a "
    "matching kind (doorstep: any play space; local: playgrounds, parks, water and "
    "adventure play; neighbourhood: games areas, skate parks, youth spaces, parks, adventure "
    "play). Residents are assumed evenly spread over the ward. Red on the map: *play gaps*, "
    "out of reach at the chosen level. Wards are ranked by children out of reach (estimated "
    "from the ward's child population), else residents, else the uncovered share."
)
DEFAULT_DISTANCES: dict[str, float] = {"doorstep": 60.0, "local": 240.0, "neighbourhood": 600.0}
# What a proposal would become if built (others — events, programmes — add no place).
PROPOSAL_PLACE_KIND = {"new_play_area": "playground", "play_street": "play_street"}


@dataclass(frozen=True)
class Coverage:
    """Per ward: area, people and the covered share at each level; and the gaps."""

    table: pd.DataFrame
    gaps: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)

    def ranked(self, level: str) -> pd.DataFrame:
        """Wards by need at ``level``: uncovered children, else residents, else area share."""
        table = self.table.copy()
        share = table[f"{level}_share"]
        table["need"] = np.where(
            table["child_population"].notna(),
            table["child_population"].fillna(0) * (1 - share),
            np.where(
                table["population"].notna(),
                table["population"].fillna(0) * (1 - share),
                (1 - share) * 100,
            ),
        )
        return table.sort_values(["need", "name"], ascending=[False, True])


def play_places(store: Store) -> gpd.GeoDataFrame:
    return store.geoframe("SELECT id, kind, ST_AsWKB(geom) AS wkb FROM places")


def proposal_places(store: Store, proposal_ids: list[int]) -> gpd.GeoDataFrame:
    """Proposals as the places they would create if built (for what-if comparisons)."""
    found = store.geoframe(
        "SELECT id, kind, ST_AsWKB(geom) AS wkb FROM initiatives "
        "WHERE list_contains(CAST(? AS INTEGER[]), id)",
        [proposal_ids],
    )
    found["kind"] = found["kind"].map(PROPOSAL_PLACE_KIND)
    return found.dropna(subset=["kind"])


def compute(
    wards: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    distances: dict[str, float] | None = None,
    with_gaps: bool = True,
    levels: dict[str, Level] = LEVELS,
) -> Coverage:
    """Coverage of ``wards`` by ``places`` (both EPSG:4326 frames with a ``kind`` column)
    within straight-line ``distances`` of each of ``levels`` (Fields in Trust's by default)."""
    distances = {**DEFAULT_DISTANCES, **(distances or {})}
    if wards.empty:
        return Coverage(pd.DataFrame(columns=["id", "name"]))
    frame = LocalFrame(shapely.union_all(wards.geometry.to_numpy()).centroid)
    ward_shapes = frame.to_metres(wards.geometry.to_numpy())
    place_shapes = frame.to_metres(places.geometry.to_numpy()) if not places.empty else np.array([])
    table = pd.DataFrame(
        {
            "id": wards["id"].to_numpy(),
            "name": wards["name"].to_numpy(),
            "population": wards["population"].to_numpy(),
            "child_population": wards["child_population"].to_numpy(),
            "area_ha": shapely.area(ward_shapes) / 10_000,
        }
    )
    kinds = places["kind"].to_numpy() if len(place_shapes) else np.array([])

    def covered(level: str) -> tuple[np.ndarray, np.ndarray]:
        chosen = place_shapes[np.isin(kinds, levels[level].kinds)]
        return _covered_pieces(ward_shapes, chosen, distances[level])

    # One thread per level: GEOS releases the GIL, and the levels are independent.
    with ThreadPoolExecutor(len(levels)) as pool:
        pieces_by_level = dict(zip(levels, pool.map(covered, levels), strict=True))
    gaps = {}
    for level, (owner, pieces) in pieces_by_level.items():
        covered_m2 = np.bincount(owner, shapely.area(pieces), minlength=len(ward_shapes))
        table[f"{level}_share"] = covered_m2 / shapely.area(ward_shapes)
        if with_gaps:
            reached = [shapely.union_all(pieces[owner == i]) for i in range(len(ward_shapes))]
            gaps[level] = gpd.GeoDataFrame(
                {"id": table["id"], "name": table["name"], "share": table[f"{level}_share"]},
                geometry=frame.to_degrees(shapely.difference(ward_shapes, reached)),
                crs="EPSG:4326",
            )
    for level in levels:
        table[f"{level}_residents"] = (table["population"] * table[f"{level}_share"]).round()
    return Coverage(table, gaps)


# A 16-sided polygon whose area equals the circle's: its radius is this much longer.
_EQUAL_AREA = float(np.sqrt(2 * np.pi / (16 * np.sin(2 * np.pi / 16))))


def circles(places: np.ndarray, distance: float) -> np.ndarray:
    """What lies within ``distance`` metres of each place, as coverage draws it.

    Buffers are 16-sided with the true circle's area (a place on its own covers exactly
    pi r²), rather than shapely's default 32 sides inscribed in the circle (0.6 % short).
    Half the vertices make the union, most of the work, twice as fast; measured against
    256-sided circles on the benchmark city, shares per ward are within 0.17 percentage
    points of the true circles' — closer than the 32-sided default's 0.28 (bench/README.md).
    """
    return shapely.buffer(places, distance * _EQUAL_AREA, quad_segs=4)


def _covered_pieces(
    wards: np.ndarray, places: np.ndarray, distance: float
) -> tuple[np.ndarray, np.ndarray]:
    """The parts of ``wards`` within ``distance`` metres of any of ``places``, as
    non-overlapping pieces and the index of the ward each lies in."""
    if len(places) == 0:
        return np.array([], dtype=int), np.array([], dtype=object)
    buffers = circles(places, distance)
    reach = shapely.get_parts(_union(buffers, distance, shapely.area(wards).sum()))
    owner, part = shapely.STRtree(reach).query(wards, predicate="intersects")
    pieces = reach[part].copy()
    crossing = ~shapely.within(pieces, wards[owner])  # only these need cutting
    cut_by = wards[owner[crossing]]
    # A piece crossing many wards is first clipped to each ward's box (cheap), which halves
    # the vertices the exact intersection has to node.
    boxed = [
        shapely.clip_by_rect(piece, *box)
        for piece, box in zip(pieces[crossing], shapely.bounds(cut_by), strict=True)
    ]
    pieces[crossing] = shapely.intersection(cut_by, np.array(boxed, dtype=object))
    return owner, pieces


def _union(buffers: np.ndarray, distance: float, wards_m2: float) -> BaseGeometry:
    """The union of ``buffers`` (of ``distance`` metres), by the method that is fastest for
    how much they overlap; all three give the same polygon.

    The union of thousands of buffers is most of the work. When they cover less than the
    wards' area in total they mostly fall in small separate clusters, and unioning each
    cluster on its own (GEOS's disjoint-subset union) is three times faster than one big
    union. When they overlap many times over (1,000 m around every park), most lie inside
    the union of a well-spread few: see ``_union_of_many``. In between, the plain union.
    """
    overlap = shapely.area(buffers).sum() / wards_m2
    if overlap < 1:
        return shapely.disjoint_subset_union_all(buffers)
    if overlap > _MANY_TIMES_OVER:
        return _union_of_many(buffers, distance)
    return shapely.union_all(buffers)


_MANY_TIMES_OVER = 8  # measured: at 27 times over 3x faster; at 2 times over 1.2x slower


def _union_of_many(buffers: np.ndarray, distance: float) -> BaseGeometry:
    """The union of heavily overlapping buffers: first of one buffer per ``distance``-sized
    grid cell (a well-spread core), then of that core with only the buffers it does not
    already contain. Exact, since a contained buffer adds nothing to the union."""
    cells = np.floor(shapely.get_coordinates(shapely.centroid(buffers)) / distance)
    _, first_in_cell = np.unique(cells, axis=0, return_index=True)
    in_core = np.zeros(len(buffers), dtype=bool)
    in_core[first_in_cell] = True
    core = shapely.union_all(buffers[in_core])
    shapely.prepare(core)
    others = buffers[~in_core]
    sticking_out = others[~shapely.contains(core, others)]
    return shapely.union_all(np.append(sticking_out, core))


Method = Literal["auto", "walking", "straight"]


def coverage(
    store: Store,
    distances: dict[str, float] | None = None,
    level: str = "ward",
    with_proposals: list[int] | None = None,
    method: Method = "auto",
    with_gaps: bool = True,
    bands: Bands = "fit",
) -> Coverage:
    """Coverage of the council's areas of ``level`` by its play areas (and, for a what-if,
    by the places the given proposals would create).

    ``distances`` are straight-line metres, as they always were. ``method="auto"`` measures
    by walking where streets were imported (the standard's walking distances, the
    straight-line answer beside it) and by straight line where they were not; "walking"
    insists, and raises ``NotFound`` saying how to import streets. Without ``with_gaps``
    the uncovered shapes for the map are not drawn (a table is all a report needs).
    ``bands="london"`` measures the London Plan's age bands instead of Fields in Trust's
    levels; ``distances`` then default to ``LINE_RATIO`` of the bands' walking metres.
    A table alone (no gaps, no proposals) may be one kept from an earlier call at the same
    data version: read it, do not change it.
    """
    if bands != "fit":
        default = {lv: LINE_RATIO * spec.walk_m for lv, spec in BANDS[bands].items()}
        distances = {**default, **{lv: m for lv, m in (distances or {}).items() if lv in default}}
    if with_gaps or with_proposals:
        return _measure(store, distances, level, with_proposals, method, with_gaps, bands)
    # A table alone (the play sufficiency page reads one on every rerun) is kept per data
    # version: any committed write moves it, so a kept table is never out of date.
    key = (str(store.location), store.data_version(), tuple(sorted((distances or {}).items())))
    return _kept(
        _TABLES,
        (*key, level, method, bands),
        lambda: _measure(store, distances, level, None, method, False, bands),
    )


def _measure(
    store: Store,
    distances: dict[str, float] | None,
    level: str,
    with_proposals: list[int] | None,
    method: Method,
    with_gaps: bool,
    bands: Bands,
) -> Coverage:
    places = play_places(store)
    if with_proposals:
        places = pd.concat([places, proposal_places(store, with_proposals)], ignore_index=True)
    wards = areas.area_shapes(store, level)
    network = street_network(store) if method != "straight" else None
    if network is None and method == "walking":
        raise NotFound(t(NO_STREETS))
    if network is None:
        return compute(wards, places, distances, with_gaps, BANDS[bands])
    return compute_walking(
        network, wards, places, bands=bands, line_distances=distances, with_gaps=with_gaps
    ).as_coverage()


NO_STREETS = N_(
    "No streets have been imported, so walking distances cannot be measured: import the "
    "council's OpenStreetMap extract first (python -m geo import-streets FILE.osm.pbf), or "
    "use the straight-line method."
)
# Fields in Trust's straight-line equivalents (60 / 240 / 600 m) are 0.6 of its walking
# distances; the same ratio gives the straight-line comparison for any other standard.
LINE_RATIO = 0.6
# Standards of reach: per band, the walking distance and the kinds of play that serve it.
# Fields in Trust's levels; the London Plan's age bands (Policy S4 and its guidance:
# under-5s doorstep play on site or within 100 m, 5-11 within 400 m, 12+ within 800 m).
BANDS: dict[str, dict[str, Level]] = {
    "fit": LEVELS,
    "london": {
        "under_5": Level(N_("Under 5: doorstep play"), 100, LEVELS["doorstep"].kinds),
        "age_5_11": Level(N_("Ages 5–11: local play"), 400, LEVELS["local"].kinds),
        "age_12_plus": Level(
            N_("Ages 12 and over: youth play"), 800, LEVELS["neighbourhood"].kinds
        ),
    },
}
BAND_NAMES = Words({"fit": N_("Fields in Trust"), "london": N_("London Plan age bands")})
Bands = Literal["fit", "london"]
# Walks are followed to this many times a level's distance, so that the what-if can say
# how much shorter a proposal makes the walk of homes just out of reach that it brings in.
WHAT_IF_HORIZON = 2.0


@dataclass(frozen=True)
class WalkingCoverage:
    """Coverage measured along the streets, with what the map and the cut-off list need.

    ``table``: per ward, ``id``, ``name``, ``population``, ``child_population``,
    ``area_ha`` and per level ``{level}_share`` (walking), ``{level}_line_share``,
    ``{level}_difference`` (walking minus straight line, negative where streets make the
    walk longer), ``{level}_residents`` and ``{level}_children`` within walking reach.
    ``cells``: the points residents are spread over (``ward_id``, ``weight`` — the share
    of its ward's residents — ``source`` "home" or "cell", ``{level}_walk_m``, inf when
    out of reach). ``edges``: per street edge, both ends' ``lon_u``/``lat_u``/``lon_v``/
    ``lat_v``, ``ward_id`` (of its midpoint; missing outside every ward), ``steps`` and
    ``{level}_walk_m`` to its nearer end. ``cut_off``: points within the straight-line
    distance but not the walking one (``ward_id``, ``level``, ``line_m``, ``walk_m``,
    ``barrier_kind`` in words, ``barrier_name`` or None, ``place_id`` of the play area
    in sight). ``gaps``: per level, the parts of each ward out of walking reach.
    """

    table: pd.DataFrame
    cells: gpd.GeoDataFrame
    edges: pd.DataFrame
    cut_off: gpd.GeoDataFrame
    levels: dict[str, Level]
    walk_distances: dict[str, float]
    line_distances: dict[str, float]
    gaps: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    # What a what-if reuses: the graph with residents joined to it, and per level today's
    # walk from every resident point, followed to WHAT_IF_HORIZON times the distance.
    prepared: _Walk | None = field(default=None, repr=False, compare=False)
    horizon_m: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def as_coverage(self) -> Coverage:
        """The walking answer in the shape straight-line callers already read."""
        return Coverage(self.table, self.gaps)


def street_network(store: Store) -> StreetNetwork | None:
    """The council's imported walkable network, None while none was imported.

    Kept per database until the next import: reading a city's network back takes over a
    second on PostgreSQL (bench/README.md), and every question on the Play gaps page, the
    report and a what-if asks for it. The import's time tells one network from the next.
    """
    found = storage.summary(store)
    if found is None:
        return None
    key = (str(store.location), found.imported_at, found.source, found.nodes, found.edges)
    return _kept(_NETWORKS, key, lambda: storage.load(store))


# Loaded networks and prepared graphs, newest last: a city's takes about 1 GB at most
# (bench/README.md), so only a couple are kept.
_NETWORKS: OrderedDict[tuple, StreetNetwork | None] = OrderedDict()
_PREPARED: OrderedDict[tuple, tuple[StreetNetwork, _Walk]] = OrderedDict()
_TABLES: OrderedDict[tuple, Coverage] = OrderedDict()  # small: a row per ward
_KEEP = 2
Kept = TypeVar("Kept")
_KEPT_LOCK = threading.Lock()


def _kept(kept: OrderedDict[tuple, Kept], key: tuple, make: Callable[[], Kept]) -> Kept:
    """``kept[key]``, made by ``make()`` when missing; the least recently used dropped."""
    with _KEPT_LOCK:
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    made = make()
    with _KEPT_LOCK:
        kept[key] = made
        while len(kept) > _KEEP:
            kept.popitem(last=False)
    return made


def walking_coverage(
    store: Store,
    distances: dict[str, float] | None = None,
    bands: Bands = "fit",
    level: str = "ward",
    step_free: bool = False,
    line_distances: dict[str, float] | None = None,
    with_gaps: bool = True,
) -> WalkingCoverage | None:
    """Coverage of the areas of ``level`` by walking (None when no streets were imported).

    ``distances``: walking metres per band (default the standard's); ``line_distances``:
    the straight-line comparison's (default ``LINE_RATIO`` of the walking ones); without
    ``with_gaps`` the parts out of reach are not drawn (a report needs only the table).
    """
    network = street_network(store)
    if network is None:
        return None
    return compute_walking(
        network,
        areas.area_shapes(store, level),
        play_places(store),
        distances,
        bands,
        step_free,
        line_distances,
        with_gaps,
    )


@dataclass(frozen=True)
class _Walk:
    """One question's shared parts: the graph, residents joined to it, play sources."""

    graph: walking.WalkingGraph
    ward_shapes: np.ndarray
    points: np.ndarray
    owner: np.ndarray
    what: np.ndarray
    snapped: walking.Snapped
    frame: LocalFrame


def _prepare(network: StreetNetwork, wards: gpd.GeoDataFrame, step_free: bool) -> _Walk:
    """The graph in metres with residents joined to it: seconds for a city (the segment
    index, every home snapped), and the same until the streets or the boundaries change,
    so kept for the next question. The network is kept with it, so that its ``id`` in the
    key cannot be reused by another network while the entry lives."""
    fingerprint = tuple(wards["id"]), tuple(shapely.to_wkb(wards.geometry.to_numpy()))
    key = (id(network), step_free, hash(fingerprint))
    return _kept(_PREPARED, key, lambda: (network, _prepare_now(network, wards, step_free)))[1]


def _prepare_now(network: StreetNetwork, wards: gpd.GeoDataFrame, step_free: bool) -> _Walk:
    frame = LocalFrame(shapely.union_all(wards.geometry.to_numpy()).centroid)
    graph = walking.WalkingGraph(network, frame, step_free)
    ward_shapes = frame.to_metres(wards.geometry.to_numpy())
    homes = _metres(frame, network.homes)
    residential = _metres(frame, network.residential)
    points, owner, what = walking.resident_points(ward_shapes, homes, residential)
    return _Walk(graph, ward_shapes, points, owner, what, graph.snap(points), frame)


def _metres(frame: LocalFrame, shapes: gpd.GeoDataFrame) -> np.ndarray:
    return frame.to_metres(shapes.geometry.to_numpy()) if not shapes.empty else np.array([])


def _walk_metres(
    walk: _Walk,
    sources: walking.Sources,
    chosen: np.ndarray,
    limit_m: float,
    place_shapes: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Metres walked from the nearest of the ``chosen`` places to every resident point
    (0 inside one) and the node distances behind them."""
    from_chosen = sources.points.take(np.isin(sources.place, np.flatnonzero(chosen)))
    node_m = walk.graph.node_distances(from_chosen, limit_m)
    metres = walk.graph.distances(node_m, from_chosen, walk.snapped, limit_m)
    inside, _ = shapely.STRtree(place_shapes[chosen]).query(walk.points, predicate="within")
    metres[inside] = 0.0
    return metres, node_m


def compute_walking(
    network: StreetNetwork,
    wards: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    distances: dict[str, float] | None = None,
    bands: Bands = "fit",
    step_free: bool = False,
    line_distances: dict[str, float] | None = None,
    with_gaps: bool = True,
) -> WalkingCoverage:
    """Walking coverage of ``wards`` by ``places`` over ``network`` (frames in EPSG:4326)."""
    levels = BANDS[bands]
    walk_m = {lv: float((distances or {}).get(lv, spec.walk_m)) for lv, spec in levels.items()}
    line_m = {lv: float((line_distances or {}).get(lv, LINE_RATIO * walk_m[lv])) for lv in levels}
    if wards.empty:
        return _nothing_to_measure(levels, walk_m, line_m)
    walk = _prepare(network, wards, step_free)
    table = pd.DataFrame(
        {
            "id": wards["id"].to_numpy(),
            "name": wards["name"].to_numpy(),
            "population": wards["population"].to_numpy(),
            "child_population": wards["child_population"].to_numpy(),
            "area_ha": shapely.area(walk.ward_shapes) / 10_000,
        }
    )
    place_shapes = _metres(walk.frame, places)
    kinds = places["kind"].to_numpy()
    sources = walk.graph.sources(place_shapes)
    weight = 1 / np.bincount(walk.owner, minlength=len(wards))[walk.owner]
    cells = gpd.GeoDataFrame(
        {"ward_id": wards["id"].to_numpy()[walk.owner], "weight": weight, "source": walk.what},
        geometry=walk.frame.to_degrees(walk.points),
        crs="EPSG:4326",
    )
    edges = _edge_frame(network, walk, wards["id"].to_numpy())
    cut: list[pd.DataFrame] = []
    gaps = {}
    horizon = {}
    for lv, spec in levels.items():
        chosen = np.isin(kinds, spec.kinds)
        far, node_m = _walk_metres(
            walk, sources, chosen, WHAT_IF_HORIZON * walk_m[lv], place_shapes
        )
        horizon[lv] = far
        metres = np.where(far <= walk_m[lv], far, np.inf)
        cells[f"{lv}_walk_m"] = metres
        edges[f"{lv}_walk_m"] = walk.graph.edge_distances(
            np.where(node_m <= walk_m[lv], node_m, np.inf)
        )
        reached = np.bincount(walk.owner, weight * np.isfinite(metres), minlength=len(wards))
        reached = np.clip(reached, 0, 1)  # a whole ward's weights add up to 1 ± rounding
        table[f"{lv}_share"] = reached
        # The straight line measured over the same homes or cells as the walk, so the
        # difference is the streets' doing, not a change of what is counted.
        in_line = _within(walk.points, place_shapes[chosen], line_m[lv])
        line = np.bincount(walk.owner, weight * in_line, minlength=len(wards))
        table[f"{lv}_line_share"] = np.clip(line, 0, 1)
        table[f"{lv}_difference"] = reached - table[f"{lv}_line_share"]
        table[f"{lv}_residents"] = (table["population"] * reached).round()
        table[f"{lv}_children"] = (table["child_population"] * reached).round()
        cut.append(_cut_off(walk, metres, place_shapes, chosen, places, line_m[lv], lv))
        if with_gaps:
            gaps[lv] = _gaps(walk, ~np.isfinite(metres), table, lv)
    cut_off = pd.concat([part for part in cut if len(part)] or cut[:1], ignore_index=True)
    cut_off["ward_id"] = wards["id"].to_numpy()[cut_off.pop("ward").to_numpy(dtype=int)]
    return WalkingCoverage(
        table,
        cells,
        edges,
        gpd.GeoDataFrame(cut_off, geometry="geometry", crs="EPSG:4326"),
        levels,
        walk_m,
        line_m,
        gaps,
        walk,
        horizon,
    )


def _within(points: np.ndarray, shapes: np.ndarray, metres: float) -> np.ndarray:
    """Whether each point lies within ``metres`` of any of ``shapes``, as the crow flies."""
    near = np.zeros(len(points), dtype=bool)
    if len(points) and len(shapes):
        hit, _ = shapely.STRtree(shapes).query(points, predicate="dwithin", distance=metres)
        near[hit] = True
    return near


_CUT_OFF_COLUMNS = ["level", "line_m", "walk_m", "barrier_kind", "barrier_name", "place_id"]


def _nothing_to_measure(
    levels: dict[str, Level], walk_m: dict[str, float], line_m: dict[str, float]
) -> WalkingCoverage:
    """Walking coverage with no areas to cover (no boundaries imported yet): the frames
    every caller reads, with their columns and no rows."""
    per_level = ("share", "line_share", "difference", "residents", "children")
    table = pd.DataFrame(
        columns=["id", "name", "population", "child_population", "area_ha"]
        + [f"{lv}_{what}" for lv in levels for what in per_level]
    )
    walk_columns = [f"{lv}_walk_m" for lv in levels]
    cells = gpd.GeoDataFrame(
        columns=["ward_id", "weight", "source", *walk_columns], geometry=[], crs="EPSG:4326"
    )
    edges = pd.DataFrame(
        columns=["lon_u", "lat_u", "lon_v", "lat_v", "ward_id", "steps", *walk_columns]
    )
    cut_off = gpd.GeoDataFrame(
        columns=[*_CUT_OFF_COLUMNS, "ward_id"],
        geometry=[],
        crs="EPSG:4326",
    )
    return WalkingCoverage(table, cells, edges, cut_off, levels, walk_m, line_m)


def _edge_frame(network: StreetNetwork, walk: _Walk, ward_ids: np.ndarray) -> pd.DataFrame:
    u, v = np.asarray(network.u, dtype=np.int64), np.asarray(network.v, dtype=np.int64)
    xy = walk.graph.node_xy
    mx, my = ((xy[u] + xy[v]) / 2).T
    owner = np.full(len(u), -1)
    # Ward by ward over the midpoints in its bounding box: far faster than a tree query of
    # hundreds of thousands of points.
    for i, shape in enumerate(walk.ward_shapes):
        x0, y0, x1, y1 = shape.bounds
        near = np.flatnonzero((mx >= x0) & (mx <= x1) & (my >= y0) & (my <= y1))
        shapely.prepare(shape)
        owner[near[shapely.contains_xy(shape, mx[near], my[near])]] = i
    ward_id = pd.array(np.asarray(ward_ids)[np.maximum(owner, 0)], dtype="Int64")
    ward_id[owner < 0] = pd.NA
    lon, lat = np.asarray(network.lon), np.asarray(network.lat)
    return pd.DataFrame(
        {
            "lon_u": lon[u],
            "lat_u": lat[u],
            "lon_v": lon[v],
            "lat_v": lat[v],
            "ward_id": ward_id,
            "steps": np.asarray(network.steps, dtype=bool),
        }
    )


def _cut_off(
    walk: _Walk,
    metres: np.ndarray,
    place_shapes: np.ndarray,
    chosen: np.ndarray,
    places: gpd.GeoDataFrame,
    line_m: float,
    level: str,
) -> pd.DataFrame:
    """Resident points in reach as the crow flies but not on foot, and what is in the way:
    the barrier the straight line to the nearest play area crosses nearest the home."""
    empty = pd.DataFrame(
        {
            "ward": pd.Series(dtype=int),
            "level": pd.Series(dtype=str),
            "line_m": pd.Series(dtype=float),
            "walk_m": pd.Series(dtype=float),
            "barrier_kind": pd.Series(dtype=str),
            "barrier_name": pd.Series(dtype=object),
            "place_id": pd.Series(dtype=places["id"].dtype),
            "geometry": pd.Series(dtype=object),
        }
    )
    if not chosen.any() or not len(walk.points):
        return empty
    which = np.flatnonzero(chosen)
    unreached = np.flatnonzero(~np.isfinite(metres))
    point, nearest = shapely.STRtree(place_shapes[which]).query_nearest(
        walk.points[unreached], max_distance=line_m, all_matches=False
    )
    point, nearest = unreached[point], which[nearest]
    if not len(point):
        return empty
    lines = shapely.shortest_line(walk.points[point], place_shapes[nearest])
    kinds, names = walk.graph.barrier_between(walk.points[point], shapely.get_point(lines, 1))
    return pd.DataFrame(
        {
            "ward": walk.owner[point],
            "level": level,
            "line_m": shapely.length(lines),
            "walk_m": metres[point],
            "barrier_kind": kinds,
            "barrier_name": names,
            "place_id": places["id"].to_numpy()[nearest],
            "geometry": walk.frame.to_degrees(walk.points[point]),
        }
    )


def _gaps(walk: _Walk, unreached: np.ndarray, table: pd.DataFrame, level: str) -> gpd.GeoDataFrame:
    """Per ward, the grid squares holding its resident points out of reach (a cell is its
    own square; a home, the square it falls in), within the ward.

    Whole squares of one grid never overlap, so GEOS's coverage union joins them — far
    faster than a general union of thousands of squares.
    """
    size = walking.CELL_M
    xy = shapely.get_coordinates(walk.points[unreached]) if unreached.any() else np.zeros((0, 2))
    owner = walk.owner[unreached]
    cell = pd.DataFrame(
        {"ward": owner, "x": np.floor(xy[:, 0] / size), "y": np.floor(xy[:, 1] / size)}
    ).drop_duplicates()
    squares = shapely.box(
        cell["x"] * size, cell["y"] * size, (cell["x"] + 1) * size, (cell["y"] + 1) * size
    )
    ward_of = cell["ward"].to_numpy()
    out = np.array(
        [shapely.coverage_union_all(squares[ward_of == i]) for i in range(len(walk.ward_shapes))],
        dtype=object,
    )
    has_gap = ~shapely.is_empty(out)
    out[has_gap] = shapely.intersection(walk.ward_shapes[has_gap], out[has_gap])
    return gpd.GeoDataFrame(
        {"id": table["id"], "name": table["name"], "share": table[f"{level}_share"]},
        geometry=walk.frame.to_degrees(out),
        crs="EPSG:4326",
    )


def what_if_walking(
    store: Store,
    proposal_ids: list[int],
    distances: dict[str, float] | None = None,
    bands: Bands = "fit",
    step_free: bool = False,
    base: WalkingCoverage | None = None,
) -> pd.DataFrame:
    """Each proposal on its own, by walking: see ``compute_what_if_walking``. ``base``, the
    walking coverage already on screen, saves measuring today's walks again. Raises
    ``NotFound`` when no streets were imported."""
    if base is None:
        network = street_network(store)
        if network is None:
            raise NotFound(t(NO_STREETS))
        wards = areas.area_shapes(store, "ward")
        base = compute_walking(
            network, wards, play_places(store), distances, bands, step_free, with_gaps=False
        )
    return compute_what_if_walking(base, proposal_places(store, proposal_ids))


def compute_what_if_walking(base: WalkingCoverage, proposals: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per proposal (``proposal_id``) and level: ``{level}_residents`` and
    ``{level}_children`` newly within walking reach if it alone were built,
    ``{level}_helped`` residents whose walk it shortens and ``{level}_seconds_saved``,
    the average it shortens their walk by at ``walking.WALKING_SPEED_M_S`` (0 when it
    helps no one; walks today beyond ``WHAT_IF_HORIZON`` times the distance count as
    brought in but not in the average, having no figure to shorten).

    Today's walks come from ``base``; each proposal adds one Dijkstra from its own ways
    in, bounded by the farthest level it serves, so a what-if is quick on a city.
    """
    walk, levels, walk_m = base.prepared, base.levels, base.walk_distances
    share = base.cells["weight"].to_numpy()
    population = base.table["population"].to_numpy(dtype=float)[walk.owner]
    child_population = base.table["child_population"].to_numpy(dtype=float)[walk.owner]
    residents = np.nan_to_num(population * share)
    children = np.nan_to_num(child_population * share)
    new_shapes = _metres(walk.frame, proposals)
    rows = []
    for i, kind in enumerate(proposals["kind"].to_numpy()):
        row: dict[str, float] = {"proposal_id": int(proposals["id"].iat[i])}
        serves = [lv for lv, spec in levels.items() if kind in spec.kinds]
        then = np.full(len(walk.points), np.inf)
        if serves:
            shape = new_shapes[i : i + 1]
            limit = max(walk_m[lv] for lv in serves)
            then, _ = _walk_metres(walk, walk.graph.sources(shape), np.array([True]), limit, shape)
        for lv in levels:
            now = base.horizon_m[lv]
            after = np.minimum(now, then) if lv in serves else now
            newly = (now > walk_m[lv]) & (after <= walk_m[lv])
            helped = (after < now - 1.0) & (after <= walk_m[lv])
            known = helped & np.isfinite(now)
            saved_m = (
                np.average(now[known] - after[known], weights=share[known]) if known.any() else 0.0
            )
            row[f"{lv}_residents"] = round(float(residents[newly].sum()))
            row[f"{lv}_children"] = round(float(children[newly].sum()))
            row[f"{lv}_helped"] = round(float(residents[helped].sum()))
            row[f"{lv}_seconds_saved"] = float(saved_m) / walking.WALKING_SPEED_M_S
        rows.append(row)
    columns = ["proposal_id"] + [
        f"{lv}_{what}"
        for lv in levels
        for what in ("residents", "children", "helped", "seconds_saved")
    ]
    return pd.DataFrame(rows, columns=columns)


def what_if(
    store: Store, proposal_ids: list[int], distances: dict[str, float] | None = None
) -> pd.DataFrame:
    """How each ward's coverage would change if the proposals were built, in points."""
    wards = areas.area_shapes(store, "ward")
    now = compute(wards, play_places(store), distances, with_gaps=False).table
    built = pd.concat([play_places(store), proposal_places(store, proposal_ids)], ignore_index=True)
    then = compute(wards, built, distances, with_gaps=False).table
    result = now[["id", "name", "population"]].copy()
    for level in LEVELS:
        result[f"{level}_now"] = now[f"{level}_share"]
        result[f"{level}_then"] = then[f"{level}_share"]
        result[f"{level}_gain"] = then[f"{level}_share"] - now[f"{level}_share"]
    gains = [f"{level}_gain" for level in LEVELS]
    return result[result[gains].gt(1e-9).any(axis=1)].sort_values(gains, ascending=False)


def as_csv_table(result: Coverage) -> pd.DataFrame:
    """The coverage table as the command line writes it: percentages, rounded."""
    table = result.table.copy()
    names = {}
    for level in {lv: None for levels in BANDS.values() for lv in levels}:
        # Walking coverage adds the straight-line share and the difference, in points.
        for column, name in (
            (f"{level}_share", f"{level}_covered_pct"),
            (f"{level}_line_share", f"{level}_line_covered_pct"),
            (f"{level}_difference", f"{level}_difference_points"),
        ):
            if column in table:
                table[column] = (table[column] * 100).round(1)
                names[column] = name
    table["area_ha"] = table["area_ha"].round(1)
    return table.rename(columns=names)


def children_out_of_reach(ranked: pd.DataFrame, level: str) -> list[str]:
    """Children out of reach at ``level`` per ranked ward, as "1,250" or "Not known".

    Not the ranking's ``need``: for a ward without children counted that falls back to
    residents or a share of area, which under this heading would read as children."""
    children = ranked["child_population"] * (1 - ranked[f"{level}_share"])
    return [people(n) for n in children]


def people(value: object) -> str:
    """A head count written the reader's way ("1,250", "1.250"), or "Not known"."""
    return number(round(float(value))) if present(value) else t("Not known")


def need_table(result: Coverage, level: str) -> pd.DataFrame:
    """The ranking as a council officer reads it: the column it is sorted by comes right
    after the ward, so a narrow screen still shows why the order is what it is."""
    ranked = result.ranked(level)
    out_of_reach = ranked["population"] - ranked[f"{level}_residents"]
    return pd.DataFrame(
        {
            t("Ward"): ranked["name"],
            t("Children out of reach (est.)"): children_out_of_reach(ranked, level),
            # Text, so a ward without a population reads "Not known" rather than "None".
            t("Residents out of reach"): [people(n) for n in out_of_reach],
            t("Covered"): [share_words(share) for share in ranked[f"{level}_share"]],
        }
    )


def share_words(share: object) -> str:
    """A covered share (0–1) as the reader writes a percentage, to a tenth ("62.5%",
    "62,5 %"), or "Not known"."""
    if not present(share):
        return t("Not known")
    return t("{share}%", share=number(round(100 * float(share), 1), 1))


def what_if_candidates(store: Store) -> pd.DataFrame:
    """Proposals that would create play space if built (not withdrawn or rejected)."""
    return store.frame(
        "SELECT id, title, status FROM initiatives WHERE list_contains(?, kind) "
        "AND status NOT IN ('withdrawn', 'rejected', 'completed') ORDER BY title",
        [list(PROPOSAL_PLACE_KIND)],
    )


def compare_proposals(
    store: Store, proposal_ids: list[int], distances: dict[str, float] | None = None
) -> pd.DataFrame:
    """Each proposal on its own: residents it would bring within reach, per level."""
    rows = []
    titles = dict(
        store.rows(
            "SELECT id, title FROM initiatives WHERE list_contains(CAST(? AS INTEGER[]), id)",
            [proposal_ids],
        )
    )
    for proposal_id in proposal_ids:
        change = what_if(store, [proposal_id], distances)
        row = {t("Proposal"): titles.get(proposal_id, str(proposal_id))}
        for level, spec in LEVELS.items():
            gained = (change["population"].fillna(0) * change[f"{level}_gain"]).sum()
            row[spec.label] = round(float(gained))
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values(list(table.columns[1:]), ascending=False) if rows else table


def change_columns(change: pd.DataFrame) -> dict[str, pd.Series]:
    """Per level, "now% → then%" text columns for the what-if table."""
    return {
        spec.label: [
            t("{now} → {then}", now=share_words(now), then=share_words(then))
            for now, then in zip(change[f"{level}_now"], change[f"{level}_then"], strict=True)
        ]
        for level, spec in LEVELS.items()
    }
