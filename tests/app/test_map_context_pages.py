"""Maps with context through the pages, with st_folium replaced by a recorder: what each
map is given to draw, and what the page does with a tap or a drawing it returns."""

import pytest
import shapely
import streamlit_folium

from geo.permissions import VISITOR
from tests.app.conftest import open_page, person, read
from ui.common import store


@pytest.fixture
def folium_calls(database, monkeypatch):
    """Every st_folium call's layer names; ``returned["value"]`` is what the map sends back."""
    calls, returned = [], {"value": None}

    def fake_st_folium(fig, *, key=None, feature_group_to_add=(), **_kwargs):
        calls.append(
            (
                key,
                [group.layer_name for group in feature_group_to_add or ()],
                fig.get_root().render(),
            )
        )
        return returned["value"]

    monkeypatch.setattr(streamlit_folium, "st_folium", fake_st_folium)
    for module in ("ui.proposal_view", "ui.tap_map"):
        monkeypatch.setattr(f"{module}.st_folium", fake_st_folium)
    return calls, returned


def sql(query):
    return store().cursor().execute(query).fetchone()


def test_the_propose_map_shows_play_areas_and_initiatives_with_a_key(folium_calls):
    calls, _ = folium_calls
    open_page(person("leo@demo.example"), "app_pages/propose.py")
    key, layers, html = calls[-1]
    assert key.startswith("draw_")
    assert {"Wards", "Play areas", "Initiatives"} <= set(layers)
    assert "safeplay-key" in html and "What you draw" in html


def test_an_overlap_is_a_warning_and_the_summary_does_not_say_every_check_passed(
    folium_calls,
):
    _, returned = folium_calls
    wkt = sql(
        "SELECT ST_AsText(ST_PointOnSurface(geom)) FROM places WHERE "
        "ST_GeometryType(geom) = 'POLYGON' AND ST_Area_Spheroid(ST_FlipCoordinates(geom)) > 2000 "
        "ORDER BY id LIMIT 1"
    )[0]
    centre = shapely.from_wkt(wkt)
    square = shapely.box(centre.x, centre.y, centre.x + 0.0004, centre.y + 0.00025)
    feature = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(square)}
    returned["value"] = {"all_drawings": [feature]}
    at = open_page(person("leo@demo.example"), "app_pages/propose.py")
    assert any("overlaps something that already exists" in w.value for w in at.warning)
    assert not any("passes every check" in s.value for s in at.success)
    assert any(
        i.value == "Nothing stops you submitting, but look at the warning above first."
        for i in at.info
    )


@pytest.mark.parametrize(
    ("who", "page", "question"),
    [(VISITOR, "app_pages/proposals.py", "id"), ("olu@demo.example", "app_pages/review.py", "id")],
)
def test_the_proposals_and_review_maps_show_wards_and_play_areas_around_it(
    folium_calls, who, page, question
):
    calls, _ = folium_calls
    number = sql("SELECT min(id) FROM initiatives WHERE status = 'submitted'")[0]
    actor = VISITOR if who is VISITOR else person(who)
    open_page(actor, page, **{question: str(number)})
    layers = next(layers for key, layers, _ in calls if key and key.endswith("_map"))
    assert layers[0] == "Wards" and "Play areas" in layers and layers[-1] == "Proposal"


def tap(at, lon, lat):
    at.session_state["voice_map"] = {"last_clicked": {"lng": lon, "lat": lat}}
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_tap_shows_a_pin_and_is_sent_as_a_rough_area(folium_calls):
    calls, _ = folium_calls
    inside = shapely.from_wkt(
        sql("SELECT ST_AsText(ST_PointOnSurface(geom)) FROM areas WHERE level = 'ward'")[0]
    )
    at = tap(open_page(VISITOR, "app_pages/have_your_say.py"), inside.x, inside.y)
    assert calls[-1][1] == ["Wards", "Where you tapped"]
    assert "Where you tapped" in calls[-1][2]  # in the key too
    assert any("rough area around where you tapped" in c.value for c in at.caption)
    next(t for t in at.text_area if t.label == "Your idea or worry").input("More benches")
    next(b for b in at.button if b.label == "Send to the council").click().run()
    assert sql("SELECT lon IS NOT NULL FROM voices ORDER BY id DESC LIMIT 1")[0]


def test_a_tap_outside_the_council_area_is_refused_in_words_and_not_sent(folium_calls):
    inside = shapely.from_wkt(
        sql("SELECT ST_AsText(ST_PointOnSurface(geom)) FROM areas WHERE level = 'ward'")[0]
    )
    at = tap(open_page(VISITOR, "app_pages/have_your_say.py"), inside.x + 1.0, inside.y)
    assert any(
        "outside the council area, so it will not be sent" in read(w.value) for w in at.warning
    )
    assert not any("rough area around where you tapped" in c.value for c in at.caption)
    before = sql("SELECT count(*) FROM voices")[0]
    next(t for t in at.text_area if t.label == "Your idea or worry").input("More benches")
    next(b for b in at.button if b.label == "Send to the council").click().run()
    assert sql("SELECT count(*) FROM voices")[0] == before + 1
    assert sql("SELECT lon IS NULL FROM voices ORDER BY id DESC LIMIT 1")[0]
