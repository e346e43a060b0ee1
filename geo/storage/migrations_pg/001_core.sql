-- PostgreSQL + PostGIS twin of migrations/001_core.sql (same tables, same columns).
-- Core tables: boundaries, play areas, initiatives and their audit trail.
-- Geometry is EPSG:4326 longitude/latitude. Membership of places and initiatives in areas
-- is computed on write (geo/membership.py) so filtering by ward is an indexed equality.

CREATE SEQUENCE area_ids START 1;
CREATE TABLE areas (
    id INTEGER PRIMARY KEY DEFAULT nextval('area_ids'),
    level TEXT NOT NULL,               -- ward, district, neighbourhood, borough, council…
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    population INTEGER,
    child_population INTEGER,
    source TEXT NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL,
    UNIQUE (level, code)
);
CREATE INDEX areas_geom_idx ON areas USING GIST (geom);

CREATE SEQUENCE place_ids START 1;
CREATE TABLE places (
    id INTEGER PRIMARY KEY DEFAULT nextval('place_ids'),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    min_age SMALLINT,
    max_age SMALLINT,
    surface TEXT,
    fenced BOOLEAN,
    lit BOOLEAN,
    wheelchair TEXT CHECK (wheelchair IN ('yes', 'limited', 'no')),
    access TEXT,
    fee BOOLEAN,
    opening_hours TEXT,
    equipment TEXT[] NOT NULL DEFAULT '{}',
    operator TEXT,
    description TEXT,
    source TEXT NOT NULL,              -- demo, osm, the imported file's name, community…
    source_ref TEXT,                   -- the id in that source (OSM way/123, Prop_ID…)
    last_inspection DATE,
    inspection_result TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    geom geometry(Geometry, 4326) NOT NULL,
    CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age)
);
CREATE INDEX places_geom_idx ON places USING GIST (geom);
CREATE INDEX places_source_idx ON places (source, source_ref);

-- A place belongs to the area (one per level) that holds its representative point, so
-- per-ward counts add up to the total.
CREATE TABLE place_areas (
    place_id INTEGER NOT NULL,
    area_id INTEGER NOT NULL
);
CREATE INDEX place_areas_area_idx ON place_areas (area_id);
CREATE INDEX place_areas_place_idx ON place_areas (place_id);

CREATE SEQUENCE initiative_ids START 1;
CREATE TABLE initiatives (
    id INTEGER PRIMARY KEY DEFAULT nextval('initiative_ids'),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    proposer TEXT NOT NULL,            -- the proposing person or organisation as shown
    partners TEXT[] NOT NULL DEFAULT '{}',
    goals TEXT[] NOT NULL DEFAULT '{}',
    min_age SMALLINT,
    max_age SMALLINT,
    budget DECIMAL(12, 2),
    start_date DATE,
    end_date DATE,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    geom geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX initiatives_geom_idx ON initiatives USING GIST (geom);
CREATE INDEX initiatives_status_idx ON initiatives (status);

-- An initiative (a route, a play street) belongs to every area it touches.
CREATE TABLE initiative_areas (
    initiative_id INTEGER NOT NULL,
    area_id INTEGER NOT NULL
);
CREATE INDEX initiative_areas_area_idx ON initiative_areas (area_id);
CREATE INDEX initiative_areas_initiative_idx ON initiative_areas (initiative_id);

-- Append-only audit trail of every lifecycle transition.
CREATE SEQUENCE status_change_ids START 1;
CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY DEFAULT nextval('status_change_ids'),
    initiative_id INTEGER NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX status_changes_initiative_idx ON status_changes (initiative_id);

-- Bumped by every write so caches of public layers know when to refresh. Spread over 16
-- rows: a write bumps one chosen at random, so writers on several replicas do not queue on
-- one row's lock; the version is the sum, which every replica reads afresh.
CREATE TABLE data_version (slot SMALLINT PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO data_version (slot, version) SELECT s, 0 FROM generate_series(0, 15) AS s;
