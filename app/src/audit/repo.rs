//! The audit trail's persistence: `audit_log` (administrative changes) and
//! `personal_data_log` (personal data handed out).

use super::Channel;
use crate::infra::db::Db;
use sqlx::{Any, Transaction};

pub async fn insert_change(tx: &mut Transaction<'_, Any>, actor_id: Option<i64>, action: &str, entity: &str, entity_id: Option<i64>, detail: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(actor_id)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(detail)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn insert_data_access(db: &Db, actor_id: i64, what: &str, subject: &str, records: i64, channel: Channel, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO personal_data_log (actor_id, what, subject, records, channel, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(actor_id)
        .bind(what)
        .bind(subject)
        .bind(records)
        .bind(channel)
        .bind(at)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// One row of the personal data log, with the actor's name and e-mail when the account exists.
#[derive(sqlx::FromRow)]
pub struct DataAccessRow {
    pub id: i64,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub what: String,
    pub subject: String,
    pub records: i64,
    pub channel: Channel,
    pub at: i64,
}

/// The `limit` most recent accesses, newest first.
pub async fn recent_data_accesses(db: &Db, limit: i64) -> sqlx::Result<Vec<DataAccessRow>> {
    sqlx::query_as(
        "SELECT l.id, u.full_name, u.email, l.what, l.subject, l.records, l.channel, l.at FROM personal_data_log l LEFT JOIN users u ON u.id = l.actor_id ORDER BY l.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}
