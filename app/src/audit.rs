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
        .bind(crate::vn_time::now_secs())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How personal data left the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Shown on a page.
    Page,
    /// Sent as JSON through the API.
    Json,
    /// Downloaded as a spreadsheet.
    Xlsx,
    /// Sent back in the preview of a file the person uploaded.
    Upload,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Page => "page",
            Channel::Json => "json",
            Channel::Xlsx => "xlsx",
            Channel::Upload => "upload",
        }
    }
}

/// Records that `actor_id` was given `records` records of personal data (`what`: which list,
/// `subject`: whose, e.g. the unit and round). Every place that hands out CCCDs, phone numbers
/// or e-mails calls this; admins read the log (`personal_data_log`).
pub async fn personal_data(db: &crate::infra::db::Db, actor_id: i64, what: &str, subject: &str, records: usize, channel: Channel) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO personal_data_log (actor_id, what, subject, records, channel, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(actor_id)
        .bind(what)
        .bind(subject)
        .bind(records as i64)
        .bind(channel.code())
        .bind(crate::vn_time::now_secs())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The most recent accesses, newest first. Admins only.
pub async fn personal_data_log(db: &crate::infra::db::Db, actor: &crate::accounts::model::CurrentUser, limit: i64) -> Result<Vec<crate::accounts::model::DataAccess>, crate::error::AppError> {
    if !actor.is_admin() {
        return Err(crate::error::AppError::Forbidden);
    }
    let rows: Vec<(i64, Option<String>, Option<String>, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT l.id, u.full_name, u.email, l.what, l.subject, l.records, l.channel, l.at FROM personal_data_log l LEFT JOIN users u ON u.id = l.actor_id ORDER BY l.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, what, subject, records, channel, at)| crate::accounts::model::DataAccess {
            id,
            actor: name.unwrap_or_default(),
            actor_email: email.unwrap_or_default(),
            what,
            subject,
            records,
            channel,
            at,
        })
        .collect())
}
