"""Events: workshops, coffee chats, planning meetings and play days, on a map and in a list."""

from datetime import datetime, time

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.accountability import events
from geo.i18n import date_time, number, t
from geo.mapping import maps
from geo.permissions import allowed
from geo.registry import areas
from geo.wording import day
from ui.common import store, user_errors
from ui.forms import OnceForm
from ui.session import current_actor, utc_now
from ui.skip_links import map_skipped

st.title(t("Events"))
actor = current_actor()
db = store()
now = utc_now()
may_post = allowed(actor, "post_events")
form = OnceForm("event")
coming = events.events(db, now, upcoming=True)
wards = areas.area_shapes(db, "ward")
with map_skipped(form.key("map")):
    picked = st_folium(
        maps.add_legend(maps.base_map(maps.bounds_of(wards)), maps.EVENTS_LEGEND),
        key=form.key("map"),  # a new map after posting: the new event on it, no old click
        height=380,
        use_container_width=True,
        feature_group_to_add=[maps.ward_layer(wards), maps.event_layer(coming)],
        returned_objects=["last_clicked"],
    )
st.header(t("Coming up ({count})", count=number(len(coming))))
if coming.empty:
    st.info(
        t(
            "No events coming up yet. Events are workshops, coffee chats, planning meetings, "
            "play days and litter picks where neighbours shape their play areas together."
        )
        + " "
        + (
            t("Post the first one below: click the map where it happens, then fill in the form.")
            if may_post
            else t("Leaders and council officers post them here; sign in to post one.")
        )
    )
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("When"): [date_time(moment, "full") for moment in coming["starts_at"]],
                t("What"): coming["title"],
                t("Kind"): coming["kind"].map(events.EVENT_KINDS),
                t("Organiser"): coming["organiser"],
                t("Initiative"): coming["initiative"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )
past = events.events(db, now, upcoming=False)
if not past.empty:
    with st.expander(t("Past events ({count})", count=number(len(past)))):
        st.dataframe(
            pd.DataFrame(
                {
                    t("When"): [day(d) for d in past["starts_at"]],
                    t("What"): past["title"],
                    t("How it went"): past["summary"].fillna(""),
                }
            ),
            hide_index=True,
            width="stretch",
        )

if may_post:
    st.header(t("Post an event"))
    point = (picked or {}).get("last_clicked")
    st.caption(
        t("Click the map where it happens.")
        if not point
        else t(
            "Place: {lat}, {lon}",
            lat=number(point["lat"], digits=5),
            lon=number(point["lng"], digits=5),
        )
    )
    with st.form(form.key("form")):
        title = st.text_input(t("Title"), max_chars=120, key=form.key("title"))
        kind = st.selectbox(
            t("Kind"),
            list(events.EVENT_KINDS),
            format_func=events.EVENT_KINDS.get,
            key=form.key("kind"),
        )
        day = st.date_input(t("Day"), min_value=now.date(), key=form.key("day"))
        starts = st.time_input(t("Starts"), value=time(10, 0), key=form.key("starts"))
        ends = st.time_input(t("Ends"), value=time(12, 0), key=form.key("ends"))
        organiser = st.text_input(
            t("Organiser"), value=actor.display_name, max_chars=120, key=form.key("organiser")
        )
        if st.form_submit_button(t("Post event"), type="primary"):
            with user_errors():
                if not point:
                    st.error(t("Click the map to place the event first; what you typed is kept."))
                else:
                    events.post_event(
                        db,
                        actor,
                        title,
                        kind,
                        datetime.combine(day, starts),
                        datetime.combine(day, ends),
                        organiser,
                        point["lng"],
                        point["lat"],
                        now,
                        token=form.token,
                    )
                    form.done(t("Posted. It is on the map and in the list above."))
    form.notice()
    mine = past[past["summary"].isna()]
    if not mine.empty:
        summary_form = OnceForm("event_summary")
        with st.form(summary_form.key("form")):
            titles = dict(zip(mine["id"].astype(int), mine["title"], strict=True))
            event_id = st.selectbox(
                t("Add a short public summary to"),
                list(titles),
                format_func=titles.get,
                key=summary_form.key("event"),
            )
            summary = st.text_area(t("How it went"), max_chars=1000, key=summary_form.key("text"))
            if st.form_submit_button(t("Save summary")):
                with user_errors():
                    events.add_summary(db, actor, event_id, summary, now)
                    summary_form.done(t("Saved: the summary shows under past events."))
        summary_form.notice()
