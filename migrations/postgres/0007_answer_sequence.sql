-- Sequence numbers of saved choices. The attempt page numbers each choice with the server's
-- clock as it estimates it, increasing per question; a save is applied only when its number is
-- higher than the stored one, so a choice queued offline and sent late, or a replayed request,
-- never overwrites a newer answer. 0 means never saved.
ALTER TABLE attempt_items ADD COLUMN answer_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN prediction_seq BIGINT NOT NULL DEFAULT 0;
