-- Broadcast-entry and press-award competitions (postgres). Keep in step with the other backend's
-- 0006_awards.sql. Times are Unix seconds; broadcast/publication dates are 'YYYY-MM-DD' text
-- (a calendar date in Vietnam, compared as text); scores are hundredths of a point.

CREATE TABLE award_competitions (
    id                      BIGSERIAL PRIMARY KEY,
    edition                 BIGINT    NOT NULL,
    title                   TEXT    NOT NULL,
    description             TEXT    NOT NULL DEFAULT '',
    genres                  TEXT    NOT NULL,
    window_from             TEXT    NOT NULL,
    window_to               TEXT    NOT NULL,
    deadline                BIGINT    NOT NULL,
    max_entries_per_author  BIGINT    NOT NULL,
    max_file_mb             BIGINT    NOT NULL,
    required_fields         TEXT    NOT NULL DEFAULT '',
    prize_scope             TEXT    NOT NULL DEFAULT 'overall',
    prize_plan              TEXT    NOT NULL,
    rubric_preliminary      TEXT    NOT NULL,
    rubric_final            TEXT    NOT NULL,
    judges_per_entry        BIGINT    NOT NULL DEFAULT 3,
    aggregation             TEXT    NOT NULL DEFAULT 'mean',
    trim_each_side          BIGINT    NOT NULL DEFAULT 1,
    normalise               BIGINT    NOT NULL DEFAULT 0,
    shortlist_rule          TEXT    NOT NULL DEFAULT 'top',
    shortlist_value         BIGINT    NOT NULL DEFAULT 10,
    blind                   BIGINT    NOT NULL DEFAULT 1,
    stage                   TEXT    NOT NULL DEFAULT 'entries',
    call_closed_at          BIGINT,
    published_at            BIGINT,
    created_by              BIGINT    REFERENCES users(id),
    created_at              BIGINT    NOT NULL,
    updated_at              BIGINT    NOT NULL
);

CREATE TABLE award_entries (
    id              BIGSERIAL PRIMARY KEY,
    competition_id  BIGINT    NOT NULL REFERENCES award_competitions(id),
    submitted_by    BIGINT    NOT NULL REFERENCES users(id),
    unit_id         BIGINT    REFERENCES units(id),
    genre           TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    outlet          TEXT    NOT NULL DEFAULT '',
    published_on    TEXT    NOT NULL DEFAULT '',
    duration_secs   BIGINT,
    script          TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'draft',
    status_reason   TEXT    NOT NULL DEFAULT '',
    finalist        BIGINT    NOT NULL DEFAULT 0,
    prize           TEXT,
    submitted_at    BIGINT,
    created_at      BIGINT    NOT NULL,
    updated_at      BIGINT    NOT NULL
);
CREATE INDEX award_entries_competition ON award_entries (competition_id, status);
CREATE INDEX award_entries_submitter ON award_entries (submitted_by);

-- The per-author quota counts entries by `name_key` (the name lower-cased, NFC, single spaces).
CREATE TABLE award_authors (
    entry_id        BIGINT    NOT NULL REFERENCES award_entries(id),
    position        BIGINT    NOT NULL,
    full_name       TEXT    NOT NULL,
    name_key        TEXT    NOT NULL,
    share_percent   BIGINT    NOT NULL,
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX award_authors_key ON award_authors (name_key);

CREATE TABLE award_files (
    id              BIGSERIAL PRIMARY KEY,
    entry_id        BIGINT    NOT NULL REFERENCES award_entries(id),
    kind            TEXT    NOT NULL,
    content_type    TEXT    NOT NULL,
    original_name   TEXT    NOT NULL,
    storage_key     TEXT    NOT NULL UNIQUE,
    size_bytes      BIGINT    NOT NULL,
    uploaded_by     BIGINT    REFERENCES users(id),
    created_at      BIGINT    NOT NULL
);
CREATE INDEX award_files_entry ON award_files (entry_id);

-- Tiểu ban: one panel per competition, stage and genre.
CREATE TABLE award_panels (
    id              BIGSERIAL PRIMARY KEY,
    competition_id  BIGINT    NOT NULL REFERENCES award_competitions(id),
    stage           TEXT    NOT NULL,
    genre           TEXT    NOT NULL,
    closed_at       BIGINT,
    UNIQUE (competition_id, stage, genre)
);

CREATE TABLE award_panel_judges (
    panel_id        BIGINT    NOT NULL REFERENCES award_panels(id),
    user_id         BIGINT    NOT NULL REFERENCES users(id),
    PRIMARY KEY (panel_id, user_id)
);

-- One judge on one entry in one stage, with their score. `status`: assigned, draft (saved,
-- not final), scored, recused. `criteria` is JSON {criterion code: hundredths}.
CREATE TABLE award_assignments (
    id              BIGSERIAL PRIMARY KEY,
    panel_id        BIGINT    NOT NULL REFERENCES award_panels(id),
    entry_id        BIGINT    NOT NULL REFERENCES award_entries(id),
    judge_id        BIGINT    NOT NULL REFERENCES users(id),
    status          TEXT    NOT NULL DEFAULT 'assigned',
    criteria        TEXT    NOT NULL DEFAULT '{}',
    total           BIGINT,
    recusal_reason  TEXT    NOT NULL DEFAULT '',
    assigned_at     BIGINT    NOT NULL,
    updated_at      BIGINT    NOT NULL,
    UNIQUE (panel_id, entry_id, judge_id)
);
CREATE INDEX award_assignments_judge ON award_assignments (judge_id, status);
CREATE INDEX award_assignments_entry ON award_assignments (entry_id);

-- The council's decisions on the proposed allocation, each with its reason: `tier_counts`
-- (a pool's tier counts, JSON [{name, count}]) or `move` (an entry to a tier, '' = no prize).
CREATE TABLE award_decisions (
    id              BIGSERIAL PRIMARY KEY,
    competition_id  BIGINT    NOT NULL REFERENCES award_competitions(id),
    kind            TEXT    NOT NULL,
    pool            TEXT    NOT NULL,
    entry_id        BIGINT    REFERENCES award_entries(id),
    tier            TEXT,
    counts          TEXT,
    reason          TEXT    NOT NULL,
    decided_by      BIGINT    REFERENCES users(id),
    decided_at      BIGINT    NOT NULL
);
CREATE INDEX award_decisions_competition ON award_decisions (competition_id);
