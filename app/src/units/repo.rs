//! The unit tree's persistence: every SQL statement on `units` (and the unit-manager grants a
//! merge moves). Rows decode straight into `Unit`, its block and status as stored codes.

use super::model::{Block, Unit, UnitEvent, UnitStatus};
use crate::accounts::model::Role;
use crate::infra::db::{Db, WriteTx};
use crate::vn_time::now_secs;

/// The columns of `Unit`, in its field names.
const COLUMNS: &str = "id, code, name, kind, block, parent_id, headcount, status, merged_into_id, created_at, updated_at";

/// Every unit, whatever its status. The tree is a few thousand rows at most, so rules that need
/// the whole tree (cycles, subtrees, ordering) work on it in memory.
pub async fn all(db: &Db) -> sqlx::Result<Vec<Unit>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM units")).fetch_all(&db.pool).await
}

/// The whole tree as seen inside a transaction (after its locks).
pub async fn all_tx(tx: &mut WriteTx) -> sqlx::Result<Vec<Unit>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM units")).fetch_all(&mut **tx).await
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<Unit>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM units WHERE id = $1")).bind(id).fetch_optional(&db.pool).await
}

pub async fn get_tx(tx: &mut WriteTx, id: i64) -> sqlx::Result<Option<Unit>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM units WHERE id = $1")).bind(id).fetch_optional(&mut **tx).await
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(&db.pool).await
}

pub struct InsertUnit<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub block: Block,
    pub parent_id: Option<i64>,
    pub headcount: i64,
}

pub async fn insert(tx: &mut WriteTx, u: &InsertUnit<'_>) -> sqlx::Result<i64> {
    let at = now_secs();
    sqlx::query_scalar(
        "INSERT INTO units (code, name, search_key, kind, block, parent_id, headcount, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(u.code)
    .bind(u.name)
    .bind(crate::text::fold(u.name))
    .bind(u.kind)
    .bind(u.block)
    .bind(u.parent_id)
    .bind(u.headcount)
    .bind(UnitStatus::Active)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

pub async fn update_fields(tx: &mut WriteTx, id: i64, name: &str, block: Block, headcount: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE units SET name = $1, search_key = $2, block = $3, headcount = $4, updated_at = $5 WHERE id = $6")
        .bind(name)
        .bind(crate::text::fold(name))
        .bind(block)
        .bind(headcount)
        .bind(now_secs())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_parent(tx: &mut WriteTx, id: i64, parent_id: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("UPDATE units SET parent_id = $1, updated_at = $2 WHERE id = $3").bind(parent_id).bind(now_secs()).bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_status(tx: &mut WriteTx, id: i64, status: UnitStatus, merged_into: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("UPDATE units SET status = $1, merged_into_id = $2, updated_at = $3 WHERE id = $4")
        .bind(status)
        .bind(merged_into)
        .bind(now_secs())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves the active children of `from` under `to`.
pub async fn reparent_active_children(tx: &mut WriteTx, from: i64, to: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("UPDATE units SET parent_id = $1, updated_at = $2 WHERE parent_id = $3 AND status = $4")
        .bind(to)
        .bind(now_secs())
        .bind(from)
        .bind(UnitStatus::Active)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Re-points unit-manager grants from a merged unit to the unit that received it.
pub async fn move_manager_grants(tx: &mut WriteTx, from: i64, to: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("UPDATE user_roles SET unit_id = $1 WHERE role = $2 AND unit_id = $3")
        .bind(to)
        .bind(Role::UnitManager)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

pub async fn active_children(tx: &mut WriteTx, id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE parent_id = $1 AND status = $2").bind(id).bind(UnitStatus::Active).fetch_one(&mut **tx).await
}

pub async fn code_exists(tx: &mut WriteTx, code: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM units WHERE code = $1").bind(code).fetch_optional(&mut **tx).await?.is_some())
}

pub async fn history(db: &Db, id: i64) -> sqlx::Result<Vec<UnitEvent>> {
    sqlx::query_as(
        "SELECT a.action, a.detail, u.full_name AS actor_name, a.at FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.entity = 'unit' AND a.entity_id = $1 ORDER BY a.at DESC, a.id DESC",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// (active sub-units, accounts registered in the unit, its active roster entries).
pub async fn retire_facts(db: &Db, id: i64) -> sqlx::Result<(i64, i64, i64)> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM units WHERE parent_id = $1 AND status = 'active'),
                (SELECT COUNT(*) FROM users WHERE unit_id = $1),
                (SELECT COUNT(*) FROM roster_entries WHERE unit_id = $1 AND status = 'active')",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
}
