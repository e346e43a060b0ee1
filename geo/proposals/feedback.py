"""Residents' feedback on proposals: supports, comments, answers, flags and moderation.

A comment from an account that is new, or that has never had a comment published, is held
for a moderator; an established account's comment appears at once. Anyone signed in can flag
a comment; when ``FLAGS_TO_HIDE`` established people have, it is hidden until a moderator
publishes or hides it with a reason. Every change of a comment's state is kept in
``comment_changes`` (who, when, why); a moderator's decision is taken by the one moderation
skeleton (``geo.moderation.decide``, with comments described as ``COMMENTS``).

A flag counts only when its account was at least ``FLAGGER_MIN_AGE_DAYS`` old when it
flagged and has something published (a comment, or a proposal past its draft) — or is
staff — so three free sign-ups cannot hide anyone's comment. A moderator's republish
answers every flag before it: the same people cannot flag it away again (one flag per
person, kept), only new established flaggers count. Supports from new accounts do count:
people often sign up precisely to support a proposal, each account supports once, and
sign-ups are rate-limited per address (``geo.accounts.rate_limits``).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from geo.accounts.rate_limits import Client, attempt
from geo.errors import (
    IllegalTransition,
    InvalidInput,
    NotFound,
    PermissionDenied,
    SafePlayError,
)
from geo.i18n import N_, Words, number, t
from geo.moderation import Moderated, clean_reason, decide
from geo.notify.audiences import initiative_link, initiative_title, tell_initiative
from geo.notify.follows import follow_automatically
from geo.notify.notices import notify
from geo.permissions import Actor, allowed, may_see, require, rereads_actor, scope
from geo.permissions.rules import may_answer, owns
from geo.storage.db import Store, next_id
from geo.storage.membership import initiative_area_ids

MAX_COMMENT = 2_000
FLAGS_TO_HIDE = 3
TRUSTED_AFTER = timedelta(days=7)
FLAGGER_MIN_AGE_DAYS = int(os.environ.get("SAFEPLAY_FLAGGER_MIN_DAYS", "7"))
# The flags that count towards hiding comment ``c``: from staff, or from accounts old enough
# when they flagged with something published, and given after the last republish.
COUNTED_FLAGS = (
    "(SELECT count(*) FROM comment_flags f JOIN users u ON u.id = f.user_id "
    "WHERE f.comment_id = c.id "
    "AND f.created_at > coalesce((SELECT max(x.changed_at) FROM comment_changes x "
    "  WHERE x.comment_id = c.id AND x.to_state = 'published' "
    "  AND x.from_state IN ('flagged', 'hidden')), TIMESTAMP '-infinity') "
    "AND (u.role IN ('council', 'admin') OR ("
    "  u.created_at + to_days(CAST($flagger_days AS INTEGER)) <= f.created_at "
    "  AND (EXISTS (SELECT 1 FROM comments p WHERE p.author_id = u.id "
    "       AND p.state = 'published') "
    "    OR EXISTS (SELECT 1 FROM initiatives i2 WHERE i2.owner_id = u.id "
    "       AND i2.status NOT IN ('draft', 'withdrawn'))))))"
)
SUPPORTABLE = ("submitted", "changes_requested", "approved", "in_progress")
COMMENTABLE = ("submitted", "changes_requested")
# Shown beside the name on comments by staff; residents may not put these words in their
# names (``auth.check_display_name``), so the badge is the only way to look like staff.
ROLE_BADGES = Words({"council": N_("Council officer"), "admin": N_("Administrator")})
COMMENT_STATES = Words(
    {
        "pending": N_("Waiting for a moderator"),
        "published": N_("Published"),
        "flagged": N_("Hidden after flags, waiting for a moderator"),
        "hidden": N_("Hidden by a moderator"),
    }
)


def _proposal(cursor: Any, actor: Actor, proposal_id: int) -> tuple[str, int | None, bool]:
    """Status, owner and openness of a proposal ``actor`` may see; a private one reads as
    missing (the same words as a number that does not exist)."""
    row = cursor.execute(
        "SELECT status, owner_id, coalesce(open_for_feedback, false) FROM initiatives WHERE id = ?",
        [proposal_id],
    ).fetchone()
    status, owner_id, feedback_open = (
        (str(row[0]), (int(row[1]) if row[1] is not None else None), bool(row[2]))
        if row
        else ("", None, False)
    )
    if row is None or not may_see(
        actor, status, owner_id, feedback_open, initiative_area_ids(cursor, proposal_id)
    ):
        raise NotFound(
            t("there is no proposal number {number} that you can see", number=proposal_id)
        )
    return status, owner_id, feedback_open


def _open_draft(status: str, feedback_open: bool) -> bool:
    return status == "draft" and feedback_open


@rereads_actor
def support(store: Store, actor: Actor, proposal_id: int, now: datetime) -> None:
    """Add the actor's support (once per person; supporting twice changes nothing)."""
    require(actor, "give_feedback")
    with store.write() as cursor:
        refusal = _support_refusal(cursor, actor, proposal_id)
        if refusal is not None:
            raise refusal
        cursor.execute(
            "INSERT INTO supports (initiative_id, user_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [proposal_id, actor.user_id, now],
        )
        follow_automatically(cursor, [actor.user_id], "initiative", proposal_id, now)


