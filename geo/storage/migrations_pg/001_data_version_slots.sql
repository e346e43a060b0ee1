-- PostgreSQL's addition to migration 001 (run right after it): the data version, the cache
-- key of the public map layers, spread over 16 rows. A write bumps one chosen at random, so
-- writers on several replicas do not queue on one row's lock; the version is their sum.
ALTER TABLE data_version ADD COLUMN slot SMALLINT;
UPDATE data_version SET slot = 0;
ALTER TABLE data_version ADD PRIMARY KEY (slot);
INSERT INTO data_version (slot, version) SELECT s, 0 FROM generate_series(1, 15) AS s;
