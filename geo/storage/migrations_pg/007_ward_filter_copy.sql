-- The ward filter answers from the membership table alone: each row carries a copy of its
-- initiative's status and last update (geo.membership keeps them equal on every write), so
-- a ward's initiatives, newest first, are found without scanning every initiative.
ALTER TABLE initiative_areas ADD COLUMN status TEXT;
ALTER TABLE initiative_areas ADD COLUMN updated_at TIMESTAMP;
UPDATE initiative_areas SET status = i.status, updated_at = i.updated_at
FROM initiatives i WHERE i.id = initiative_areas.initiative_id;