def may_support(store: Store, actor: Actor, proposal_id: int) -> bool:
    """Whether to offer "Support this proposal" to ``actor`` (``support`` checks again)."""
    if not allowed(actor, "give_feedback"):
        return False
    return _support_refusal(store.cursor(), actor, proposal_id) is None


def _support_refusal(cursor: Any, actor: Actor, proposal_id: int) -> SafePlayError | None:
    """Why ``actor`` may not support the proposal, or None. Supports are residents' voice: the
    proposer's own would be no news, and an officer who decides it must not weigh in first."""
    status, owner_id, feedback_open = _proposal(cursor, actor, proposal_id)
    if status not in SUPPORTABLE and not _open_draft(status, feedback_open):
        return IllegalTransition(t("this proposal is not open for support"))
    if owns(actor, owner_id):
        return PermissionDenied(t("you proposed this; supports come from other people"))
    if allowed(actor, "review_proposals", initiative_area_ids(cursor, proposal_id)):
        return PermissionDenied(t("you review this proposal; supports come from residents"))
    return None


@rereads_actor
def withdraw_support(store: Store, actor: Actor, proposal_id: int) -> None:
    require(actor, "give_feedback")
    with store.write() as cursor:
        cursor.execute(
            "DELETE FROM supports WHERE initiative_id = ? AND user_id = ?",
            [proposal_id, actor.user_id],
        )


def has_supported(store: Store, actor: Actor, proposal_id: int) -> bool:
    return bool(
        store.value(
            "SELECT count(*) FROM supports WHERE initiative_id = ? AND user_id = ?",
            [proposal_id, actor.user_id],
            default=0,
        )
    )


@rereads_actor
def add_comment(
    store: Store,
    actor: Actor,
    proposal_id: int,
    body: str,
    now: datetime,
    reply_to: int | None = None,
) -> tuple[int, str]:
    """Store a comment (or the proposer's answer to one); return its id and state."""
    require(actor, "give_feedback")
    text = body.strip()
    if not text:
        raise InvalidInput(t("write something before sending a comment"))
    if len(text) > MAX_COMMENT:
        raise InvalidInput(
            t(
                "the comment is {count} characters; keep it under {limit}",
                count=number(len(text)),
                limit=number(MAX_COMMENT),
            )
        )
    with store.write() as cursor:
        status, owner_id, feedback_open = _proposal(cursor, actor, proposal_id)
        if status not in COMMENTABLE and not _open_draft(status, feedback_open):
            raise IllegalTransition(
                t("comments are open only while a proposal is under discussion")
            )
        if reply_to is not None:
            _check_reply(cursor, actor, proposal_id, owner_id, reply_to)
        state = "published" if _trusted(cursor, actor, now) else "pending"
        comment_id = next_id(cursor, "comment_ids")
        cursor.execute(
            "INSERT INTO comments (id, initiative_id, reply_to, author_id, author_name, body, "
            "state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                comment_id,
                proposal_id,
                reply_to,
                actor.user_id,
                actor.display_name,
                text,
                state,
                now,
            ],
        )
        _log(cursor, comment_id, None, state, "SafePlay", _why_new(state), now)
        if state == "published":
            _tell_published(cursor, comment_id, now, actor)
    return comment_id, state


