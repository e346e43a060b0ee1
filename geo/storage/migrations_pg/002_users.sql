-- Accounts. Passwords are stored only as argon2id hashes; a council account may be limited
-- to some wards (user_wards); no rows there means the whole council area.
CREATE SEQUENCE user_ids START 1;
CREATE TABLE users (
    id INTEGER PRIMARY KEY DEFAULT nextval('user_ids'),
    login TEXT NOT NULL UNIQUE,          -- stored lower-case
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('resident', 'leader', 'council', 'admin')),
    password_hash TEXT,                  -- NULL for single-sign-on accounts
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_login TIMESTAMP,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP
);
CREATE TABLE user_wards (
    user_id INTEGER NOT NULL,
    area_id INTEGER NOT NULL
);
CREATE INDEX user_wards_user_idx ON user_wards (user_id);
