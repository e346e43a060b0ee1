"""Have your say: an idea or a worry about a place, with no account and no personal data."""

import streamlit as st
from streamlit_folium import st_folium

from geo import areas, maps, places, voices
from geo.filters import MapFilter
from ui.client import current_client
from ui.common import store, user_errors
from ui.session import utc_now

db = store()
child = st.toggle("Simple mode with pictures (for children)", key="voice_child_mode")
if child:
    st.title("What would make this place better? 🛝")
    st.markdown("### Tap an idea, or write your own. Don't write your name.")
else:
    st.title("Have your say")
    st.write(
        "Tell the council what would make a play area or your neighbourhood safer or better. "
        "You don't need an account and we ask nothing about you. Please leave out names, "
        "phone numbers and addresses — we remove any we find before anyone else reads it."
    )

if child:
    picks = st.columns(2)
    for number, (label, words) in enumerate(voices.PICTURE_IDEAS.items()):
        if picks[number % 2].button(label, key=f"idea_{number}", use_container_width=True):
            st.session_state["voice_text"] = words
text = st.text_area(
    "Your idea" if child else "Your idea or worry", key="voice_text", max_chars=voices.MAX_VOICE
)
bands = {None: "Rather not say", **voices.AGE_BANDS}
if child:
    age = st.radio(
        "How old are you?",
        ["under_12", "12_17"],
        format_func={"under_12": "👧 Under 12", "12_17": "🧑 12 to 17"}.get,
        horizontal=True,
        index=None,
    )
else:
    age = st.radio("Age band (optional)", list(bands), format_func=bands.get, horizontal=True)

wards = areas.area_shapes(db, "ward")
all_places = places.find_places(db, MapFilter())
place_names = dict(zip(all_places["id"].astype(int), all_places["name"], strict=True))
place_id = st.selectbox(
    "Which play area? (optional)", list(place_names), format_func=place_names.get, index=None
)
st.caption("Or tap the map where you mean (optional). We only keep a rough area, never the spot.")
clicked = st_folium(
    maps.base_map(maps.bounds_of(wards)),
    key="voice_map",
    height=320,
    use_container_width=True,
    feature_group_to_add=[maps.ward_layer(wards)],
    returned_objects=["last_clicked"],
)
point = (clicked or {}).get("last_clicked")
if point:
    st.caption("Got it: a rough area around where you tapped.")

if st.button("Send" if child else "Send to the council", type="primary", use_container_width=child):
    with user_errors():
        voices.submit_voice(
            db,
            text,
            utc_now(),
            lon=point["lng"] if point else None,
            lat=point["lat"] if point else None,
            age_band=age,
            place_id=place_id,
            child_mode=child,
            client=current_client(),
        )
        st.session_state.pop("voice_text", None)
        st.session_state["voice_thanks"] = True
        st.rerun()
if st.session_state.pop("voice_thanks", False):
    st.success(
        "Thank you! 🎉 A grown-up from the council will read it before it goes on the map."
        if child
        else "Thank you. A council moderator reads every message before it is published."
    )
