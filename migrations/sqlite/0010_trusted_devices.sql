-- Devices an account has signed in from (the hash of the `hp_device` cookie's token). A
-- sign-in from one of them is not slowed down by strangers' failures on the same account.
CREATE TABLE trusted_devices (
    token_hash      TEXT      NOT NULL,
    user_id         INTEGER    NOT NULL REFERENCES users(id),
    first_seen_at   INTEGER    NOT NULL,
    last_seen_at    INTEGER    NOT NULL,
    PRIMARY KEY (token_hash, user_id)
);
