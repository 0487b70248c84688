-- Active roster entries per unit, kept with the other participation counters (see 0008), so
-- a report reads one row per unit instead of counting 250,000 roster entries at every view.
-- Changed in the transaction that replaces a roster; `participation::counts::rebuild`
-- recomputes it with the rest.
CREATE TABLE unit_roster_sizes (
    unit_id         INTEGER    NOT NULL PRIMARY KEY REFERENCES units(id),
    active_entries  INTEGER    NOT NULL
);

INSERT INTO unit_roster_sizes (unit_id, active_entries)
SELECT unit_id, COUNT(*) FROM roster_entries WHERE status = 'active' GROUP BY unit_id;
