"""Have your say: an idea or a worry about a place, with no account and no personal data."""

import streamlit as st

from geo.i18n import t
from geo.registry import areas, places
from geo.registry.filters import MapFilter
from geo.safeguarding import voices
from ui.client import current_client
from ui.common import store, user_errors
from ui.forms import OnceForm
from ui.session import utc_now
from ui.tap_map import tap_point

db = store()
child = st.toggle(t("Simple mode with pictures (for children)"), key="voice_child_mode")
if child:
    st.title(t("What would make this place better? 🛝"))
    st.markdown("### " + t("Tap an idea, or write your own. Don't write your name."))
else:
    st.title(t("Have your say"))
    st.write(
        t(
            "Tell the council what would make a play area or your neighbourhood safer or "
            "better. You don't need an account and we ask nothing about you. Please leave out "
            "names, phone numbers and addresses — we remove any we find before anyone else "
            "reads it."
        )
    )

form = OnceForm("voice")
if form.notice():  # the thank-you takes the form's place, so a phone shows it unscrolled
    st.button(
        t("Send another idea") if child else t("Send another message"),
        key="voice_another",
        use_container_width=child,
    )
    st.stop()
if child:
    picks = st.columns(2)
    for number, (label, words) in enumerate(voices.PICTURE_IDEAS.items()):
        with picks[number % 2], st.container(key=f"picture_idea_{number}"):
            if st.button(t(label), key=f"idea_{number}", use_container_width=True):
                form.fill("text", t(words))
text = st.text_area(
    t("Your idea") if child else t("Your idea or worry"),
    key=form.key("text"),
    max_chars=voices.MAX_VOICE,
)
bands = {None: t("Rather not say"), **voices.AGE_BANDS}
if child:
    age = st.radio(
        t("How old are you?"),
        ["under_12", "12_17"],
        format_func={"under_12": "👧 " + t("Under 12"), "12_17": "🧑 " + t("12 to 17")}.get,
        horizontal=True,
        index=None,
        key=form.key("child_age"),
    )
else:
    age = st.radio(
        t("Age band (optional)"),
        list(bands),
        format_func=bands.get,
        horizontal=True,
        key=form.key("age"),
    )

wards = areas.area_shapes(db, "ward")
all_places = places.find_places(db, MapFilter())
place_names = dict(zip(all_places["id"].astype(int), all_places["name"], strict=True))
place_id = st.selectbox(
    t("Which play area? (optional)"),
    list(place_names),
    format_func=place_names.get,
    index=None,
    key=form.key("place"),
)
st.caption(
    t("Or tap the map where you mean (optional). We only keep a rough area, never the spot.")
)
point = tap_point(db, wards, key="voice_map")

if st.button(
    t("Send") if child else t("Send to the council"),
    type="primary",
    use_container_width=child,
    key=form.key("send"),
):
    with user_errors():
        voices.submit_voice(
            db,
            text,
            utc_now(),
            lon=point[0] if point else None,
            lat=point[1] if point else None,
            age_band=age,
            place_id=place_id,
            child_mode=child,
            token=form.token,
            client=current_client(),
        )
        st.session_state.pop("voice_map", None)  # the next message starts without a tap
        form.done(
            t("Thank you! 🎉 A grown-up from the council will read it before it goes on the map.")
            if child
            else t("Thank you. A council moderator reads every message before it is published.")
        )
