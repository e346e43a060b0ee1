-- Guardian consent's audit trail: every time an administrator recorded or withdrew a
-- parent's or guardian's consent to e-mail a young person's account (who, when). The users
-- row holds only the consent in force, and withdrawing clears it; without this table, who
-- had recorded a withdrawn consent was lost. Append-only.
CREATE SEQUENCE consent_log_ids START 1;
CREATE TABLE consent_log (
    id INTEGER PRIMARY KEY DEFAULT nextval('consent_log_ids'),
    user_id INTEGER NOT NULL,
    event VARCHAR NOT NULL CHECK (event IN ('recorded', 'withdrawn')),
    actor VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX consent_log_user_idx ON consent_log (user_id, changed_at);
