"""Where an actor may act, as one answer for lists: the wards in scope and their SQL.

``scope(actor, action)`` answers "which wards" once; every list, queue, count, map layer and
export of the core turns that answer into a condition (``Scope.ward_sql`` for a ward
column, ``initiative_sql`` and ``place_sql`` for things that lie in several areas). A
council account limited to some wards sees and acts only there; everyone else allowed the
action has the whole council area. Drafts and withdrawn proposals of other people are never
listed (``private_sql``; ``rules.may_see`` is the same rule for opening one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.permissions.actions import refusal, role_may
from geo.permissions.actors import Actor

# Drafts belong to their proposer; withdrawn proposals were taken down by theirs.
PRIVATE_STATUSES: tuple[str, ...] = ("draft", "withdrawn")


@dataclass(frozen=True)
class Scope:
    """The wards an actor may see or act on for one action: every ward (``ward_ids`` is
    None, which also covers things that lie in no ward), or exactly these."""

    ward_ids: frozenset[int] | None = None

    @property
    def everywhere(self) -> bool:
        return self.ward_ids is None

    def covers(self, ward_ids: Iterable[int]) -> bool:
        """Whether a thing lying in ``ward_ids`` is in scope (a thing in no ward is in the
        scope of the whole council area only)."""
        return self.ward_ids is None or not self.ward_ids.isdisjoint(ward_ids)

    def holds(self, ward_ids: Iterable[int]) -> bool:
        """Whether a thing lying in ``ward_ids`` lies wholly in scope: what a ward-limited
        officer may change the wards of (a partner), so that they cannot move it out of
        another ward's hands."""
        wards = frozenset(ward_ids)
        return self.ward_ids is None or (bool(wards) and wards <= self.ward_ids)

    def narrow(self, picked: Iterable[int]) -> Scope:
        """The wards a filter picked, within this scope: nothing picked is the whole scope;
        wards outside it are dropped, so picking only other wards leaves nothing."""
        chosen = frozenset(picked)
        if not chosen:
            return self
        return Scope(chosen if self.ward_ids is None else chosen & self.ward_ids)

    def ward_sql(self, ward_column: str, name: str = "scope_wards") -> tuple[str, dict]:
        """A condition (and its parameters) true where ``ward_column`` is in scope."""
        return self._sql(f"coalesce(list_contains(${name}, {ward_column}), false)", name)

    def initiative_sql(self, id_column: str, name: str = "scope_wards") -> tuple[str, dict]:
        """A condition true where the initiative ``id_column`` touches a ward in scope."""
        return self._member_sql("initiative_areas", "initiative_id", id_column, name)

    def place_sql(self, id_column: str, name: str = "scope_wards") -> tuple[str, dict]:
        """A condition true where the place ``id_column`` lies in a ward in scope (the
        list form of ``resources.place_area_ids``)."""
        return self._member_sql("place_areas", "place_id", id_column, name)

    def _member_sql(self, table: str, key: str, id_column: str, name: str) -> tuple[str, dict]:
        """Through a membership table (storage.membership keeps it): one of its areas is in
        scope."""
        return self._sql(
            f"{id_column} IN (SELECT {key} FROM {table} "  # noqa: S608 - names
            f"WHERE list_contains(CAST(${name} AS INTEGER[]), area_id))",
            name,
        )

    def _sql(self, condition: str, name: str) -> tuple[str, dict]:
        if self.ward_ids is None:
            return "true", {}
        if not self.ward_ids:
            return "false", {}
        return condition, {name: sorted(self.ward_ids)}


EVERYWHERE = Scope()


def scope(actor: Actor, action: str) -> Scope:
    """Where ``actor`` may do ``action``; ``PermissionDenied`` if their role may not at all."""
    if not role_may(actor.role, action):
        raise refusal(actor.role, action)
    if actor.role == "council" and actor.ward_ids:
        return Scope(frozenset(actor.ward_ids))
    return EVERYWHERE


def private_sql(actor: Actor, alias: str = "i") -> tuple[str, dict]:
    """A condition on initiatives ``alias`` that leaves out other people's drafts and
    withdrawn proposals (a draft its proposer opened for feedback is listed to everyone
    signed in, as it is shown to them)."""
    return (
        f"(NOT list_contains($private, {alias}.status) "
        f"OR coalesce({alias}.owner_id = $me, false) "
        f"OR ({alias}.status = 'draft' AND coalesce({alias}.open_for_feedback, false) "
        "AND $signed_in))",
        {
            "private": list(PRIVATE_STATUSES),
            "me": actor.user_id,
            "signed_in": actor.signed_in,
        },
    )
