"""Moderation: held and flagged comments, published or hidden with a reason."""

import streamlit as st

from geo.escape import for_markdown
from geo.proposals import feedback
from geo.safeguarding import redaction, voices
from geo.wording import count, text
from ui.common import store, user_errors
from ui.notices import Notice
from ui.session import allowed_or_stop, utc_now

st.title("Moderation")
actor = allowed_or_stop("moderate_comments")
db = store()
notice = Notice("moderation")
notice.show()
st.caption(
    "Comments from new accounts wait here before anyone else sees them, and so do comments "
    f"that {feedback.FLAGS_TO_HIDE} people flagged. Hiding needs a reason; the author sees it."
)
queue = feedback.moderation_queue(db, actor)
st.metric("Waiting", len(queue))
if queue.empty:
    st.info("No comments wait for moderation. Held and flagged comments arrive here.")
for item in queue.itertuples():
    with st.container(border=True):
        st.markdown(
            f"**{for_markdown(item.author_name)}** on "
            f"[{for_markdown(item.title)}](/proposals?id={int(item.initiative_id)}) · "
            f"{feedback.COMMENT_STATES[item.state]} · {count(item.flags, 'flag')}"
        )
        st.text(item.body)
        publish_column, hide_column = st.columns([1, 3])
        reason = hide_column.text_input("Reason for hiding", key=f"reason_{item.id}")
        with user_errors():
            if publish_column.button("Publish", key=f"publish_{item.id}"):
                feedback.moderate(db, actor, int(item.id), "published", None, utc_now())
                notice.rerun_with("Published.")
            if hide_column.button("Hide", key=f"hide_{item.id}"):
                feedback.moderate(db, actor, int(item.id), "hidden", reason, utc_now())
                notice.rerun_with("Hidden; the author sees your reason.")

st.header("Voices")
st.caption(
    "Anonymous ideas and worries, children's included. Personal data found was removed "
    "before storing; the original is shown here only until you decide, then deleted."
)
waiting = voices.voice_queue(db, actor)
st.metric("Voices waiting", len(waiting))
if waiting.empty:
    st.info("No voices wait for moderation. New ones from “Have your say” arrive here.")
for item in waiting.itertuples():
    with st.container(border=True):
        who = voices.AGE_BANDS.get(text(item.age_band), "Age not stated")
        where = for_markdown(text(item.ward, "No ward: sent without a place on the map"))
        st.markdown(f"**{for_markdown(text(item.theme, 'No theme'))}** · {who} · {where}")
        st.text(item.text)
        if len(item.redactions):
            st.caption("Removed: " + "; ".join(for_markdown(found) for found in item.redactions))
        for leftover in redaction.leftovers(item.text):
            st.warning("Check before publishing: " + for_markdown(leftover))
        edited = st.text_area(
            "Edit before publishing (optional)", value=item.text, key=f"voice_edit_{item.id}"
        )
        publish_column, hide_column = st.columns([1, 3])
        reason = hide_column.text_input("Reason for hiding", key=f"voice_reason_{item.id}")
        with user_errors():
            if publish_column.button("Publish", key=f"voice_publish_{item.id}"):
                voices.moderate_voice(
                    db,
                    actor,
                    int(item.id),
                    "published",
                    None,
                    utc_now(),
                    edited_text=edited if edited != item.text else None,
                )
                notice.rerun_with("Voice published.")
            if hide_column.button("Hide", key=f"voice_hide_{item.id}"):
                voices.moderate_voice(db, actor, int(item.id), "hidden", reason, utc_now())
                notice.rerun_with("Voice hidden.")
