"""Pages read in words: no "nan" or "None", OSM codes worded, key columns first, the support
button where the reader is and only for those whose support counts."""

import re

import pandas as pd

from geo.accountability import partners
from geo.accounts.auth import create_user, load_actor
from geo.permissions import VISITOR
from geo.proposals import feedback, reading
from geo.safeguarding import concerns, voices
from tests.app.conftest import open_page, person
from ui.common import store
from ui.session import utc_now

RAW = re.compile(r"\b(nan|None|NaN|NaT|<NA>)\b")


def unescaped(text: str) -> str:
    """Markdown-escaped text (``geo.escape.for_markdown``) as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", text)


def shown_texts(at) -> list[str]:
    """Every text a person reads on the page: messages, Markdown, and every table cell."""
    texts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
        "success",
    ):
        texts += [unescaped(str(e.value)) for e in getattr(at, kind)]
    for grid in [*at.dataframe, *at.table]:
        frame: pd.DataFrame = grid.value
        texts += [str(c) for c in frame.columns]
        for value in frame.to_numpy().ravel():
            texts.append("<NA>" if value is None or pd.isna(value) else unescaped(str(value)))
    return texts


def assert_no_raw_values(at) -> None:
    raw = [t for t in shown_texts(at) if RAW.search(t)]
    assert not raw, raw


def table_with(at, column: str) -> pd.DataFrame:
    return next(t.value for t in [*at.table, *at.dataframe] if column in t.value.columns)


def test_a_concern_without_a_note_never_shows_nan_after_a_status_change(database):
    db = store()
    place_id = (
        db.cursor().execute("SELECT min(id) FROM places WHERE kind = 'playground'").fetchone()[0]
    )
    for text in ("Broken glass by the slide", "Gate does not close"):
        concerns.report_concern(db, place_id, "other", text, utc_now())

    council = open_page(person("olu@demo.example"), "app_pages/concerns.py")
    notes = [t for t in council.text_input if t.label.startswith("Public note")]
    assert [t.value for t in notes] == ["", ""]  # not "nan", which "Update" would publish
    next(s for s in council.selectbox if s.label == "Status").set_value("investigating")
    notes[0].input("Looking at it this week.")
    next(b for b in council.button if b.label == "Update").click().run()
    # One note given, one not: pandas now reads the missing one as NaN, not None.
    notes = [t for t in council.text_input if t.label.startswith("Public note")]
    assert [t.value for t in notes] == ["Looking at it this week.", ""]
    [s for s in council.selectbox if s.label == "Status"][1].set_value("investigating")
    [b for b in council.button if b.label == "Update"][1].click().run()
    assert "Write a public note of 3 to 500 characters." in [e.value for e in council.error]

    explore = open_page(VISITOR, "app_pages/explore_map.py", place=str(place_id))
    explore.button(key="explore_tables_button").click().run()  # the tables, on demand
    assert_no_raw_values(explore)
    shown = table_with(explore, "Council's note")["Council's note"].map(unescaped).tolist()
    assert shown == ["Looking at it this week.", "No note yet"]


def test_a_voice_without_a_ward_reads_in_words_in_moderation(database):
    db = store()
    ward = (
        db.cursor()
        .execute("SELECT id FROM areas WHERE level = 'ward' ORDER BY id LIMIT 1")
        .fetchone()[0]
    )
    voices.submit_voice(db, "A zebra crossing by the park", utc_now(), area_id=ward)
    voices.submit_voice(db, "More benches near the swings please", utc_now())
    at = open_page(person("olu@demo.example"), "app_pages/moderation.py")
    assert_no_raw_values(at)
    assert any("No ward" in m for m in shown_texts(at))


def test_a_partner_without_wards_or_contact_reads_in_words(database):
    partners.save_partner(
        store(), person("ada@demo.example"), "Quiet Partner", "other", None, None, (), utc_now()
    )
    at = open_page(VISITOR, "app_pages/partners.py")
    assert_no_raw_values(at)
    row = table_with(at, "Contact").set_index("Name").loc["Quiet Partner"]
    assert row["Wards"] == "Not tied to a ward" and row["Contact"] == "No public contact"


def test_initiatives_without_progress_say_so_and_timelines_name_each_step(database):
    at = open_page(VISITOR, "app_pages/initiatives_under_way.py")
    assert_no_raw_values(at)
    listed = table_with(at, "Progress")
    assert "Not reported yet" in listed["Progress"].tolist()
    approved = int(listed.loc[listed["Status"] == "Approved", "No."].iloc[0])
    at = open_page(VISITOR, "app_pages/initiatives_under_way.py", id=str(approved))
    assert_no_raw_values(at)
    story = " ".join(shown_texts(at))
    assert "Decision:" not in story and "Council approved it" in story


def test_explore_details_word_osm_values_in_a_full_height_table(database):
    place_id = (
        store()
        .cursor()
        .execute(
            "SELECT min(id) FROM places WHERE kind = 'playground' AND surface = 'rubber'"
            " AND access = 'yes' AND opening_hours = 'sunrise-sunset'"
        )
        .fetchone()[0]
    )
    at = open_page(VISITOR, "app_pages/explore_map.py", place=str(place_id))
    assert_no_raw_values(at)
    facts = table_with(at, "Details").map(unescaped).set_index("What")["Details"]
    assert facts["Access"] == "Open to everyone"
    assert facts["Opening hours"] == "Dawn to dusk"
    assert facts["Surface"] == "Rubber surface"
    assert not any("Details" in d.value.columns for d in at.dataframe)  # no scrolling box


def test_the_support_button_sits_under_the_title_and_not_for_the_reviewer(database):
    rosa, olu = person("rosa@demo.example"), person("olu@demo.example")
    listed = open_page(rosa, "app_pages/proposals.py").dataframe[0].value
    first = int(listed.loc[listed["Status"] == "Submitted for review", "No."].iloc[0])
    at = open_page(rosa, "app_pages/proposals.py", id=str(first))
    assert_no_raw_values(at)
    order = page_order(at)
    support = order.index(("button", "👍 Support this proposal"))
    assert support < order.index(("caption", "Timeline"))
    assert support < order.index(("markdown", "### Comments"))
    assert re.search(r"· (1 supporter|\d+ supporters|0 supporters) ·", " ".join(shown_texts(at)))

    review = open_page(olu, "app_pages/review.py", id=str(first))
    assert "👍 Support this proposal" not in [b.label for b in review.button]
    public = open_page(olu, "app_pages/proposals.py", id=str(first))
    assert "👍 Support this proposal" not in [b.label for b in public.button]


def page_order(at) -> list[tuple[str, str]]:
    """Buttons, captions and Markdown in the order the page draws them."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    drawn = []
    for node in walk(at.main):
        kind = getattr(node, "type", "")
        if kind == "button":
            drawn.append(("button", node.label))
        elif kind in ("markdown", "caption"):
            drawn.append((kind, node.value))
    return drawn


