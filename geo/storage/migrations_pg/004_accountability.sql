-- Shared accountability: milestones, check-ins, partners, recognition.

ALTER TABLE initiatives ADD COLUMN checkin_every_days INTEGER;   -- NULL: the default cadence

CREATE SEQUENCE milestone_ids START 1;
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY DEFAULT nextval('milestone_ids'),
    initiative_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    owner TEXT,                       -- a partner or a person, as shown
    due_date DATE,
    done_at TIMESTAMP,
    done_note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX milestones_initiative_idx ON milestones (initiative_id);

CREATE SEQUENCE checkin_ids START 1;
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY DEFAULT nextval('checkin_ids'),
    initiative_id INTEGER NOT NULL,
    author_id INTEGER,
    author_name TEXT NOT NULL,
    progress SMALLINT CHECK (progress IS NULL OR progress BETWEEN 0 AND 100),
    happened TEXT NOT NULL,
    blocked TEXT,
    next_step TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX checkins_initiative_idx ON checkins (initiative_id);

-- Organisations that take part; linked to initiatives by the name in initiatives.partners.
CREATE SEQUENCE partner_ids START 1;
CREATE TABLE partners (
    id INTEGER PRIMARY KEY DEFAULT nextval('partner_ids'),
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    description TEXT,
    contact TEXT,                     -- public contact, only if the partner gives one
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE partner_wards (partner_id INTEGER NOT NULL, area_id INTEGER NOT NULL);
CREATE TABLE partner_members (partner_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
                              PRIMARY KEY (partner_id, user_id));

-- Consent to be named in thank-you rolls (revocable); minors are never named.
ALTER TABLE users ADD COLUMN named_consent_at TIMESTAMP;
ALTER TABLE users ADD COLUMN is_minor BOOLEAN;

-- People thanked on an initiative who may have no account (a volunteer, a caretaker).
CREATE SEQUENCE thanks_ids START 1;
CREATE TABLE thanks (
    id INTEGER PRIMARY KEY DEFAULT nextval('thanks_ids'),
    initiative_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    contribution TEXT NOT NULL,
    adult_confirmed BOOLEAN NOT NULL,
    consent_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    added_by TEXT NOT NULL
);
CREATE INDEX thanks_initiative_idx ON thanks (initiative_id);
