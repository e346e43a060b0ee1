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

from geo import i18n
from geo.i18n import N_, t
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
    reason,
    surface,
    text,
    wheelchair,
    yes_no,
)

# Translated where it is read (``t(OUTSIDE_WARDS)``): the reader's language is known then.
OUTSIDE_WARDS = N_("Outside the mapped wards")


def place_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The filtered places as a plain table, for people who cannot use a map."""
    return pd.DataFrame(
        {
            t("Name"): frame["name"],
            t("Kind"): [label(PLACE_KINDS, k) for k in frame["kind"]],
            t("Ward"): [text(w, t(OUTSIDE_WARDS)) for w in frame["wards"]],
            t("Ages"): [
                age_text(a, b) for a, b in zip(frame["min_age"], frame["max_age"], strict=True)
            ],
            t("Wheelchair"): [wheelchair(w) for w in frame["wheelchair"]],
            t("Last inspection"): [day(d) for d in frame["last_inspection"]],
        }
    )


def initiative_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("Title"): frame["title"],
            t("Kind"): [label(INITIATIVE_KINDS, k) for k in frame["kind"]],
            t("Status"): [label(INITIATIVE_STATUSES, s) for s in frame["status"]],
            t("Ward"): [text(w, t(OUTSIDE_WARDS)) for w in frame["wards"]],
            t("Proposed by"): [text(p) for p in frame["proposer"]],
            t("Updated"): [day(d) for d in frame["updated_at"]],
        }
    )


def place_facts(place: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything known about a place, worded for a resident; unknowns say so."""
    facts = [
        (t("Kind"), label(PLACE_KINDS, place["kind"])),
        (t("Ward"), text(place.get("wards"), t(OUTSIDE_WARDS))),
        (t("Ages"), age_text(place.get("min_age"), place.get("max_age"))),
        (t("Wheelchair access"), wheelchair(place.get("wheelchair"))),
        (t("Surface"), surface(place.get("surface"))),
        (t("Fenced"), yes_no(place.get("fenced"))),
        (t("Lit at night"), yes_no(place.get("lit"))),
        (t("Access"), access(place.get("access"))),
        (t("Fee"), yes_no(place.get("fee"))),
        (t("Opening hours"), opening_hours(place.get("opening_hours"))),
        (t("Equipment"), ", ".join(listed(place.get("equipment"))) or t("Not recorded")),
        (t("Run by"), text(place.get("operator"), NOT_KNOWN)),
        (t("Last safety inspection"), _inspection(place)),
    ]
    if place.get("area_m2"):
        facts.append((t("Size"), area_text(place["area_m2"])))
    if text(place.get("description")):
        facts.append((t("About"), text(place["description"])))
    facts.append(
        (
            t("Source"),
            " ".join(filter(None, [text(place.get("source")), text(place.get("source_ref"))]))
            or t("Not recorded"),
        )
    )
    return facts


def initiative_facts(initiative: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything known about an initiative or proposal; unstated parts say so."""
    budget = initiative.get("budget")
    facts = [
        (t("Kind"), label(INITIATIVE_KINDS, initiative["kind"])),
        (t("Status"), label(INITIATIVE_STATUSES, initiative["status"])),
        (t("Ward"), text(initiative.get("wards"), t(OUTSIDE_WARDS))),
        (t("Proposed by"), text(initiative.get("proposer"), t("Not stated"))),
        (t("Partners"), ", ".join(listed(initiative.get("partners"))) or t("No partners yet")),
        (t("Goals"), "; ".join(listed(initiative.get("goals"))) or t("Not stated")),
        (t("For ages"), age_text(initiative.get("min_age"), initiative.get("max_age"))),
        (
            t("Budget"),
            t("£{amount}", amount=i18n.number(float(budget), 0))
            if present(budget)
            else t("Not stated"),
        ),
        (t("Dates"), dates(initiative.get("start_date"), initiative.get("end_date"))),
    ]
    if initiative.get("area_m2"):
        facts.append((t("Size"), f"{i18n.number(initiative['area_m2'], 0)} m²"))
    if initiative.get("length_m"):
        facts.append((t("Length"), f"{i18n.number(initiative['length_m'], 0)} m"))
    return facts


def concern_table(open_concerns: pd.DataFrame) -> pd.DataFrame:
    """A place's open concerns as the public reads them (never the reporter's words)."""
    return pd.DataFrame(
        {
            t("Reported"): [day(d) for d in open_concerns["created_at"]],
            t("About"): [CATEGORIES.get(c, c) for c in open_concerns["category"]],
            t("Status"): [STATUSES.get(s, s) for s in open_concerns["status"]],
            t("Council's note"): [text(n, t("No note yet")) for n in open_concerns["public_note"]],
        }
    )


def timeline_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """Each step of a proposal with who took it and why (the council's reasons in full)."""
    return pd.DataFrame(
        {
            t("When"): [day(d) for d in timeline["changed_at"]],
            t("What happened"): [label(STATUS_STEPS, s) for s in timeline["to_status"]],
            t("By"): [text(a) for a in timeline["actor"]],
            t("Reason"): [reason(r) for r in timeline["reason"]],
        }
    )


def _inspection(place: dict[str, Any]) -> str:
    if not present(place.get("last_inspection")):
        return t("No inspection recorded")
    result = text(place.get("inspection_result"))
    return day(place["last_inspection"]) + (f" — {result}" if result else "")