def _tell_published(cursor: Any, comment_id: int, now: datetime, actor: Actor) -> None:
    """Inside the write that published a comment (at once, or by a moderator): the
    proposer and its partners' members hear of a new comment, the author of the comment it
    answers hears of the answer. Never its text: a comment may be a young person's words.
    Once per comment and person, however often it is hidden and published again."""
    proposal_id, reply_to, author_id, author_name = cursor.execute(
        "SELECT initiative_id, reply_to, author_id, author_name FROM comments WHERE id = ?",
        [comment_id],
    ).fetchone()
    title = initiative_title(cursor, proposal_id)
    once = f"comment:{comment_id}"
    answered: set[int] = set()
    if reply_to is not None:
        parent = cursor.execute(
            "SELECT author_id FROM comments WHERE id = ?", [reply_to]
        ).fetchone()
        answered = {parent[0]} if parent and parent[0] is not None else set()
        notify(
            cursor,
            answered,
            "reply",
            lambda: t("An answer to your comment on {title}", title=title),
            lambda: t(
                "{author} answered your comment on “{title}”. Open the proposal to read it.",
                author=author_name,
                title=title,
            ),
            now,
            link=initiative_link(proposal_id),
            initiative_id=proposal_id,
            skip=[author_id, actor.user_id],
            dedupe_key=once,
        )
    tell_initiative(
        cursor,
        proposal_id,
        "comment",
        lambda: t("A new comment on {title}", title=title),
        lambda: t(
            "{author} commented on “{title}”. Open the proposal to read it.",
            author=author_name,
            title=title,
        ),
        now,
        skip=[author_id, actor.user_id, *answered],
        with_followers=False,
        dedupe_key=once,
    )


def _check_reply(
    cursor: Any, actor: Actor, proposal_id: int, owner_id: int | None, reply_to: int
) -> None:
    if not may_answer(actor, owner_id, initiative_area_ids(cursor, proposal_id)):
        raise PermissionDenied(
            t("only the proposer, or a council officer for its wards, can answer a comment")
        )
    row = cursor.execute(
        "SELECT initiative_id FROM comments WHERE id = ? AND state = 'published'", [reply_to]
    ).fetchone()
    if row is None or int(row[0]) != proposal_id:
        raise NotFound(t("that comment is not on this proposal, or is not published"))


def _trusted(cursor: Any, actor: Actor, now: datetime) -> bool:
    """Council and admin accounts, and accounts a week old with a comment already published."""
    if allowed(actor, "moderate_comments"):
        return True
    row = cursor.execute(
        "SELECT u.created_at, (SELECT count(*) FROM comments c WHERE c.author_id = u.id "
        "AND c.state = 'published') FROM users u WHERE u.id = ?",
        [actor.user_id],
    ).fetchone()
    return row is not None and now - row[0] >= TRUSTED_AFTER and row[1] > 0


def _why_new(state: str) -> str:
    if state == "pending":
        return "Held for moderation: new account or first comment."
    return "Published: established account."


def _log(
    cursor: Any,
    comment_id: int,
    from_state: str | None,
    to_state: str,
    who: str,
    reason: str | None,
    now: datetime,
) -> None:
    cursor.execute(
        "INSERT INTO comment_changes (comment_id, from_state, to_state, actor, reason, "
        "changed_at) VALUES (?, ?, ?, ?, ?, ?)",
        [comment_id, from_state, to_state, who, reason, now],
    )


@rereads_actor
def flag_comment(
    store: Store, actor: Actor, comment_id: int, now: datetime, client: Client | None = None
) -> bool:
    """Flag a published comment; return True when this flag hid it for a moderator."""
    require(actor, "give_feedback")
    with attempt(store, client, "flag", now), store.write() as cursor:
        row = cursor.execute(
            "SELECT state, author_id FROM comments WHERE id = ?", [comment_id]
        ).fetchone()
        if row is None or row[0] != "published":
            raise NotFound(t("that comment is not published (it may already be hidden)"))
        if row[1] == actor.user_id:
            raise PermissionDenied(t("you cannot flag your own comment"))
        cursor.execute(
            "INSERT INTO comment_flags (comment_id, user_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [comment_id, actor.user_id, now],
        )
        flags = cursor.execute(
            f"SELECT {COUNTED_FLAGS} FROM comments c WHERE c.id = $comment",  # noqa: S608 - constant
            {"comment": comment_id, "flagger_days": FLAGGER_MIN_AGE_DAYS},
        ).fetchone()[0]
        if flags < FLAGS_TO_HIDE:
            return False
        cursor.execute("UPDATE comments SET state = 'flagged' WHERE id = ?", [comment_id])
        _log(
            cursor,
            comment_id,
            "published",
            "flagged",
            "SafePlay",
            f"Hidden after {flags} people flagged it; waiting for a moderator.",
            now,
        )
        return True


