-- Participation (postgres). Keep in step with the other backend's 0004_participation.sql.
-- Rosters list each unit's eligible staff; matches to accounts are computed from identity
-- fields (CCCD, e-mail, phone), and only the uncertain ones (a name within the unit) are
-- decided by the unit manager and stored. When a round closes, each unit's denominator and
-- its place in the tree are frozen, so later roster changes and merges do not rewrite it.

CREATE TABLE roster_entries (
    id              BIGSERIAL PRIMARY KEY,
    roster_unit_id  BIGINT    NOT NULL REFERENCES units(id),
    unit_id         BIGINT    NOT NULL REFERENCES units(id),
    full_name       TEXT    NOT NULL,
    search_key      TEXT    NOT NULL,
    cccd            TEXT,
    staff_code      TEXT,
    email           TEXT,
    phone           TEXT,
    position        TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'active',
    created_at      BIGINT    NOT NULL,
    removed_at      BIGINT 
);
CREATE INDEX roster_unit_idx ON roster_entries(unit_id, status);
CREATE INDEX roster_owner_idx ON roster_entries(roster_unit_id, status);
CREATE INDEX roster_cccd_idx ON roster_entries(cccd);
CREATE INDEX roster_email_idx ON roster_entries(email);
CREATE INDEX roster_phone_idx ON roster_entries(phone);

CREATE TABLE roster_decisions (
    roster_entry_id BIGINT    NOT NULL REFERENCES roster_entries(id),
    user_id         BIGINT    NOT NULL REFERENCES users(id),
    decision        TEXT    NOT NULL,
    decided_by      BIGINT    REFERENCES users(id),
    decided_at      BIGINT    NOT NULL,
    PRIMARY KEY (roster_entry_id, user_id)
);

CREATE TABLE round_unit_snapshots (
    round_id        BIGINT    NOT NULL REFERENCES rounds(id),
    unit_id         BIGINT    NOT NULL REFERENCES units(id),
    parent_id       BIGINT ,
    code            TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    block           TEXT    NOT NULL,
    eligible        BIGINT    NOT NULL,
    source          TEXT    NOT NULL,
    participated    BIGINT    NOT NULL,
    frozen_at       BIGINT    NOT NULL,
    PRIMARY KEY (round_id, unit_id)
);

CREATE INDEX attempts_round_unit_idx ON attempts(round_id, unit_id, status);
