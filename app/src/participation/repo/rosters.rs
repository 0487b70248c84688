//! Roster entries (`roster_entries`) and the decisions taken on candidate matches
//! (`roster_decisions`).

use crate::infra::db::{Db, WriteTx};
use crate::participation::model::{MatchDecision, RosterEntryStatus};
use crate::participation::roster::RosterRow;

/// The units the active entries of `roster_unit`'s roster sit in.
pub async fn units_of_active_entries(tx: &mut WriteTx, roster_unit: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT DISTINCT unit_id FROM roster_entries WHERE roster_unit_id = $1 AND status = $2")
        .bind(roster_unit)
        .bind(RosterEntryStatus::Active)
        .fetch_all(&mut **tx)
        .await
}

/// Marks every active entry of `roster_unit`'s roster removed at `at`; returns how many.
pub async fn remove_active_entries(tx: &mut WriteTx, roster_unit: i64, at: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("UPDATE roster_entries SET status = $1, removed_at = $2 WHERE roster_unit_id = $3 AND status = $4")
        .bind(RosterEntryStatus::Removed)
        .bind(at)
        .bind(roster_unit)
        .bind(RosterEntryStatus::Active)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Adds a row of an uploaded roster to `roster_unit`'s roster, active; returns the entry's id.
pub async fn insert_entry(tx: &mut WriteTx, roster_unit: i64, r: &RosterRow, at: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO roster_entries (roster_unit_id, unit_id, full_name, search_key, cccd, staff_code, email, phone, position, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(roster_unit)
    .bind(r.unit_id)
    .bind(&r.full_name)
    .bind(crate::text::fold(&r.full_name))
    .bind(&r.cccd)
    .bind(&r.staff_code)
    .bind(&r.email)
    .bind(&r.phone)
    .bind(&r.position)
    .bind(RosterEntryStatus::Active)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

/// The unit of an active roster entry.
pub async fn unit_of_active_entry(db: &Db, roster_entry_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT unit_id FROM roster_entries WHERE id = $1 AND status = $2")
        .bind(roster_entry_id)
        .bind(RosterEntryStatus::Active)
        .fetch_optional(&db.pool)
        .await
}

/// Whether a decision on this entry and account has been taken.
pub async fn decision_exists(db: &Db, roster_entry_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM roster_decisions WHERE roster_entry_id = $1 AND user_id = $2")
        .bind(roster_entry_id)
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Stores `decision` on this entry and account, in place of any earlier one.
pub async fn replace_decision(tx: &mut WriteTx, roster_entry_id: i64, user_id: i64, decision: MatchDecision, decided_by: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM roster_decisions WHERE roster_entry_id = $1 AND user_id = $2").bind(roster_entry_id).bind(user_id).execute(&mut **tx).await?;
    sqlx::query("INSERT INTO roster_decisions (roster_entry_id, user_id, decision, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(roster_entry_id)
        .bind(user_id)
        .bind(decision)
        .bind(decided_by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
