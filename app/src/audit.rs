//! The audit log: who changed what, kept for every administrative action (unit merges, role
//! grants, imports) so that decisions can be traced later; and the log of personal data that
//! left the platform. The SQL is in `audit::repo`.

pub mod repo;

use crate::codes::Code;
use sqlx::{Any, Transaction};

pub async fn record(
    tx: &mut Transaction<'_, Any>,
    actor_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: serde_json::Value,
) -> sqlx::Result<()> {
    repo::insert_change(tx, actor_id, action, entity, entity_id, &detail.to_string(), crate::vn_time::now_secs()).await
}

/// How personal data left the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
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

crate::stored_code!(Channel { Page => "page", Json => "json", Xlsx => "xlsx", Upload => "upload" });

/// Records that `actor_id` was given `records` records of personal data (`what`: which list,
/// `subject`: whose, e.g. the unit and round). Every place that hands out CCCDs, phone numbers
/// or e-mails calls this; admins read the log (`personal_data_log`).
pub async fn personal_data(db: &crate::infra::db::Db, actor_id: i64, what: &str, subject: &str, records: usize, channel: Channel) -> sqlx::Result<()> {
    repo::insert_data_access(db, actor_id, what, subject, records as i64, channel, crate::vn_time::now_secs()).await
}

/// The most recent accesses, newest first. Admins only.
pub async fn personal_data_log(db: &crate::infra::db::Db, actor: &crate::accounts::model::CurrentUser, limit: i64) -> Result<Vec<crate::accounts::model::DataAccess>, crate::error::AppError> {
    crate::policy::admin(actor)?;
    Ok(repo::recent_data_accesses(db, limit)
        .await?
        .into_iter()
        .map(|r| crate::accounts::model::DataAccess {
            id: r.id,
            actor: r.full_name.unwrap_or_default(),
            actor_email: r.email.unwrap_or_default(),
            what: r.what,
            subject: r.subject,
            records: r.records,
            channel: r.channel.code().to_string(),
            at: r.at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn channel_codes_are_their_serde_names() {
        assert!(crate::codes::serde_agrees::<super::Channel>());
    }
}
