-- DuckDB's names for what PostgreSQL spells otherwise, so the services' SQL runs unchanged on
-- both stores. Applied at every start (everything is CREATE OR REPLACE), under the migration
-- lock, in the schema safeplay_compat, which comes first on the search path.
--
-- The geometry constructors are shadowed here to give SRID 4326: the geometry(…, 4326)
-- columns refuse SRID 0, and PostGIS refuses to compare geometries of different SRIDs.
-- PostGIS's own functions stay reachable as public.ST_… (and the 5-argument envelope, the
-- 3-argument point and the 2-argument WKB reader are not shadowed at all).
CREATE SCHEMA IF NOT EXISTS safeplay_compat;

CREATE OR REPLACE FUNCTION safeplay_compat.st_point(x double precision, y double precision)
RETURNS geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.ST_SetSRID(public.ST_MakePoint(x, y), 4326) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.st_makeenvelope(
    xmin double precision, ymin double precision, xmax double precision, ymax double precision)
RETURNS geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.ST_MakeEnvelope(xmin, ymin, xmax, ymax, 4326) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.st_geomfromwkb(wkb bytea)
RETURNS geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.ST_GeomFromWKB(wkb, 4326) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.st_geomfromtext(wkt text)
RETURNS geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.ST_GeomFromText(wkt, 4326) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.st_aswkb(geom geometry)
RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.ST_AsBinary(geom) $$;

-- The radius filter measures through Store.metres_from (geography here), no longer through
-- a stand-in for DuckDB's ST_Transform; databases that had it lose it.
DROP FUNCTION IF EXISTS safeplay_compat.st_transform(geometry, text, text, boolean);

-- DuckDB rounds a double to some digits; PostgreSQL only a numeric (the radius filter's
-- distances failed there for want of this).
CREATE OR REPLACE FUNCTION safeplay_compat.round(value double precision, digits integer)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT pg_catalog.round(value::numeric, digits)::double precision $$;

-- DuckDB names geometry types in capitals without the prefix: POLYGON, not ST_Polygon.
CREATE OR REPLACE FUNCTION safeplay_compat.st_geometrytype(geom geometry)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT upper(substr(public.ST_GeometryType(geom), 4)) $$;

-- DuckDB's area on the spheroid takes latitude, longitude order (hence its callers' flip).
CREATE OR REPLACE FUNCTION safeplay_compat.st_area_spheroid(geom geometry)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.ST_Area(public.ST_SetSRID(public.ST_FlipCoordinates(geom), 4326)::geography) $$;

-- Lists. Python's ints travel as bigint and its strings as text; SQL that casts its list
-- (?::INTEGER[]) gets integer[]. A smaller integer column widens on the way in.
CREATE OR REPLACE FUNCTION safeplay_compat.list_contains(list integer[], item integer)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT item = ANY(list) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.list_contains(list bigint[], item bigint)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT item = ANY(list) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.list_contains(list text[], item text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT item = ANY(list) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.len(list bigint[])
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT cardinality(list) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.len(list integer[])
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT cardinality(list) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.len(list text[])
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT cardinality(list) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.to_days(days integer)
RETURNS interval LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT make_interval(days => days) $$;

CREATE OR REPLACE FUNCTION safeplay_compat.epoch(moment timestamp)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT extract(epoch FROM moment)::double precision $$;

CREATE OR REPLACE FUNCTION safeplay_compat.contains(haystack text, needle text)
RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT strpos(haystack, needle) > 0 $$;

-- any_value arrived in PostgreSQL 16; on 15 it is this aggregate (the first non-null value).
CREATE OR REPLACE FUNCTION safeplay_compat.first_present(kept anyelement, offered anyelement)
RETURNS anyelement LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(kept, offered) $$;

CREATE OR REPLACE AGGREGATE safeplay_compat.any_value(anyelement) (
    SFUNC = safeplay_compat.first_present, STYPE = anyelement);
