-- Signed-in sessions. The browser holds a random token in an HttpOnly cookie; only its
-- SHA-256 hash is stored, so a copy of the database cannot be used to sign in. An ended
-- session keeps its row (with why it ended) so the person can be told.
CREATE SEQUENCE session_ids START 1;
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY DEFAULT nextval('session_ids'),
    token_hash TEXT NOT NULL UNIQUE,     -- hex SHA-256 of the cookie's token
    user_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,          -- the absolute end, whatever the activity
    ended_at TIMESTAMP,
    end_reason TEXT                      -- words for the person: "your password was changed"
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
