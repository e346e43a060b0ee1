-- Children per area by age band (Wales's bands, which the other frameworks' bands are read
-- from), and the council's play sufficiency assessments: one per framework and period, a
-- rating with evidence per criterion, the action plan, and every change — who, when, why.
CREATE TABLE area_age_bands (
    area_id INTEGER NOT NULL,
    band VARCHAR NOT NULL,                -- 0-3, 4-7, 8-12, 13-15, 16-17
    children INTEGER NOT NULL,
    PRIMARY KEY (area_id, band)
);

CREATE SEQUENCE sufficiency_assessment_ids START 1;
CREATE TABLE sufficiency_assessments (
    id INTEGER PRIMARY KEY DEFAULT nextval('sufficiency_assessment_ids'),
    framework VARCHAR NOT NULL,           -- wales, scotland, london
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    ward_ids INTEGER[] NOT NULL DEFAULT [],   -- empty: the whole council area
    status VARCHAR NOT NULL CHECK (status IN ('draft', 'final')),
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (period_start <= period_end)
);

CREATE TABLE sufficiency_ratings (
    assessment_id INTEGER NOT NULL,
    criterion VARCHAR NOT NULL,
    rating VARCHAR NOT NULL CHECK (rating IN ('red', 'amber', 'green')),
    evidence VARCHAR NOT NULL,
    rated_by VARCHAR NOT NULL,
    rated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, criterion)
);

CREATE SEQUENCE sufficiency_action_ids START 1;
CREATE TABLE sufficiency_actions (
    id INTEGER PRIMARY KEY DEFAULT nextval('sufficiency_action_ids'),
    assessment_id INTEGER NOT NULL,
    criterion VARCHAR NOT NULL,
    what VARCHAR NOT NULL,
    who VARCHAR NOT NULL,
    due DATE NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sufficiency_actions_assessment_idx ON sufficiency_actions (assessment_id);

-- Append-only: the assessment created and finalised, each rating set or changed, each action.
CREATE SEQUENCE sufficiency_change_ids START 1;
CREATE TABLE sufficiency_changes (
    id INTEGER PRIMARY KEY DEFAULT nextval('sufficiency_change_ids'),
    assessment_id INTEGER NOT NULL,
    item VARCHAR NOT NULL,                -- status, rating:<criterion>, action:<criterion>
    from_value VARCHAR,
    to_value VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    reason VARCHAR,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX sufficiency_changes_assessment_idx ON sufficiency_changes (assessment_id);
