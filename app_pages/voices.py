"""Voices: what residents and children ask for, by ward and theme, and where few speak up."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.i18n import number, t
from geo.mapping import maps
from geo.registry import areas
from geo.safeguarding import voices
from ui.common import store
from ui.skip_links import map_skipped

st.title(t("Voices"))
st.caption(
    t(
        "Ideas and worries left anonymously, published after a moderator read them, with "
        "personal details removed. Points are shown only as rough areas."
    )
)
db = store()
wards = areas.list_areas(db, "ward")
choices = {None: t("All wards")}
choices.update(zip(wards["id"].astype(int), wards["name"], strict=True))
area_id = st.selectbox(t("Ward"), list(choices), format_func=choices.get)
published = voices.published_voices(db, area_id)
st.metric(t("Published voices"), len(published))
if published.empty:
    st.info(
        (
            t("No published voices from this ward yet.")
            if area_id is not None
            else t("No voices published yet.")
        )
        + " "
        + t(
            "Voices are ideas and worries that residents and children leave anonymously, so "
            "the council hears what would make play areas safer and better. A moderator reads "
            "each one before it appears here. Leave the first on Have your say."
        )
    )
    st.page_link("app_pages/have_your_say.py", label=t("Have your say"), icon="🗣️")
else:
    by_theme, on_map = st.columns(2)
    with by_theme:
        heading = t("By theme and age")
        st.markdown(f"**{heading}**")
        st.dataframe(voices.themes_by_age(published), hide_index=True, width="stretch")
    with on_map:
        shapes = areas.area_shapes(db, "ward")
        with map_skipped("voices_map"):
            st_folium(
                maps.add_legend(maps.base_map(maps.bounds_of(shapes)), maps.VOICES_LEGEND),
                key="voices_map",
                height=320,
                use_container_width=True,
                feature_group_to_add=[maps.ward_layer(shapes), maps.voice_layer(published)],
                returned_objects=[],
            )
    heading = t("What people said")
    st.markdown(f"**{heading}**")
    st.dataframe(
        pd.DataFrame(
            {
                t("Theme"): published["theme"].map(t),
                t("Said"): published["text"],
                t("Age"): published["age_band"].map(voices.AGE_BANDS).fillna(t("Not stated")),
                t("Ward"): published["ward"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )
st.markdown(
    t(
        "**Who is heard** — published voices per {thousand} residents; low wards need outreach",
        thousand=number(1000),
    )
)
taking_part = voices.participation(db)
st.dataframe(
    pd.DataFrame(
        {
            t("Ward"): taking_part["name"],
            t("Voices"): taking_part["voices"],
            t("From under-18s"): taking_part["young_voices"],
            t("Per {thousand} residents", thousand=number(1000)): taking_part["per_1000"],
            t("Outreach needed"): taking_part["outreach_needed"].map({True: t("yes"), False: ""}),
        }
    ),
    hide_index=True,
    width="stretch",
)
