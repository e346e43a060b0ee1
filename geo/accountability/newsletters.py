"""The ward newsletter by e-mail: the schedule a council officer sets, and the rounds that
send each issue once to the people who follow the ward.

A schedule belongs to one area (or, with no area, to the whole council) and says how often
its newsletter goes out and when next. Each round of the delivery worker calls
``issue_due``: a due schedule's issue is built once (``digest.build`` over the days since
the previous issue), stored once in ``newsletter_issues`` and queued in the outbox for each
subscriber, in one transaction that also moves the schedule on — guarded by a
compare-and-set on ``next_at``, so two processes running the round at once send it once.

Subscribers are the people who follow the area (the whole council's: who follow the
council), may be e-mailed at all (``notices.EMAILABLE_SQL``) and have not turned the
newsletter kind off. Every follower also finds the issue in their inbox. A period with
nothing new is not sent: a reader expects a newsletter to carry news, so the round records
"nothing new" in the log and moves on; the next issue covers from the day after.

Each subscriber reads the issue in their own language: the round builds it once per
language among its subscribers (``i18n.speaking``) and stores one ``newsletter_issues`` row
per language, the English one first (the issue of record the log and notices name); each
outbox row points at its reader's row. The archive on the site is built in the reader's
language on the page itself.

Officers see counts, never lists of people or addresses; every change to a schedule and
every round's outcome is kept in ``newsletter_log`` (who, when, what).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from geo import i18n
from geo.accountability import digest
from geo.accounts.language import language_of
from geo.errors import InvalidInput, NotFound, PermissionDenied
from geo.escape import for_mail_document, for_mail_html
from geo.i18n import N_, t
from geo.notify import notices
from geo.notify.kinds import default_choice
from geo.permissions import Actor, rereads_actor, scope
from geo.storage import submissions
from geo.storage.db import Cursor, Store, next_id, retry_on_conflict, take_turns

#: What the page offers; a schedule may hold any whole number of days in the range below.
#: English, marked for the catalogue: the page translates a cadence where it shows it.
CADENCES: dict[int, str] = {
    7: N_("Every week"),
    14: N_("Every 2 weeks"),
    28: N_("Every month (4 weeks)"),
}
MIN_EVERY_DAYS = 7
MAX_EVERY_DAYS = 92
#: The longest period one issue covers (after a long pause, the latest days only).
MAX_PERIOD_DAYS = 92
MAX_AHEAD_DAYS = 366
HISTORY_LIMIT = 10
#: Who acts when the delivery worker sends an issue, in the audit trail.
ROUNDS = N_("Scheduled round")
ORPHANED = N_("Scheduled round: the ward no longer exists")

_SAME_AREA = "coalesce(area_id, -1) = coalesce(CAST(? AS INTEGER), -1)"
# Active followers of the area, or of the whole council when the area is NULL (the first
# two parameters: the area id twice).
_FOLLOWERS = (
    "SELECT DISTINCT u.id FROM follows f JOIN users u ON u.id = f.user_id "
    "LEFT JOIN email_choices c ON c.user_id = u.id AND c.kind = 'newsletter' "
    "WHERE f.stopped_at IS NULL AND u.active AND CASE WHEN CAST(? AS INTEGER) IS NULL "
    "THEN f.target_kind = 'council' ELSE (f.target_kind = 'area' AND f.target_id = ?) END"
)
# ... of whom these may be sent the newsletter by e-mail (third parameter: the default).
_SUBSCRIBERS = _FOLLOWERS + f" AND coalesce(c.choice, ?) <> 'off' AND {notices.EMAILABLE_SQL}"
_EVENTS = i18n.Words(
    {
        "set": N_("Schedule set"),
        "paused": N_("Paused"),
        "resumed": N_("Resumed"),
        "sent": N_("Sent"),
        "skipped": N_("Nothing new: not sent"),
        "test": N_("Test sent"),
    }
)


@dataclass(frozen=True)
class Schedule:
    """One area's newsletter schedule as it is now."""

    id: int
    area_id: int | None
    every_days: int
    next_at: datetime
    last_sent_at: datetime | None
    active: bool
    set_by: str
    updated_at: datetime


