"""What the public "Explore" page shows: the filtered sets and the facts of one feature.

Kept apart from the page so the wording of every fact (ages, access, inspection) is tested
without Streamlit, and the page only lays things out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.mapping import maps
from geo.mapping.maps import age_text
from geo.registry import areas, initiatives, places
from geo.registry.filters import MapFilter
from geo.safeguarding.concerns import CATEGORIES, STATUSES
from geo.storage.db import Store
from geo.vocabulary import (
    INITIATIVE_KINDS,
    INITIATIVE_STATUSES,
    PLACE_KINDS,
    STATUS_STEPS,
    WHEELCHAIR_ACCESS,
    label,
)
from geo.wording import access, day, listed, opening_hours, present, surface, text, yes_no

Feature = tuple[str, int]  # ("place" | "initiative", id)


# More play areas than this are summarised per ward until the reader zooms in to
# DETAIL_ZOOM; then only those in view are sent. A city of 100,000 play areas would
# otherwise send 20 MB and take seconds to build (bench/README.md).
DETAIL_LIMIT = 2_000
DETAIL_ZOOM = 15


@dataclass(frozen=True)
class ExploreView:
    wards: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    initiatives: gpd.GeoDataFrame
    is_demo: bool
    place_counts: pd.DataFrame | None = None  # per ward, when places are summarised
    total_places: int = 0
    city_scale: bool = False  # more play areas than DETAIL_LIMIT: the view decides

    @property
    def summarised(self) -> bool:
        return self.place_counts is not None

    def bounds(self) -> tuple[float, float, float, float]:
        """What the map frames: the wards, else whatever is shown, else the world."""
        return maps.bounds_of(self.wards, self.places, self.initiatives)

    def choices(self) -> dict[Feature, str]:
        """Every shown feature with the label a person picks it by, places first."""
        labelled = {
            ("place", int(i)): f"Play area · {name}"
            for i, name in zip(self.places["id"], self.places["name"], strict=True)
        }
        labelled.update(
            (("initiative", int(i)), f"Initiative · {title}")
            for i, title in zip(self.initiatives["id"], self.initiatives["title"], strict=True)
        )
        return labelled

    def geometry_of(self, feature: Feature) -> BaseGeometry | None:
        """The shape of a shown feature (None when the filters hide it)."""
        frame = self.places if feature[0] == "place" else self.initiatives
        match = frame[frame["id"] == feature[1]]
        return None if match.empty else match.geometry.iloc[0]

    def focus(
        self, selected: Feature | None, ward_ids: tuple[int, ...], *, picked_on_map: bool = False
    ) -> maps.Focus:
        """Where the map should look: a feature picked from the list is framed and ringed;
        one clicked on the map is only ringed (it is in view already); otherwise the chosen
        wards are framed, and clearing the ward filter frames the whole town again."""
        shape = self.geometry_of(selected) if selected is not None else None
        if shape is not None:
            key = f"{selected[0]}:{selected[1]}"
            return maps.Focus(key, None if picked_on_map else maps.framing(shape, 120.0), shape)
        chosen = self.wards[self.wards["id"].isin(ward_ids)]
        if not chosen.empty:
            key = "wards:" + ",".join(str(i) for i in sorted(ward_ids))
            return maps.Focus(key, tuple(float(v) for v in chosen.total_bounds))
        return maps.Focus("", self.bounds(), only_after="wards:")

    def legend(
        self, own: tuple[maps.LegendEntry, ...] = (maps.PICKED_ENTRY,)
    ) -> list[maps.LegendEntry]:
        """The key of the map: ward lines, each kind of play area shown, clusters (or the
        per-ward totals of a large city), initiatives by status, then the page's ``own``
        symbols (what was picked on Explore, the drawing on Propose)."""
        counts = [maps.LegendEntry("ring", "#d9480f", "Number of play areas in a ward")]
        return [
            maps.WARD_ENTRY,
            *maps.place_entries(kinds_shown(self.places)),
            *(counts if self.city_scale else []),
            maps.CLUSTER_ENTRY,
            *maps.initiative_entries(),
            *own,
        ]

    def feature_at(self, lon: float, lat: float) -> Feature | None:
        """The feature a map click landed on; initiatives are drawn on top, so they win."""
        hit = maps.feature_at(self.initiatives, lon, lat)
        if hit is not None:
            return ("initiative", hit)
        hit = maps.feature_at(self.places, lon, lat)
        return ("place", hit) if hit is not None else None


def explore(store: Store, filters: MapFilter, zoom: int | None = None) -> ExploreView:
    """What the map shows for ``filters``: every play area while there are few; at city
    scale, counts per ward until ``zoom`` reaches ``DETAIL_ZOOM``, then the play areas in
    ``filters.bbox`` (the reader's view)."""
    wards = areas.area_shapes(store, "ward")
    everywhere = replace(filters, bbox=None)
    counts = places.count_places(store, everywhere)
    total = int(counts["count"].sum()) if not counts.empty else 0
    summarised = total > DETAIL_LIMIT and (zoom is None or zoom < DETAIL_ZOOM or not filters.bbox)
    shown = (
        # An empty frame with the usual columns: nothing lies at the degenerate box (0, 0).
        places.find_places(store, replace(filters, bbox=(0.0, 0.0, 0.0, 0.0)))
        if summarised
        else places.find_places(store, filters if total > DETAIL_LIMIT else everywhere)
    )
    return ExploreView(
        wards=wards,
        places=shown,
        initiatives=initiatives.find_initiatives(store, everywhere),
        is_demo=bool((wards["source"] == "demo").any()) if not wards.empty else False,
        place_counts=counts if summarised else None,
        total_places=total if summarised else len(shown),
        city_scale=total > DETAIL_LIMIT,
    )


def kinds_shown(frame: gpd.GeoDataFrame) -> list[str]:
    """The kinds of play area in ``frame`` in the vocabulary's order (all when it is empty,
    as at city scale before the reader zooms in)."""
    present = set(frame["kind"])
    return [k for k in PLACE_KINDS if k in present] or list(PLACE_KINDS)


@dataclass(frozen=True)
class Surroundings:
    """What lies around one shape: the wards it is in or near and the play areas close by."""

    wards: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    bounds: tuple[float, float, float, float]


def surroundings(store: Store, geometry: BaseGeometry, margin_m: float = 300.0) -> Surroundings:
    """The context a map of one proposal needs, so its shape is not drawn on blank grey:
    the play areas within ``margin_m`` of its bounds (found through the RTREE) and the
    outlines of the wards that box touches."""
    box = maps.framing(geometry, margin_m)
    wards = areas.area_shapes(store, "ward")
    if not wards.empty:
        wards = wards[wards.geometry.intersects(shapely.box(*box))]
    return Surroundings(wards, places.find_places(store, MapFilter(bbox=box)), box)


def place_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The filtered places as a plain table, for people who cannot use a map."""
    return pd.DataFrame(
        {
            "Name": frame["name"],
            "Kind": [label(PLACE_KINDS, k) for k in frame["kind"]],
            "Ward": [text(w, "Outside the mapped wards") for w in frame["wards"]],
            "Ages": [
                age_text(a, b) for a, b in zip(frame["min_age"], frame["max_age"], strict=True)
            ],
            "Wheelchair": [
                label(WHEELCHAIR_ACCESS, text(w)) or "Not known" for w in frame["wheelchair"]
            ],
            "Last inspection": [day(d) for d in frame["last_inspection"]],
        }
    )


def initiative_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Title": frame["title"],
            "Kind": [label(INITIATIVE_KINDS, k) for k in frame["kind"]],
            "Status": [label(INITIATIVE_STATUSES, s) for s in frame["status"]],
            "Ward": [text(w, "Outside the mapped wards") for w in frame["wards"]],
            "Proposed by": [text(p) for p in frame["proposer"]],
            "Updated": [day(d) for d in frame["updated_at"]],
        }
    )


def place_facts(place: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything known about a place, worded for a resident; unknowns say so."""
    facts = [
        ("Kind", label(PLACE_KINDS, place["kind"])),
        ("Ward", text(place.get("wards")) or "Outside the mapped wards"),
        ("Ages", age_text(place.get("min_age"), place.get("max_age"))),
        (
            "Wheelchair access",
            label(WHEELCHAIR_ACCESS, text(place.get("wheelchair"))) or "Not known",
        ),
        ("Surface", surface(place.get("surface"))),
        ("Fenced", yes_no(place.get("fenced"))),
        ("Lit at night", yes_no(place.get("lit"))),
        ("Access", access(place.get("access"))),
        ("Fee", yes_no(place.get("fee"))),
        ("Opening hours", opening_hours(place.get("opening_hours"))),
        ("Equipment", ", ".join(listed(place.get("equipment"))) or "Not recorded"),
        ("Run by", text(place.get("operator")) or "Not known"),
        ("Last safety inspection", _inspection(place)),
    ]
    if place.get("area_m2"):
        facts.append(("Size", f"{place['area_m2']:,.0f} m² ({place['area_m2'] / 10_000:.2f} ha)"))
    if text(place.get("description")):
        facts.append(("About", text(place["description"])))
    facts.append(
        (
            "Source",
            " ".join(filter(None, [text(place.get("source")), text(place.get("source_ref"))]))
            or "Not recorded",
        )
    )
    return facts


def initiative_facts(initiative: dict[str, Any]) -> list[tuple[str, str]]:
    budget = initiative.get("budget")
    facts = [
        ("Kind", label(INITIATIVE_KINDS, initiative["kind"])),
        ("Status", label(INITIATIVE_STATUSES, initiative["status"])),
        ("Ward", text(initiative.get("wards")) or "Outside the mapped wards"),
        ("Proposed by", text(initiative.get("proposer"), "Not stated")),
        ("Partners", ", ".join(listed(initiative.get("partners"))) or "No partners yet"),
        ("Goals", "; ".join(listed(initiative.get("goals"))) or "Not stated"),
        ("For ages", age_text(initiative.get("min_age"), initiative.get("max_age"))),
        ("Budget", f"£{float(budget):,.0f}" if present(budget) else "Not stated"),
        ("Dates", _dates(initiative.get("start_date"), initiative.get("end_date"))),
    ]
    if initiative.get("area_m2"):
        facts.append(("Size", f"{initiative['area_m2']:,.0f} m²"))
    if initiative.get("length_m"):
        facts.append(("Length", f"{initiative['length_m']:,.0f} m"))
    return facts


def concern_table(open_concerns: pd.DataFrame) -> pd.DataFrame:
    """A place's open concerns as the public reads them (never the reporter's words)."""
    return pd.DataFrame(
        {
            "Reported": [day(d) for d in open_concerns["created_at"]],
            "About": [CATEGORIES.get(c, c) for c in open_concerns["category"]],
            "Status": [STATUSES.get(s, s) for s in open_concerns["status"]],
            "Council's note": [text(n, "No note yet") for n in open_concerns["public_note"]],
        }
    )


def timeline_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """Each step of a proposal with who took it and why (the council's reasons in full)."""
    return pd.DataFrame(
        {
            "When": [day(d) for d in timeline["changed_at"]],
            "What happened": [label(STATUS_STEPS, s) for s in timeline["to_status"]],
            "By": [text(a) for a in timeline["actor"]],
            "Reason": [text(r) for r in timeline["reason"]],
        }
    )


def _inspection(place: dict[str, Any]) -> str:
    if not present(place.get("last_inspection")):
        return "No inspection recorded"
    result = text(place.get("inspection_result"))
    return day(place["last_inspection"]) + (f" — {result}" if result else "")


def _dates(start: Any, end: Any) -> str:
    if not present(start) and not present(end):
        return "Not stated"
    if not present(end):
        return f"From {day(start)}"
    if not present(start):
        return f"Until {day(end)}"
    return f"{day(start)} to {day(end)}"
