"""Inbox: what SafePlay told me, newest first; opening a notice goes to what it is about."""

import pandas as pd
import streamlit as st

from geo.escape import for_markdown
from geo.i18n import t, tn
from geo.notify import notices
from geo.notify.kinds import KINDS
from geo.wording import moment
from ui.common import store, user_errors
from ui.inbox import link_target
from ui.notices import Notice
from ui.session import signed_in_or_stop, utc_now

st.title(t("Inbox"))
actor = signed_in_or_stop()
db = store()
marked = Notice("inbox")
listed = notices.inbox(db, actor)
unread = notices.unread_count(db, actor)  # of all, not only the newest listed

if listed.empty:
    st.info(
        t(
            "Nothing here yet. When something you follow moves — a council decision on a "
            "proposal, a check-in or milestone, a concern about a play area, a new proposal in "
            "your ward or area, an event coming up — you are told here. You follow your own "
            "proposals and the ones you support without doing anything; follow a play area, a "
            "ward or an area of your own from its page or on My account."
        )
    )
    st.page_link("app_pages/account.py", label=t("Choose what to follow on My account"), icon="🔔")
    st.stop()

if not unread:
    status = t("No unread notices.")
elif len(listed) == notices.INBOX_LIMIT:
    status = tn(
        "{n} unread notice (the newest {listed} are listed).",
        "{n} unread notices (the newest {listed} are listed).",
        unread,
        listed=len(listed),
    )
else:
    status = tn("{n} unread notice.", "{n} unread notices.", unread)
st.markdown(t("{status} Open one to see what it is about; that marks it read.", status=status))
marked.show()
if unread and st.button(t("Mark all as read"), key="inbox_all_read"):
    with user_errors():
        done = notices.mark_read(db, actor, utc_now())
        marked.rerun_with(tn("Marked {n} notice as read.", "Marked {n} notices as read.", done))

for notice in listed.itertuples():
    is_new = pd.isna(notice.read_at)
    kind = KINDS[notice.kind].label if notice.kind in KINDS else t("Notice")
    with st.container(border=True):
        # "New" in words as well as the dot, for readers who do not see colour.
        subject = f"**{for_markdown(notice.subject)}**"
        heading = t("● **New** · {subject}", subject=subject) if is_new else subject
        sent = t(
            "{kind} · {when} UTC",
            kind=for_markdown(kind),
            when=for_markdown(moment(notice.created_at)),
        )
        st.markdown(f"{heading}  \n{sent}")
        st.markdown(for_markdown(notice.body))
        target = link_target(notice.link, actor)
        label = t("Open") if target is not None else t("Mark as read")
        if (target is not None or is_new) and st.button(label, key=f"notice_{notice.id}"):
            with user_errors():
                notices.mark_read(db, actor, utc_now(), [int(notice.id)])
                if target is None:
                    st.rerun()
                page, query = target
                st.switch_page(page.file, query_params=query)
