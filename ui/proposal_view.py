"""How a proposal is shown wherever it appears: its map, facts, checks, timeline, feedback.

The Proposals, My proposals and Review pages show the same proposal the same way; writing
it once keeps them in step and keeps every user string behind the escaping helpers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import i18n
from geo.escape import for_markdown
from geo.i18n import t, tn
from geo.ids import parse_id
from geo.mapping import explore, facts, maps
from geo.notify import follows
from geo.permissions import Actor, allowed
from geo.proposals import feedback, lifecycle, reading
from geo.proposals.checks import ProposalChecks
from geo.storage.db import Store
from geo.vocabulary import INITIATIVE_KINDS, INITIATIVE_STATUSES, PUBLIC_STATUSES, label
from geo.wording import area_text, number, present, reason, text
from ui import links
from ui.client import current_client
from ui.common import facts_table, store, text_table, user_errors
from ui.follow_button import follow_button
from ui.notices import Notice
from ui.session import utc_now
from ui.skip_links import map_skipped

# A comment sent or flagged, confirmed under the comment form after the rerun.
_COMMENTED = Notice("comment")


def proposal_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A list of proposals as people read it (shown as text by the grid, never as HTML).

    What a reader sorts and decides by comes first — status, days waiting, the council's
    latest word — so it is on screen even where the grid is narrower than the table."""
    table = pd.DataFrame(
        {
            t("No."): frame["id"],
            t("Title"): frame["title"],
            t("Status"): [label(INITIATIVE_STATUSES, s) for s in frame["status"]],
        }
    )
    if "days_waiting" in frame:
        table[t("Days waiting")] = [number(d) for d in frame["days_waiting"]]
    if "latest_reason" in frame:
        table[t("Latest word")] = [reason(r) for r in frame["latest_reason"]]
    table[t("Ward")] = [text(w, t(facts.OUTSIDE_WARDS)) for w in frame["wards"]]
    table[t("Kind")] = [label(INITIATIVE_KINDS, k) for k in frame["kind"]]
    table[t("Supporters")] = [number(n) for n in frame["supports"]]
    table[t("Comments")] = [number(n) for n in frame["comments"]]
    return table


def pick_proposal(frame: pd.DataFrame, key: str, label_text: str) -> int | None:
    """A select box over ``frame``; ``?id=N`` in the address preselects proposal N."""
    ids = [int(i) for i in frame["id"]]
    titles = dict(zip(ids, frame["title"], strict=True))
    wanted = parse_id(st.query_params.get("id"))
    if wanted in titles and key not in st.session_state:
        st.session_state[key] = wanted
    chosen = st.selectbox(
        for_markdown(label_text),
        ids,
        format_func=lambda i: f"{i} · {titles[i]}",
        index=None,
        key=key,
        placeholder=t("Choose a proposal"),
    )
    if chosen is not None:
        st.query_params["id"] = str(chosen)
    return chosen


def show_map(geometry: Any, title: str, status: str, key: str) -> None:
    """The proposal framed with its surroundings: the ward lines and the play areas near
    it, so a reader sees where it is and what it sits next to, not a shape on blank grey."""
    around = explore.surroundings(store(), geometry)
    legend = [
        maps.WARD_ENTRY,
        *maps.place_entries(explore.kinds_shown(around.places)),
        maps.LegendEntry("fill", maps.proposal_colour(status), t("This proposal")),
    ]
    with map_skipped(key):
        st_folium(
            maps.add_legend(maps.base_map(maps.framing(geometry)), legend),
            key=key,
            height=360,
            use_container_width=True,
            feature_group_to_add=[
                maps.ward_layer(around.wards),
                maps.place_layer(around.places),
                maps.proposal_layer(geometry, title, status),
            ],
            returned_objects=[],
        )


