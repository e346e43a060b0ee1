"""Atom feeds of public news: the whole council, one area of any level, one initiative.

A feed reader polls these instead of anybody coming back to look: new proposals, the
council's decisions with their reasons, work started and completed, check-ins, milestones
done, events and their summaries, and thanks. Everything comes from what the public pages
already show — initiatives in a public status only (never drafts or withdrawn proposals),
thanks only as the thank-you roll names people (``recognition.roll``: consent respected,
young people never named). Voices, concerns, comments, names of anonymous people and
e-mail addresses are never read here at all, so no query below can leak them.

Entries are Atom 1.0 (RFC 4287), newest first, at most ``LIMIT``; their ids are ``tag:``
URIs (RFC 4151) made of the host and the row's own number, so they stay the same across
restarts and a reader never shows one piece of news twice. Text is plain (``type="text"``):
a title such as ``<script>`` reaches the reader as those characters, never as markup.

A feed is written in the language in force (the route's ``?lang=``, else English): titles,
summaries and dates in it, and ``xml:lang`` says which. What people wrote stays as written.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import pandas as pd

from geo import i18n
from geo.accountability import recognition
from geo.accountability.events import EVENT_KINDS
from geo.errors import NotFound
from geo.escape import for_xml
from geo.i18n import t
from geo.proposals.lifecycle import DECISIONS
from geo.storage.db import Store
from geo.vocabulary import INITIATIVE_KINDS, PUBLIC_STATUSES, STATUS_STEPS, label
from geo.wording import present, text

LIMIT = 50
ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# A feed with no entries yet still needs an `updated`; this is the day feeds began.
_BEGINNING = datetime(2026, 1, 1)
_TAG_YEAR = "2026"
# Part of every ETag: change it when what a feed holds changes, so readers fetch afresh.
_FORMAT = "atom-1"

Kind = Literal["council", "area", "initiative"]


@dataclass(frozen=True)
class Subject:
    """What one feed is about: its kind and number, its title and where it lives."""

    kind: Kind
    number: int | None
    title: str
    path: str  # the feed's own address in the app
    page: str  # the page in the app the feed's news is about
    since: datetime  # `updated` while the feed has no entries


@dataclass(frozen=True)
class Entry:
    """One piece of public news, with the key that makes its id (``initiative-3/step-17``)."""

    key: str
    title: str
    summary: str
    published: datetime
    updated: datetime
    page: str  # a path in the app


def address(kind: Kind, number: int | None = None) -> str:
    """The path the app serves a feed at (``ui/feed_routes.py``); pages link to it."""
    if kind == "council":
        return "/feeds/council.atom"
    return f"/feeds/{'areas' if kind == 'area' else 'initiatives'}/{int(number)}.atom"


def subject(store: Store, kind: Kind, number: int | None = None) -> Subject:
    """The feed of the whole council, an area of any level, or a public initiative;
    ``NotFound`` for an unknown area and for an unknown or non-public initiative (the same
    words, so a feed does not tell a draft's number from a missing one)."""
    if kind == "council":
        return Subject(
            kind,
            None,
            t("SafePlay news for the whole council"),
            address("council"),
            "/",
            _BEGINNING,
        )
    if kind == "area":
        row = store.row("SELECT name FROM areas WHERE id = ?", [number])
        if row is None:
            raise NotFound(t("there is no area number {number}", number=number))
        return Subject(
            kind,
            number,
            t("SafePlay news for {area}", area=row[0]),
            address("area", number),
            "/",
            _BEGINNING,
        )
    if kind == "initiative":
        row = store.row(
            "SELECT title, created_at FROM initiatives WHERE id = ? AND list_contains(?, status)",
            [number, list(PUBLIC_STATUSES)],
        )
        if row is None:
            raise NotFound(
                t("there is no public proposal or initiative number {number}", number=number)
            )
        return Subject(
            kind,
            number,
            t("SafePlay news of {title}", title=row[0]),
            address("initiative", number),
            _proposal_page(number),
            pd.Timestamp(row[1]).to_pydatetime(),
        )
    raise NotFound(t("there is no kind of feed called {kind}", kind=kind))


def entries(store: Store, about: Subject, limit: int = LIMIT) -> list[Entry]:
    """The newest ``limit`` pieces of public news about ``about``, newest first."""
    initiatives, events = _conditions(about)
    params = {"subject": about.number, "public": list(PUBLIC_STATUSES), "limit": limit}
    found: list[Entry] = []
    for sql, condition, make in (
        (_STEPS, initiatives, _each(_step)),
        (_CHECKINS, initiatives, _each(_checkin)),
        (_MILESTONES, initiatives, _each(_milestone)),
        (_THANKS, initiatives, _thanks),
        (_EVENTS, events, _each(_event)),
    ):
        query = sql.format(about=condition)
        # DuckDB refuses parameters a statement does not use (the council's has no subject).
        used = {name: value for name, value in params.items() if f"${name}" in query}
        found += make(store, store.frame(query, used))
    found.sort(key=lambda entry: (entry.updated, entry.key), reverse=True)
    return found[:limit]


def atom(about: Subject, news: list[Entry], base_url: str) -> bytes:
    """The Atom document for ``about`` with links into the app at ``base_url``."""
    base = base_url.rstrip("/")
    host = urlsplit(base).hostname or "localhost"
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": i18n.html_lang()})
    _text(root, "id", _tag(host, about.path.removesuffix(".atom").lstrip("/")))
    _text(root, "title", about.title)
    _text(
        root,
        "subtitle",
        t("Public news from SafePlay. Only what anyone may read on its pages."),
    )
    _text(root, "updated", _when(news[0].updated if news else about.since))
    self_href = base + _in_language(about.path)
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": self_href})
    ET.SubElement(
        root,
        "link",
        {"rel": "alternate", "type": "text/html", "href": base + _in_language(about.page)},
    )
    author = ET.SubElement(root, "author")
    _text(author, "name", "SafePlay")
    _text(root, "generator", "SafePlay")
    for item in news:
        entry = ET.SubElement(root, "entry")
        _text(entry, "id", _tag(host, item.key))
        _text(entry, "title", item.title, typed=True)
        _text(entry, "published", _when(item.published))
        _text(entry, "updated", _when(item.updated))
        ET.SubElement(
            entry,
            "link",
            {"rel": "alternate", "type": "text/html", "href": base + _in_language(item.page)},
        )
        _text(entry, "summary", item.summary, typed=True)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def feed(store: Store, kind: Kind, number: int | None, base_url: str) -> bytes:
    """One feed, read and written: what the route serves."""
    about = subject(store, kind, number)
    return atom(about, entries(store, about), base_url)


def version_tag(store: Store, about: Subject, base_url: str) -> str:
    """An ETag that changes whenever any write commits (the store's data version), so a
    reader asking again before anything moved gets ``304 Not Modified`` without a query."""
    seed = (
        f"{_FORMAT}|{about.path}|{i18n.current()}|{base_url}|{store.backend}|{store.data_version()}"
    )
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


# Which initiatives and events belong to each kind of feed (constant SQL; values are
# parameters). An area's initiatives are those touching it; its events lie inside it.
def _conditions(about: Subject) -> tuple[str, str]:
    if about.kind == "area":
        return (
            "i.id IN (SELECT initiative_id FROM initiative_areas WHERE area_id = $subject)",
            "EXISTS (SELECT 1 FROM areas a WHERE a.id = $subject "
            "AND ST_Intersects(a.geom, e.geom))",
        )
    if about.kind == "initiative":
        return "i.id = $subject", "e.initiative_id = $subject"
    return "true", "true"


# What each step of a public initiative tells: new and resubmitted proposals, decisions
# (with their reasons), work started and completed. Whether a submission is the first is
# asked of the newest steps only, not of the whole trail.
_STEPS = (
    "SELECT s.*, EXISTS (SELECT 1 FROM status_changes p "
    "WHERE p.initiative_id = s.initiative_id AND p.to_status = 'submitted' "
    "AND (p.changed_at < s.changed_at OR (p.changed_at = s.changed_at AND p.id < s.id))) "
    "AS again FROM (SELECT s.id, s.initiative_id, s.to_status, s.reason, s.changed_at, "
    "i.title, i.kind, i.proposer, i.summary "
    "FROM status_changes s JOIN initiatives i ON i.id = s.initiative_id "
    "WHERE list_contains($public, i.status) AND {about} AND s.to_status IN ('submitted', "
    "'changes_requested', 'approved', 'rejected', 'in_progress', 'completed') "
    "ORDER BY s.changed_at DESC, s.id DESC LIMIT $limit) AS s "
    "ORDER BY s.changed_at DESC, s.id DESC"
)
_CHECKINS = (
    "SELECT c.id, c.initiative_id, c.progress, c.happened, c.next_step, c.created_at, "
    "i.title FROM checkins c JOIN initiatives i ON i.id = c.initiative_id "
    "WHERE list_contains($public, i.status) AND {about} "
    "ORDER BY c.created_at DESC, c.id DESC LIMIT $limit"
)
_MILESTONES = (
    "SELECT m.id, m.initiative_id, m.title AS milestone, m.done_note, m.done_at, i.title "
    "FROM milestones m JOIN initiatives i ON i.id = m.initiative_id "
    "WHERE m.done_at IS NOT NULL AND list_contains($public, i.status) AND {about} "
    "ORDER BY m.done_at DESC, m.id DESC LIMIT $limit"
)
# Candidates only: ``_thanks`` keeps those the thank-you roll names.
_THANKS = (
    "SELECT t.id, t.initiative_id, t.name, t.contribution, t.consent_at, i.title "
    "FROM thanks t JOIN initiatives i ON i.id = t.initiative_id "
    "WHERE t.revoked_at IS NULL AND list_contains($public, i.status) AND {about} "
    "ORDER BY t.consent_at DESC, t.id DESC LIMIT $limit"
)
# Events are public whatever they belong to; the initiative's title only if it is public.
# Newest by the time ``_event`` dates them: posted, or held once its summary is written.
_EVENTS = (
    "SELECT e.id, e.title, e.kind, e.starts_at, e.ends_at, e.organiser, e.summary, "
    "e.created_at, CASE WHEN list_contains($public, i.status) THEN i.title END AS initiative "
    "FROM events e LEFT JOIN initiatives i ON i.id = e.initiative_id WHERE {about} "
    "ORDER BY CASE WHEN e.summary IS NULL THEN e.created_at "
    "ELSE greatest(e.created_at, e.starts_at) END DESC, e.id DESC LIMIT $limit"
)


def _each(make: Callable[[Any], Entry]) -> Callable[[Store, pd.DataFrame], list[Entry]]:
    """One entry per row."""
    return lambda _store, rows: [make(row) for row in rows.itertuples()]


def _step(row: Any) -> Entry:
    title = str(row.title)
    if row.to_status == "submitted" and not row.again:
        headline = t("New proposal: {title}", title=title)
        summary = t(
            "{kind} proposed by {proposer}. {summary}",
            kind=label(INITIATIVE_KINDS, row.kind),
            proposer=row.proposer,
            summary=row.summary,
        )
    elif row.to_status == "submitted":
        headline = t("Resubmitted after changes: {title}", title=title)
        summary = text(row.reason, t("The proposer sent it back to the council, changed."))
    else:
        step = label(STATUS_STEPS, row.to_status)
        headline = t("{step}: {title}", step=step, title=title)
        if not present(row.reason):
            summary = t("{step}.", step=step)
        elif row.to_status in DECISIONS:
            summary = t("The council's reason: {reason}", reason=row.reason)
        else:
            summary = t("Note: {note}", note=row.reason)
    when = pd.Timestamp(row.changed_at).to_pydatetime()
    page = _proposal_page(row.initiative_id)
    return Entry(
        f"initiative-{row.initiative_id}/step-{row.id}", headline, summary, when, when, page
    )


def _checkin(row: Any) -> Entry:
    parts = [str(row.happened)]
    if present(row.next_step):
        parts.append(t("Next step: {step}", step=row.next_step))
    if present(row.progress):
        parts.append(t("Progress: {share}", share=i18n.percent(int(row.progress) / 100)))
    when = pd.Timestamp(row.created_at).to_pydatetime()
    return Entry(
        f"initiative-{row.initiative_id}/checkin-{row.id}",
        t("Check-in: {title}", title=row.title),
        " · ".join(parts),
        when,
        when,
        _proposal_page(row.initiative_id),
    )


def _milestone(row: Any) -> Entry:
    when = pd.Timestamp(row.done_at).to_pydatetime()
    summary = (
        str(row.done_note)
        if present(row.done_note)
        else t("A step of {title} is done.", title=row.title)
    )
    return Entry(
        f"initiative-{row.initiative_id}/milestone-{row.id}",
        t("Milestone done: {milestone} ({title})", milestone=row.milestone, title=row.title),
        summary,
        when,
        when,
        _proposal_page(row.initiative_id),
    )


def _thanks(store: Store, rows: pd.DataFrame) -> list[Entry]:
    """Named thanks the public roll shows, and only those: the roll's rules (consent,
    never a young person) decide, not a second copy of them here."""
    if rows.empty:
        return []
    roll = recognition.roll(store, sorted({int(i) for i in rows["initiative_id"]}))
    named = set(zip(roll["initiative_id"], roll["name"], roll["contribution"], strict=True))
    shown = []
    for row in rows.itertuples():
        if (row.initiative_id, row.name, row.contribution) in named:
            when = pd.Timestamp(row.consent_at).to_pydatetime()
            shown.append(
                Entry(
                    f"initiative-{row.initiative_id}/thanks-{row.id}",
                    t("Thank you, {name}", name=row.name),
                    f"{row.contribution} — {row.title}",
                    when,
                    when,
                    _proposal_page(row.initiative_id),
                )
            )
    return shown


def _event(row: Any) -> Entry:
    starts = pd.Timestamp(row.starts_at).to_pydatetime()
    parts = [
        t(
            "{kind} on {when}, organised by {organiser}.",
            kind=label(EVENT_KINDS, row.kind),
            when=i18n.date_time(starts, "full"),
            organiser=row.organiser,
        )
    ]
    if present(row.initiative):
        parts.append(t("Part of {initiative}.", initiative=row.initiative))
    published = pd.Timestamp(row.created_at).to_pydatetime()
    updated = published
    if present(row.summary):
        parts.append(t("How it went: {summary}", summary=row.summary))
        updated = max(published, starts)  # a summary is written once the event began
    return Entry(
        f"event-{row.id}",
        t("Event: {title}", title=row.title),
        " ".join(parts),
        published,
        updated,
        "/events",
    )


def _proposal_page(number: object) -> str:
    return f"/proposals?id={int(number)}"


def _in_language(path: str) -> str:
    """``path`` asking for the feed's language (``?lang=``), so a reader who follows a link
    or the feed's own address reads on in it; English needs no parameter."""
    if i18n.current() == i18n.DEFAULT:
        return path
    return f"{path}{'&' if '?' in path else '?'}{urlencode({'lang': i18n.current()})}"


def _tag(host: str, key: str) -> str:
    return f"tag:{host},{_TAG_YEAR}:{key}"


def _when(moment: datetime) -> str:
    """RFC 3339 in UTC, the form Atom requires (the store keeps naive UTC)."""
    return moment.replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, name: str, value: object, typed: bool = False) -> ET.Element:
    """A child element holding text through the XML boundary (``escape.for_xml``)."""
    child = ET.SubElement(parent, name, {"type": "text"} if typed else {})
    child.text = for_xml(value)
    return child
