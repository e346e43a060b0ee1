"""The words SafePlay stores and the labels people read.

Stored values are short stable keys (OSM-like where OSM has a word for it); labels are what
pages, tooltips and exports show. Adding a kind means adding it here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.i18n import N_, Words

PLACE_KINDS = Words(
    {
        "playground": N_("Playground"),
        "park": N_("Park or green"),
        "school_yard": N_("School yard open after hours"),
        "play_street": N_("Play street"),
        "youth_space": N_("Youth space"),
        "games_area": N_("Multi-use games area"),
        "skate_park": N_("Skate park"),
        "water_play": N_("Water play / splash pad"),
        "adventure_playground": N_("Adventure playground"),
    }
)

INITIATIVE_KINDS = Words(
    {
        "new_play_area": N_("New play area"),
        "safety_improvement": N_("Safety improvement"),
        "programme": N_("Programme or workshop"),
        "event": N_("Event"),
        "walking_route": N_("Safe walking route"),
        "play_street": N_("Play street"),
    }
)

INITIATIVE_STATUSES = Words(
    {
        "draft": N_("Draft"),
        "submitted": N_("Submitted for review"),
        "changes_requested": N_("Changes requested"),
        "approved": N_("Approved"),
        "rejected": N_("Rejected"),
        "in_progress": N_("In progress"),
        "completed": N_("Completed"),
        "withdrawn": N_("Withdrawn"),
    }
)

# Drafts are private to their proposer; withdrawn proposals are taken down by them.
PUBLIC_STATUSES: tuple[str, ...] = (
    "submitted",
    "changes_requested",
    "approved",
    "rejected",
    "in_progress",
    "completed",
)

WHEELCHAIR_ACCESS = Words(
    {
        "yes": N_("Wheelchair accessible"),
        "limited": N_("Partly wheelchair accessible"),
        "no": N_("Not wheelchair accessible"),
    }
)

AREA_LEVELS: tuple[str, ...] = ("ward", "neighbourhood", "district", "borough", "council")
# What a level is called after an area's name ("West (ward)"): lower case, as in a sentence.
AREA_LEVEL_NAMES = Words(
    {
        "ward": N_("ward"),
        "neighbourhood": N_("neighbourhood"),
        "district": N_("district"),
        "borough": N_("borough"),
        "council": N_("council"),
    }
)


def label(vocabulary: Mapping[str, str], key: str | None) -> str:
    """The label for a stored key, in the reader's language; unknown keys (from imports) are
    shown tidied, not hidden, and not translated (they are the importer's words)."""
    if key is None:
        return ""
    return vocabulary.get(key, key.replace("_", " ").capitalize())


ROLE_NAMES = Words(
    {
        "resident": N_("Resident"),
        "leader": N_("Community leader"),
        "council": N_("Council officer"),
        "admin": N_("Administrator"),
    }
)

# OSM ``access=*``: who may use the place.
ACCESS = Words(
    {
        "yes": N_("Open to everyone"),
        "public": N_("Open to everyone"),
        "designated": N_("Open to everyone"),
        "permissive": N_("Open to everyone while the owner allows it"),
        "destination": N_("Open to visitors"),
        "customers": N_("Customers only"),
        "members": N_("Members only"),
        "residents": N_("Residents only"),
        "students": N_("Pupils and students only"),
        "permit": N_("With a permit only"),
        "private": N_("Private: not open to the public"),
        "no": N_("Not open to the public"),
    }
)

# OSM ``surface=*`` values seen under play equipment and games areas.
SURFACES = Words(
    {
        "rubber": N_("Rubber surface"),
        "rubber_mulch": N_("Rubber mulch"),
        "woodchips": N_("Wood chips"),
        "bark": N_("Bark"),
        "grass": N_("Grass"),
        "sand": N_("Sand"),
        "artificial_turf": N_("Artificial grass"),
        "tartan": N_("Synthetic sports surface"),
        "asphalt": N_("Tarmac"),
        "concrete": N_("Concrete"),
        "paved": N_("Paved"),
        "paving_stones": N_("Paving stones"),
        "gravel": N_("Gravel"),
        "fine_gravel": N_("Fine gravel"),
        "pebblestone": N_("Pebbles"),
        "compacted": N_("Compacted gravel"),
        "dirt": N_("Bare earth"),
        "ground": N_("Bare earth"),
        "earth": N_("Bare earth"),
        "wood": N_("Wood"),
        "clay": N_("Clay"),
        "mud": N_("Mud"),
    }
)

# What a step of a proposal's lifecycle is called in a story ("Decision: Draft" read as if
# the council had decided it was a draft).
STATUS_STEPS = Words(
    {
        "draft": N_("Started as a draft"),
        "submitted": N_("Submitted for review"),
        "changes_requested": N_("Council asked for changes"),
        "approved": N_("Council approved it"),
        "rejected": N_("Council turned it down"),
        "in_progress": N_("Work started"),
        "completed": N_("Completed"),
        "withdrawn": N_("Withdrawn by the proposer"),
    }
)
