//! The audit log: who changed what, kept for every administrative action (unit merges, role
//! grants, imports) so that decisions can be traced later.

use sqlx::{Any, Transaction};

pub async fn record(
    tx: &mut Transaction<'_, Any>,
    actor_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(actor_id)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(detail.to_string())
        .bind(crate::infra::db::now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
