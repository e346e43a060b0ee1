"""What people follow, and who follows what a change is about.

A person follows a proposal or initiative, a play area, an area of any level (a ward, a
neighbourhood), the whole council, an area they draw, or a circle around a point. The
proposer, the members of its partners and its supporters follow an initiative
automatically; stopping keeps the row (``stopped_at``), so taking part again later does
not quietly start the messages again. Drawn shapes and circles are kept as polygons, so
"which followers does this new proposal concern" is one ``ST_Intersects``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidGeometry, InvalidInput, NotFound, PermissionDenied
from geo.geometry import LocalFrame, measure, repair
from geo.permissions import Actor, require, rereads_actor
from geo.permissions.rules import may_see
from geo.storage import membership
from geo.storage.db import Cursor, Store, next_id, retry_on_conflict

TARGET_KINDS = ("initiative", "place", "area", "council", "shape", "radius")
MIN_RADIUS_M = 50
MAX_RADIUS_M = 5000
MAX_SHAPE_KM2 = 100
MAX_LABEL = 80


def around_words(radius_m: float) -> str:
    """A circle in words: the label of an unnamed one, and what a named one is."""
    return f"{float(radius_m):,.0f} m around a point"


@retry_on_conflict
@rereads_actor
def follow(
    store: Store,
    actor: Actor,
    target_kind: str,
    now: datetime,
    target_id: int | None = None,
    *,
    drawn: BaseGeometry | dict | None = None,
    centre: tuple[float, float] | None = None,
    radius_m: float | None = None,
    label: str | None = None,
) -> int:
    """Start following something; following it again (or again after stopping) returns the
    same row, now active. ``drawn`` is a polygon for ``shape``; ``centre`` (lon, lat) and
    ``radius_m`` make a ``radius``."""
    require(actor, "follow")
    if target_kind not in TARGET_KINDS:
        raise InvalidInput("choose what to follow: a proposal, a play area, a ward or an area")
    label = _label(label)
    geom = None
    if target_kind in ("shape", "radius"):
        target_id = None
        geom, centre, radius_m = _circle_or_shape(target_kind, drawn, centre, radius_m)
        label = label or ("Area I drew" if target_kind == "shape" else around_words(radius_m))
    elif target_kind == "council":
        target_id = None
    elif target_id is None:
        raise InvalidInput(f"choose which {target_kind} to follow")
    with store.write() as cursor:
        if target_kind in ("initiative", "place", "area", "council"):
            if target_id is not None:
                _check_target(cursor, actor, target_kind, int(target_id))
            existing = cursor.execute(
                "SELECT id FROM follows WHERE user_id = ? AND target_kind = ? "
                "AND coalesce(target_id, -1) = coalesce(CAST(? AS INTEGER), -1)",
                [actor.user_id, target_kind, target_id],
            ).fetchone()
            if existing is not None:
                cursor.execute("UPDATE follows SET stopped_at = NULL WHERE id = ?", [existing[0]])
                return int(existing[0])
        follow_id = next_id(cursor, "follow_ids")
        lon, lat = centre if centre is not None else (None, None)
        wkb = shapely.to_wkb(geom) if geom is not None else None
        cursor.execute(
            "INSERT INTO follows (id, user_id, target_kind, target_id, label, lon, lat, "  # noqa: S608
            "radius_m, automatic, created_at, stopped_at, geom) VALUES "
            f"(?, ?, ?, ?, ?, ?, ?, ?, false, ?, NULL, {'ST_GeomFromWKB(?)' if wkb else '?'})",
            [follow_id, actor.user_id, target_kind, target_id, label, lon, lat, radius_m, now, wkb],
        )
    return follow_id


@rereads_actor
def stop(store: Store, actor: Actor, follow_id: int, now: datetime) -> None:
    """Stop following; only one's own follows."""
    require(actor, "follow")
    with store.write() as cursor:
        row = cursor.execute("SELECT user_id FROM follows WHERE id = ?", [follow_id]).fetchone()
        if row is None or row[0] != actor.user_id:
            raise NotFound("you do not follow that")
        cursor.execute(
            "UPDATE follows SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL",
            [now, follow_id],
        )


