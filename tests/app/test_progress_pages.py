"""Progress pages in AppTest: the leader's "what needs me now" and posting a check-in."""

from geo.accountability import progress
from geo.escape import for_markdown
from tests.app.conftest import open_page, person, read
from ui.common import store
from ui.session import utc_now


def test_what_needs_me_now_lists_the_leaders_late_work(database):
    leo = person("leo@demo.example")
    urgent = progress.needs_me(store(), leo, utc_now())
    at = open_page(leo, "app_pages/needs_me.py")
    if urgent.empty:
        assert any("Nothing is waiting for you" in s.value for s in at.success)
    else:
        assert at.dataframe[0].value["No."].tolist() == urgent["id"].tolist()


def test_the_leader_posts_a_check_in_and_it_joins_the_timeline(database):
    leo = person("leo@demo.example")
    state = progress.tracking_state(store(), utc_now())
    mine = state[(state["owner_id"] == leo.user_id) & (state["status"] == "in_progress")]
    chosen = int(mine["id"].iloc[0])
    at = open_page(leo, "app_pages/initiatives_under_way.py", id=str(chosen))
    happened = next(t for t in at.text_area if t.label == "What happened since the last check-in")
    happened.input("Swings repainted by the Saturday volunteers.")
    next(b for b in at.button if b.label == "Post check-in").click().run()
    assert not at.exception
    assert any("Check-in posted." in read(s.value) for s in at.success)
    story = at.table[0].value
    posted = for_markdown("Swings repainted by the Saturday volunteers.")
    assert posted in " ".join(story["Details"])

    rosa = person("rosa@demo.example")
    resident_view = open_page(rosa, "app_pages/initiatives_under_way.py", id=str(chosen))
    labels = [t.label for t in resident_view.text_area]
    assert "What happened since the last check-in" not in labels  # residents only read