# --- the officer's side -------------------------------------------------------------------


@retry_on_conflict
@rereads_actor
def set_schedule(
    store: Store,
    actor: Actor,
    area_id: int | None,
    every_days: int,
    first_at: datetime,
    now: datetime,
    *,
    token: str | None = None,
) -> int:
    """Send ``area_id``'s newsletter (None: the whole council's) every ``every_days`` days,
    the next one at ``first_at``. Setting it again changes the one schedule of the area
    and makes it active; returns its id."""
    _check_area(store, actor, area_id)
    every_days = _cadence(every_days)
    if not now < first_at <= now + timedelta(days=MAX_AHEAD_DAYS):
        raise InvalidInput(t("choose the date of the next newsletter: after today, within a year"))
    with store.write(shown=False) as cursor:
        earlier = submissions.earlier(cursor, token, "newsletter_schedule")
        if earlier is not None:
            return earlier
        take_turns(cursor, "newsletter_schedules")  # the council's NULL area has no unique key
        row = cursor.execute(
            f"SELECT id FROM newsletter_schedules WHERE {_SAME_AREA}",  # noqa: S608 - a constant
            [area_id],
        ).fetchone()
        if row is None:
            schedule_id = next_id(cursor, "newsletter_schedule_ids")
            cursor.execute(
                "INSERT INTO newsletter_schedules (id, area_id, every_days, next_at, "
                "last_sent_at, active, set_by, updated_at) VALUES (?, ?, ?, ?, NULL, true, ?, ?)",
                [schedule_id, area_id, every_days, first_at, actor.display_name, now],
            )
        else:
            schedule_id = int(row[0])
            cursor.execute(
                "UPDATE newsletter_schedules SET every_days = ?, next_at = ?, active = true, "
                "set_by = ?, updated_at = ? WHERE id = ?",
                [every_days, first_at, actor.display_name, now, schedule_id],
            )
        _log(cursor, schedule_id, area_id, "set", actor.display_name, now, every_days, first_at)
        submissions.remember(cursor, token, "newsletter_schedule", schedule_id, now)
    return schedule_id


@rereads_actor
def pause(store: Store, actor: Actor, area_id: int | None, now: datetime) -> bool:
    """Stop sending the area's newsletter until it is resumed; ``False`` if it already was
    paused. Nothing is lost: resuming picks up the news since the last issue."""
    return _switch(store, actor, area_id, now, active=False)


@rereads_actor
def resume(store: Store, actor: Actor, area_id: int | None, now: datetime) -> bool:
    """Send the area's newsletter again, at the next date of its old rhythm (issues missed
    while paused are not sent in a burst); ``False`` if it was not paused."""
    return _switch(store, actor, area_id, now, active=True)


def _switch(store: Store, actor: Actor, area_id: int | None, now: datetime, active: bool) -> bool:
    _check_area(store, actor, area_id)
    with store.write(shown=False) as cursor:
        row = cursor.execute(
            f"SELECT id, every_days, next_at FROM newsletter_schedules WHERE {_SAME_AREA}",  # noqa: S608
            [area_id],
        ).fetchone()
        if row is None:
            raise NotFound(t("no newsletter is scheduled here yet: set a schedule first"))
        schedule_id, every_days, next_at = int(row[0]), int(row[1]), row[2]
        if active:
            next_at = _next_after(next_at, every_days, now)
        changed = cursor.execute(
            "UPDATE newsletter_schedules SET active = ?, next_at = ?, set_by = ?, updated_at = ? "
            "WHERE id = ? AND active = ? RETURNING id",
            [active, next_at, actor.display_name, now, schedule_id, not active],
        ).fetchone()
        if changed is None:
            return False
        event = "resumed" if active else "paused"
        _log(cursor, schedule_id, area_id, event, actor.display_name, now, every_days, next_at)
    return True


