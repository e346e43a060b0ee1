"""Follow a concern one reported, by its private link (``?code=``): no account needed.

It shows what the public may read of the concern — the play area, what it is about, its
status, the dates and the council's public notes — and nothing else: not what the reporter
wrote, not who handles it. A wrong code and no code read the same.
"""

import streamlit as st

from geo.escape import for_markdown
from geo.safeguarding import concerns
from geo.wording import day
from ui.common import store

st.title("Your concern")
found = concerns.tracked(store(), st.query_params.get("code"))
if found is None:
    st.info(
        "This link does not match a concern. Check that it was copied whole; the link is "
        "the one shown after sending the report."
    )
    st.stop()
st.markdown(
    f"**{for_markdown(found['category'])}** at **{for_markdown(found['place'])}**  \n"
    f"Status: **{for_markdown(found['status'])}**"
)
st.caption(
    f"Reported {for_markdown(day(found['reported']))} · last changed "
    f"{for_markdown(day(found['updated']))}"
)
if not found["notes"]:
    st.write("The council has not answered yet.")
for at, status, note in found["notes"]:
    st.markdown(f"**{for_markdown(day(at))} · {for_markdown(status)}**  \n{for_markdown(note)}")
