"""Wards at a glance: one row per ward, charts, and population per ward from a CSV."""

import altair as alt
import streamlit as st

from geo.council import dashboard, population
from geo.escape import for_markdown
from geo.i18n import N_, Words, t
from geo.mapping import public_map
from geo.vocabulary import PLACE_KINDS
from ui import links
from ui.common import store, user_errors
from ui.follow_button import follow_button
from ui.session import allowed_or_stop, utc_now

# How a population file names its wards: the stored key, the choice, the column's label.
MATCH_BY = Words({"code": N_("Code"), "name": N_("Name")})
MATCH_COLUMN = Words(
    {"code": N_("Column with the ward's code"), "name": N_("Column with the ward's name")}
)

st.title(t("Wards at a glance"))
actor = allowed_or_stop("use_workspace")
db = store()
overview = dashboard.ward_overview(db, actor, utc_now())
if overview.empty:
    st.info(t("No wards are loaded yet. An administrator can import them (see README)."))
    st.stop()

st.caption(t("Click a row to open the council workspace filtered to that ward."))
picked = st.dataframe(
    dashboard.overview_table(overview),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="ward_table",
)
rows = picked.selection.rows if picked else []
if rows:
    st.switch_page(
        "app_pages/workspace.py", query_params={"areas": str(overview["id"].iloc[rows[0]])}
    )

st.header(t("Follow"))
st.caption(
    t(
        "Be told of new proposals, decisions and coming events in a ward, or in the whole "
        "council. What you follow is listed on My account."
    )
)
ward_names = {int(i): str(n) for i, n in zip(overview["id"], overview["name"], strict=True)}
ward = st.selectbox(
    t("Ward"),
    list(ward_names),
    format_func=ward_names.get,
    index=None,
    key="follow_ward",
    placeholder=t("Choose a ward to follow"),
)
if ward is not None:
    follow_button(db, actor, "area", int(ward), t("{ward} (ward)", ward=ward_names[ward]), "/wards")
st.caption(t("The whole council"))
follow_button(db, actor, "council", None, t("the whole council"), "/wards")

with st.expander(t("Feeds of each ward's public news (Atom, for a feed reader)")):
    st.caption(
        t(
            "Public, for anyone: paste a link into a feed reader to follow a ward's new "
            "proposals, decisions, progress and events without opening SafePlay."
        )
    )
    whole = t("The whole council")
    st.markdown(f"- {links.feed(whole, 'council')}")
    for number, name in zip(overview["id"], overview["name"], strict=True):
        st.markdown(f"- {links.feed(name, 'area', int(number))}")

with st.expander(t("Put the public map on the council's website")):
    st.caption(
        t(
            "Copy this snippet into a page of the council's website: it shows the public map "
            "(play areas and public initiatives, nothing else), fast on a phone. Choose wards "
            "and kinds to narrow it; the map speaks English only so far. docs/public-map.md "
            "tells the web team the options and what the base map means for privacy."
        )
    )
    embed_wards = st.multiselect(
        t("Wards on the map"), list(ward_names), format_func=ward_names.get, key="embed_wards"
    )
    embed_kinds = st.multiselect(
        t("Kinds of play area (none chosen: all)"),
        list(PLACE_KINDS),
        format_func=PLACE_KINDS.get,
        key="embed_kinds",
    )
    embed = public_map.MapOptions(tuple(embed_wards), tuple(embed_kinds))
    address, configured = links.app_address()
    st.code(public_map.embed_snippet(address, embed), language="html", wrap_lines=True)
    if not configured:
        st.warning(
            t(
                "The snippet points at {address}, the address you opened SafePlay at, "
                "because SAFEPLAY_PUBLIC_URL is not set. If residents reach SafePlay at "
                "another address, ask whoever runs it to set SAFEPLAY_PUBLIC_URL to that "
                "address (docs/notifications.md) before the web team copies this.",
                address=for_markdown(address),
            )
        )
    st.link_button(t("Preview the map"), f"/map{public_map.map_query(embed)}")

charts = st.columns(2)
charts[0].altair_chart(
    alt.Chart(dashboard.status_history(db), title=t("Status changes per month"))
    .mark_line(point=True)
    .encode(
        x=alt.X("month:T", title=None),
        y=alt.Y("changes:Q", title=t("Changes")),
        color=alt.Color("status:N", title="Status"),
    ),
    width="stretch",
)
charts[1].altair_chart(
    alt.Chart(dashboard.status_by_ward(overview), title=t("Initiatives per ward by status"))
    .mark_bar()
    .encode(
        y=alt.Y("name:N", title=None),
        x=alt.X("count:Q", title=t("Initiatives")),
        color=alt.Color("status:N", title="Status"),
    ),
    width="stretch",
)

st.header(t("Population per ward"))
st.caption(
    t(
        "Upload a CSV with one row per ward: a column with the ward's code or name, one with "
        "its population and, optionally, one with children under 18. Children by age band, "
        "for the play sufficiency assessment, are read from columns age_0 … age_17 (single "
        "years, as ONS, NRS and StatsWales publish them) or 0-3, 4-7, 8-12, 13-15, 16-17. "
        "Rows that match no ward are listed; nothing changes unless at least one row matches."
    )
)
upload = st.file_uploader(t("CSV file"), type=["csv"], key="population_file")
if upload is not None:
    with user_errors():
        columns = list(population.read_table(upload.getvalue()).columns)
        by = st.radio(
            t("Match wards by"), list(MATCH_BY), format_func=MATCH_BY.get, horizontal=True
        )
        match = st.selectbox(MATCH_COLUMN[by], columns)
        people = st.selectbox(t("Column with the population"), columns)
        children = st.selectbox(
            t("Column with children under 18 (optional)"),
            [None, *columns],
            format_func=lambda column: t("No such column") if column is None else column,
        )
        if st.button(t("Import population")):
            report = population.import_population(
                db,
                actor,
                upload.getvalue(),
                match_field=match,
                by=by,
                population_field=people,
                children_field=children,
            )
            lines = report.lines()
            st.success(for_markdown(lines[0]))
            for line in lines[1:]:
                st.text(line)
