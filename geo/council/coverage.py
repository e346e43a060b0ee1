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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.geometry import LocalFrame
from geo.registry import areas
from geo.storage.db import Store
from geo.wording import present


@dataclass(frozen=True)
class Level:
    label: str
    walk_m: int
    kinds: tuple[str, ...]


LEVELS: dict[str, Level] = {
    "doorstep": Level(
        "Doorstep play (LAP)",
        100,
        ("playground", "play_street", "water_play", "adventure_playground", "park", "school_yard"),
    ),
    "local": Level(
        "Local play (LEAP)",
        400,
        ("playground", "water_play", "adventure_playground", "park"),
    ),
    "neighbourhood": Level(
        "Neighbourhood play (NEAP)",
        1000,
        ("games_area", "skate_park", "youth_space", "adventure_playground", "park"),
    ),
}
METHOD = (
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
) -> Coverage:
    """Coverage of ``wards`` by ``places`` (both EPSG:4326 frames with a ``kind`` column)."""
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
        chosen = place_shapes[np.isin(kinds, LEVELS[level].kinds)]
        return _covered_pieces(ward_shapes, chosen, distances[level])

    # One thread per level: GEOS releases the GIL, and the levels are independent.
    with ThreadPoolExecutor(len(LEVELS)) as pool:
        pieces_by_level = dict(zip(LEVELS, pool.map(covered, LEVELS), strict=True))
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
    for level in LEVELS:
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


def coverage(
    store: Store,
    distances: dict[str, float] | None = None,
    level: str = "ward",
    with_proposals: list[int] | None = None,
) -> Coverage:
    """Coverage of the council's areas of ``level`` by its play areas (and, for a what-if,
    by the places the given proposals would create)."""
    places = play_places(store)
    if with_proposals:
        places = pd.concat([places, proposal_places(store, with_proposals)], ignore_index=True)
    return compute(areas.area_shapes(store, level), places, distances)


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
    for level in LEVELS:
        table[f"{level}_share"] = (table[f"{level}_share"] * 100).round(1)
    table["area_ha"] = table["area_ha"].round(1)
    return table.rename(columns={f"{lv}_share": f"{lv}_covered_pct" for lv in LEVELS})


def need_table(result: Coverage, level: str) -> pd.DataFrame:
    """The ranking as a council officer reads it: the column it is sorted by comes right
    after the ward, so a narrow screen still shows why the order is what it is."""
    ranked = result.ranked(level)
    out_of_reach = ranked["population"] - ranked[f"{level}_residents"]
    return pd.DataFrame(
        {
            "Ward": ranked["name"],
            "Children out of reach (est.)": ranked["need"].round().astype(int),
            # Text, so a ward without a population reads "Not known" rather than "None".
            "Residents out of reach": [
                f"{n:,.0f}" if present(n) else "Not known" for n in out_of_reach
            ],
            "Covered": [
                f"{100 * share:.1f}%" if present(share) else "Not known"
                for share in ranked[f"{level}_share"]
            ],
        }
    )


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
        row = {"Proposal": titles.get(proposal_id, str(proposal_id))}
        for level, spec in LEVELS.items():
            gained = (change["population"].fillna(0) * change[f"{level}_gain"]).sum()
            row[spec.label] = round(float(gained))
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values(list(table.columns[1:]), ascending=False) if rows else table


def change_columns(change: pd.DataFrame) -> dict[str, pd.Series]:
    """Per level, "now% → then%" text columns for the what-if table."""
    return {
        spec.label: (change[f"{level}_now"] * 100).round(1).astype(str)
        + "% → "
        + (change[f"{level}_then"] * 100).round(1).astype(str)
        + "%"
        for level, spec in LEVELS.items()
    }
