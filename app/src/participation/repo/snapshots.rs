//! The figures and tree frozen when a round closes (`round_unit_snapshots`).

use crate::infra::db::{Db, WriteTx};
use crate::participation::rates::OwnFigures;

/// Every unit's frozen figures of the round, by unit id; empty while it has none.
pub async fn figures(db: &Db, round_id: i64) -> sqlx::Result<Vec<OwnFigures>> {
    sqlx::query_as("SELECT unit_id, parent_id, code, name, block, eligible, source, participated FROM round_unit_snapshots WHERE round_id = $1 ORDER BY unit_id")
        .bind(round_id)
        .fetch_all(&db.pool)
        .await
}

/// Freezes one unit's figures; a unit already frozen for the round is left alone.
pub async fn insert(tx: &mut WriteTx, round_id: i64, f: &OwnFigures, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO round_unit_snapshots (round_id, unit_id, parent_id, code, name, block, eligible, source, participated, frozen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (round_id, unit_id) DO NOTHING",
    )
    .bind(round_id)
    .bind(f.unit_id)
    .bind(f.parent_id)
    .bind(&f.code)
    .bind(&f.name)
    .bind(f.block)
    .bind(f.eligible)
    .bind(f.source)
    .bind(f.participated)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
