"""Inspections: record safety inspections (EN 1176-7) and see which are overdue."""

import pandas as pd
import streamlit as st

from geo import i18n
from geo.i18n import t
from geo.registry import places
from geo.registry.filters import MapFilter
from geo.safeguarding import inspections
from geo.wording import present
from ui.common import store, user_errors
from ui.forms import OnceForm
from ui.session import allowed_or_stop, utc_now


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """A play area's inspections with headings and values in words (the stored kind and
    result are keys), newest first."""
    return pd.DataFrame(
        {
            t("Date"): [i18n.date(day) for day in history["inspected_on"]],
            t("Inspection"): history["kind"].map(inspections.KINDS.get),
            t("Inspector"): history["inspector"],
            t("Result"): history["result"].map(inspections.RESULTS.get),
            t("Defects found"): history["defects"].fillna(""),
        }
    )


st.title(t("Inspections"))
actor = allowed_or_stop("record_inspections")
db = store()
today = utc_now().date()
due = inspections.overdue(db, actor, today)
st.metric(t("Inspections overdue"), len(due))
st.dataframe(
    pd.DataFrame(
        {
            t("Play area"): due["name"],
            t("Ward"): due["ward"],
            t("Inspection"): due["kind"].map(inspections.KINDS.get),
            t("Last done"): [
                i18n.date(done) if present(done) else t("never") for done in due["last_done"]
            ],
            t("Every (days)"): due["every_days"],
        }
    ),
    hide_index=True,
    width="stretch",
)

all_places = places.find_places(db, MapFilter())
names = dict(zip(all_places["id"].astype(int), all_places["name"], strict=True))
st.header(t("Record an inspection"))
form = OnceForm("inspection")
with st.form(form.key("form")):
    place_id = st.selectbox(
        t("Play area"), list(names), format_func=names.get, index=None, key=form.key("place")
    )
    kind = st.radio(
        t("Inspection"),
        list(inspections.KINDS),
        format_func=inspections.KINDS.get,
        horizontal=True,
        key=form.key("kind"),
    )
    inspected_on = st.date_input(t("Date"), value=today, max_value=today, key=form.key("date"))
    inspector = st.text_input(t("Inspector"), max_chars=120, key=form.key("inspector"))
    result = st.radio(
        t("Result"),
        list(inspections.RESULTS),
        format_func=inspections.RESULTS.get,
        horizontal=True,
        key=form.key("result"),
    )
    defects = st.text_area(t("Defects found"), max_chars=2000, key=form.key("defects"))
    if st.form_submit_button(t("Record"), type="primary"):
        with user_errors():
            if place_id is None:
                st.error(t("Choose the play area."))
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
                form.done(t("Recorded; the play area now shows this inspection."))
form.notice()

st.header(t("Schedule of one play area"))
place_id = st.selectbox(
    t("Play area"), list(names), format_func=names.get, index=None, key="schedule_place"
)
if place_id is not None:
    st.dataframe(history_table(inspections.history(db, place_id)), hide_index=True, width="stretch")
    columns = st.columns(3)
    routine = columns[0].number_input(t("Routine every (days)"), 1, 730, 7)
    operational = columns[1].number_input(t("Operational every (days)"), 1, 730, 90)
    annual = columns[2].number_input(t("Annual main every (days)"), 1, 730, 365)
    if st.button(t("Save schedule")):
        with user_errors():
            inspections.set_schedule(
                db, actor, place_id, inspections.Schedule(routine, operational, annual)
            )
            st.success(t("Saved."))