def show_proposal(db: Store, actor: Actor, proposal: dict[str, Any], key: str) -> None:
    """Title, status, the support button, map, facts and the timeline of decisions with
    their reasons (in full)."""
    st.markdown(f"## {for_markdown(proposal['title'])}")
    status = label(INITIATIVE_STATUSES, proposal["status"])
    if proposal["status"] == "draft" and proposal.get("open_for_feedback") is True:
        status = t("{status} (open for feedback)", status=status)
    st.markdown(
        f"**{for_markdown(status)}** · "
        + for_markdown(maps.feedback_words(proposal["supports"], proposal["comments"]))
    )
    _support_button(db, actor, int(proposal["id"]))
    follow_button(
        db,
        actor,
        "initiative",
        int(proposal["id"]),
        t("this proposal"),
        f"/proposals?id={int(proposal['id'])}",
    )
    if present(proposal.get("latest_reason")) and proposal["status"] in lifecycle.DECISIONS:
        st.info(for_markdown(t("Council's reason: {reason}", reason=proposal["latest_reason"])))
    map_column, facts_column = st.columns([3, 2])
    with map_column:
        show_map(proposal["geometry"], proposal["title"], proposal["status"], f"{key}_map")
    with facts_column:
        st.markdown(for_markdown(proposal["summary"]))
        facts_table(facts.initiative_facts(proposal))
    st.caption(t("Timeline"))
    text_table(facts.timeline_table(proposal["timeline"]))
    if proposal["status"] in PUBLIC_STATUSES:
        feed = links.feed(t("Atom feed"), "initiative", int(proposal["id"]))
        st.caption(t("Follow its news in a feed reader: {link}", link=feed))


def _support_button(db: Store, actor: Actor, proposal_id: int) -> None:
    """Support (or withdraw it) beside the title, for those whose support counts: not the
    proposer, not a council officer who decides the proposal (the core refuses them too).

    Supporting follows the proposal unless one stopped following it, so the Follow button
    beside it changes too: the confirmation says why, and that withdrawing keeps the follow.
    """
    done = Notice(f"support_{proposal_id}")

    def tell(said: str, if_following: str) -> None:
        following = follows.is_following(db, actor, "initiative", proposal_id)
        done.rerun_with(f"{said} {if_following}" if following else said)

    with user_errors():
        if feedback.has_supported(db, actor, proposal_id):
            if st.button(t("Withdraw my support"), key=f"unsupport_{proposal_id}"):
                feedback.withdraw_support(db, actor, proposal_id)
                tell(
                    t("Your support is withdrawn."),
                    t("You still follow this proposal; Following ✓ — stop ends that."),
                )
        elif feedback.may_support(db, actor, proposal_id) and st.button(
            "👍 " + t("Support this proposal"), key=f"support_{proposal_id}"
        ):
            feedback.support(db, actor, proposal_id, utc_now())
            tell(
                t("Thank you: your support is counted."),
                t("You follow this proposal, so its news arrives in your Inbox."),
            )
    done.show()


def show_checks(checks: ProposalChecks) -> None:
    """The spatial checks beside the map: what blocks submitting, what to look at, sizes."""
    if checks.geometry is None and not checks.problems:
        st.info(t("Draw the proposal on the map to see the checks."))
        return
    for problem in checks.problems:
        st.error(for_markdown(problem))
    for note in checks.notes:
        st.warning(for_markdown(note))
    if checks.ok and checks.notes:
        st.info(
            tn(
                "Nothing stops you submitting, but look at the warning above first.",
                "Nothing stops you submitting, but look at the {n} warnings above first.",
                len(checks.notes),
            )
        )
    elif checks.ok:
        st.success(t("The drawing passes every check."))
    sizes = checks.sizes
    measured = []
    if "area_m2" in sizes:
        measured.append((t("Area"), area_text(sizes["area_m2"])))
        measured.append((t("Perimeter"), f"{i18n.number(sizes['perimeter_m'], 0)} m"))
    if "length_m" in sizes:
        measured.append((t("Length"), f"{i18n.number(sizes['length_m'], 0)} m"))
    if checks.geometry is not None:
        measured.append((t("Ward"), ", ".join(checks.wards) or t(facts.OUTSIDE_WARDS)))
        facts_table(measured)
    if checks.nearby:
        st.markdown(t("**Similar things nearby** (is this a duplicate?)"))
        for near in checks.nearby:
            link = (
                f"/?place={int(near.id)}"
                if near.kind == "place"
                else f"/proposals?id={int(near.id)}"
            )
            overlap = " — **" + for_markdown(t("overlaps")) + "**" if near.overlaps else ""
            st.markdown(
                f"- [{for_markdown(near.name)}]({link}) · {for_markdown(near.detail)} · "
                f"{i18n.number(near.distance_m, 0)} m{overlap}"
            )
    elif checks.geometry is not None:
        st.caption(t("Nothing similar nearby."))


