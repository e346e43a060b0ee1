"""The reminders round: what nobody did, and what is coming, told once to whom it concerns.

``remind(store, now)`` is run by the delivery worker (and ``python -m geo send``) every few
minutes; every notice it writes has a ``dedupe_key``, so running it again tells nobody twice:

- a milestone past its due day and not done: once per milestone;
- an initiative under way with no check-in for longer than its cadence: once per quiet
  spell (a new check-in ends the spell; the next silence is told again);
- an event starting within ``EVENT_NOTICE_DAYS``: once per event, to who follows where it is;
- staff: once a day, how many voices, concerns and comments wait in their queues within
  their wards — counts only, never what a child wrote.

Each notice is written in its recipient's language: the words go to ``notify`` as
functions it calls per language (``notices.Wording``), since this round runs for nobody.

It lives here, not in ``accountability``, because the staff counts read the safeguarding
queues, which sit below ``accountability`` in the layers (docs/architecture.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from geo import i18n
from geo.accountability.progress import TRACKED, tracking_state
from geo.accounts.auth import load_actor
from geo.i18n import t, tn
from geo.notify.audiences import tell_initiative
from geo.notify.follows import followers_of_point
from geo.notify.notices import notify
from geo.permissions import Actor
from geo.proposals.feedback import moderation_queue
from geo.safeguarding.concerns import concern_queue
from geo.safeguarding.voices import voice_queue
from geo.storage.db import Cursor, Store, take_turns

EVENT_NOTICE_DAYS = 3


def remind(store: Store, now: datetime) -> int:
    """Write the reminders due at ``now`` (see the module's docstring) in one transaction,
    and return how many notices were written; a second run at once writes none."""
    state = tracking_state(store, now)  # ``stale`` holds for work under way only
    counts = [(actor, _queue_counts(store, actor)) for actor in _staff(store)]
    with store.write(shown=False) as cursor:
        take_turns(cursor, "reminders")  # two rounds at once: the second finds all told
        told = _overdue_milestones(cursor, now)
        for row in state[state["stale"]].itertuples():
            # The quiet spell is named by its start, so each silence is told once.
            since = row.last_checkin if pd.notna(row.last_checkin) else row.since
            quiet_from = f"{since:%Y-%m-%dT%H:%M}" if pd.notna(since) else "approval"
            told += len(
                tell_initiative(
                    cursor,
                    int(row.id),
                    "overdue",
                    lambda title=row.title: t("No check-in lately: {title}", title=title),
                    lambda title=row.title, days=int(row.cadence_days): tn(
                        "“{title}” has had no check-in for more than {n} day. A short one "
                        "tells everyone where it stands.",
                        "“{title}” has had no check-in for more than {n} days. A short one "
                        "tells everyone where it stands.",
                        days,
                        title=title,
                    ),
                    now,
                    dedupe_key=f"stale:{int(row.id)}:{quiet_from}",
                )
            )
        told += _coming_events(cursor, now)
        for actor, (voices, concerns, comments) in counts:
            told += _queue_notice(cursor, actor, voices, concerns, comments, now)
    return told


def _overdue_milestones(cursor: Cursor, now: datetime) -> int:
    told = 0
    for milestone_id, initiative_id, title, due, initiative in cursor.execute(
        "SELECT m.id, m.initiative_id, m.title, m.due_date, i.title FROM milestones m "
        "JOIN initiatives i ON i.id = m.initiative_id WHERE m.done_at IS NULL "
        "AND m.due_date < ? AND list_contains(CAST(? AS TEXT[]), i.status) ORDER BY m.id",
        [now.date(), list(TRACKED)],
    ).fetchall():
        told += len(
            tell_initiative(
                cursor,
                int(initiative_id),
                "overdue",
                lambda title=title: t("Overdue: {title}", title=title),
                lambda title=title, initiative=initiative, due=due: t(
                    "The milestone “{title}” of “{initiative}” was due on {day} and is not "
                    "marked done.",
                    title=title,
                    initiative=initiative,
                    day=i18n.date(due, "long"),
                ),
                now,
                dedupe_key=f"overdue:{int(milestone_id)}",
            )
        )
    return told


def _coming_events(cursor: Cursor, now: datetime) -> int:
    told = 0
    for event_id, title, starts_at, lon, lat in cursor.execute(
        "SELECT id, title, starts_at, ST_X(geom), ST_Y(geom) FROM events "
        "WHERE starts_at >= ? AND starts_at <= ? ORDER BY starts_at, id",
        [now, now + timedelta(days=EVENT_NOTICE_DAYS)],
    ).fetchall():
        told += len(
            notify(
                cursor,
                followers_of_point(cursor, lon, lat),
                "event",
                lambda title=title: t("Coming up: {title}", title=title),
                lambda title=title, starts_at=starts_at: t(
                    "“{title}” starts on {when}, in an area you follow.",
                    title=title,
                    when=i18n.date_time(starts_at, "full"),
                ),
                now,
                link="events",
                dedupe_key=f"event:{int(event_id)}",
            )
        )
    return told


def _staff(store: Store) -> list[Actor]:
    ids = store.rows("SELECT id FROM users WHERE active AND role IN ('council', 'admin')")
    return [load_actor(store, int(user_id)) for (user_id,) in ids]


def _queue_counts(store: Store, actor: Actor) -> tuple[int, int, int]:
    """How many voices, concerns and comments wait for ``actor``, within their wards: the
    lengths of the very queues their pages show."""
    return (
        len(voice_queue(store, actor)),
        len(concern_queue(store, actor)),
        len(moderation_queue(store, actor)),
    )


def _queue_notice(
    cursor: Cursor, actor: Actor, voices: int, concerns: int, comments: int, now: datetime
) -> int:
    if not voices + concerns + comments:
        return 0
    return len(
        notify(
            cursor,
            [actor.user_id],
            "queue",
            lambda: t("What waits in your queue"),
            lambda: t(
                "{voices}, {concerns} and {comments} wait in your queues within your wards.",
                voices=tn("{n} voice", "{n} voices", voices),
                concerns=tn("{n} concern", "{n} concerns", concerns),
                comments=tn("{n} comment", "{n} comments", comments),
            ),
            now,
            link="moderation",
            dedupe_key=f"queue:{now:%Y-%m-%d}",
        )
    )
