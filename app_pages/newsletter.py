"""Newsletter: a readable digest of a ward (or the whole council) for a period."""

from datetime import timedelta

import streamlit as st

from geo.accountability import digest
from geo.escape import for_markdown
from geo.registry import areas
from ui import links
from ui.common import store, user_errors
from ui.session import utc_now

st.title("Newsletter")
st.caption(
    "New proposals, decisions with their reasons, progress, completed work, coming events "
    "and the thank-you roll — to paste into an e-mail or print for a community meeting."
)
db = store()
today = utc_now().date()
wards = areas.list_areas(db, "ward")
choices = {None: "The whole council"} | dict(
    zip(wards["id"].astype(int), wards["name"], strict=True)
)
columns = st.columns(3)
area_id = columns[0].selectbox("For", list(choices), format_func=choices.get)
start = columns[1].date_input("From", value=today - timedelta(days=30))
end = columns[2].date_input("To", value=today)
feed_of = ("council", None) if area_id is None else ("area", area_id)
st.caption("Follow its news in a feed reader: " + links.feed("Atom feed", *feed_of))
with user_errors():
    news = digest.build(db, start, end, area_id, utc_now())
    markdown = digest.to_markdown(news)
    downloads = st.columns(2)
    downloads[0].download_button(
        "Download as HTML (print)",
        digest.to_html(news),
        file_name="safeplay-news.html",
        mime="text/html",
    )
    downloads[1].download_button(
        "Download as Markdown (e-mail)",
        markdown,
        file_name="safeplay-news.md",
        mime="text/markdown",
    )
    st.caption("Preview")
    with st.container(border=True):
        st.markdown(digest.to_markdown(news, for_markdown))