def schedule(store: Store, actor: Actor, area_id: int | None) -> Schedule | None:
    """The area's schedule (None: none set yet), for an officer who covers the area."""
    _check_area(store, actor, area_id)
    return _schedule(store, area_id)


def schedules(store: Store, actor: Actor) -> pd.DataFrame:
    """Every schedule within the actor's wards (the whole council's only for an officer
    who covers it all): id, area_id, area, every_days, next_at, last_sent_at, active,
    set_by, updated_at."""
    where, params = scope(actor, "send_newsletters").ward_sql("s.area_id")
    found = store.frame(
        "SELECT s.id, s.area_id, a.name AS area, s.every_days, "  # noqa: S608
        "s.next_at, s.last_sent_at, s.active, s.set_by, s.updated_at "
        "FROM newsletter_schedules s LEFT JOIN areas a ON a.id = s.area_id "
        f"WHERE {where} ORDER BY s.area_id IS NOT NULL, a.name, s.id",
        params,
    )
    found["area"] = found["area"].fillna(t("The whole council"))
    return found


def subscriber_count(store: Store, actor: Actor, area_id: int | None) -> int:
    """How many people would be e-mailed the area's newsletter now: a number, never who."""
    _check_area(store, actor, area_id)
    return int(
        store.value(
            f"SELECT count(*) FROM ({_SUBSCRIBERS}) AS s",  # noqa: S608 - constants
            [area_id, area_id, default_choice("newsletter")],
            0,
        )
    )


def history(store: Store, actor: Actor, area_id: int | None) -> pd.DataFrame:
    """The latest changes and issues of the area's newsletter, newest first: at, what,
    recipients (e-mails queued), period_start, period_end, by."""
    _check_area(store, actor, area_id)
    found = store.frame(
        "SELECT changed_at AS at, event, recipients, period_start, period_end, actor AS by "  # noqa: S608
        f"FROM newsletter_log WHERE {_SAME_AREA} "
        f"ORDER BY changed_at DESC, id DESC LIMIT {HISTORY_LIMIT}",
        [area_id],
    )
    found.insert(1, "what", found.pop("event").map(_EVENTS.get))
    # The rounds' own name is ours, in the reader's words; people's names stay as they are.
    found["by"] = found["by"].map(lambda by: t(by) if by in (ROUNDS, ORPHANED) else by)
    return found


@retry_on_conflict
@rereads_actor
def send_test(
    store: Store, actor: Actor, area_id: int | None, now: datetime, *, token: str | None = None
) -> int:
    """E-mail the officer alone the area's next issue as it stands today, marked as a test
    (its subject starts ``[Test]``; it has no schedule). Returns the test issue's id."""
    _check_area(store, actor, area_id)
    emailable = actor.user_id is not None and store.value(
        f"SELECT count(*) FROM users u WHERE u.id = ? AND {notices.EMAILABLE_SQL}",  # noqa: S608
        [actor.user_id],
        0,
    )
    if not emailable:
        raise InvalidInput(
            t(
                "a test goes to your own address, and your account has no confirmed one: add "
                "your e-mail address on My account and open the link sent to it first"
            )
        )
    planned = _schedule(store, area_id)
    schedule_id = planned.id if planned else None
    every_days = planned.every_days if planned else MIN_EVERY_DAYS
    tomorrow = now.date() + timedelta(days=1)
    start, end = _period(store, schedule_id, every_days, tomorrow, tomorrow)
    language = i18n.choose(language_of(store, actor.user_id))
    news = _build(store, start, end, area_id, now, [language])
    with store.write(shown=False) as cursor:
        earlier = submissions.earlier(cursor, token, "newsletter_test")
        if earlier is not None:
            return earlier
        issue_id = _store_issue(
            cursor, None, area_id, news[language], language, actor.display_name, now, test=True
        )
        notices.queue(cursor, actor.user_id, "newsletter", "newsletter", now, issue_id=issue_id)
        _log(
            cursor,
            schedule_id,
            area_id,
            "test",
            actor.display_name,
            now,
            issue_id=issue_id,
            recipients=1,
            period=(start, end),
        )
        submissions.remember(cursor, token, "newsletter_test", issue_id, now)
    return issue_id


