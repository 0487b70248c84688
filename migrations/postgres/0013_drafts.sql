-- Drafts (bản nháp): a contest or round an organizer is still preparing. Participants do not
-- see a draft round, nor any round of a draft contest; a draft nobody has taken can be
-- deleted. Rounds and contests created before this migration were public, so they stay so.
ALTER TABLE contests ADD COLUMN draft BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN draft BIGINT NOT NULL DEFAULT 0;
