-- Question bank (sqlite). Keep in step with the other backend's 0002_question_bank.sql.
-- A question's content lives in versions: editing adds a version, so an attempt that used an
-- earlier version keeps showing and scoring exactly what the participant saw.

CREATE TABLE questions (
    id              INTEGER PRIMARY KEY,
    topic           TEXT    NOT NULL DEFAULT '',
    difficulty      TEXT    NOT NULL DEFAULT 'medium',
    audience        TEXT    NOT NULL DEFAULT 'staff',
    status          TEXT    NOT NULL DEFAULT 'active',
    current_version INTEGER  NOT NULL DEFAULT 1,
    search_key      TEXT    NOT NULL,
    created_by      INTEGER  REFERENCES users(id),
    created_at      INTEGER  NOT NULL,
    updated_at      INTEGER  NOT NULL
);
CREATE INDEX questions_topic_idx ON questions(topic);

CREATE TABLE question_versions (
    id              INTEGER PRIMARY KEY,
    question_id     INTEGER  NOT NULL REFERENCES questions(id),
    version         INTEGER  NOT NULL,
    kind            TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    options         TEXT    NOT NULL,
    answer_key      TEXT    NOT NULL,
    explanation     TEXT    NOT NULL DEFAULT '',
    partial_credit  INTEGER  NOT NULL DEFAULT 0,
    created_by      INTEGER  REFERENCES users(id),
    created_at      INTEGER  NOT NULL,
    UNIQUE (question_id, version)
);
