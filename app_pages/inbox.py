"""Inbox: what SafePlay told me, newest first; opening a notice goes to what it is about."""

import pandas as pd
import streamlit as st

from geo.escape import for_markdown
from geo.notify import notices
from geo.notify.kinds import KINDS
from geo.wording import count, moment
from ui.common import store, user_errors
from ui.inbox import link_target
from ui.notices import Notice
from ui.session import signed_in_or_stop, utc_now

st.title("Inbox")
actor = signed_in_or_stop()
db = store()
marked = Notice("inbox")
listed = notices.inbox(db, actor)
unread = notices.unread_count(db, actor)  # of all, not only the newest listed

if listed.empty:
    st.info(
        "Nothing here yet. When something you follow moves — a council decision on a "
        "proposal, a check-in or milestone, a concern about a play area, a new proposal in "
        "your ward or area, an event coming up — you are told here. You follow your own "
        "proposals and the ones you support without doing anything; follow a play area, a "
        "ward or an area of your own from its page or on My account."
    )
    st.page_link("app_pages/account.py", label="Choose what to follow on My account", icon="🔔")
    st.stop()

newest = f" (the newest {len(listed)} are listed)" if len(listed) == notices.INBOX_LIMIT else ""
st.markdown(
    f"{count(unread, 'unread notice') if unread else 'No unread notices'}{newest}. Open one "
    "to see what it is about; that marks it read."
)
marked.show()
if unread and st.button("Mark all as read", key="inbox_all_read"):
    with user_errors():
        done = notices.mark_read(db, actor, utc_now())
        marked.rerun_with(f"Marked {count(done, 'notice')} as read.")

for notice in listed.itertuples():
    is_new = pd.isna(notice.read_at)
    kind = KINDS[notice.kind].label if notice.kind in KINDS else "Notice"
    with st.container(border=True):
        # "New" in words as well as the dot, for readers who do not see colour.
        state = "● **New** · " if is_new else ""
        st.markdown(
            f"{state}**{for_markdown(notice.subject)}**  \n"
            f"{for_markdown(kind)} · {for_markdown(moment(notice.created_at))} UTC"
        )
        st.markdown(for_markdown(notice.body))
        target = link_target(notice.link, actor)
        label = "Open" if target is not None else "Mark as read"
        if (target is not None or is_new) and st.button(label, key=f"notice_{notice.id}"):
            with user_errors():
                notices.mark_read(db, actor, utc_now(), [int(notice.id)])
                if target is None:
                    st.rerun()
                page, query = target
                st.switch_page(page.file, query_params=query)
