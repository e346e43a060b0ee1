"""Safety inspections of play areas, after EN 1176-7: routine visual, operational, annual main.

Each place has a schedule (by default routine every 7 days, operational every 90, the annual
main inspection every 365); an inspection of a kind is overdue when the last one of that
kind is older than its interval, or there never was one. Recording an inspection also sets
the place's public "last inspected" badge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from geo import i18n
from geo.errors import InvalidInput, NotFound
from geo.i18n import N_, Words, number, t
from geo.notify.audiences import place_link
from geo.notify.follows import followers
from geo.notify.notices import notify
from geo.permissions import Actor, place_area_ids, require, rereads_actor, scope
from geo.storage.db import Store, next_id, next_ids, retry_on_conflict
from geo.storage.submissions import earlier, remember

KINDS = Words(
    {
        "routine": N_("Routine visual"),
        "operational": N_("Operational"),
        "annual": N_("Annual main"),
    }
)
RESULTS = Words({"pass": N_("Pass"), "defects": N_("Defects found"), "closed": N_("Closed")})


@dataclass(frozen=True)
class Schedule:
    routine_days: int = 7
    operational_days: int = 90
    annual_days: int = 365

    def days(self, kind: str) -> int:
        return getattr(self, f"{kind}_days")


def _place_wards(cursor, place_id: int) -> list[int]:
    if cursor.execute("SELECT 1 FROM places WHERE id = ?", [place_id]).fetchone() is None:
        raise NotFound(t("there is no play area number {number}", number=place_id))
    return place_area_ids(cursor, place_id)


@retry_on_conflict
@rereads_actor
def record_inspection(
    store: Store,
    actor: Actor,
    place_id: int,
    kind: str,
    inspected_on: date,
    inspector: str,
    result: str,
    defects: str | None,
    now: datetime,
    token: str | None = None,
) -> int:
    """Record an inspection; a second press of the same form render (``token``) returns the
    first."""
    require(actor, "record_inspections")
    if kind not in KINDS or result not in RESULTS:
        raise InvalidInput(t("choose the kind of inspection and its result from the lists"))
    if inspected_on > now.date():
        raise InvalidInput(t("the inspection date is in the future"))
    if inspected_on < now.date() - timedelta(days=3 * 365):
        raise InvalidInput(t("the inspection date is more than three years ago; check the year"))
    inspector = " ".join(inspector.split())
    if not 2 <= len(inspector) <= 120:
        raise InvalidInput(t("name the inspector (2 to 120 characters)"))
    defects = " ".join((defects or "").split()) or None
    if result == "defects" and not defects:
        raise InvalidInput(t("list the defects found"))
    if defects and len(defects) > 2_000:
        raise InvalidInput(t("keep the defects under {limit} characters", limit=number(2_000)))
    with store.write() as cursor:
        require(actor, "record_inspections", _place_wards(cursor, place_id))
        if (done := earlier(cursor, token, "inspection")) is not None:
            return done
        inspection_id = next_id(cursor, "inspection_ids")
        cursor.execute(
            "INSERT INTO inspections (id, place_id, kind, inspected_on, inspector, result, "
            "defects, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                inspection_id,
                place_id,
                kind,
                inspected_on,
                inspector,
                result,
                defects,
                actor.display_name,
                now,
            ],
        )
        cursor.execute(
            "UPDATE places SET last_inspection = ?, inspection_result = ? WHERE id = ? "
            "AND (last_inspection IS NULL OR last_inspection <= ?)",
            # The badge is stored, so in English (the words of record), like every stored key.
            [
                inspected_on,
                f"{KINDS.english(kind)}: {RESULTS.english(result)}",
                place_id,
                inspected_on,
            ],
        )
        remember(cursor, token, "inspection", inspection_id, now)
        # The result in words; the inspector's list of defects stays with the council.
        place = cursor.execute("SELECT name FROM places WHERE id = ?", [place_id]).fetchone()[0]
        notify(
            cursor,
            followers(cursor, "place", place_id),
            "inspection",
            lambda: t("{place} was inspected", place=place),
            lambda: t(
                "{kind} inspection of {place} on {day}: {result}.",
                kind=KINDS[kind],
                place=place,
                day=i18n.date(inspected_on, "long"),
                result=RESULTS[result],
            ),
            now,
            link=place_link(place_id),
            place_id=place_id,
            skip=[actor.user_id],
        )
    return inspection_id


@rereads_actor
def set_schedule(store: Store, actor: Actor, place_id: int, schedule: Schedule) -> None:
    require(actor, "record_inspections")
    for kind in KINDS:
        if not 1 <= schedule.days(kind) <= 730:
            raise InvalidInput(t("inspection intervals are 1 to 730 days"))
    with store.write() as cursor:
        require(actor, "record_inspections", _place_wards(cursor, place_id))
        cursor.execute(
            "INSERT INTO inspection_schedules "
            "(place_id, routine_days, operational_days, annual_days) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (place_id) DO UPDATE SET routine_days = excluded.routine_days, "
            "operational_days = excluded.operational_days, annual_days = excluded.annual_days",
            [place_id, schedule.routine_days, schedule.operational_days, schedule.annual_days],
        )


def overdue(
    store: Store, actor: Actor, today: date, default: Schedule = Schedule()
) -> pd.DataFrame:
    """One row per place in ``actor``'s wards and kind of inspection that is due: never
    done, or older than the place's interval (a check exactly on the interval's last day
    is on time)."""
    in_scope, params = scope(actor, "record_inspections").place_sql("p.id")
    frame = store.frame(
        f"""
            SELECT p.id AS place_id, p.name, k.kind,
                   (SELECT max(inspected_on) FROM inspections i
                    WHERE i.place_id = p.id AND i.kind = k.kind) AS last_done,
                   CASE k.kind WHEN 'routine' THEN coalesce(s.routine_days, $routine)
                               WHEN 'operational' THEN coalesce(s.operational_days, $operational)
                               ELSE coalesce(s.annual_days, $annual) END AS every_days,
                   (SELECT a.name FROM place_areas pa JOIN areas a ON a.id = pa.area_id
                    WHERE pa.place_id = p.id AND a.level = 'ward') AS ward
            FROM places p CROSS JOIN (SELECT unnest(CAST($kinds AS TEXT[])) AS kind) k
            LEFT JOIN inspection_schedules s ON s.place_id = p.id
            WHERE {in_scope}
            ORDER BY p.name, k.kind
            """,  # noqa: S608 - a constant condition; values are parameters
        {
            **params,
            "routine": default.routine_days,
            "operational": default.operational_days,
            "annual": default.annual_days,
            "kinds": list(KINDS),
        },
    )
    due = [
        pd.isna(last) or (today - pd.Timestamp(last).date()).days > every
        for last, every in zip(frame["last_done"], frame["every_days"], strict=True)
    ]
    return frame[due].reset_index(drop=True)


def history(store: Store, place_id: int) -> pd.DataFrame:
    return store.frame(
        "SELECT inspected_on, kind, inspector, result, defects FROM inspections "
        "WHERE place_id = ? ORDER BY inspected_on DESC, id DESC",
        [place_id],
    )


@rereads_actor
def load_history(
    store: Store, actor: Actor, rows: list[tuple[int, str, date, str, str, str | None]]
) -> None:
    """Store past inspections in one go — (place, kind, date, inspector, result, defects) —
    for a council moving its register into SafePlay (and the demo). The places' public
    badges are not changed: their last inspection is already recorded there."""
    require(actor, "record_inspections")
    if not rows:
        return
    for _place, kind, _when, _who, result, _defects in rows:
        if kind not in KINDS or result not in RESULTS:
            raise InvalidInput(
                t("unknown inspection kind or result: {kind}, {result}", kind=kind, result=result)
            )
    with store.write() as cursor:
        ids = next_ids(cursor, "inspection_ids", len(rows))
        cursor.executemany(
            "INSERT INTO inspections (id, place_id, kind, inspected_on, inspector, result, "
            "defects, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
            [[i, *row, actor.display_name] for i, row in zip(ids, rows, strict=True)],
        )
