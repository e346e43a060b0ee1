"""A proposal through the pages in AppTest, with the map returning a drawing.

draft → submit → changes requested → revised → approved; the council's reason shows on the
leader's pages and the public page, and the reviewer sees what changed.
"""

import pytest
import shapely
import streamlit_folium

from geo.escape import for_markdown
from geo.permissions import VISITOR
from tests.app.conftest import open_page, person, read
from ui.common import store

CHANGES = "Please add who holds the gate key."
APPROVAL = "Approved: fills a doorstep play gap in this ward."


@pytest.fixture
def drawing(database, monkeypatch):
    """What the map returns: a 40 m square inside the first ward, as leaflet.draw sends it."""
    centre = shapely.from_wkt(
        store()
        .cursor()
        .execute(
            "SELECT ST_AsText(ST_PointOnSurface(geom)) FROM areas WHERE level = 'ward' "
            "ORDER BY id LIMIT 1"
        )
        .fetchone()[0]
    )
    square = shapely.box(centre.x, centre.y, centre.x + 0.0006, centre.y + 0.00036)
    feature = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(square)}
    returned = {"value": {"all_drawings": [feature], "last_active_drawing": feature}}

    def fake_st_folium(*_args, **_kwargs):
        return returned["value"]

    monkeypatch.setattr(streamlit_folium, "st_folium", fake_st_folium)
    monkeypatch.setattr("ui.proposal_view.st_folium", fake_st_folium)
    return returned


def describe(at, title, summary):
    """Fill the Propose page's form (the drawing comes from the patched map)."""
    labelled(at.text_input, "Title").input(title)
    labelled(at.text_area, "Summary: what, why, and how children will be kept safe").input(summary)


def open_review(council, number):
    at = open_page(council, "app_pages/review.py")
    labelled(at.selectbox, "Open a proposal to review").set_value(number).run()
    return at


def decide(at, decision, reason):
    labelled(at.radio, "Decision").set_value(decision)
    labelled(at.text_area, "Reason (the proposer and the public read it)").input(reason)
    labelled(at.button, "Record decision").click().run()
    next(b for b in at.button if b.label.startswith("Confirm")).click().run()


def labelled(elements, label):
    return next(e for e in elements if read(e.label) == label)


def texts(elements):
    return " | ".join(str(e.value) for e in elements)


def test_a_proposal_goes_from_draft_to_approved_through_the_pages(drawing):
    leader, council = person("leo@demo.example"), person("olu@demo.example")

    # The leader drafts: the checks beside the map pass, the draft is saved, then submitted.
    at = open_page(leader, "app_pages/propose.py")
    assert "The drawing passes every check." in texts(at.success)
    describe(at, "Doorstep play on Kiln Lane", "A fenced play space for under-8s, with seats.")
    labelled(at.button, "Save draft").click().run()
    assert "saved" in texts(at.success)
    labelled(at.button, "Save and submit for review").click().run()
    assert not at.exception
    submitted = next(s.value for s in at.success if "was submitted" in s.value)
    number = int(submitted.split()[1])

    # The council asks for changes, with a reason.
    at = open_review(council, number)
    decide(at, "changes_requested", CHANGES)
    assert f"Proposal {number}: changes requested." in read(texts(at.success))

    # The leader sees the reason in "My proposals" and on the Propose page, and revises.
    at = open_page(leader, "app_pages/my_proposals.py", id=str(number))
    assert for_markdown(CHANGES) in texts(at.info)
    table = at.dataframe[0].value.set_index("No.")
    assert table.loc[number, "Latest word"] == CHANGES
    at = open_page(leader, "app_pages/propose.py")
    labelled(at.selectbox, "Work on").set_value(number).run()
    assert for_markdown(CHANGES) in texts(at.warning)
    labelled(at.text_input, "Title").input("Doorstep play on Kiln Lane, gate key with the school")
    labelled(at.button, "Save and submit for review").click().run()
    assert f"Proposal {number} was submitted" in texts(at.success)

    # The reviewer sees what changed, then approves.
    at = open_review(council, number)
    changes = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert changes.set_index("What").loc["Title", "After"].endswith("gate key with the school")
    decide(at, "approved", APPROVAL)
    assert f"Proposal {number}: approved." in texts(at.success)

    # Anyone reads the decision and its reason on the proposal's own page.
    at = open_page(VISITOR, "app_pages/proposals.py", id=str(number))
    assert for_markdown(APPROVAL) in texts(at.info)
    timeline = next(t.value for t in at.table if "Reason" in t.value.columns)
    reasons = [for_markdown(r) for r in (CHANGES, "Revised: version 2.", APPROVAL)]
    assert timeline["Reason"].tolist()[-3:] == reasons  # in full, escaped like all user text


def test_a_drawing_that_fails_a_check_is_saved_but_not_submitted(drawing):
    leader = person("leo@demo.example")
    drawing["value"] = {
        "all_drawings": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [5.0, 45.0]},
            }
        ]
    }
    at = open_page(leader, "app_pages/propose.py")
    assert "outside the council area" in texts(at.error)
    describe(at, "Somewhere far away", "A proposal drawn in the wrong place by mistake.")
    labelled(at.button, "Save and submit for review").click().run()
    assert "is saved, but it cannot be submitted yet" in read(texts(at.error))


def test_a_resident_supports_and_comments_and_a_moderator_publishes(drawing):
    rosa, council = person("rosa@demo.example"), person("olu@demo.example")
    at = open_page(rosa, "app_pages/proposals.py")
    first = int(at.dataframe[0].value["No."].iloc[0])
    labelled(at.selectbox, "Open a proposal").set_value(first).run()
    labelled(at.button, "👍 Support this proposal").click().run()
    assert any(b.label == "Withdraw my support" for b in at.button)
    # Supporting also follows it: the Follow button beside it changed, and the page says why.
    assert "You follow this proposal, so its news arrives in your Inbox." in texts(at.success)
    assert any(b.label == "Following ✓ — stop" for b in at.button)
    labelled(at.button, "Withdraw my support").click().run()
    assert "Your support is withdrawn. You still follow this proposal" in texts(at.success)
    labelled(at.button, "👍 Support this proposal").click().run()
    labelled(at.text_area, "Your comment").input("<b>Please</b> add a bench {{ 6*7 }}")
    labelled(at.button, "Send comment").click().run()
    assert "A moderator will read your comment" in texts(at.success)

    at = open_page(council, "app_pages/moderation.py")
    assert "<b>Please</b> add a bench {{ 6*7 }}" in texts(at.text)
    labelled(at.button, "Publish").click().run()
    assert "Published." in read(texts(at.success))

    at = open_page(VISITOR, "app_pages/proposals.py", id=str(first))
    assert "<b>Please</b> add a bench {{ 6*7 }}" in texts(at.text)  # shown as text, not markup
    assert "Sign in to support or comment." in texts(at.caption)
