-- Who took personal data (CCCD, phones, e-mails) out of the platform, when, and how much:
-- the accountability Decree 13/2023/NĐ-CP asks of whoever processes personal data. Admins see
-- it at /admin/nhat-ky-du-lieu and through GET /api/v1/personal-data-log.
CREATE TABLE personal_data_log (
    id              INTEGER PRIMARY KEY,
    actor_id        INTEGER    REFERENCES users(id),
    what            TEXT      NOT NULL,
    subject         TEXT      NOT NULL,
    records         INTEGER    NOT NULL,
    channel         TEXT      NOT NULL,
    at              INTEGER    NOT NULL
);
CREATE INDEX personal_data_log_at_idx ON personal_data_log(at);
