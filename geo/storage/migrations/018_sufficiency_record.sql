-- A final play sufficiency assessment keeps the report as it was finalised (the document's
-- blocks and map data as JSON): the figures behind a draft are read afresh at each
-- download, but the published statutory record must not change when the data does.
ALTER TABLE sufficiency_assessments ADD COLUMN final_report VARCHAR;
