//! Device tokens and addresses are kept only for a configured number of days after the contest
//! (180 by default), then deleted by the sweeper: evidence is for judging a contest, not for
//! following people.

use crate::error::AppError;
use crate::infra::db::Db;

/// Deletes what is past its retention at `now_secs`. Returns how many records went.
pub async fn purge(db: &Db, retention_days: i64, now_secs: i64) -> Result<u64, AppError> {
    super::repo::delete_expired(db, now_secs - retention_days * 24 * 3600).await
}
