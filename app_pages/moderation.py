"""Moderation: held and flagged comments, published or hidden with a reason."""

import streamlit as st

from geo.escape import for_markdown
from geo.i18n import t, tn
from geo.proposals import feedback
from geo.safeguarding import redaction, voices
from geo.wording import number, text
from ui.common import store, user_errors
from ui.notices import Notice
from ui.session import allowed_or_stop, utc_now

st.title(t("Moderation"))
actor = allowed_or_stop("moderate_comments")
db = store()
notice = Notice("moderation")
notice.show()
st.caption(
    tn(
        "Comments from new accounts wait here before anyone else sees them, and so do "
        "comments that {n} person flagged. Hiding needs a reason; the author sees it.",
        "Comments from new accounts wait here before anyone else sees them, and so do "
        "comments that {n} people flagged. Hiding needs a reason; the author sees it.",
        feedback.FLAGS_TO_HIDE,
    )
)
queue = feedback.moderation_queue(db, actor)
st.metric(t("Waiting"), len(queue))
if queue.empty:
    st.info(t("No comments wait for moderation. Held and flagged comments arrive here."))
for item in queue.itertuples():
    with st.container(border=True):
        # The sentence is translated with its marks, then the values are escaped into it.
        flags = tn("{n} flag", "{n} flags", number(item.flags))
        st.markdown(
            t(
                "**{author}** on [{title}]({link}) · {state} · {flags}",
                author=for_markdown(item.author_name),
                title=for_markdown(item.title),
                link=f"/proposals?id={int(item.initiative_id)}",
                state=for_markdown(feedback.COMMENT_STATES[item.state]),
                flags=for_markdown(flags),
            )
        )
        st.text(item.body)
        publish_column, hide_column = st.columns([1, 3])
        reason = hide_column.text_input(t("Reason for hiding"), key=f"reason_{item.id}")
        with user_errors():
            if publish_column.button(t("Publish"), key=f"publish_{item.id}"):
                feedback.moderate(db, actor, int(item.id), "published", None, utc_now())
                notice.rerun_with(t("Published."))
            if hide_column.button(t("Hide"), key=f"hide_{item.id}"):
                feedback.moderate(db, actor, int(item.id), "hidden", reason, utc_now())
                notice.rerun_with(t("Hidden; the author sees your reason."))

st.header(t("Voices"))
st.caption(
    t(
        "Anonymous ideas and worries, children's included. Personal data found was removed "
        "before storing; the original is shown here only until you decide, then deleted."
    )
)
waiting = voices.voice_queue(db, actor)
st.metric(t("Voices waiting"), len(waiting))
if waiting.empty:
    st.info(t("No voices wait for moderation. New ones from “Have your say” arrive here."))
for item in waiting.itertuples():
    with st.container(border=True):
        who = voices.AGE_BANDS.get(text(item.age_band), t("Age not stated"))
        where = text(item.ward, t("No ward: sent without a place on the map"))
        theme = text(item.theme, t("No theme"))
        st.markdown(
            t(
                "**{theme}** · {who} · {where}",
                theme=for_markdown(theme),
                who=for_markdown(who),
                where=for_markdown(where),
            )
        )
        st.text(item.text)
        if len(item.redactions):
            removed = "; ".join(for_markdown(found) for found in item.redactions)
            st.caption(t("Removed: {removed}", removed=removed))
        for leftover in redaction.leftovers(item.text):
            st.warning(t("Check before publishing: {found}", found=for_markdown(leftover)))
        edited = st.text_area(
            t("Edit before publishing (optional)"), value=item.text, key=f"voice_edit_{item.id}"
        )
        publish_column, hide_column = st.columns([1, 3])
        reason = hide_column.text_input(t("Reason for hiding"), key=f"voice_reason_{item.id}")
        with user_errors():
            if publish_column.button(t("Publish"), key=f"voice_publish_{item.id}"):
                voices.moderate_voice(
                    db,
                    actor,
                    int(item.id),
                    "published",
                    None,
                    utc_now(),
                    edited_text=edited if edited != item.text else None,
                )
                notice.rerun_with(t("Voice published."))
            if hide_column.button(t("Hide"), key=f"voice_hide_{item.id}"):
                voices.moderate_voice(db, actor, int(item.id), "hidden", reason, utc_now())
                notice.rerun_with(t("Voice hidden."))
