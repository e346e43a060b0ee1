"""One initiative's whole story in order: decisions, milestones done, check-ins, comments."""

from __future__ import annotations

import pandas as pd

from geo.storage.db import Store
from geo.vocabulary import STATUS_STEPS, label

_STORY = """
    SELECT changed_at AS "when", 'Decision' AS what, actor AS who,
           to_status AS status, coalesce(reason, '') AS detail
    FROM status_changes WHERE initiative_id = $id
    UNION ALL
    SELECT done_at, 'Milestone done', coalesce(owner, created_by), NULL,
           title || coalesce(': ' || done_note, '')
    FROM milestones WHERE initiative_id = $id AND done_at IS NOT NULL
    UNION ALL
    SELECT created_at, 'Check-in', author_name, NULL,
           happened || coalesce(' Blocked: ' || blocked, '')
           || coalesce(' Next: ' || next_step, '')
           || coalesce(' (' || progress || '%)', '')
    FROM checkins WHERE initiative_id = $id
    UNION ALL
    SELECT created_at, 'Comment', author_name, NULL, body
    FROM comments WHERE initiative_id = $id AND state = 'published'
    ORDER BY 1, 2
"""


def for_initiative(store: Store, initiative_id: int) -> pd.DataFrame:
    """The public story of one initiative, oldest first, as a plain table."""
    story = store.frame(_STORY, {"id": initiative_id})
    story["what"] = [
        label(STATUS_STEPS, status) if what == "Decision" else what
        for what, status in zip(story["what"], story["status"], strict=True)
    ]
    story["when"] = pd.to_datetime(story["when"]).dt.strftime("%d %b %Y")
    return story.drop(columns="status").rename(
        columns={"when": "When", "what": "What", "who": "Who", "detail": "Details"}
    )
