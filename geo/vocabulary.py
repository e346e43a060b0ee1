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

# OSM ``access=*``: who may use the place.
ACCESS: dict[str, str] = {
    "yes": "Open to everyone",
    "public": "Open to everyone",
    "designated": "Open to everyone",
    "permissive": "Open to everyone while the owner allows it",
    "destination": "Open to visitors",
    "customers": "Customers only",
    "members": "Members only",
    "residents": "Residents only",
    "students": "Pupils and students only",
    "permit": "With a permit only",
    "private": "Private: not open to the public",
    "no": "Not open to the public",
}

# OSM ``surface=*`` values seen under play equipment and games areas.
SURFACES: dict[str, str] = {
    "rubber": "Rubber surface",
    "rubber_mulch": "Rubber mulch",
    "woodchips": "Wood chips",
    "bark": "Bark",
    "grass": "Grass",
    "sand": "Sand",
    "artificial_turf": "Artificial grass",
    "tartan": "Synthetic sports surface",
    "asphalt": "Tarmac",
    "concrete": "Concrete",
    "paved": "Paved",
    "paving_stones": "Paving stones",
    "gravel": "Gravel",
    "fine_gravel": "Fine gravel",
    "pebblestone": "Pebbles",
    "compacted": "Compacted gravel",
    "dirt": "Bare earth",
    "ground": "Bare earth",
    "earth": "Bare earth",
    "wood": "Wood",
    "clay": "Clay",
    "mud": "Mud",
}

# What a step of a proposal's lifecycle is called in a story ("Decision: Draft" read as if
# the council had decided it was a draft).
STATUS_STEPS: dict[str, str] = {
    "draft": "Started as a draft",
    "submitted": "Submitted for review",
    "changes_requested": "Council asked for changes",
    "approved": "Council approved it",
    "rejected": "Council turned it down",
    "in_progress": "Work started",
    "completed": "Completed",
    "withdrawn": "Withdrawn by the proposer",
}
