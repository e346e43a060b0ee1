-- One row per form render that wrote a record. The page sends the render's token with the
-- write; a second press, a double click or a rerun of the same render finds the token here
-- and gets the first record back instead of writing a twin (the primary key makes it once).
CREATE TABLE form_submissions (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                -- voice, concern, event, milestone, ...
    record_id INTEGER NOT NULL,
    submitted_at TIMESTAMP NOT NULL
);
