//! What results are made of: submitted attempts with their takers, disqualifications, and the
//! figures of the statistics page.

use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use crate::rounds::model::PredictionMetric;

/// The value the prediction question asks about, counted now.
pub async fn prediction_value(db: &Db, round_id: i64, metric: PredictionMetric) -> Result<i64, AppError> {
    let sql = match metric {
        PredictionMetric::Entries => "SELECT CAST(COUNT(*) AS BIGINT) FROM attempts WHERE round_id = $1 AND status = 'submitted'",
        PredictionMetric::Participants => "SELECT CAST(COUNT(DISTINCT user_id) AS BIGINT) FROM attempts WHERE round_id = $1 AND status = 'submitted'",
        PredictionMetric::PerfectEntries => "SELECT CAST(COUNT(*) AS BIGINT) FROM attempts WHERE round_id = $1 AND status = 'submitted' AND score = max_score",
    };
    Ok(sqlx::query_scalar(sql).bind(round_id).fetch_one(&db.pool).await?)
}

/// A submitted attempt with its taker and unit.
#[derive(sqlx::FromRow)]
pub struct SubmittedRow {
    pub id: i64,
    pub user_id: i64,
    pub number: i64,
    pub score: Option<i64>,
    pub prediction: Option<i64>,
    pub time_taken_ms: Option<i64>,
    pub submitted_at_ms: Option<i64>,
    pub full_name: String,
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
}

pub async fn submitted(db: &Db, round_id: i64) -> Result<Vec<SubmittedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.user_id, a.number, a.score, a.prediction, a.time_taken_ms, a.submitted_at_ms, u.full_name, a.unit_id, un.code AS unit_code, un.name AS unit_name
         FROM attempts a JOIN users u ON u.id = a.user_id LEFT JOIN units un ON un.id = a.unit_id
         WHERE a.round_id = $1 AND a.status = 'submitted'",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn disqualified_ids(db: &Db, round_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT user_id FROM disqualifications WHERE round_id = $1").bind(round_id).fetch_all(&db.pool).await?)
}

#[derive(sqlx::FromRow)]
pub struct DisqualificationRow {
    pub user_id: i64,
    pub full_name: String,
    pub reason: String,
    pub decided_at: i64,
}

pub async fn disqualifications(db: &Db, round_id: i64) -> Result<Vec<DisqualificationRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.user_id, u.full_name, d.reason, d.decided_at FROM disqualifications d JOIN users u ON u.id = d.user_id WHERE d.round_id = $1 ORDER BY d.decided_at",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Whether the person started any attempt at the round.
pub async fn took_part(tx: &mut WriteTx, round_id: i64, user_id: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND user_id = $2").bind(round_id).bind(user_id).fetch_one(&mut **tx).await?;
    Ok(n > 0)
}

pub async fn is_disqualified(tx: &mut WriteTx, round_id: i64, user_id: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM disqualifications WHERE round_id = $1 AND user_id = $2").bind(round_id).bind(user_id).fetch_one(&mut **tx).await?;
    Ok(n > 0)
}

pub async fn disqualify(tx: &mut WriteTx, round_id: i64, user_id: i64, reason: &str, decided_by: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO disqualifications (round_id, user_id, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(round_id)
        .bind(user_id)
        .bind(reason)
        .bind(decided_by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Lifts a disqualification; whether there was one.
pub async fn reinstate(tx: &mut WriteTx, round_id: i64, user_id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM disqualifications WHERE round_id = $1 AND user_id = $2").bind(round_id).bind(user_id).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

/// A submitted attempt's figures, for the statistics.
#[derive(sqlx::FromRow)]
pub struct ScoredRow {
    pub id: i64,
    pub score: Option<i64>,
    pub max_score: i64,
    pub time_taken_ms: Option<i64>,
}

pub async fn scored(db: &Db, round_id: i64) -> Result<Vec<ScoredRow>, AppError> {
    Ok(sqlx::query_as("SELECT id, score, max_score, time_taken_ms FROM attempts WHERE round_id = $1 AND status = 'submitted' ORDER BY id").bind(round_id).fetch_all(&db.pool).await?)
}

/// Points of every question of every submitted attempt: (attempt, question, points).
pub async fn scored_items(db: &Db, round_id: i64) -> Result<Vec<(i64, i64, Option<i64>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.attempt_id, i.question_id, i.points FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id WHERE a.round_id = $1 AND a.status = 'submitted'",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn participants(db: &Db, round_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(DISTINCT user_id) AS BIGINT) FROM attempts WHERE round_id = $1 AND status = 'submitted'").bind(round_id).fetch_one(&db.pool).await?)
}

/// The current text of every question drawn in the round.
pub async fn question_texts(db: &Db, round_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT q.id, v.body FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
         WHERE q.id IN (SELECT DISTINCT i.question_id FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id WHERE a.round_id = $1)",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}
