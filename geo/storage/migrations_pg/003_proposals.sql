-- Proposals: who owns one, drafts opened for feedback, the versions a reviewer compares,
-- and residents' feedback (supports, comments, flags) with its moderation trail.
-- The new initiative columns are plain, as in the DuckDB twin (which cannot add constraints).
ALTER TABLE initiatives ADD COLUMN owner_id INTEGER;            -- the proposing account
ALTER TABLE initiatives ADD COLUMN open_for_feedback BOOLEAN;   -- drafts shown for comment
CREATE INDEX initiatives_owner_idx ON initiatives (owner_id);

-- A snapshot of a proposal each time it is submitted, so the reviewer sees what changed.
CREATE TABLE proposal_versions (
    initiative_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    kind TEXT NOT NULL,
    partners TEXT[] NOT NULL,
    goals TEXT[] NOT NULL,
    min_age SMALLINT,
    max_age SMALLINT,
    budget DECIMAL(12, 2),
    start_date DATE,
    end_date DATE,
    geom geometry(Geometry, 4326) NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (initiative_id, version)
);

CREATE TABLE supports (
    initiative_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (initiative_id, user_id)
);

CREATE SEQUENCE comment_ids START 1;
CREATE TABLE comments (
    id INTEGER PRIMARY KEY DEFAULT nextval('comment_ids'),
    initiative_id INTEGER NOT NULL,
    reply_to INTEGER,
    author_id INTEGER NOT NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    -- pending: held for a moderator; flagged: hidden by flags until a moderator looks
    state TEXT NOT NULL CHECK (state IN ('pending', 'published', 'flagged', 'hidden')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX comments_initiative_idx ON comments (initiative_id);
CREATE INDEX comments_state_idx ON comments (state);

CREATE TABLE comment_flags (
    comment_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

-- Append-only: every change of a comment's state (held, published, hidden by flags or by
-- a moderator) with who, when and why.
CREATE SEQUENCE comment_change_ids START 1;
CREATE TABLE comment_changes (
    id INTEGER PRIMARY KEY DEFAULT nextval('comment_change_ids'),
    comment_id INTEGER NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX comment_changes_comment_idx ON comment_changes (comment_id);
