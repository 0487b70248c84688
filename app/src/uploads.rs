//! Uploaded files waiting for their preview to be applied (imports). They live in the database,
//! so the upload, the preview and the apply may each be served by a different app node.

use crate::error::AppError;
use crate::infra::db::Db;
use crate::vn_time::now_secs;
use sqlx::Row;

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
    sqlx::query(
        "DELETE FROM pending_imports WHERE kind = $1 AND user_id = $2 AND id NOT IN (
             SELECT id FROM (SELECT id FROM pending_imports WHERE kind = $1 AND user_id = $2 ORDER BY id DESC LIMIT $3) AS keep)",
    )
    .bind(kind)
    .bind(user_id)
    .bind(PENDING_PER_PERSON - 1)
    .execute(&db.pool)
    .await?;
    Ok(sqlx::query_scalar("INSERT INTO pending_imports (kind, user_id, filename, content, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(kind)
        .bind(user_id)
        .bind(filename)
        .bind(bytes)
        .bind(now_secs())
        .fetch_one(&db.pool)
        .await?)
}

/// The file, if it is of `kind` and was uploaded by `user_id` (nobody sees another's upload).
pub async fn load(db: &Db, user_id: i64, kind: &str, id: i64) -> Result<(String, Vec<u8>), AppError> {
    let row = sqlx::query("SELECT filename, content FROM pending_imports WHERE id = $1 AND kind = $2 AND user_id = $3 AND created_at > $4")
        .bind(id)
        .bind(kind)
        .bind(user_id)
        .bind(now_secs() - PENDING_SECS)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((row.get("filename"), row.get("content")))
}

pub async fn discard(db: &Db, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM pending_imports WHERE id = $1").bind(id).execute(&db.pool).await?;
    Ok(())
}

/// Deletes uploads that waited longer than [`PENDING_SECS`] (run by the housekeeping task).
pub async fn expire(db: &Db) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM pending_imports WHERE created_at <= $1").bind(now_secs() - PENDING_SECS).execute(&db.pool).await?.rows_affected())
}
