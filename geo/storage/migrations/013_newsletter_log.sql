-- The newsletters' audit trail: every change to a schedule (set, paused, resumed: who and
-- when) and every round's outcome (an issue sent and to how many, a period with nothing
-- new skipped, a test send to the officer). Append-only; the page lists its latest rows.
CREATE SEQUENCE newsletter_log_ids START 1;
CREATE TABLE newsletter_log (
    id INTEGER PRIMARY KEY DEFAULT nextval('newsletter_log_ids'),
    schedule_id INTEGER,                  -- NULL for a test send without a schedule
    area_id INTEGER,                      -- NULL: the whole council
    event VARCHAR NOT NULL
        CHECK (event IN ('set', 'paused', 'resumed', 'sent', 'skipped', 'test')),
    every_days INTEGER,
    next_at TIMESTAMP,                    -- the schedule's next issue after this event
    issue_id INTEGER,
    recipients INTEGER,                   -- e-mails queued for a sent issue or a test
    period_start DATE,
    period_end DATE,
    actor VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX newsletter_log_area_idx ON newsletter_log (area_id, changed_at);
