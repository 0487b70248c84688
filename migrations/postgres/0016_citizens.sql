-- Citizens (công dân) taking public rounds. They sign up with a name, a phone confirmed by a
-- one-time code, and the commune, ward or special zone they live in; no CCCD, no unit, no
-- position. `kind` tells the two kinds of account apart ('staff' or 'citizen'); a citizen's
-- `email` holds a reserved address under `.invalid` (RFC 2606: never deliverable), because the
-- column is NOT NULL UNIQUE and dropping that would mean rebuilding `users` under enforced
-- foreign keys.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'staff';
ALTER TABLE users ADD COLUMN residence_unit_id BIGINT  REFERENCES units(id);
ALTER TABLE users ADD COLUMN phone_confirmed_at BIGINT;
CREATE INDEX users_residence_idx ON users(residence_unit_id);

-- Sign-ups waiting for their phone's code. Only the code's hash is kept; a code works once,
-- before `expires_at`, for at most 5 tries. The account is made when the code is confirmed,
-- so an unconfirmed sign-up never holds a phone number.
CREATE TABLE phone_signups (
    id                  BIGSERIAL PRIMARY KEY,
    phone               TEXT    NOT NULL,
    code_hash           TEXT    NOT NULL,
    full_name           TEXT    NOT NULL,
    residence_unit_id   BIGINT  NOT NULL REFERENCES units(id),
    password_hash       TEXT    NOT NULL,
    tries               BIGINT  NOT NULL DEFAULT 0,
    created_at          BIGINT  NOT NULL,
    expires_at          BIGINT  NOT NULL,
    used_at             BIGINT
);
CREATE INDEX phone_signups_phone_idx ON phone_signups(phone, created_at);
