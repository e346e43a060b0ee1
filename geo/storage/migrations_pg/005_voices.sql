-- Voices (anonymous ideas and worries, children's included), concern reports, safety
-- inspections and community events. No table holds a precise point from an anonymous
-- person: only the ward and a point generalised to a coarse grid are kept.

CREATE SEQUENCE voice_ids START 1;
CREATE TABLE voices (
    id INTEGER PRIMARY KEY DEFAULT nextval('voice_ids'),
    text TEXT NOT NULL,                -- redacted: the only version that can be published
    original TEXT,                     -- kept for the moderator, deleted at the decision
    redactions TEXT[] NOT NULL,        -- what was taken out, as "kind: text"
    theme TEXT NOT NULL,
    age_band TEXT CHECK (age_band IS NULL OR age_band IN ('under_12', '12_17', 'adult')),
    child_mode BOOLEAN NOT NULL,
    area_id INTEGER,
    place_id INTEGER,
    lon DOUBLE PRECISION,                           -- generalised (grid cell centre), never precise
    lat DOUBLE PRECISION,
    state TEXT NOT NULL CHECK (state IN ('pending', 'published', 'hidden')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX voices_area_idx ON voices (area_id);

CREATE SEQUENCE concern_ids START 1;
CREATE TABLE concerns (
    id INTEGER PRIMARY KEY DEFAULT nextval('concern_ids'),
    place_id INTEGER NOT NULL,
    area_id INTEGER,
    category TEXT NOT NULL,
    text TEXT NOT NULL,                -- redacted; shown to the council only
    status TEXT NOT NULL,
    public_note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX concerns_place_idx ON concerns (place_id);
CREATE INDEX concerns_area_idx ON concerns (area_id);

-- Every moderation decision and concern status change: who, when, why.
CREATE SEQUENCE moderation_log_ids START 1;
CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY DEFAULT nextval('moderation_log_ids'),
    item_kind TEXT NOT NULL,           -- voice, concern
    item_id INTEGER NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    changed_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE inspection_ids START 1;
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY DEFAULT nextval('inspection_ids'),
    place_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('routine', 'operational', 'annual')),
    inspected_on DATE NOT NULL,
    inspector TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pass', 'defects', 'closed')),
    defects TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX inspections_place_idx ON inspections (place_id);
CREATE TABLE inspection_schedules (
    place_id INTEGER PRIMARY KEY,
    routine_days INTEGER NOT NULL,
    operational_days INTEGER NOT NULL,
    annual_days INTEGER NOT NULL
);

CREATE SEQUENCE event_ids START 1;
CREATE TABLE events (
    id INTEGER PRIMARY KEY DEFAULT nextval('event_ids'),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP,
    organiser TEXT NOT NULL,
    initiative_id INTEGER,
    summary TEXT,                      -- a short public account, after the event
    created_by INTEGER,
    created_at TIMESTAMP NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX events_geom_idx ON events USING GIST (geom);
