-- Registered accounts a unit manager or organizer said are not eligible staff of their unit
-- (postgres). Keep in step with the other backend's 0014_roster_exclusions.sql.
-- Someone who registered in a unit that has a roster but is not on it is listed for the unit's
-- manager, who adds them to the roster (then they count) or rejects them here: they keep their
-- account, are not counted, and leave the list. Who decided is kept (and in the audit log).
CREATE TABLE roster_exclusions (
    user_id         BIGINT    NOT NULL REFERENCES users(id),
    unit_id         BIGINT    NOT NULL REFERENCES units(id),
    decided_by      BIGINT    REFERENCES users(id),
    decided_at      BIGINT    NOT NULL,
    PRIMARY KEY (user_id, unit_id)
);
