//! Registered accounts that no active roster entry is (`users`, `roster_matches`), the
//! rejections of them (`roster_exclusions`), and the roster entry added for one.

use crate::infra::db::{Db, WriteTx};
use crate::participation::model::RosterEntryStatus;
use std::collections::BTreeSet;

/// An account registered in a unit with a roster, on none of the active rosters.
#[derive(Debug, sqlx::FromRow)]
pub struct UnrosteredRow {
    pub user_id: i64,
    pub full_name: String,
    pub position: String,
    pub unit_id: i64,
    pub email: String,
    pub phone: Option<crate::accounts::personal::Phone>,
    pub cccd: Option<crate::accounts::personal::Cccd>,
}

/// Active accounts of `units` whose unit has a roster (a unit without one counts everyone who
/// takes part against its declared headcount), matched to no active roster entry, and not
/// rejected for that unit; by name.
pub async fn list(db: &Db, units: &BTreeSet<i64>) -> sqlx::Result<Vec<UnrosteredRow>> {
    sqlx::query_as(&format!(
        "SELECT u.id AS user_id, u.full_name, u.position, u.unit_id, u.email, u.phone, u.cccd FROM users u
         WHERE u.status = 'active' AND u.unit_id IS NOT NULL{}
         AND EXISTS (SELECT 1 FROM unit_roster_sizes s WHERE s.unit_id = u.unit_id)
         AND NOT EXISTS (SELECT 1 FROM roster_matches m JOIN roster_entries e ON e.id = m.roster_entry_id AND e.status = 'active' WHERE m.user_id = u.id)
         AND NOT EXISTS (SELECT 1 FROM roster_exclusions x WHERE x.user_id = u.id AND x.unit_id = u.unit_id)
         ORDER BY u.search_key, u.id",
        super::in_clause("u.unit_id", Some(units))
    ))
    .fetch_all(&db.pool)
    .await
}

/// The roster that covers `unit` now: the owner of its most recent active entry.
pub async fn roster_owner(tx: &mut WriteTx, unit: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT roster_unit_id FROM roster_entries WHERE unit_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1")
        .bind(unit)
        .bind(RosterEntryStatus::Active)
        .fetch_optional(&mut **tx)
        .await
}

/// Stores that `user_id` is not eligible staff of `unit`.
pub async fn exclude(tx: &mut WriteTx, user_id: i64, unit: i64, decided_by: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO roster_exclusions (user_id, unit_id, decided_by, decided_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, unit_id) DO UPDATE SET decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(user_id)
    .bind(unit)
    .bind(decided_by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
