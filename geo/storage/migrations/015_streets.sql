-- The walkable street network read from an OpenStreetMap extract (geo/streets): one network
-- per database, replaced whole on re-import. Nodes and edges are plain numbers, read back
-- in one go into arrays (no geometry per edge: two node indices and a length are all a
-- shortest-path search needs). Points, areas and barriers keep their shapes.
CREATE TABLE street_networks (
    source VARCHAR NOT NULL,              -- the extract's file name
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR NOT NULL,         -- the login, or command-line
    nodes INTEGER NOT NULL,
    edges INTEGER NOT NULL,
    components INTEGER NOT NULL,          -- connected pieces kept (an island of paths is one)
    length_km DOUBLE NOT NULL,
    dropped_fragments INTEGER NOT NULL    -- pieces under 5 nodes left out
);
CREATE TABLE street_nodes (
    idx INTEGER NOT NULL,                 -- 0..n-1, the position in StreetNetwork.lon/lat
    lon DOUBLE NOT NULL,
    lat DOUBLE NOT NULL
);
CREATE TABLE street_edges (
    idx INTEGER NOT NULL,
    u INTEGER NOT NULL,
    v INTEGER NOT NULL,
    length_m DOUBLE NOT NULL,             -- along the ground, on the WGS 84 ellipsoid
    steps BOOLEAN NOT NULL
);
CREATE TABLE street_points (
    role VARCHAR NOT NULL CHECK (role IN ('entrance', 'home')),
    kind VARCHAR NOT NULL,                -- entrance, gate; or the building tag of a home
    geom GEOMETRY NOT NULL
);
CREATE TABLE street_areas (
    kind VARCHAR NOT NULL,                -- residential
    geom GEOMETRY NOT NULL
);
CREATE TABLE street_barriers (
    kind VARCHAR NOT NULL,                -- a key of geo.streets.network.BARRIER_WORDS
    name VARCHAR,                         -- the OSM name, when it has one
    geom GEOMETRY NOT NULL
);