def show_versions(proposal: dict[str, Any]) -> None:
    """What changed between the last two submitted versions (what the reviewer asked for)."""
    versions = proposal["versions"]
    if len(versions) < 2:
        st.caption(
            tn(
                "{n} submitted version; nothing to compare yet.",
                "{n} submitted versions; nothing to compare yet.",
                len(versions),
            )
        )
        return
    before, after = versions[-2], versions[-1]
    said = t(
        "Changes from version {before} to version {after}",
        before=int(before["version"]),
        after=int(after["version"]),
    )
    st.markdown(f"**{for_markdown(said)}**")
    changes = reading.differences(before, after)
    if not changes:
        st.caption(t("The proposer resubmitted without changes."))
        return
    st.dataframe(
        pd.DataFrame(changes, columns=[t("What"), t("Before"), t("After")]),
        hide_index=True,
        width="stretch",
    )


def show_feedback(db: Store, actor: Actor, proposal: dict[str, Any]) -> None:
    """The comment thread and the actions this person may take on it."""
    proposal_id = int(proposal["id"])
    signed_in = allowed(actor, "give_feedback")
    now = utc_now()
    st.markdown("### " + t("Comments"))
    thread = feedback.comments_for(db, actor, proposal_id)
    if thread.empty:
        st.caption(t("No comments yet."))
    for comment in thread.itertuples():
        _show_comment(db, actor, proposal, comment)
    if not signed_in:
        st.caption(t("Sign in to support or comment."))
        return
    with st.form(f"comment_{proposal_id}", clear_on_submit=True):
        body = st.text_area(
            t("Your comment"),
            max_chars=feedback.MAX_COMMENT,
            help=t("Comments from new accounts are read by a moderator before they appear."),
        )
        if st.form_submit_button(t("Send comment")):
            with user_errors():
                _, state = feedback.add_comment(db, actor, proposal_id, body, now)
                _COMMENTED.rerun_with(
                    t("Thank you. A moderator will read your comment before it appears.")
                    if state == "pending"
                    else t("Your comment is published.")
                )
    _COMMENTED.show()


def _show_comment(db: Store, actor: Actor, proposal: dict[str, Any], comment: Any) -> None:
    indent = "↳ " if pd.notna(comment.reply_to) else ""
    who = for_markdown(comment.author_name)
    if comment.by_proposer:
        who += " " + for_markdown(t("(proposer)"))
    if comment.badge:  # our own words; a resident's name cannot carry them
        who += f" :blue-badge[{for_markdown(comment.badge)}]"
    with st.container(border=True):
        st.markdown(
            f"{indent}**{who}** · {for_markdown(i18n.date(pd.Timestamp(comment.created_at)))}"
        )
        st.text(comment.body)
        if comment.state != "published":
            st.caption(
                f"{feedback.COMMENT_STATES[comment.state]}"
                + (
                    f": {for_markdown(text(comment.state_reason))}"
                    if comment.state == "hidden"
                    else ""
                )
            )
            return
        if not allowed(actor, "give_feedback"):
            return
        columns = st.columns(2)
        with user_errors():
            if not comment.mine and columns[0].button(
                t("Flag as inappropriate"), key=f"flag_{comment.id}"
            ):
                feedback.flag_comment(
                    db, actor, int(comment.id), utc_now(), client=current_client()
                )
                _COMMENTED.rerun_with(t("Thank you: a moderator will look at it."))
        if proposal["may_answer"] and pd.isna(comment.reply_to):
            with columns[1].popover(t("Answer")):
                answer = st.text_area(t("Your answer"), key=f"answer_text_{comment.id}")
                if st.button(t("Send answer"), key=f"answer_{comment.id}"):
                    with user_errors():
                        feedback.add_comment(
                            db,
                            actor,
                            int(proposal["id"]),
                            answer,
                            utc_now(),
                            reply_to=int(comment.id),
                        )
                        st.rerun()
