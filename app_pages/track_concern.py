"""Follow a concern one reported, by its private link (``?code=``): no account needed.

It shows what the public may read of the concern — the play area, what it is about, its
status, the dates and the council's public notes — and nothing else: not what the reporter
wrote, not who handles it. A wrong code and no code read the same.
"""

import streamlit as st

from geo.escape import for_markdown
from geo.i18n import t
from geo.safeguarding import concerns
from geo.wording import day
from ui.common import store

st.title(t("Your concern"))
found = concerns.tracked(store(), st.query_params.get("code"))
if found is None:
    st.info(
        t(
            "This link does not match a concern. Check that it was copied whole; the link is "
            "the one shown after sending the report."
        )
    )
    st.stop()
st.markdown(
    t(
        "**{category}** at **{place}**",
        category=for_markdown(found["category"]),
        place=for_markdown(found["place"]),
    )
    + "  \n"
    + t("Status: **{status}**", status=for_markdown(found["status"]))
)
st.caption(
    t(
        "Reported {reported} · last changed {updated}",
        reported=for_markdown(day(found["reported"])),
        updated=for_markdown(day(found["updated"])),
    )
)
if not found["notes"]:
    st.write(t("The council has not answered yet."))
for at, status, note in found["notes"]:
    st.markdown(f"**{for_markdown(day(at))} · {for_markdown(status)}**  \n{for_markdown(note)}")