# --- the rounds ---------------------------------------------------------------------------


def issue_due(store: Store, now: datetime) -> int:
    """Send every newsletter that is due. Called each round of the delivery worker (the
    app's background thread, ``python -m geo send`` from cron), as often as it likes: a
    schedule is issued once per period even when rounds overlap in several processes.
    A worker that was stopped for a while sends one issue covering the missed days, not
    one per missed date. Returns how many issues were stored."""
    due = store.rows(
        "SELECT id, next_at FROM newsletter_schedules WHERE active AND next_at <= ? "
        "ORDER BY next_at, id",
        [now],
    )
    return sum(_issue(store, int(schedule_id), next_at, now) for schedule_id, next_at in due)


def _issue(store: Store, schedule_id: int, next_at: datetime, now: datetime) -> bool:
    row = store.row(
        "SELECT area_id, every_days FROM newsletter_schedules "
        "WHERE id = ? AND next_at = ? AND active",
        [schedule_id, next_at],
    )
    if row is None:  # issued, paused or changed since it was listed
        return False
    area_id, every_days = row[0], int(row[1])
    if area_id is not None and not store.value(
        "SELECT count(*) FROM areas WHERE id = ?", [area_id], 0
    ):
        _pause_orphan(store, schedule_id, area_id, next_at, now)
        return False
    start, end = _period(store, schedule_id, every_days, next_at.date(), now.date())
    # Read before the write (no locks): the issue in English and in each subscriber's language.
    read_in = {
        i18n.choose(row[0])
        for row in store.rows(
            f"SELECT DISTINCT language FROM users WHERE id IN ({_SUBSCRIBERS})",  # noqa: S608
            [area_id, area_id, default_choice("newsletter")],
        )
    }
    built = _build(store, start, end, area_id, now, [i18n.DEFAULT, *sorted(read_in)])
    news = built[i18n.DEFAULT]
    following = _next_after(next_at, every_days, now)
    with store.write(shown=False) as cursor:
        claimed = cursor.execute(
            "UPDATE newsletter_schedules SET next_at = ?, last_sent_at = ? "
            "WHERE id = ? AND next_at = ? AND active RETURNING id",
            [following, now, schedule_id, next_at],
        ).fetchone()
        if claimed is None:  # another process issued it first
            return False
        if not has_news(news):
            _log(
                cursor,
                schedule_id,
                area_id,
                "skipped",
                ROUNDS,
                now,
                every_days,
                following,
                period=(start, end),
            )
            return False
        stored = {
            language: _store_issue(cursor, schedule_id, area_id, issue, language, ROUNDS, now)
            for language, issue in built.items()
        }
        issue_id = stored[i18n.DEFAULT]
        subscribers = _people(cursor, _SUBSCRIBERS, area_id)
        languages = dict(
            cursor.execute(
                "SELECT id, language FROM users WHERE list_contains(CAST(? AS INTEGER[]), id)",
                [subscribers],
            ).fetchall()
        )
        for user_id in subscribers:
            read_as = i18n.choose(languages.get(user_id))
            notices.queue(
                cursor,
                user_id,
                "newsletter",
                "newsletter",
                now,
                issue_id=stored.get(read_as, issue_id),  # a reader new since the read above
            )
        notices.notify(
            cursor,
            _people(cursor, _FOLLOWERS, area_id),
            "newsletter",
            lambda: _subject(_area_words(area_id, news), start, end),
            lambda: t(
                "The newsletter for {area} is out: {period}.",
                area=_area_words(area_id, news),
                period=digest.period_words(start, end),
            ),
            now,
            link=page_link(area_id, start, end),
            area_id=area_id,
            dedupe_key=f"newsletter:{issue_id}",
            email=False,  # the issue itself is the e-mail, queued above
        )
        _log(
            cursor,
            schedule_id,
            area_id,
            "sent",
            ROUNDS,
            now,
            every_days,
            following,
            issue_id=issue_id,
            recipients=len(subscribers),
            period=(start, end),
        )
    return True


