//! Contests (cuộc thi): their rows.

use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use crate::rounds::model::{ContestInput, NameDisplay};

#[derive(sqlx::FromRow)]
pub struct ContestRow {
    pub id: i64,
    pub title: String,
    pub year: i64,
    pub description: String,
    /// Codes of the tie-breaks, comma-separated, in order.
    pub tie_breaks: String,
    pub name_display: NameDisplay,
    pub draft: i64,
}

pub async fn insert(tx: &mut WriteTx, input: &ContestInput, tie_breaks: &str, draft: bool, created_by: i64, at: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO contests (title, year, description, tie_breaks, name_display, created_by, created_at, updated_at, draft) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
    )
    .bind(input.title.trim())
    .bind(input.year)
    .bind(input.description.trim())
    .bind(tie_breaks)
    .bind(input.name_display)
    .bind(created_by)
    .bind(at)
    .bind(draft as i64)
    .fetch_one(&mut **tx)
    .await?)
}

/// Whether the contest existed.
pub async fn update(tx: &mut WriteTx, id: i64, input: &ContestInput, tie_breaks: &str, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE contests SET title = $1, year = $2, description = $3, tie_breaks = $4, name_display = $5, updated_at = $6 WHERE id = $7")
        .bind(input.title.trim())
        .bind(input.year)
        .bind(input.description.trim())
        .bind(tie_breaks)
        .bind(input.name_display)
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<ContestRow>, AppError> {
    Ok(sqlx::query_as("SELECT id, title, year, description, tie_breaks, name_display, draft FROM contests WHERE id = $1").bind(id).fetch_optional(&db.pool).await?)
}

/// Every contest, newest year first.
pub async fn ids(db: &Db) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM contests ORDER BY year DESC, id DESC").fetch_all(&db.pool).await?)
}

/// The contest with this title, if any (the demo seed is idempotent by title).
pub async fn id_by_title(db: &Db, title: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM contests WHERE title = $1").bind(title).fetch_optional(&db.pool).await?)
}

/// Makes a contest a draft or public; whether it existed.
pub async fn set_draft(tx: &mut WriteTx, id: i64, draft: bool, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE contests SET draft = $1, updated_at = $2 WHERE id = $3").bind(draft as i64).bind(at).bind(id).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

/// Attempts started in any round of the contest.
pub async fn attempts_started(tx: &mut WriteTx, id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM attempts a JOIN rounds r ON r.id = a.round_id WHERE r.contest_id = $1").bind(id).fetch_one(&mut **tx).await?)
}

/// Deletes a contest that has no rounds left.
pub async fn delete(tx: &mut WriteTx, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM contests WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}
