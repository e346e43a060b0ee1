"""A ward newsletter: what happened in a period, ready to paste into an e-mail or print.

New proposals, decisions with their reasons, progress of running initiatives, what was
completed, events coming up, and the thank-you roll — only what is public, for one area
(or the whole council) and one period. Every user string is escaped for the format it is
written in (HTML or Markdown), so a title can never become markup in somebody's inbox.

Words, labels and dates are in the language in force while it is built and written: the
page reader's, or each subscriber's in turn when an issue is e-mailed (``newsletters``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd

from geo import i18n
from geo.accountability import progress, recognition
from geo.errors import InvalidInput
from geo.escape import for_markdown_document
from geo.i18n import t
from geo.storage.db import Store
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES, PUBLIC_STATUSES, label
from geo.wording import present, text

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
        raise InvalidInput(t("the period ends before it starts"))
    if (end - start).days > 366:
        raise InvalidInput(t("a newsletter covers at most a year"))
    area_name = t("the whole council")
    if area_id is not None:
        row = store.row("SELECT name FROM areas WHERE id = ?", [area_id])
        if row is None:
            raise InvalidInput(t("there is no area number {number}", number=area_id))
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
    return i18n.date(pd.Timestamp(value).date(), "long")


def _title(digest: Digest, e: Callable[[object], str]) -> str:
    return t("SafePlay news for {area}", area=e(digest.area_name))


def period_words(start: date, end: date) -> str:
    """The days an issue covers, as its reader writes dates ("1 to 7 March" in words)."""
    return t("{start} to {end}", start=_when(start), end=_when(end))


def to_markdown(digest: Digest, e: Callable[[object], str] = for_markdown_document) -> str:
    """The newsletter as Markdown (readable as plain text in an e-mail). The page's preview
    passes ``geo.escape.for_markdown`` as ``e``: Streamlit's Markdown also formats ``$`` and
    ``:``, which a file read as plain text must keep bare."""
    lines = [f"# {_title(digest, e)}", period_words(digest.start, digest.end), ""]
    for heading, items, render in _sections(digest):
        lines.append(f"## {heading}")
        lines += [f"- {render(item, e)}" for item in items] or ["- " + t("Nothing this time.")]
        lines.append("")
    lines.append("## " + t("Thank you"))
    lines.append(", ".join(e(name) for name in digest.thanks) or t("Everyone who took part."))
    return "\n".join(lines) + "\n"


def to_html(digest: Digest, e: Callable[[object], str] = html.escape) -> str:
    """The newsletter as a standalone, printable HTML page; an e-mail passes
    ``geo.escape.for_mail_html``, which also keeps mail programs from linking bare
    addresses in other people's words."""
    # Our words are escaped too: a translation may hold "&" or "<" like any text.
    parts = [
        f"<!doctype html><html lang='{i18n.html_lang()}'><head><meta charset='utf-8'>",
        f"<title>{_title(digest, e)}</title>",
        "<style>body{font-family:sans-serif;max-width:42em;margin:2em auto;line-height:1.5}"
        "h1{color:#364fc7}h2{border-bottom:1px solid #ccc}</style></head><body>",
        f"<h1>{_title(digest, e)}</h1>",
        f"<p>{e(period_words(digest.start, digest.end))}</p>",
    ]
    for heading, items, render in _sections(digest):
        parts.append(f"<h2>{e(heading)}</h2><ul>")
        parts += [f"<li>{render(item, e)}</li>" for item in items] or [
            "<li>" + e(t("Nothing this time.")) + "</li>"
        ]
        parts.append("</ul>")
    names = ", ".join(e(name) for name in digest.thanks) or e(t("Everyone who took part."))
    parts.append("<h2>" + e(t("Thank you")) + f"</h2><p>{names}</p></body></html>")
    return "".join(parts)


def _sections(digest: Digest):
    """Each section's heading, items and how one item reads; every sentence is one
    message with the item's values named in, escaped with ``e`` before they go in."""
    return [
        (
            t("New proposals"),
            digest.new_proposals,
            lambda i, e: t(
                "{title} ({kind}), proposed by {proposer}",
                title=e(i["title"]),
                kind=e(i["kind"]),
                proposer=e(i["proposer"]),
            ),
        ),
        (
            t("Decisions"),
            digest.decisions,
            lambda i, e: (
                t(
                    "{title}: {decision} — {reason}",
                    title=e(i["title"]),
                    decision=e(i["decision"]),
                    reason=e(i["reason"]),
                )
                if i["reason"]
                else t("{title}: {decision}", title=e(i["title"]), decision=e(i["decision"]))
            ),
        ),
        (t("Under way"), digest.running, _running),
        (t("Completed"), digest.completed, lambda i, e: e(i["title"])),
        (
            t("Coming up"),
            digest.upcoming,
            lambda i, e: t("{day}: {title}", day=_when(i["when"]), title=e(i["title"])),
        ),
    ]


def _running(item: dict, e: Callable[[object], str]) -> str:
    said = e(item["title"])
    if present(item["progress"]):
        done = i18n.percent(float(item["progress"]) / 100)
        said = t("{title} — {share} done", title=said, share=done)
    if present(item["news"]):
        said = t("{title}. {news}", title=said, news=e(item["news"]))
    return said
