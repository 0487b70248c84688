-- Collective-prize rules per contest (sqlite): JSON, see app/src/participation/collective.rs.
ALTER TABLE contests ADD COLUMN collective_rules TEXT NOT NULL DEFAULT '{}';
