-- Following and being told: what people follow, their in-app notices, the e-mail outbox
-- (written in the transaction of the change that caused it), per-kind e-mail choices, the
-- ward newsletters' schedules and issues, and the key that signs unsubscribe links.

-- Where a person's notices may be e-mailed. Never shown to anyone else. A young person's
-- account takes no address unless a guardian's consent is recorded (who recorded it, when).
ALTER TABLE users ADD COLUMN email VARCHAR;
ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;   -- the confirmation link was opened
ALTER TABLE users ADD COLUMN email_stopped_at TIMESTAMP;     -- after repeated failures
ALTER TABLE users ADD COLUMN guardian_consent_at TIMESTAMP;
ALTER TABLE users ADD COLUMN guardian_consent_by VARCHAR;

-- A concern's reporter: a signed-in account, or nobody, with the SHA-256 of a private
-- tracking code given to an anonymous reporter instead of asking for an address.
ALTER TABLE concerns ADD COLUMN reporter_id INTEGER;
ALTER TABLE concerns ADD COLUMN tracking_hash VARCHAR;

-- What a person follows. initiative / place / area name a row by id; 'council' is the
-- whole council; 'shape' is an area drawn on the map and 'radius' a circle around a point,
-- both kept as a polygon in geom. Automatic follows (proposer, partner member, supporter)
-- are rows too; stopping one keeps the row with stopped_at, so it is not added again.
CREATE SEQUENCE follow_ids START 1;
CREATE TABLE follows (
    id INTEGER PRIMARY KEY DEFAULT nextval('follow_ids'),
    user_id INTEGER NOT NULL,
    target_kind VARCHAR NOT NULL
        CHECK (target_kind IN ('initiative', 'place', 'area', 'council', 'shape', 'radius')),
    target_id INTEGER,
    label VARCHAR,                        -- the person's own name for a drawn area
    lon DOUBLE,                           -- a radius's centre and size, as chosen
    lat DOUBLE,
    radius_m DOUBLE,
    automatic BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    stopped_at TIMESTAMP,
    geom GEOMETRY
);
CREATE INDEX follows_user_idx ON follows (user_id);
CREATE INDEX follows_target_idx ON follows (target_kind, target_id);

-- The in-app inbox: one row per recipient. Subject and body are plain text that may hold
-- other people's words (a title, a reason); they are escaped where they are shown.
-- dedupe_key makes a notice once per person (an overdue milestone, a day's queue count).
CREATE SEQUENCE notice_ids START 1;
CREATE TABLE notices (
    id INTEGER PRIMARY KEY DEFAULT nextval('notice_ids'),
    user_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    link VARCHAR,                         -- the app path it is about, e.g. 'proposals?id=12'
    initiative_id INTEGER,
    place_id INTEGER,
    area_id INTEGER,
    dedupe_key VARCHAR,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notices_user_idx ON notices (user_id);
CREATE UNIQUE INDEX notices_once_idx ON notices (user_id, dedupe_key);

-- How each person wants each kind of notice by e-mail: now, daily, weekly or off. No row:
-- the kind's default (geo/notify/kinds.py).
CREATE TABLE email_choices (
    user_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    choice VARCHAR NOT NULL CHECK (choice IN ('now', 'daily', 'weekly', 'off')),
    PRIMARY KEY (user_id, kind)
);

-- Ward newsletters (area_id NULL: the whole council) e-mailed on a schedule an officer sets.
CREATE SEQUENCE newsletter_schedule_ids START 1;
CREATE TABLE newsletter_schedules (
    id INTEGER PRIMARY KEY DEFAULT nextval('newsletter_schedule_ids'),
    area_id INTEGER,
    every_days INTEGER NOT NULL CHECK (every_days BETWEEN 7 AND 92),
    next_at TIMESTAMP NOT NULL,
    last_sent_at TIMESTAMP,
    active BOOLEAN NOT NULL,
    set_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX newsletter_schedules_area_idx ON newsletter_schedules (area_id);
-- One issue as it was sent: its text and HTML are built once for every subscriber.
CREATE SEQUENCE newsletter_issue_ids START 1;
CREATE TABLE newsletter_issues (
    id INTEGER PRIMARY KEY DEFAULT nextval('newsletter_issue_ids'),
    schedule_id INTEGER,                  -- NULL for a test send
    area_id INTEGER,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    subject VARCHAR NOT NULL,
    text_body VARCHAR NOT NULL,
    html_body VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- E-mails waiting to go. A row is written in the same transaction as the change that
-- caused it, so a rolled-back change sends nothing and a crash loses nothing. One e-mail is
-- one notice (batch 'now'), a person's due notices of a digest ('daily', 'weekly'), or a
-- newsletter issue. A sender claims rows by moving them waiting -> sending with a
-- compare-and-set, so two senders never send one row.
CREATE SEQUENCE outbox_ids START 1;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY DEFAULT nextval('outbox_ids'),
    user_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    batch VARCHAR NOT NULL CHECK (batch IN ('now', 'daily', 'weekly', 'newsletter')),
    notice_id INTEGER,
    issue_id INTEGER,
    state VARCHAR NOT NULL CHECK (state IN ('waiting', 'sending', 'sent', 'failed', 'dropped')),
    due_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by VARCHAR,
    claimed_at TIMESTAMP,
    last_error VARCHAR,
    sent_at TIMESTAMP,
    message_id VARCHAR,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_state_idx ON outbox (state, due_at);
CREATE INDEX outbox_user_idx ON outbox (user_id);

-- Settings the app keeps for itself across processes (the unsubscribe signing key).
CREATE TABLE app_settings (
    name VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