def _pause_orphan(
    store: Store, schedule_id: int, area_id: int, next_at: datetime, now: datetime
) -> None:
    """Pause a schedule whose ward is gone (its level's boundaries were loaded anew): its
    followers follow the old ward too, and the officer sets the new ward's schedule."""
    with store.write(shown=False) as cursor:
        paused = cursor.execute(
            "UPDATE newsletter_schedules SET active = false, set_by = ?, updated_at = ? "
            "WHERE id = ? AND next_at = ? AND active RETURNING id",
            [ORPHANED, now, schedule_id, next_at],
        ).fetchone()
        if paused is not None:
            _log(cursor, schedule_id, area_id, "paused", ORPHANED, now, next_at=next_at)


def has_news(news: digest.Digest) -> bool:
    """Whether an issue has anything a reader has not read before: something proposed,
    decided or completed, a check-in in the period, or an event coming up. Initiatives
    merely still under way are not news."""
    return bool(
        news.new_proposals
        or news.decisions
        or news.completed
        or news.upcoming
        or any(item["news"] is not None for item in news.running)
    )


def page_link(area_id: int | None, start: date, end: date) -> str:
    """The Newsletter page showing this area and period (what a notice links to)."""
    area = "council" if area_id is None else str(area_id)
    return f"newsletter?area={area}&from={start.isoformat()}&to={end.isoformat()}"


# --- inside -------------------------------------------------------------------------------


def _check_area(store: Store, actor: Actor, area_id: int | None) -> None:
    """The area exists and lies within the actor's wards; the whole council is for an
    officer without a ward limit."""
    where = scope(actor, "send_newsletters")  # refuses a role that may not send at all
    if area_id is None:
        if not where.everywhere:
            raise PermissionDenied(
                t("the whole council's newsletter is set by an officer who covers every ward")
            )
        return
    if store.value("SELECT count(*) FROM areas WHERE id = ?", [area_id], 0) == 0:
        raise NotFound(t("there is no area number {number}", number=area_id))
    if not where.covers([area_id]):
        raise PermissionDenied(t("this ward is outside the wards your council account covers"))


def _cadence(every_days: object) -> int:
    try:
        days = int(every_days)
    except (TypeError, ValueError):
        days = 0
    if days != every_days or not MIN_EVERY_DAYS <= days <= MAX_EVERY_DAYS:
        raise InvalidInput(
            t(
                "a newsletter goes out every {fewest} to {most} days",
                fewest=MIN_EVERY_DAYS,
                most=MAX_EVERY_DAYS,
            )
        )
    return days


def _schedule(store: Store, area_id: int | None) -> Schedule | None:
    row = store.row(
        "SELECT id, area_id, every_days, next_at, last_sent_at, active, set_by, updated_at "  # noqa: S608
        f"FROM newsletter_schedules WHERE {_SAME_AREA}",
        [area_id],
    )
    return None if row is None else Schedule(*row)


