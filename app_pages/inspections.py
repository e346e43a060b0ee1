"""Inspections: record safety inspections (EN 1176-7) and see which are overdue."""

import pandas as pd
import streamlit as st

from geo.registry import places
from geo.registry.filters import MapFilter
from geo.safeguarding import inspections
from ui.common import store, user_errors
from ui.forms import OnceForm
from ui.session import allowed_or_stop, utc_now

st.title("Inspections")
actor = allowed_or_stop("record_inspections")
db = store()
today = utc_now().date()
due = inspections.overdue(db, actor, today)
st.metric("Inspections overdue", len(due))
st.dataframe(
    pd.DataFrame(
        {
            "Play area": due["name"],
            "Ward": due["ward"],
            "Inspection": due["kind"].map(inspections.KINDS),
            "Last done": due["last_done"].astype(str).replace("NaT", "never"),
            "Every (days)": due["every_days"],
        }
    ),
    hide_index=True,
    width="stretch",
)

all_places = places.find_places(db, MapFilter())
names = dict(zip(all_places["id"].astype(int), all_places["name"], strict=True))
st.header("Record an inspection")
form = OnceForm("inspection")
with st.form(form.key("form")):
    place_id = st.selectbox(
        "Play area", list(names), format_func=names.get, index=None, key=form.key("place")
    )
    kind = st.radio(
        "Inspection",
        list(inspections.KINDS),
        format_func=inspections.KINDS.get,
        horizontal=True,
        key=form.key("kind"),
    )
    inspected_on = st.date_input("Date", value=today, max_value=today, key=form.key("date"))
    inspector = st.text_input("Inspector", max_chars=120, key=form.key("inspector"))
    result = st.radio(
        "Result",
        list(inspections.RESULTS),
        format_func=inspections.RESULTS.get,
        horizontal=True,
        key=form.key("result"),
    )
    defects = st.text_area("Defects found", max_chars=2000, key=form.key("defects"))
    if st.form_submit_button("Record", type="primary"):
        with user_errors():
            if place_id is None:
                st.error("Choose the play area.")
            else:
                inspections.record_inspection(
                    db,
                    actor,
                    place_id,
                    kind,
                    inspected_on,
                    inspector,
                    result,
                    defects,
                    utc_now(),
                    token=form.token,
                )
                form.done("Recorded; the play area now shows this inspection.")
form.notice()

st.header("Schedule of one play area")
place_id = st.selectbox(
    "Play area ", list(names), format_func=names.get, index=None, key="schedule_place"
)
if place_id is not None:
    st.dataframe(inspections.history(db, place_id), hide_index=True, width="stretch")
    columns = st.columns(3)
    routine = columns[0].number_input("Routine every (days)", 1, 730, 7)
    operational = columns[1].number_input("Operational every (days)", 1, 730, 90)
    annual = columns[2].number_input("Annual main every (days)", 1, 730, 365)
    if st.button("Save schedule"):
        with user_errors():
            inspections.set_schedule(
                db, actor, place_id, inspections.Schedule(routine, operational, annual)
            )
            st.success("Saved.")
