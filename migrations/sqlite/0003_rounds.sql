-- Contests, rounds and attempts (sqlite). Keep in step with the other backend's 0003_rounds.sql.
-- Times of rounds are Unix seconds; times of attempts are Unix milliseconds, because the
-- ranking breaks ties by time taken and by submission time.

CREATE TABLE contests (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    year            INTEGER   NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    tie_breaks      TEXT    NOT NULL DEFAULT 'prediction_gap,time_taken,submitted_at',
    name_display    TEXT    NOT NULL DEFAULT 'masked',
    created_by      INTEGER   REFERENCES users(id),
    created_at      INTEGER   NOT NULL,
    updated_at      INTEGER   NOT NULL
);

CREATE TABLE rounds (
    id                  INTEGER PRIMARY KEY,
    contest_id          INTEGER   NOT NULL REFERENCES contests(id),
    title               TEXT    NOT NULL,
    opens_at            INTEGER   NOT NULL,
    closes_at           INTEGER   NOT NULL,
    audience            TEXT    NOT NULL DEFAULT 'staff',
    draw_rules          TEXT    NOT NULL,
    shuffle_questions   INTEGER   NOT NULL DEFAULT 1,
    shuffle_options     INTEGER   NOT NULL DEFAULT 1,
    time_limit_secs     INTEGER   NOT NULL,
    max_attempts        INTEGER   NOT NULL DEFAULT 1,
    counting            TEXT    NOT NULL DEFAULT 'best',
    grace_secs          INTEGER   NOT NULL DEFAULT 0,
    review_after_submit TEXT    NOT NULL DEFAULT 'score',
    review_after_close  TEXT    NOT NULL DEFAULT 'full',
    prediction_question TEXT    NOT NULL,
    prediction_metric   TEXT    NOT NULL DEFAULT 'entries',
    prediction_truth    INTEGER,
    truth_frozen_at     INTEGER,
    prizes              TEXT    NOT NULL DEFAULT '[]',
    published_at        INTEGER,
    created_at          INTEGER   NOT NULL,
    updated_at          INTEGER   NOT NULL
);
CREATE INDEX rounds_contest_idx ON rounds(contest_id);

CREATE TABLE attempts (
    id                  INTEGER PRIMARY KEY,
    round_id            INTEGER   NOT NULL REFERENCES rounds(id),
    user_id             INTEGER   NOT NULL REFERENCES users(id),
    unit_id             INTEGER   REFERENCES units(id),
    number              INTEGER   NOT NULL,
    status              TEXT    NOT NULL DEFAULT 'open',
    started_at_ms       INTEGER   NOT NULL,
    deadline_ms         INTEGER   NOT NULL,
    submitted_at_ms     INTEGER,
    submitted_by        TEXT,
    prediction          INTEGER,
    score               INTEGER,
    max_score           INTEGER   NOT NULL,
    correct_count       INTEGER,
    time_taken_ms       INTEGER,
    UNIQUE (round_id, user_id, number)
);
CREATE INDEX attempts_open_idx ON attempts(status, deadline_ms);
CREATE INDEX attempts_user_idx ON attempts(user_id);

-- One row per drawn question: the version it used and the order its options were shown in,
-- so a reload, another device, or a later edit of the bank shows exactly the same thing.
CREATE TABLE attempt_items (
    attempt_id          INTEGER   NOT NULL REFERENCES attempts(id),
    position            INTEGER   NOT NULL,
    question_id         INTEGER   NOT NULL REFERENCES questions(id),
    version             INTEGER   NOT NULL,
    option_order        TEXT    NOT NULL,
    answer              TEXT,
    answered_at_ms      INTEGER,
    points              INTEGER,
    PRIMARY KEY (attempt_id, position)
);

-- Loại: an organizer's decision, with its reason, that a participant's entry does not rank.
CREATE TABLE disqualifications (
    round_id            INTEGER   NOT NULL REFERENCES rounds(id),
    user_id             INTEGER   NOT NULL REFERENCES users(id),
    reason              TEXT    NOT NULL,
    decided_by          INTEGER   REFERENCES users(id),
    decided_at          INTEGER   NOT NULL,
    PRIMARY KEY (round_id, user_id)
);