# Publishing answers the flags given so far: they stay (one per person), but only flags
# given after the change count (see COUNTED_FLAGS).
COMMENTS = Moderated(
    noun="comment",
    table="comments",
    state_column="state",
    action="moderate_comments",
    transitions=frozenset(
        (before, after)
        for before in COMMENT_STATES
        for after in ("published", "hidden")
        if before != after
    ),
    unknown_decision=N_("a moderator can publish or hide a comment"),
    illegal=lambda _before, after: (  # a decision to the state it is in already
        t("the comment is already published")
        if after == "published"
        else t("the comment is already hidden")
    ),
    ward_column="initiative_id",
    wards=initiative_area_ids,
    clean=lambda decision, reason: clean_reason(
        reason,
        required=decision == "hidden",
        missing=t("write a reason for hiding the comment: its author will read it"),
    ),
    audit=_log,
    announce=lambda cursor, comment_id, _before, after, _reason, actor, now: (
        _tell_published(cursor, comment_id, now, actor) if after == "published" else None
    ),
)


@rereads_actor
def moderate(
    store: Store, actor: Actor, comment_id: int, decision: str, reason: str | None, now: datetime
) -> None:
    """Publish or hide a held or flagged comment; hiding needs a reason the author sees."""
    decide(store, actor, COMMENTS, comment_id, decision, reason, now)


def comments_for(store: Store, actor: Actor, proposal_id: int) -> pd.DataFrame:
    """Comments in order: published ones for everyone, the author's own held ones for them,
    and every comment with its state for moderators. ``badge`` is the author's staff role
    as people read it ("Council officer"), or "" for everyone else (by their role now)."""
    moderator = allowed(
        actor, "moderate_comments", initiative_area_ids(store.cursor(), proposal_id)
    )
    thread = store.frame(
        "SELECT c.id, c.reply_to, c.author_name, c.body, c.state, c.created_at, "  # noqa: S608 - COUNTED_FLAGS is a constant
        "coalesce(c.author_id = i.owner_id, false) AS by_proposer, "
        "coalesce(c.author_id = $me, false) AS mine, "
        "(SELECT u.role FROM users u WHERE u.id = c.author_id) AS author_role, "
        f"{COUNTED_FLAGS} AS flags, "
        "(SELECT x.reason FROM comment_changes x WHERE x.comment_id = c.id "
        " ORDER BY x.changed_at DESC, x.id DESC LIMIT 1) AS state_reason "
        "FROM comments c JOIN initiatives i ON i.id = c.initiative_id "
        "WHERE c.initiative_id = $proposal "
        "AND (c.state = 'published' OR $moderator OR c.author_id = $me) "
        "ORDER BY coalesce(c.reply_to, c.id), c.reply_to NULLS FIRST, c.created_at, c.id",
        {
            "proposal": proposal_id,
            "moderator": moderator,
            "me": actor.user_id,
            "flagger_days": FLAGGER_MIN_AGE_DAYS,
        },
    )
    thread["badge"] = [ROLE_BADGES.get(role, "") for role in thread.pop("author_role")]
    return thread


def moderation_queue(store: Store, actor: Actor) -> pd.DataFrame:
    """Held and flagged comments in the moderator's wards, oldest first."""
    in_scope, params = scope(actor, "moderate_comments").initiative_sql("c.initiative_id")
    return store.frame(
        "SELECT c.id, c.initiative_id, i.title, c.author_name, c.body, c.state, "  # noqa: S608 - COUNTED_FLAGS is a constant
        f"c.created_at, {COUNTED_FLAGS} "
        "AS flags FROM comments c JOIN initiatives i ON i.id = c.initiative_id "
        f"WHERE c.state IN ('pending', 'flagged') AND {in_scope} "
        "ORDER BY c.created_at, c.id",
        {**params, "flagger_days": FLAGGER_MIN_AGE_DAYS},
    )
