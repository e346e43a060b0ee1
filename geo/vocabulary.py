"""The words SafePlay stores and the labels people read.

Stored values are short stable keys (OSM-like where OSM has a word for it); labels are what
pages, tooltips and exports show. Adding a kind means adding it here and nowhere else.
"""

from __future__ import annotations

PLACE_KINDS: dict[str, str] = {
    "playground": "Playground",
    "park": "Park or green",
    "school_yard": "School yard open after hours",
    "play_street": "Play street",
    "youth_space": "Youth space",
    "games_area": "Multi-use games area",
    "skate_park": "Skate park",
    "water_play": "Water play / splash pad",
    "adventure_playground": "Adventure playground",
}

INITIATIVE_KINDS: dict[str, str] = {
    "new_play_area": "New play area",
    "safety_improvement": "Safety improvement",
    "programme": "Programme or workshop",
    "event": "Event",
    "walking_route": "Safe walking route",
    "play_street": "Play street",
}

INITIATIVE_STATUSES: dict[str, str] = {
    "draft": "Draft",
    "submitted": "Submitted for review",
    "changes_requested": "Changes requested",
    "approved": "Approved",
    "rejected": "Rejected",
    "in_progress": "In progress",
    "completed": "Completed",
    "withdrawn": "Withdrawn",
}

# Drafts are private to their proposer; withdrawn proposals are taken down by them.
PUBLIC_STATUSES: tuple[str, ...] = (
    "submitted",
    "changes_requested",
    "approved",
    "rejected",
    "in_progress",
    "completed",
)

WHEELCHAIR_ACCESS: dict[str, str] = {
    "yes": "Wheelchair accessible",
    "limited": "Partly wheelchair accessible",
    "no": "Not wheelchair accessible",
}

AREA_LEVELS: tuple[str, ...] = ("ward", "neighbourhood", "district", "borough", "council")


def label(vocabulary: dict[str, str], key: str | None) -> str:
    """The label for a stored key; unknown keys (from imports) are shown tidied, not hidden."""
    if key is None:
        return ""
    return vocabulary.get(key, key.replace("_", " ").capitalize())


ROLE_NAMES: dict[str, str] = {
    "resident": "Resident",
    "leader": "Community leader",
    "council": "Council officer",
    "admin": "Administrator",
}
