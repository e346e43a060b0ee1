-- Failed sign-ins for logins that have no account, so that they lock exactly like real
-- ones: the lock-out must not tell anybody which logins exist.
CREATE TABLE login_throttle (
    login TEXT PRIMARY KEY,
    failed_attempts INTEGER NOT NULL,
    locked_until TIMESTAMP
);
