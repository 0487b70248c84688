-- Participation figures kept up to date as things happen, so a report reads a few thousand
-- counters instead of matching 250,000 roster entries against 200,000 accounts at every view.
-- Every counter is exact: it changes in the same transaction as what it counts, and
-- `participation::counts::rebuild` recomputes them all from the source tables (the server does
-- so at start when they are missing, e.g. right after this migration).

-- Who on a roster is which account: the certain matches (CCCD, e-mail, phone) that no unit
-- manager rejected, and the same-name matches a unit manager confirmed.
CREATE TABLE roster_matches (
    roster_entry_id INTEGER   NOT NULL REFERENCES roster_entries(id),
    user_id         INTEGER   NOT NULL REFERENCES users(id),
    PRIMARY KEY (roster_entry_id, user_id)
);
CREATE INDEX roster_matches_user_idx ON roster_matches(user_id);

-- Who took part in a round: each account with a submitted attempt, once, with the unit its
-- first submitted attempt was taken for.
CREATE TABLE round_participants (
    round_id        INTEGER   NOT NULL REFERENCES rounds(id),
    user_id         INTEGER   NOT NULL REFERENCES users(id),
    unit_id         INTEGER,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX round_participants_unit_idx ON round_participants(round_id, unit_id);

-- Each unit's own live figures in a round: active roster entries matched to a participant,
-- and participants who took the round for the unit (the count used when it has no roster).
CREATE TABLE round_unit_counts (
    round_id              INTEGER   NOT NULL REFERENCES rounds(id),
    unit_id               INTEGER   NOT NULL REFERENCES units(id),
    roster_participated   INTEGER   NOT NULL DEFAULT 0,
    declared_participated INTEGER   NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, unit_id)
);

-- Submitted attempts per day (days since 1970-01-01 in Vietnam time) and unit (0: none).
CREATE TABLE round_day_counts (
    round_id        INTEGER   NOT NULL REFERENCES rounds(id),
    unit_id         INTEGER   NOT NULL,
    day             INTEGER   NOT NULL,
    entries         INTEGER   NOT NULL,
    PRIMARY KEY (round_id, unit_id, day)
);
