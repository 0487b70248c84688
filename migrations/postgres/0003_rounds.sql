-- Contests, rounds and attempts (postgres). Keep in step with the other backend's 0003_rounds.sql.
-- Times of rounds are Unix seconds; times of attempts are Unix milliseconds, because the
-- ranking breaks ties by time taken and by submission time.

CREATE TABLE contests (
    id              BIGSERIAL PRIMARY KEY,
    title           TEXT    NOT NULL,
    year            BIGINT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    tie_breaks      TEXT    NOT NULL DEFAULT 'prediction_gap,time_taken,submitted_at',
    name_display    TEXT    NOT NULL DEFAULT 'masked',
    created_by      BIGINT    REFERENCES users(id),
    created_at      BIGINT    NOT NULL,
    updated_at      BIGINT    NOT NULL
);

CREATE TABLE rounds (
    id                  BIGSERIAL PRIMARY KEY,
    contest_id          BIGINT    NOT NULL REFERENCES contests(id),
    title               TEXT    NOT NULL,
    opens_at            BIGINT    NOT NULL,
    closes_at           BIGINT    NOT NULL,
    audience            TEXT    NOT NULL DEFAULT 'staff',
    draw_rules          TEXT    NOT NULL,
    shuffle_questions   BIGINT    NOT NULL DEFAULT 1,
    shuffle_options     BIGINT    NOT NULL DEFAULT 1,
    time_limit_secs     BIGINT    NOT NULL,
    max_attempts        BIGINT    NOT NULL DEFAULT 1,
    counting            TEXT    NOT NULL DEFAULT 'best',
    grace_secs          BIGINT    NOT NULL DEFAULT 0,
    review_after_submit TEXT    NOT NULL DEFAULT 'score',
    review_after_close  TEXT    NOT NULL DEFAULT 'full',
    prediction_question TEXT    NOT NULL,
    prediction_metric   TEXT    NOT NULL DEFAULT 'entries',
    prediction_truth    BIGINT ,
    truth_frozen_at     BIGINT ,
    prizes              TEXT    NOT NULL DEFAULT '[]',
    published_at        BIGINT ,
    created_at          BIGINT    NOT NULL,
    updated_at          BIGINT    NOT NULL
);
CREATE INDEX rounds_contest_idx ON rounds(contest_id);

CREATE TABLE attempts (
    id                  BIGSERIAL PRIMARY KEY,
    round_id            BIGINT    NOT NULL REFERENCES rounds(id),
    user_id             BIGINT    NOT NULL REFERENCES users(id),
    unit_id             BIGINT    REFERENCES units(id),
    number              BIGINT    NOT NULL,
    status              TEXT    NOT NULL DEFAULT 'open',
    started_at_ms       BIGINT    NOT NULL,
    deadline_ms         BIGINT    NOT NULL,
    submitted_at_ms     BIGINT ,
    submitted_by        TEXT,
    prediction          BIGINT ,
    score               BIGINT ,
    max_score           BIGINT    NOT NULL,
    correct_count       BIGINT ,
    time_taken_ms       BIGINT ,
    UNIQUE (round_id, user_id, number)
);
CREATE INDEX attempts_open_idx ON attempts(status, deadline_ms);
CREATE INDEX attempts_user_idx ON attempts(user_id);

-- One row per drawn question: the version it used and the order its options were shown in,
-- so a reload, another device, or a later edit of the bank shows exactly the same thing.
CREATE TABLE attempt_items (
    attempt_id          BIGINT    NOT NULL REFERENCES attempts(id),
    position            BIGINT    NOT NULL,
    question_id         BIGINT    NOT NULL REFERENCES questions(id),
    version             BIGINT    NOT NULL,
    option_order        TEXT    NOT NULL,
    answer              TEXT,
    answered_at_ms      BIGINT ,
    points              BIGINT ,
    PRIMARY KEY (attempt_id, position)
);

-- Loại: an organizer's decision, with its reason, that a participant's entry does not rank.
CREATE TABLE disqualifications (
    round_id            BIGINT    NOT NULL REFERENCES rounds(id),
    user_id             BIGINT    NOT NULL REFERENCES users(id),
    reason              TEXT    NOT NULL,
    decided_by          BIGINT    REFERENCES users(id),
    decided_at          BIGINT    NOT NULL,
    PRIMARY KEY (round_id, user_id)
);
