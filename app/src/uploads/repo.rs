//! The persistence of uploads waiting for their preview to be applied (`pending_imports`).

use crate::infra::db::Db;

/// Deletes `user_id`'s uploads of `kind` but the `keep` most recent.
pub async fn keep_latest(db: &Db, kind: &str, user_id: i64, keep: i64) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM pending_imports WHERE kind = $1 AND user_id = $2 AND id NOT IN (
             SELECT id FROM (SELECT id FROM pending_imports WHERE kind = $1 AND user_id = $2 ORDER BY id DESC LIMIT $3) AS keep)",
    )
    .bind(kind)
    .bind(user_id)
    .bind(keep)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn insert(db: &Db, kind: &str, user_id: i64, filename: &str, bytes: Vec<u8>, at: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO pending_imports (kind, user_id, filename, content, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(kind)
        .bind(user_id)
        .bind(filename)
        .bind(bytes)
        .bind(at)
        .fetch_one(&db.pool)
        .await
}

/// The file's name and content, if it is of `kind`, `user_id`'s, and newer than `since`.
pub async fn find(db: &Db, user_id: i64, kind: &str, id: i64, since: i64) -> sqlx::Result<Option<(String, Vec<u8>)>> {
    sqlx::query_as("SELECT filename, content FROM pending_imports WHERE id = $1 AND kind = $2 AND user_id = $3 AND created_at > $4")
        .bind(id)
        .bind(kind)
        .bind(user_id)
        .bind(since)
        .fetch_optional(&db.pool)
        .await
}

pub async fn delete(db: &Db, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM pending_imports WHERE id = $1").bind(id).execute(&db.pool).await?;
    Ok(())
}

/// Deletes uploads made at or before `until`; returns how many.
pub async fn delete_older(db: &Db, until: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM pending_imports WHERE created_at <= $1").bind(until).execute(&db.pool).await?.rows_affected())
}
