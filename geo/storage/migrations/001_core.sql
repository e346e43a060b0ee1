-- Core tables: boundaries, play areas, initiatives and their audit trail.
-- Geometry is EPSG:4326 longitude/latitude. Membership of places and initiatives in areas
-- is computed on write (geo/membership.py) so filtering by ward is an indexed equality.

CREATE SEQUENCE area_ids START 1;
CREATE TABLE areas (
    id INTEGER PRIMARY KEY DEFAULT nextval('area_ids'),
    level VARCHAR NOT NULL,               -- ward, district, neighbourhood, borough, council…
    code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    population INTEGER,
    child_population INTEGER,
    source VARCHAR NOT NULL,
    geom GEOMETRY NOT NULL,
    UNIQUE (level, code)
);
CREATE INDEX areas_geom_idx ON areas USING RTREE (geom);

CREATE SEQUENCE place_ids START 1;
CREATE TABLE places (
    id INTEGER PRIMARY KEY DEFAULT nextval('place_ids'),
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    min_age SMALLINT,
    max_age SMALLINT,
    surface VARCHAR,
    fenced BOOLEAN,
    lit BOOLEAN,
    wheelchair VARCHAR CHECK (wheelchair IN ('yes', 'limited', 'no')),
    access VARCHAR,
    fee BOOLEAN,
    opening_hours VARCHAR,
    equipment VARCHAR[] NOT NULL DEFAULT [],
    operator VARCHAR,
    description VARCHAR,
    source VARCHAR NOT NULL,              -- demo, osm, the imported file's name, community…
    source_ref VARCHAR,                   -- the id in that source (OSM way/123, Prop_ID…)
    last_inspection DATE,
    inspection_result VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    geom GEOMETRY NOT NULL,
    CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age)
);
CREATE INDEX places_geom_idx ON places USING RTREE (geom);
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
    title VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    proposer VARCHAR NOT NULL,            -- the proposing person or organisation as shown
    partners VARCHAR[] NOT NULL DEFAULT [],
    goals VARCHAR[] NOT NULL DEFAULT [],
    min_age SMALLINT,
    max_age SMALLINT,
    budget DECIMAL(12, 2),
    start_date DATE,
    end_date DATE,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    geom GEOMETRY NOT NULL
);
CREATE INDEX initiatives_geom_idx ON initiatives USING RTREE (geom);
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
    from_status VARCHAR,
    to_status VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    reason VARCHAR,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX status_changes_initiative_idx ON status_changes (initiative_id);

-- Bumped by every write so caches of public layers know when to refresh.
CREATE TABLE data_version (version BIGINT NOT NULL);
INSERT INTO data_version (version) VALUES (0);
