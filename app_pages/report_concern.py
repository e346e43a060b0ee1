"""Report a concern at a play area: it goes to the council for that ward."""

import streamlit as st

from geo import concerns, places
from geo.filters import MapFilter
from geo.ids import parse_id
from ui.client import current_client
from ui.common import store, user_errors
from ui.session import utc_now

st.title("Report a concern")
db = store()
contact = concerns.safeguarding_contact()
st.info(
    f"**Is a child in danger right now? Call {contact['emergency']}.** For any worry about a "
    f"child's safety, contact {contact['contact']}. This form is for problems with a play area."
)
all_places = places.find_places(db, MapFilter())
names = dict(zip(all_places["id"].astype(int), all_places["name"], strict=True))
wanted = parse_id(st.query_params.get("place"))
start = list(names).index(wanted) if wanted in names else None
with st.form("concern", clear_on_submit=True):
    place_id = st.selectbox("Play area", list(names), format_func=names.get, index=start)
    category = st.radio(
        "What is it about?", list(concerns.CATEGORIES), format_func=concerns.CATEGORIES.get
    )
    text = st.text_area(
        "What is wrong? (no names or contact details, please)", max_chars=concerns.MAX_TEXT
    )
    sent = st.form_submit_button("Send to the council", type="primary")
if sent:
    with user_errors():  # a worry about a child comes back as advice on whom to contact
        if place_id is None:
            st.error("Choose the play area.")
        else:
            concerns.report_concern(
                db, place_id, category, text, utc_now(), client=current_client()
            )
            st.success(
                "Thank you. The council for this ward will look at it; its status will show "
                "on the play area's details on the map."
            )
