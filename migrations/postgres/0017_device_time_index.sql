-- The two-device check of the integrity report reads, for each submitted attempt of a round,
-- the account's requests inside the attempt's time and which devices made them. With the kind
-- and device in the index that is an index-only range scan per attempt instead of a table
-- lookup per request: on a round of 200,000 entries it decides most of the report's time.
-- It starts with (user_id, at_ms), so it serves everything the index it replaces did.
-- Keep in step with the other backend's 0017_device_time_index.sql.
CREATE INDEX device_events_user_time_idx ON device_events(user_id, at_ms, kind, device_hash);
DROP INDEX device_events_user_idx;