def following(store: Store, actor: Actor) -> pd.DataFrame:
    """What ``actor`` follows now, each with a name in words: id, target_kind, target_id,
    what, radius_m, automatic, created_at."""
    if not actor.signed_in or actor.user_id is None:
        return pd.DataFrame(
            columns=[
                "id",
                "target_kind",
                "target_id",
                "what",
                "radius_m",
                "automatic",
                "created_at",
            ]
        )
    return store.frame(
        "SELECT f.id, f.target_kind, f.target_id, CASE f.target_kind "
        "WHEN 'initiative' THEN i.title WHEN 'place' THEN p.name WHEN 'area' THEN a.name "
        "WHEN 'council' THEN 'The whole council' ELSE f.label END AS what, f.radius_m, "
        "f.automatic, f.created_at FROM follows f "
        "LEFT JOIN initiatives i ON f.target_kind = 'initiative' AND i.id = f.target_id "
        "LEFT JOIN places p ON f.target_kind = 'place' AND p.id = f.target_id "
        "LEFT JOIN areas a ON f.target_kind = 'area' AND a.id = f.target_id "
        "WHERE f.user_id = ? AND f.stopped_at IS NULL ORDER BY f.created_at, f.id",
        [actor.user_id],
    )


def active_follow(
    store: Store, actor: Actor, target_kind: str, target_id: int | None
) -> int | None:
    """The id of ``actor``'s active follow of one thing (the whole council: no id), which
    the button beside it stops; None when they do not follow it."""
    if not actor.signed_in or actor.user_id is None:
        return None
    found = store.value(
        "SELECT min(id) FROM follows WHERE user_id = ? AND target_kind = ? "
        "AND coalesce(target_id, -1) = coalesce(CAST(? AS INTEGER), -1) AND stopped_at IS NULL",
        [actor.user_id, target_kind, target_id],
    )
    return int(found) if found is not None else None


def is_following(store: Store, actor: Actor, target_kind: str, target_id: int | None) -> bool:
    return active_follow(store, actor, target_kind, target_id) is not None


def follow_automatically(
    cursor: Cursor, user_ids: Iterable[int | None], target_kind: str, target_id: int, now: datetime
) -> None:
    """Inside a write: make ``user_ids`` follow a thing they took part in, unless they
    already do or once stopped (their stopping is respected)."""
    for user_id in {u for u in user_ids if u is not None}:
        known = cursor.execute(
            "SELECT 1 FROM follows WHERE user_id = ? AND target_kind = ? AND target_id = ?",
            [user_id, target_kind, target_id],
        ).fetchone()
        if known is None:
            cursor.execute(
                "INSERT INTO follows (id, user_id, target_kind, target_id, automatic, "
                "created_at) VALUES (?, ?, ?, ?, true, ?)",
                [next_id(cursor, "follow_ids"), user_id, target_kind, target_id, now],
            )


def followers(cursor: Cursor, target_kind: str, target_id: int) -> set[int]:
    """Who follows one initiative, place or area now."""
    rows = cursor.execute(
        "SELECT DISTINCT user_id FROM follows WHERE target_kind = ? AND target_id = ? "
        "AND stopped_at IS NULL",
        [target_kind, target_id],
    ).fetchall()
    return {int(row[0]) for row in rows}


def followers_of_initiative_area(cursor: Cursor, initiative_id: int) -> set[int]:
    """Who follows where an initiative lies: one of its areas, the whole council, or a
    drawn area or circle it touches."""
    rows = cursor.execute(
        "SELECT DISTINCT f.user_id FROM follows f WHERE f.stopped_at IS NULL AND ("
        "f.target_kind = 'council' "
        "OR (f.target_kind = 'area' AND f.target_id IN "
        "    (SELECT area_id FROM initiative_areas WHERE initiative_id = ?)) "
        "OR (f.target_kind IN ('shape', 'radius') AND ST_Intersects(f.geom, "
        "    (SELECT geom FROM initiatives WHERE id = ?))))",
        [initiative_id, initiative_id],
    ).fetchall()
    return {int(row[0]) for row in rows}


