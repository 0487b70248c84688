-- Evidence of proxy-taking (thi hộ) for organizers to judge. Keep in step with the other
-- backend's 0015_integrity.sql.
--
-- Each sign-in, registration, attempt start and participant's submission is recorded with the
-- device it came from (the hash of the `hp_device` cookie's token, never the token) and the
-- client address. Rows are deleted a configured number of days after the contest (see
-- `integrity::retention`).
CREATE TABLE device_events (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT      NOT NULL,
    user_id         BIGINT    NOT NULL REFERENCES users(id),
    round_id        BIGINT    REFERENCES rounds(id),
    attempt_id      BIGINT,
    device_hash     TEXT      NOT NULL,
    client_ip       TEXT      NOT NULL,
    at_ms           BIGINT    NOT NULL
);
CREATE INDEX device_events_round_idx ON device_events(round_id, device_hash, user_id);
CREATE INDEX device_events_user_idx ON device_events(user_id, at_ms);
CREATE INDEX device_events_device_idx ON device_events(device_hash, kind);
CREATE INDEX device_events_at_idx ON device_events(at_ms);

-- A digest of a submitted attempt's answers (question and choice, wrong ones included), set
-- only when at least two answers were wrong: identical digests within minutes of each other
-- are what copied answers look like, and grouping by a column costs one index scan.
ALTER TABLE attempts ADD COLUMN answer_digest TEXT;
CREATE INDEX attempts_digest_idx ON attempts(round_id, answer_digest) WHERE answer_digest IS NOT NULL;

-- An organizer looked at a flagged attempt and found nothing wrong (bỏ qua), with a note.
CREATE TABLE integrity_reviews (
    attempt_id      BIGINT    PRIMARY KEY REFERENCES attempts(id),
    round_id        BIGINT    NOT NULL REFERENCES rounds(id),
    note            TEXT      NOT NULL,
    decided_by      BIGINT    REFERENCES users(id),
    decided_at      BIGINT    NOT NULL
);
