"""Events: workshops, coffee chats, planning meetings and play days, on a map and in a list."""

from datetime import datetime, time

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import areas, events, maps
from geo.escape import for_map
from geo.permissions import allowed
from ui.common import store, user_errors
from ui.session import current_actor, utc_now

st.title("Events")
actor = current_actor()
db = store()
now = utc_now()
coming = events.events(db, now, upcoming=True)
wards = areas.area_shapes(db, "ward")
group = folium.FeatureGroup(name="Events")
for row in coming.itertuples():
    folium.CircleMarker(
        [row.geometry.y, row.geometry.x],
        radius=9,
        color="#e8590c",
        fill=True,
        tooltip=for_map(f"{row.title} · {row.starts_at:%d %b %H:%M}"),
    ).add_to(group)
picked = st_folium(
    maps.add_legend(maps.base_map(maps.bounds_of(wards)), maps.EVENTS_LEGEND),
    key="events_map",
    height=380,
    use_container_width=True,
    feature_group_to_add=[maps.ward_layer(wards), group],
    returned_objects=["last_clicked"],
)
st.subheader(f"Coming up ({len(coming)})")
st.dataframe(
    pd.DataFrame(
        {
            "When": coming["starts_at"].dt.strftime("%a %d %b %Y, %H:%M"),
            "What": coming["title"],
            "Kind": coming["kind"].map(events.EVENT_KINDS),
            "Organiser": coming["organiser"],
            "Initiative": coming["initiative"].fillna(""),
        }
    ),
    hide_index=True,
    width="stretch",
)
past = events.events(db, now, upcoming=False)
with st.expander(f"Past events ({len(past)})"):
    st.dataframe(
        pd.DataFrame(
            {
                "When": past["starts_at"].dt.strftime("%d %b %Y"),
                "What": past["title"],
                "How it went": past["summary"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )

if allowed(actor, "post_events"):
    st.subheader("Post an event")
    point = (picked or {}).get("last_clicked")
    st.caption(
        "Click the map where it happens."
        if not point
        else f"Place: {point['lat']:.5f}, {point['lng']:.5f}"
    )
    with st.form("event", clear_on_submit=True):
        title = st.text_input("Title", max_chars=120)
        kind = st.selectbox("Kind", list(events.EVENT_KINDS), format_func=events.EVENT_KINDS.get)
        day = st.date_input("Day", min_value=now.date())
        starts = st.time_input("Starts", value=time(10, 0))
        ends = st.time_input("Ends", value=time(12, 0))
        organiser = st.text_input("Organiser", value=actor.display_name, max_chars=120)
        if st.form_submit_button("Post event", type="primary"):
            with user_errors():
                if not point:
                    st.error("Click the map to place the event first.")
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
                    )
                    st.success("Posted.")
    mine = past[past["summary"].isna()]
    if not mine.empty:
        with st.form("summary", clear_on_submit=True):
            titles = dict(zip(mine["id"].astype(int), mine["title"], strict=True))
            event_id = st.selectbox(
                "Add a short public summary to", list(titles), format_func=titles.get
            )
            summary = st.text_area("How it went", max_chars=1000)
            if st.form_submit_button("Save summary"):
                with user_errors():
                    events.add_summary(db, actor, event_id, summary, now)
                    st.success("Saved.")