def followers_of_point(cursor: Cursor, lon: float, lat: float) -> set[int]:
    """Who follows where a point lies (an event): its areas, the council, a shape or circle."""
    rows = cursor.execute(
        "SELECT DISTINCT f.user_id FROM follows f WHERE f.stopped_at IS NULL AND ("
        "f.target_kind = 'council' "
        "OR (f.target_kind = 'area' AND f.target_id IN (SELECT id FROM areas "
        "    WHERE ST_Intersects(geom, ST_Point(?, ?)))) "
        "OR (f.target_kind IN ('shape', 'radius') AND ST_Intersects(f.geom, ST_Point(?, ?))))",
        [lon, lat, lon, lat],
    ).fetchall()
    return {int(row[0]) for row in rows}


def initiative_people(cursor: Cursor, initiative_id: int) -> set[int]:
    """Who takes part in an initiative: its proposer and the members of its partners (the
    organisations named in ``initiatives.partners``)."""
    rows = cursor.execute(
        "SELECT owner_id FROM initiatives WHERE id = ? AND owner_id IS NOT NULL "
        "UNION SELECT m.user_id FROM partner_members m JOIN partners p ON p.id = m.partner_id "
        "JOIN initiatives i ON list_contains(i.partners, p.name) WHERE i.id = ?",
        [initiative_id, initiative_id],
    ).fetchall()
    return {int(row[0]) for row in rows}


def _check_target(cursor: Cursor, actor: Actor, target_kind: str, target_id: int) -> None:
    if target_kind == "initiative":
        row = cursor.execute(
            "SELECT status, owner_id, coalesce(open_for_feedback, false) FROM initiatives "
            "WHERE id = ?",
            [target_id],
        ).fetchone()
        if row is None:
            raise NotFound(f"there is no proposal number {target_id}")
        wards = membership.initiative_area_ids(cursor, target_id)
        if not may_see(actor, row[0], row[1], bool(row[2]), wards):
            raise PermissionDenied("that proposal is not public")
        return
    table, noun = ("places", "play area") if target_kind == "place" else ("areas", "area")
    found = cursor.execute(
        f"SELECT 1 FROM {table} WHERE id = ?",  # noqa: S608 - a constant
        [target_id],
    ).fetchone()
    if found is None:
        raise NotFound(f"there is no {noun} number {target_id}")


def _label(label: str | None) -> str | None:
    cleaned = " ".join((label or "").split())
    if len(cleaned) > MAX_LABEL:
        raise InvalidInput(f"a name for the area may have at most {MAX_LABEL} characters")
    return cleaned or None


def _circle_or_shape(
    target_kind: str,
    drawn: BaseGeometry | dict | None,
    centre: tuple[float, float] | None,
    radius_m: float | None,
) -> tuple[BaseGeometry, tuple[float, float] | None, float | None]:
    if target_kind == "radius":
        if centre is None or radius_m is None:
            raise InvalidInput("choose a point on the map and a distance")
        lon, lat = float(centre[0]), float(centre[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidGeometry("the point is not on the map (longitude, latitude)")
        radius_m = float(radius_m)
        if not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
            raise InvalidInput(
                f"choose a distance from {MIN_RADIUS_M} m to {MAX_RADIUS_M / 1000:g} km"
            )
        frame = LocalFrame(Point(lon, lat))
        circle = frame.to_degrees(frame.to_metres(Point(lon, lat)).buffer(radius_m, 32))
        return circle, (lon, lat), radius_m
    if drawn is None:
        raise InvalidInput("draw the area to follow on the map")
    geometry = shape(drawn) if isinstance(drawn, dict) else drawn
    repaired = repair(geometry, "area").geometry
    area_km2 = measure(repaired).get("area_m2", 0) / 1e6
    if area_km2 > MAX_SHAPE_KM2:
        raise InvalidInput(
            f"draw an area of at most {MAX_SHAPE_KM2} km² (this one is {area_km2:,.0f} km²)"
        )
    return repaired, None, None
