"""The one check for a single action: may this actor take it (on a thing lying in these
wards)? ``allowed`` answers, ``require`` refuses with a sentence a person can act on."""

from __future__ import annotations

from collections.abc import Iterable

from geo.errors import PermissionDenied
from geo.i18n import t
from geo.permissions.actions import refusal, role_may
from geo.permissions.actors import Actor
from geo.permissions.scope import scope


def allowed(actor: Actor, action: str, ward_ids: Iterable[int] | None = None) -> bool:
    """Whether the role may do ``action`` and, when ``ward_ids`` (the wards of the thing
    acted on) is given, whether they are within the actor's scope."""
    if not role_may(actor.role, action):
        return False
    return ward_ids is None or scope(actor, action).covers(ward_ids)


def require(actor: Actor, action: str, ward_ids: Iterable[int] | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may do ``action`` (on a thing lying in
    ``ward_ids``, when given: an empty list is a thing in no ward)."""
    if not role_may(actor.role, action):
        raise refusal(actor.role, action)
    if ward_ids is not None and not scope(actor, action).covers(ward_ids):
        raise PermissionDenied(t("this is outside the wards your council account covers"))
