"""What a person follows, in words: each kind named, and why SafePlay follows a thing for
them; and where a notice's link may lead."""

import shapely

from geo.notify import follows
from geo.notify.follow_words import followed_things
from geo.permissions import VISITOR
from tests.unit.conftest import NOW
from tests.unit.test_proposals import submitted
from ui.inbox import link_target, menu_title
from ui.pages_table import PAGES


def words(town, actor):
    return [thing.words for thing in followed_things(town.store, actor)]


def test_each_kind_is_named_in_words(town):
    follows.follow(town.store, town.resident, "place", NOW, town.playground_id)
    follows.follow(town.store, town.resident, "area", NOW, town.west_id)
    follows.follow(town.store, town.resident, "council", NOW)
    follows.follow(
        town.store,
        town.resident,
        "shape",
        NOW,
        drawn=shapely.box(-1.04, 52.01, -1.02, 52.03),
        label="My street",
    )
    follows.follow(town.store, town.resident, "radius", NOW, centre=(-0.96, 52.04), radius_m=500)
    assert words(town, town.resident) == [
        "Mill Lane Playground (play area)",
        "West (ward)",
        "The whole council",
        "My street (drawn area)",
        "500 m around a point",
    ]


def test_automatic_follows_say_why(town):
    proposal_id = submitted(town)
    with town.store.write() as cursor:
        follows.follow_automatically(
            cursor, [town.leader.user_id, town.resident.user_id], "initiative", proposal_id, NOW
        )
        cursor.execute(
            "INSERT INTO supports (initiative_id, user_id, created_at) VALUES (?, ?, ?)",
            [proposal_id, town.resident.user_id, NOW],
        )
    assert words(town, town.leader)[0].endswith("(proposal), because you proposed it")
    assert words(town, town.resident)[0].endswith("(proposal), because you support it")
    assert followed_things(town.store, VISITOR) == []


def test_a_notice_link_leads_only_to_a_page_the_reader_may_open(town):
    page, query = link_target("proposals?id=12", town.resident)
    assert page.url_path == "proposals" and query == {"id": "12"}
    assert link_target("review?id=12", town.resident) is None  # staff only
    assert link_target("https://evil.example/proposals?id=1", town.resident) is None
    assert link_target("//evil.example/proposals", town.resident) is None
    assert link_target("no_such_page", town.resident) is None
    assert link_target(None, town.resident) is None


def test_the_inbox_title_carries_the_unread_count_only():
    inbox = next(page for page in PAGES if page.url_path == "inbox")
    others = next(page for page in PAGES if page.url_path == "proposals")
    assert menu_title(inbox, 3) == "Inbox (3)"
    assert menu_title(inbox, 0) == "Inbox"
    assert menu_title(others, 3) == "Proposals"