def _period(
    store: Store, schedule_id: int | None, every_days: int, due: date, day: date
) -> tuple[date, date]:
    """The days an issue built on ``day`` covers: from the day after the previous round's
    period (sent or skipped; for a first issue, ``every_days`` before its ``due`` date) to
    the day before ``day``, at most ``MAX_PERIOD_DAYS`` long. Periods follow on from each
    other, so nothing is told twice or missed, also after the worker was stopped a while."""
    end = day - timedelta(days=1)
    last = store.value(
        "SELECT max(period_end) FROM newsletter_log WHERE schedule_id = ? "
        "AND event IN ('sent', 'skipped')",
        [schedule_id],
    )
    start = due - timedelta(days=every_days) if last is None else last + timedelta(days=1)
    start = max(start, end - timedelta(days=MAX_PERIOD_DAYS - 1))
    return min(start, end), end


def _next_after(at: datetime, every_days: int, now: datetime) -> datetime:
    """The first date of the rhythm ``at`` + k × ``every_days`` that is after ``now``."""
    if at > now:
        return at
    step = timedelta(days=every_days)
    return at + step * ((now - at) // step + 1)


def _people(cursor: Cursor, sql: str, area_id: int | None) -> list[int]:
    params = [area_id, area_id] + ([default_choice("newsletter")] if sql is _SUBSCRIBERS else [])
    return sorted(int(row[0]) for row in cursor.execute(sql, params).fetchall())


def _build(
    store: Store,
    start: date,
    end: date,
    area_id: int | None,
    now: datetime,
    languages: list[str],
) -> dict[str, digest.Digest]:
    """The issue's news gathered in each of ``languages`` (labels are words of the reader)."""
    built = {}
    for language in dict.fromkeys(languages):
        with i18n.speaking(language):
            built[language] = digest.build(store, start, end, area_id, now)
    return built


def _area_words(area_id: int | None, news: digest.Digest) -> str:
    """The area as the reader in force reads it: a ward's name, or "the whole council"."""
    return t("the whole council") if area_id is None else news.area_name


def _subject(area: str, start: date, end: date) -> str:
    return t(
        "SafePlay news for {area}, {period}", area=area, period=digest.period_words(start, end)
    )


def _store_issue(
    cursor: Cursor,
    schedule_id: int | None,
    area_id: int | None,
    news: digest.Digest,
    language: str,
    by: str,
    now: datetime,
    *,
    test: bool = False,
) -> int:
    """The issue as every recipient of ``language`` gets it: built once, its text escaped
    for its format (``digest``); the mail sender renders outbox rows of batch 'newsletter'
    from it."""
    issue_id = next_id(cursor, "newsletter_issue_ids")
    with i18n.speaking(language):
        subject = " ".join(_subject(news.area_name, news.start, news.end).split())
        if test:
            subject = t("[Test] {subject}", subject=subject)
        text_body = digest.to_markdown(news, for_mail_document)
        html_body = digest.to_html(news, for_mail_html)
    cursor.execute(
        "INSERT INTO newsletter_issues (id, schedule_id, area_id, period_start, period_end, "
        "subject, text_body, html_body, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            issue_id,
            schedule_id,
            area_id,
            news.start,
            news.end,
            subject,
            text_body,
            html_body,
            by,
            now,
        ],
    )
    return issue_id


def _log(
    cursor: Cursor,
    schedule_id: int | None,
    area_id: int | None,
    event: str,
    by: str,
    now: datetime,
    every_days: int | None = None,
    next_at: datetime | None = None,
    *,
    issue_id: int | None = None,
    recipients: int | None = None,
    period: tuple[date, date] | None = None,
) -> None:
    """Append one row to ``newsletter_log``, the newsletters' audit trail."""
    start, end = period if period is not None else (None, None)
    cursor.execute(
        "INSERT INTO newsletter_log (id, schedule_id, area_id, event, every_days, next_at, "
        "issue_id, recipients, period_start, period_end, actor, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            next_id(cursor, "newsletter_log_ids"),
            schedule_id,
            area_id,
            event,
            every_days,
            next_at,
            issue_id,
            recipients,
            start,
            end,
            by,
            now,
        ],
    )
