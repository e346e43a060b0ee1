"""The forms a leader, partner member or council officer uses to report on an initiative."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.accountability import progress, recognition
from geo.escape import for_markdown
from geo.i18n import t
from geo.permissions import Actor
from geo.storage.db import Store
from ui.common import user_errors
from ui.forms import OnceForm, section
from ui.session import utc_now


def reporting_forms(db: Store, actor: Actor, initiative_id: int, steps: pd.DataFrame) -> None:
    """Check-in, milestones (add, complete, reorder) and thanks, each saved on its own and
    confirmed next to its button."""
    checkin = OnceForm(f"checkin_{initiative_id}")
    with st.expander(t("Post a check-in"), expanded=True):
        with st.form(checkin.key("form")):
            happened = st.text_area(
                t("What happened since the last check-in"),
                max_chars=1000,
                key=checkin.key("happened"),
            )
            blocked = st.text_area(
                t("What is blocked (optional)"), max_chars=1000, key=checkin.key("blocked")
            )
            next_step = st.text_input(
                t("Next step (optional)"), max_chars=1000, key=checkin.key("next")
            )
            stated = st.checkbox(
                t("Set progress explicitly (otherwise: milestones done)"), key=checkin.key("stated")
            )
            percent = st.slider(t("Progress %"), 0, 100, 0, key=checkin.key("percent"))
            if st.form_submit_button(t("Post check-in"), type="primary"):
                with user_errors():
                    progress.post_checkin(
                        db,
                        actor,
                        initiative_id,
                        happened,
                        utc_now(),
                        progress=percent if stated else None,
                        blocked=blocked,
                        next_step=next_step,
                        token=checkin.token,
                    )
                    checkin.done(t("Check-in posted."))
        checkin.notice()
    _milestones(db, actor, initiative_id, steps)
    _cadence_and_thanks(db, actor, initiative_id)


def _milestones(db: Store, actor: Actor, initiative_id: int, steps: pd.DataFrame) -> None:
    """Add, reorder and complete milestones; the section stays open after each of them."""
    adding = OnceForm(f"milestone_{initiative_id}")
    changing = OnceForm(f"milestone_steps_{initiative_id}")
    with section(t("Milestones"), f"milestones_open_{initiative_id}", adding, changing):
        with st.form(adding.key("form")):
            title = st.text_input(t("New milestone"), max_chars=200, key=adding.key("title"))
            owner = st.text_input(
                t("Owner (a partner or a person)"), max_chars=200, key=adding.key("owner")
            )
            due = st.date_input(t("Due"), value=None, key=adding.key("due"))
            if st.form_submit_button(t("Add milestone")):
                with user_errors():
                    progress.add_milestone(
                        db,
                        actor,
                        initiative_id,
                        title,
                        owner,
                        due,
                        utc_now(),
                        token=adding.token,
                    )
                    adding.done(t("Milestone added: {title}.", title=for_markdown(title)))
        adding.notice()
        for step in steps.itertuples():
            columns = st.columns([4, 1, 1, 2])
            columns[0].text(step.title)
            with user_errors():
                if columns[1].button("↑", key=f"up_{step.id}"):
                    progress.move_milestone(db, actor, int(step.id), -1)
                    changing.done(t("Moved up: {title}.", title=for_markdown(step.title)))
                if columns[2].button("↓", key=f"down_{step.id}"):
                    progress.move_milestone(db, actor, int(step.id), 1)
                    changing.done(t("Moved down: {title}.", title=for_markdown(step.title)))
                if pd.isna(step.done_at):
                    with columns[3].popover(t("Mark done")):
                        note = st.text_input(t("Note"), key=changing.key(f"note_{step.id}"))
                        if st.button(t("Done"), key=changing.key(f"done_{step.id}")):
                            progress.complete_milestone(db, actor, int(step.id), note, utc_now())
                            changing.done(
                                t("Marked done: {title}.", title=for_markdown(step.title))
                            )
        changing.notice()


def _cadence_and_thanks(db: Store, actor: Actor, initiative_id: int) -> None:
    thanks = OnceForm(f"thanks_{initiative_id}")
    with section(t("Check-in cadence and thanks"), f"thanks_open_{initiative_id}", thanks):
        days = st.number_input(t("Check in every (days)"), 1, 120, progress.DEFAULT_CADENCE_DAYS)
        if st.button(t("Save cadence")):
            with user_errors():
                progress.set_cadence(db, actor, initiative_id, int(days))
                st.success(t("Saved."))
        with st.form(thanks.key("form")):
            name = st.text_input(t("Thank someone by name"), max_chars=80, key=thanks.key("name"))
            contribution = st.text_input(t("For what"), max_chars=200, key=thanks.key("what"))
            adult = st.checkbox(
                t("They are an adult (never name a child)"), key=thanks.key("adult")
            )
            agreed = st.checkbox(t("They agreed to be named in public"), key=thanks.key("agreed"))
            if st.form_submit_button(t("Add to the thank-you roll")):
                with user_errors():
                    recognition.thank(
                        db,
                        actor,
                        initiative_id,
                        name,
                        contribution,
                        adult,
                        agreed,
                        utc_now(),
                        token=thanks.token,
                    )
                    thanks.done(t("Added to the thank-you roll: {name}.", name=for_markdown(name)))
        for entry in recognition.thanks_entries(db, initiative_id).itertuples():
            if entry.shown and st.button(
                t("Remove {name}", name=for_markdown(entry.name)), key=f"revoke_{entry.id}"
            ):
                with user_errors():
                    recognition.revoke_thanks(db, actor, int(entry.id), utc_now())
                    thanks.done(
                        t("Removed from the thank-you roll: {name}.", name=for_markdown(entry.name))
                    )
        thanks.notice()
