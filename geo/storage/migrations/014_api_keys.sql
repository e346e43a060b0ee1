-- Keys for the HTTP API (Open311 and the other /api routes): a partner app sends one with
-- each request. Only the SHA-256 of the key is kept, so a copy of the database gives nobody
-- a working key; the key itself is shown once, to the administrator who issues it. A
-- revoked key stays, with who revoked it and when, so the list answers "who had access".
CREATE SEQUENCE api_key_ids START 1;
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY DEFAULT nextval('api_key_ids'),
    name VARCHAR NOT NULL,                -- whose app it is, in the administrator's words
    key_hash VARCHAR NOT NULL UNIQUE,     -- hex SHA-256 of the key
    scopes VARCHAR[] NOT NULL,            -- read, write
    created_by VARCHAR NOT NULL,          -- the administrator's login
    created_at TIMESTAMP NOT NULL,
    last_used TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_by VARCHAR
);
