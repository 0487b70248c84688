//! Uploaded files waiting for their preview to be applied (imports). They live in the database,
//! so the upload, the preview and the apply may each be served by a different app node. The
//! SQL is in `uploads::repo`.

pub mod repo;

use crate::error::AppError;
use crate::infra::db::Db;
use crate::vn_time::now_secs;

/// How long an uploaded file waits for its preview to be applied.
pub const PENDING_SECS: i64 = 24 * 3600;
/// Files one person may have waiting per kind; older ones give way to a new one.
pub const PENDING_PER_PERSON: i64 = 5;

/// Keeps `bytes` under `kind` for `user_id`; returns its id.
pub async fn stage(db: &Db, user_id: i64, kind: &str, filename: &str, bytes: Vec<u8>) -> Result<i64, AppError> {
    if bytes.is_empty() {
        return Err(AppError::field("file", "err.import_empty"));
    }
    // Only the person's most recent uploads of this kind are kept.
    repo::keep_latest(db, kind, user_id, PENDING_PER_PERSON - 1).await?;
    Ok(repo::insert(db, kind, user_id, filename, bytes, now_secs()).await?)
}

/// The file, if it is of `kind` and was uploaded by `user_id` (nobody sees another's upload).
pub async fn load(db: &Db, user_id: i64, kind: &str, id: i64) -> Result<(String, Vec<u8>), AppError> {
    repo::find(db, user_id, kind, id, now_secs() - PENDING_SECS).await?.ok_or(AppError::NotFound)
}

pub async fn discard(db: &Db, id: i64) -> Result<(), AppError> {
    Ok(repo::delete(db, id).await?)
}

/// Deletes uploads that waited longer than [`PENDING_SECS`] (run by the housekeeping task).
pub async fn expire(db: &Db) -> Result<u64, AppError> {
    Ok(repo::delete_older(db, now_secs() - PENDING_SECS).await?)
}
