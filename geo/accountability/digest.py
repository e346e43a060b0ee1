"""A ward newsletter: what happened in a period, ready to paste into an e-mail or print.

New proposals, decisions with their reasons, progress of running initiatives, what was
completed, events coming up, and the thank-you roll — only what is public, for one area
(or the whole council) and one period. Every user string is escaped for the format it is
written in (HTML or Markdown), so a title can never become markup in somebody's inbox.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd

from geo.accountability import progress, recognition
from geo.errors import InvalidInput
from geo.escape import for_markdown_document
from geo.storage.db import Store
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES, PUBLIC_STATUSES, label
from geo.wording import percent, present, text

UPCOMING_DAYS = 60
# Only public initiatives of the area ($area NULL: the whole council); values are parameters.
_STEPS = (
    "SELECT i.id, i.title, i.kind, i.status, i.proposer, s.to_status, s.reason, "
    "s.changed_at FROM status_changes s JOIN initiatives i ON i.id = s.initiative_id WHERE "
    "(CAST($area AS INTEGER) IS NULL "
    "OR i.id IN (SELECT initiative_id FROM initiative_areas WHERE area_id = $area)) "
    "AND s.changed_at >= $start AND s.changed_at < $end "
    "AND list_contains($public, i.status) ORDER BY s.changed_at, s.id"
)
_RUNNING = (
    "SELECT i.id FROM initiatives i WHERE "
    "(CAST($area AS INTEGER) IS NULL "
    "OR i.id IN (SELECT initiative_id FROM initiative_areas WHERE area_id = $area)) "
    "AND i.status = 'in_progress' ORDER BY i.title"
)
_UPCOMING = (
    "SELECT i.title, i.start_date FROM initiatives i WHERE "
    "(CAST($area AS INTEGER) IS NULL "
    "OR i.id IN (SELECT initiative_id FROM initiative_areas WHERE area_id = $area)) "
    "AND i.kind = 'event' AND i.status IN ('approved', 'in_progress') "
    "AND i.start_date >= $end AND i.start_date < $until ORDER BY i.start_date"
)


@dataclass(frozen=True)
class Digest:
    area_name: str
    start: date
    end: date
    new_proposals: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    running: list[dict] = field(default_factory=list)
    completed: list[dict] = field(default_factory=list)
    upcoming: list[dict] = field(default_factory=list)
    thanks: list[str] = field(default_factory=list)


def build(store: Store, start: date, end: date, area_id: int | None, now: datetime) -> Digest:
    """Collect the newsletter for ``area_id`` (None: the whole council) over start…end."""
    if end < start:
        raise InvalidInput("the period ends before it starts")
    if (end - start).days > 366:
        raise InvalidInput("a newsletter covers at most a year")
    area_name = "the whole council"
    if area_id is not None:
        row = store.row("SELECT name FROM areas WHERE id = ?", [area_id])
        if row is None:
            raise InvalidInput(f"there is no area number {area_id}")
        area_name = row[0]
    params = {
        "area": area_id,
        "start": start,
        "end": end + timedelta(days=1),
        "public": list(PUBLIC_STATUSES),
    }
    steps = store.frame(_STEPS, params)
    new = steps[
        (steps["to_status"] == "submitted") & ~steps["reason"].fillna("").str.startswith("Revised")
    ].drop_duplicates("id")
    decided = steps[steps["to_status"].isin(["approved", "rejected", "changes_requested"])]
    completed = steps[steps["to_status"] == "completed"].drop_duplicates("id")
    running_ids = [int(r[0]) for r in store.rows(_RUNNING, {"area": area_id})]
    state = progress.tracking_state(store, now, running_ids).set_index("id")
    running = []
    for initiative_id in running_ids:
        latest = progress.checkins(store, initiative_id)
        in_period = latest[
            (latest["created_at"] >= pd.Timestamp(start))
            & (latest["created_at"] < pd.Timestamp(params["end"]))
        ]
        running.append(
            {
                "title": state.loc[initiative_id, "title"],
                "progress": state.loc[initiative_id, "progress"],
                "news": in_period["happened"].iloc[0] if not in_period.empty else None,
            }
        )
    until = params["end"] + timedelta(days=UPCOMING_DAYS)
    upcoming = store.frame(_UPCOMING, {"area": area_id, "end": params["end"], "until": until})
    mentioned = sorted(
        set(new["id"]) | set(decided["id"]) | set(completed["id"]) | set(running_ids)
    )
    roll = recognition.roll(store, sorted(int(i) for i in mentioned))
    return Digest(
        area_name=area_name,
        start=start,
        end=end,
        new_proposals=[
            {"title": r.title, "kind": label(INITIATIVE_KINDS, r.kind), "proposer": r.proposer}
            for r in new.itertuples()
        ],
        decisions=[
            {
                "title": r.title,
                "decision": label(INITIATIVE_STATUSES, r.to_status),
                "reason": text(r.reason),
            }
            for r in decided.itertuples()
        ],
        running=running,
        completed=[{"title": r.title} for r in completed.itertuples()],
        upcoming=[{"title": r.title, "when": r.start_date} for r in upcoming.itertuples()],
        thanks=sorted(set(roll["name"])),
    )


def _when(value: object) -> str:
    return pd.Timestamp(value).strftime("%d %B %Y")


def to_markdown(digest: Digest, e: Callable[[object], str] = for_markdown_document) -> str:
    """The newsletter as Markdown (readable as plain text in an e-mail). The page's preview
    passes ``geo.escape.for_markdown`` as ``e``: Streamlit's Markdown also formats ``$`` and
    ``:``, which a file read as plain text must keep bare."""
    lines = [
        f"# SafePlay news for {e(digest.area_name)}",
        f"{_when(digest.start)} to {_when(digest.end)}",
        "",
    ]
    for heading, items, render in _sections(digest):
        lines.append(f"## {heading}")
        lines += [f"- {render(item, e)}" for item in items] or ["- Nothing this time."]
        lines.append("")
    lines.append("## Thank you")
    lines.append(", ".join(e(name) for name in digest.thanks) or "Everyone who took part.")
    return "\n".join(lines) + "\n"


def to_html(digest: Digest, e: Callable[[object], str] = html.escape) -> str:
    """The newsletter as a standalone, printable HTML page; an e-mail passes
    ``geo.escape.for_mail_html``, which also keeps mail programs from linking bare
    addresses in other people's words."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>SafePlay news for {e(digest.area_name)}</title>",
        "<style>body{font-family:sans-serif;max-width:42em;margin:2em auto;line-height:1.5}"
        "h1{color:#364fc7}h2{border-bottom:1px solid #ccc}</style></head><body>",
        f"<h1>SafePlay news for {e(digest.area_name)}</h1>",
        f"<p>{_when(digest.start)} to {_when(digest.end)}</p>",
    ]
    for heading, items, render in _sections(digest):
        parts.append(f"<h2>{e(heading)}</h2><ul>")
        parts += [f"<li>{render(item, e)}</li>" for item in items] or [
            "<li>Nothing this time.</li>"
        ]
        parts.append("</ul>")
    names = ", ".join(e(name) for name in digest.thanks) or "Everyone who took part."
    parts.append(f"<h2>Thank you</h2><p>{names}</p></body></html>")
    return "".join(parts)


def _sections(digest: Digest):
    return [
        (
            "New proposals",
            digest.new_proposals,
            lambda i, e: f"{e(i['title'])} ({e(i['kind'])}), proposed by {e(i['proposer'])}",
        ),
        (
            "Decisions",
            digest.decisions,
            lambda i, e: (
                f"{e(i['title'])}: {e(i['decision'])}"
                + (f" — {e(i['reason'])}" if i["reason"] else "")
            ),
        ),
        (
            "Under way",
            digest.running,
            lambda i, e: (
                f"{e(i['title'])}"
                + (f" — {percent(i['progress'])} done" if present(i["progress"]) else "")
                + (f". {e(i['news'])}" if present(i["news"]) else "")
            ),
        ),
        ("Completed", digest.completed, lambda i, e: e(i["title"])),
        ("Coming up", digest.upcoming, lambda i, e: f"{_when(i['when'])}: {e(i['title'])}"),
    ]
