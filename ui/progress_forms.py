"""The forms a leader, partner member or council officer uses to report on an initiative."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import progress, recognition
from geo.db import Store
from geo.permissions import Actor
from ui.common import user_errors
from ui.session import utc_now


def reporting_forms(db: Store, actor: Actor, initiative_id: int, steps: pd.DataFrame) -> None:
    """Check-in, milestones (add, complete, reorder) and thanks, each saved on its own."""
    with (
        st.expander("Post a check-in", expanded=True),
        st.form(f"checkin_{initiative_id}", clear_on_submit=True),
    ):
        happened = st.text_area("What happened since the last check-in", max_chars=1000)
        blocked = st.text_area("What is blocked (optional)", max_chars=1000)
        next_step = st.text_input("Next step (optional)", max_chars=1000)
        stated = st.checkbox("Set progress explicitly (otherwise: milestones done)")
        percent = st.slider("Progress %", 0, 100, 0)
        if st.form_submit_button("Post check-in", type="primary"):
            with user_errors():
                progress.post_checkin(
                    db, actor, initiative_id, happened, utc_now(),
                    progress=percent if stated else None, blocked=blocked,
                    next_step=next_step,
                )  # fmt: skip
                st.session_state["progress_notice"] = "Check-in posted."
                st.rerun()
    with st.expander("Milestones"):
        with st.form(f"milestone_{initiative_id}", clear_on_submit=True):
            title = st.text_input("New milestone", max_chars=200)
            owner = st.text_input("Owner (a partner or a person)", max_chars=200)
            due = st.date_input("Due", value=None)
            if st.form_submit_button("Add milestone"):
                with user_errors():
                    progress.add_milestone(db, actor, initiative_id, title, owner, due, utc_now())
                    st.rerun()
        for step in steps.itertuples():
            columns = st.columns([4, 1, 1, 2])
            columns[0].text(step.title)
            with user_errors():
                if columns[1].button("↑", key=f"up_{step.id}"):
                    progress.move_milestone(db, actor, int(step.id), -1)
                    st.rerun()
                if columns[2].button("↓", key=f"down_{step.id}"):
                    progress.move_milestone(db, actor, int(step.id), 1)
                    st.rerun()
                if pd.isna(step.done_at):
                    with columns[3].popover("Mark done"):
                        note = st.text_input("Note", key=f"note_{step.id}")
                        if st.button("Done", key=f"done_{step.id}"):
                            progress.complete_milestone(db, actor, int(step.id), note, utc_now())
                            st.rerun()
    with st.expander("Check-in cadence and thanks"):
        days = st.number_input("Check in every (days)", 1, 120, progress.DEFAULT_CADENCE_DAYS)
        if st.button("Save cadence"):
            with user_errors():
                progress.set_cadence(db, actor, initiative_id, int(days))
                st.success("Saved.")
        with st.form(f"thanks_{initiative_id}", clear_on_submit=True):
            name = st.text_input("Thank someone by name", max_chars=80)
            contribution = st.text_input("For what", max_chars=200)
            adult = st.checkbox("They are an adult (never name a child)")
            agreed = st.checkbox("They agreed to be named in public")
            if st.form_submit_button("Add to the thank-you roll"):
                with user_errors():
                    recognition.thank(db, actor, initiative_id, name, contribution, adult,
                                      agreed, utc_now())  # fmt: skip
                    st.rerun()
        for entry in recognition.thanks_entries(db, initiative_id).itertuples():
            if entry.shown and st.button(f"Remove {entry.name}", key=f"revoke_{entry.id}"):
                with user_errors():
                    recognition.revoke_thanks(db, actor, int(entry.id), utc_now())
                    st.rerun()
    notice = st.session_state.pop("progress_notice", None)
    if notice:
        st.success(notice)
