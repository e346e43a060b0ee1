"""Community events and meetings: workshops, coffee chats, planning meetings, play days.

Leaders and the council post them with a place on the map, a time and an organiser, and
optionally the initiative they belong to; everyone sees what is coming up, on the map and in
a list. After an event its organiser (or the council, ``manage_events``) can add a short
public summary. A council officer limited to some wards posts and summarises events only in
them (the ward holding the event's point).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import geopandas as gpd
import shapely

from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.geometry import repair
from geo.i18n import N_, Words, number, t
from geo.permissions import Actor, may_summarise_event, point_ward_ids, require, rereads_actor
from geo.storage.db import Store, next_id, retry_on_conflict
from geo.storage.submissions import earlier, remember

EVENT_KINDS = Words(
    {
        "workshop": N_("Workshop"),
        "coffee_chat": N_("Coffee chat"),
        "planning_meeting": N_("Planning meeting"),
        "play_day": N_("Play day"),
        "litter_pick": N_("Litter pick"),
        "other": N_("Other"),
    }
)


@retry_on_conflict
@rereads_actor
def post_event(
    store: Store,
    actor: Actor,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime | None,
    organiser: str,
    lon: float,
    lat: float,
    now: datetime,
    initiative_id: int | None = None,
    token: str | None = None,
) -> int:
    """Post an event; a second press of the same form render (``token``) returns the first."""
    require(actor, "post_events")
    title, organiser = " ".join(title.split()), " ".join(organiser.split())
    if not 3 <= len(title) <= 120:
        raise InvalidInput(t("give the event a title of 3 to 120 characters"))
    if kind not in EVENT_KINDS:
        raise InvalidInput(t("choose what kind of event it is"))
    if not 2 <= len(organiser) <= 120:
        raise InvalidInput(t("say who organises it (2 to 120 characters)"))
    if starts_at < now - timedelta(hours=1):
        raise InvalidInput(t("the event starts in the past"))
    if starts_at > now + timedelta(days=2 * 365):
        raise InvalidInput(t("the event is more than two years away; check the year"))
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput(t("the event ends before it starts"))
    point = repair(shapely.Point(lon, lat), "place").geometry
    with store.write() as cursor:
        require(actor, "post_events", point_ward_ids(cursor, point.x, point.y))
        if (done := earlier(cursor, token, "event")) is not None:
            return done
        if (
            initiative_id is not None
            and cursor.execute(
                "SELECT 1 FROM initiatives WHERE id = ? AND status NOT IN ('draft', 'withdrawn')",
                [initiative_id],
            ).fetchone()
            is None
        ):
            raise NotFound(t("there is no public initiative number {number}", number=initiative_id))
        event_id = next_id(cursor, "event_ids")
        cursor.execute(
            "INSERT INTO events (id, title, kind, starts_at, ends_at, organiser, initiative_id, "
            "created_by, created_at, geom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ST_GeomFromWKB(?))",
            [
                event_id,
                title,
                kind,
                starts_at,
                ends_at,
                organiser,
                initiative_id,
                actor.user_id,
                now,
                shapely.to_wkb(point),
            ],
        )
        remember(cursor, token, "event", event_id, now)
    return event_id


@rereads_actor
def add_summary(store: Store, actor: Actor, event_id: int, summary: str, now: datetime) -> None:
    """A short public account of how it went — only after it happened."""
    require(actor, "post_events")
    summary = " ".join(summary.split())
    if not 3 <= len(summary) <= 1_000:
        raise InvalidInput(t("write a summary of 3 to {limit} characters", limit=number(1_000)))
    with store.write() as cursor:
        row = cursor.execute(
            "SELECT created_by, starts_at, ST_X(geom), ST_Y(geom) FROM events WHERE id = ?",
            [event_id],
        ).fetchone()
        if row is None:
            raise NotFound(t("there is no event number {number}", number=event_id))
        if not may_summarise_event(actor, row[0], point_ward_ids(cursor, row[2], row[3])):
            raise PermissionDenied(
                t("only the organiser, or a council officer for its ward, can summarise an event")
            )
        if row[1] > now:
            raise InvalidInput(t("a summary can be added once the event has happened"))
        cursor.execute("UPDATE events SET summary = ? WHERE id = ?", [summary, event_id])


def events(store: Store, now: datetime, upcoming: bool = True) -> gpd.GeoDataFrame:
    """Upcoming events soonest first, or past ones latest first."""
    return store.geoframe(
        "SELECT e.id, e.title, e.kind, e.starts_at, e.ends_at, e.organiser, e.summary, "
        "e.initiative_id, i.title AS initiative, ST_AsWKB(e.geom) AS wkb FROM events e "
        "LEFT JOIN initiatives i ON i.id = e.initiative_id "
        "WHERE (coalesce(e.ends_at, e.starts_at) >= $now) = $upcoming ORDER BY "
        "CASE WHEN $upcoming THEN epoch(e.starts_at) ELSE -epoch(e.starts_at) END, e.id",
        {"now": now, "upcoming": upcoming},
    )
