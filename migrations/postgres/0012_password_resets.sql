-- One-time password reset links: sent by e-mail when a person asks ("Quên mật khẩu"), or
-- made by an admin for someone without e-mail access. Only the token's hash is stored; a
-- link works once, before `expires_at`.
CREATE TABLE password_resets (
    token_hash      TEXT       NOT NULL PRIMARY KEY,
    user_id         BIGINT     NOT NULL REFERENCES users(id),
    issued_by       BIGINT     REFERENCES users(id),
    created_at      BIGINT     NOT NULL,
    expires_at      BIGINT     NOT NULL,
    used_at         BIGINT
);
CREATE INDEX password_resets_user_idx ON password_resets(user_id);

-- Sessions signed in before this time (Unix milliseconds) are no longer valid: set when the
-- password is reset, so whoever held the old password is signed out everywhere.
ALTER TABLE users ADD COLUMN sessions_valid_from_ms BIGINT NOT NULL DEFAULT 0;
