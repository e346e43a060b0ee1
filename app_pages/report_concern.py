"""Report a concern at a play area: it goes to the council for that ward.

After sending, the reporter is shown, once, a private link to follow the concern's status
without an account or an address (only its hash is kept, so it cannot be shown again).
"""

from urllib.parse import urljoin

import streamlit as st

from geo.escape import for_markdown
from geo.i18n import t
from geo.ids import parse_id
from geo.registry import places
from geo.registry.filters import MapFilter
from geo.safeguarding import concerns
from ui import links
from ui.client import current_client
from ui.common import store, user_errors
from ui.forms import OnceForm
from ui.session import current_actor, utc_now

TRACKING = "report_concern:tracking"

st.title(t("Report a concern"))
db = store()
form = OnceForm("concern")
if form.notice():  # the thank-you replaces the form, so a phone shows it without scrolling
    code = st.session_state.pop(TRACKING, None)
    if code:
        st.markdown(
            t(
                "**Keep this link** to see what the council does about it. It is shown only "
                "now, and anyone who has it can read the concern's status (not what you wrote)."
            )
        )
        st.code(urljoin(st.context.url or "/", f"track_concern?code={code}"), language=None)
        st.page_link(
            "app_pages/track_concern.py", label=t("Open it now"), query_params={"code": code}
        )
    st.button(t("Report another concern"), key="concern_another")
    st.stop()
contact = concerns.safeguarding_contact()
emergency = links.phone(contact["emergency"])
st.info(
    t(
        "**Is a child in danger right now? Call {emergency}.** For any worry about a child's "
        "safety, contact {contact}. This form is for problems with a play area.",
        emergency=emergency,
        contact=for_markdown(contact["contact"]),
    )
)
all_places = places.find_places(db, MapFilter())
names = dict(zip(all_places["id"].astype(int), all_places["name"], strict=True))
wanted = parse_id(st.query_params.get("place"))
start = list(names).index(wanted) if wanted in names else None
with st.form(form.key("form")):
    place_id = st.selectbox(
        t("Play area"), list(names), format_func=names.get, index=start, key=form.key("place")
    )
    category = st.radio(
        t("What is it about?"),
        list(concerns.CATEGORIES),
        format_func=concerns.CATEGORIES.get,
        key=form.key("category"),
    )
    text = st.text_area(
        t("What is wrong? (no names or contact details, please)"),
        max_chars=concerns.MAX_TEXT,
        key=form.key("text"),
    )
    sent = st.form_submit_button(t("Send to the council"), type="primary")
if sent:
    with user_errors():
        if place_id is None:
            st.error(t("Choose the play area."))
        else:
            code = concerns.new_tracking_code()
            try:
                concerns.report_concern(
                    db,
                    place_id,
                    category,
                    text,
                    utc_now(),
                    token=form.token,
                    client=current_client(),
                    reporter=current_actor(),
                    tracking_code=code,
                )
            except concerns.ChildSafetyConcern as advice:  # not stored: who to call, a link
                st.error(
                    t(
                        "{advice} To call now: {emergency}.",
                        advice=for_markdown(advice),
                        emergency=emergency,
                    )
                )
            else:
                st.session_state[TRACKING] = code
                form.done(
                    t(
                        "Thank you. The council for this ward will look at it; its status will "
                        "show on the play area's details on the map."
                    )
                )
