"""Concerns: the council's queue of reports about play areas, answered in public."""

import streamlit as st

from geo import i18n
from geo.escape import for_markdown
from geo.i18n import t
from geo.safeguarding import concerns
from geo.wording import text
from ui.common import store, user_errors
from ui.forms import OnceForm
from ui.session import allowed_or_stop, utc_now

st.title(t("Concerns"))
actor = allowed_or_stop("handle_concerns")
db = store()
show_all = st.toggle(t("Include fixed and passed-on concerns"))
queue = concerns.concern_queue(db, actor, include_closed=show_all)
st.metric(t("In the queue"), len(queue))
closed = OnceForm("concern_closed")  # confirms updates that took a concern off this list
closed.notice()
for item in queue.itertuples():
    form = OnceForm(f"concern_{item.id}")
    with st.container(border=True):
        st.markdown(
            t(
                "**{category}** · {status} · reported {day}",
                category=for_markdown(concerns.CATEGORIES.get(item.category, item.category)),
                status=for_markdown(concerns.STATUSES[item.status]),
                day=for_markdown(i18n.date(item.created_at)),
            )
        )
        st.text(
            t(
                "{place} ({ward}): {text}",
                place=item.place,
                ward=text(item.ward, t("no ward")),
                text=item.text,
            )
        )
        with st.form(form.key("form")):
            status = st.selectbox(
                t("Status"),
                list(concerns.STATUSES),
                index=list(concerns.STATUSES).index(item.status),
                format_func=concerns.STATUSES.get,
                key=form.key("status"),
            )
            note = st.text_input(
                t("Public note (shown on the play area)"),
                value=text(item.public_note),
                key=form.key("note"),
            )
            if st.form_submit_button(t("Update")):
                with user_errors():
                    concerns.update_concern(db, actor, int(item.id), status, note, utc_now())
                    done = t(
                        "Updated: {status}; the play area shows it now.",
                        status=concerns.STATUSES[status],
                    )
                    if show_all or status in concerns.OPEN_STATUSES:
                        form.done(done)
                    closed.done(
                        t(
                            "{done} The concern at {place} has left the queue; switch on "
                            "“Include fixed and passed-on concerns” to see it.",
                            done=done,
                            place=item.place,
                        )
                    )
        form.notice()
