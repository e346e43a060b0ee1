"""The words beside a map: the facts of one play area or initiative and the plain tables
of what the map shows (places, initiatives, a place's open concerns, a proposal's steps).

Explore, Proposals, My proposals and Review show the same facts the same way; kept apart
from the pages so the wording of every fact (ages, access, inspection) is tested without
Streamlit, and the pages only lay things out. The phrases themselves ("all ages",
"Dawn to dusk", "From 01 Jun 2026") are ``geo.wording``'s; this module puts them in rows.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from geo.safeguarding.concerns import CATEGORIES, STATUSES
from geo.vocabulary import (
    INITIATIVE_KINDS,
    INITIATIVE_STATUSES,
    PLACE_KINDS,
    STATUS_STEPS,
    label,
)
from geo.wording import (
    NOT_KNOWN,
    access,
    age_text,
    area_text,
    dates,
    day,
    listed,
    opening_hours,
    present,
    surface,
    text,
    wheelchair,
    yes_no,
)

OUTSIDE_WARDS = "Outside the mapped wards"


def place_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The filtered places as a plain table, for people who cannot use a map."""
    return pd.DataFrame(
        {
            "Name": frame["name"],
            "Kind": [label(PLACE_KINDS, k) for k in frame["kind"]],
            "Ward": [text(w, OUTSIDE_WARDS) for w in frame["wards"]],
            "Ages": [
                age_text(a, b) for a, b in zip(frame["min_age"], frame["max_age"], strict=True)
            ],
            "Wheelchair": [wheelchair(w) for w in frame["wheelchair"]],
            "Last inspection": [day(d) for d in frame["last_inspection"]],
        }
    )


def initiative_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Title": frame["title"],
            "Kind": [label(INITIATIVE_KINDS, k) for k in frame["kind"]],
            "Status": [label(INITIATIVE_STATUSES, s) for s in frame["status"]],
            "Ward": [text(w, OUTSIDE_WARDS) for w in frame["wards"]],
            "Proposed by": [text(p) for p in frame["proposer"]],
            "Updated": [day(d) for d in frame["updated_at"]],
        }
    )


def place_facts(place: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything known about a place, worded for a resident; unknowns say so."""
    facts = [
        ("Kind", label(PLACE_KINDS, place["kind"])),
        ("Ward", text(place.get("wards"), OUTSIDE_WARDS)),
        ("Ages", age_text(place.get("min_age"), place.get("max_age"))),
        ("Wheelchair access", wheelchair(place.get("wheelchair"))),
        ("Surface", surface(place.get("surface"))),
        ("Fenced", yes_no(place.get("fenced"))),
        ("Lit at night", yes_no(place.get("lit"))),
        ("Access", access(place.get("access"))),
        ("Fee", yes_no(place.get("fee"))),
        ("Opening hours", opening_hours(place.get("opening_hours"))),
        ("Equipment", ", ".join(listed(place.get("equipment"))) or "Not recorded"),
        ("Run by", text(place.get("operator"), NOT_KNOWN)),
        ("Last safety inspection", _inspection(place)),
    ]
    if place.get("area_m2"):
        facts.append(("Size", area_text(place["area_m2"])))
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
    """Everything known about an initiative or proposal; unstated parts say so."""
    budget = initiative.get("budget")
    facts = [
        ("Kind", label(INITIATIVE_KINDS, initiative["kind"])),
        ("Status", label(INITIATIVE_STATUSES, initiative["status"])),
        ("Ward", text(initiative.get("wards"), OUTSIDE_WARDS)),
        ("Proposed by", text(initiative.get("proposer"), "Not stated")),
        ("Partners", ", ".join(listed(initiative.get("partners"))) or "No partners yet"),
        ("Goals", "; ".join(listed(initiative.get("goals"))) or "Not stated"),
        ("For ages", age_text(initiative.get("min_age"), initiative.get("max_age"))),
        ("Budget", f"£{float(budget):,.0f}" if present(budget) else "Not stated"),
        ("Dates", dates(initiative.get("start_date"), initiative.get("end_date"))),
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
