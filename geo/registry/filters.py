"""What a person asked the map to show, as one immutable value (a cache key too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from geo.vocabulary import PUBLIC_STATUSES

Wheelchair = Literal["any", "partly", "fully"]


@dataclass(frozen=True)
class MapFilter:
    """Filters of the public map. Empty tuples mean "no restriction".

    Ages select places and initiatives suitable for some age in the range; those with no
    stated ages are kept, because "unknown" is not "unsuitable".
    """

    area_ids: tuple[int, ...] = ()
    place_kinds: tuple[str, ...] = ()
    min_age: int = 0
    max_age: int = 18
    wheelchair: Wheelchair = "any"
    statuses: tuple[str, ...] = PUBLIC_STATUSES
    initiative_kinds: tuple[str, ...] = ()
    # The map's current view (minx, miny, maxx, maxy); None: everywhere.
    bbox: tuple[float, float, float, float] | None = None

    def wheelchair_values(self) -> list[str] | None:
        """Stored wheelchair values that pass, or None for no restriction."""
        return {"any": None, "partly": ["yes", "limited"], "fully": ["yes"]}[self.wheelchair]