def test_play_gaps_show_the_ranking_column_next_to_the_ward(database):
    at = open_page(person("olu@demo.example"), "app_pages/play_gaps.py")
    ranking = at.dataframe[0].value
    assert list(ranking.columns)[:2] == ["Ward", "Children out of reach (est.)"]
    assert_no_raw_values(at)


def test_the_newsletter_preview_is_rendered_not_raw_markdown(database):
    at = open_page(VISITOR, "app_pages/newsletter.py")
    assert not any(t.value.startswith("# SafePlay news") for t in at.text)
    assert any(m.value.startswith("## SafePlay news for the whole council") for m in at.markdown)
    assert_no_raw_values(at)


def test_a_leaders_pages_read_in_words(database):
    leo = person("leo@demo.example")
    for page in ("app_pages/my_proposals.py", "app_pages/needs_me.py"):
        assert_no_raw_values(open_page(leo, page))
    mine = open_page(leo, "app_pages/my_proposals.py").dataframe[0].value
    assert list(mine.columns)[:4] == ["No.", "Title", "Status", "Latest word"]


def test_a_core_error_reads_as_a_sentence_and_fits_a_comment(database):
    db, admin = store(), person("ada@demo.example")
    newcomer = load_actor(
        db, create_user(db, admin, "nia@demo.example", "Nia", "resident", "a long password 3")
    )
    proposal_id = int(reading.open_proposals(db, newcomer)["id"].iloc[0])
    comment_id, state = feedback.add_comment(db, newcomer, proposal_id, "Hm.", utc_now())
    assert state == "pending"
    at = open_page(person("olu@demo.example"), "app_pages/moderation.py")
    at.button(key=f"hide_{comment_id}").click().run()
    assert [e.value for e in at.error] == [
        "Write a reason for hiding the comment: its author will read it."
    ]
