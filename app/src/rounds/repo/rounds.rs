//! Rounds (đợt thi): their settings as stored, and the reads that look at a round as a whole
//! (its question pool, whether attempts exist, which rounds have closed).

use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use crate::quiz::model::{Audience, QuestionKind};
use crate::rounds::model::{Counting, PredictionMetric, ReviewLevel, RoundInput};

/// A round's row with its contest's title. Settings stored as JSON (draw rules, prizes) are
/// decoded by the service, which reports what does not parse.
#[derive(sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub contest_id: i64,
    pub contest_title: String,
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub audience: Audience,
    pub draw_rules: String,
    pub shuffle_questions: i64,
    pub shuffle_options: i64,
    pub time_limit_secs: i64,
    pub max_attempts: i64,
    pub counting: Counting,
    pub grace_secs: i64,
    pub review_after_submit: ReviewLevel,
    pub review_after_close: ReviewLevel,
    pub prediction_question: String,
    pub prediction_metric: PredictionMetric,
    pub prediction_truth: Option<i64>,
    pub truth_frozen_at: Option<i64>,
    pub prizes: String,
    pub published_at: Option<i64>,
    pub draft: i64,
    pub contest_draft: i64,
}

const COLUMNS: &str = "r.id, r.contest_id, c.title AS contest_title, r.title, r.opens_at, r.closes_at, r.audience, r.draw_rules, r.shuffle_questions,
    r.shuffle_options, r.time_limit_secs, r.max_attempts, r.counting, r.grace_secs, r.review_after_submit, r.review_after_close,
    r.prediction_question, r.prediction_metric, r.prediction_truth, r.truth_frozen_at, r.prizes, r.published_at, r.draft, c.draft AS contest_draft";

pub async fn get(db: &Db, id: i64) -> Result<Option<RoundRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM rounds r JOIN contests c ON c.id = r.contest_id WHERE r.id = $1")).bind(id).fetch_optional(&db.pool).await?)
}

/// Rounds of one contest, or of every contest, newest contest first, each in opening order.
pub async fn list(db: &Db, contest_id: Option<i64>) -> Result<Vec<RoundRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM rounds r JOIN contests c ON c.id = r.contest_id WHERE ($1 = 0 OR r.contest_id = $1) ORDER BY c.year DESC, r.contest_id DESC, r.opens_at, r.id"
    ))
    .bind(contest_id.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?)
}

/// The settings' columns, in the order of [`insert`] and [`update`].
fn bind_settings<'q>(q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>, input: &'q RoundInput, draw_rules: String, prizes: String) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(input.title.trim())
        .bind(input.opens_at)
        .bind(input.closes_at)
        .bind(input.audience)
        .bind(draw_rules)
        .bind(input.shuffle_questions as i64)
        .bind(input.shuffle_options as i64)
        .bind(input.time_limit_secs)
        .bind(input.max_attempts)
        .bind(input.counting)
        .bind(input.grace_secs)
        .bind(input.review_after_submit)
        .bind(input.review_after_close)
        .bind(input.prediction_question.trim())
        .bind(input.prediction_metric)
        .bind(prizes)
}

fn json_of<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(AppError::internal)
}

pub async fn insert(tx: &mut WriteTx, contest_id: i64, input: &RoundInput, draft: bool, at: i64) -> Result<i64, AppError> {
    let sql = "INSERT INTO rounds (title, opens_at, closes_at, audience, draw_rules, shuffle_questions, shuffle_options, time_limit_secs, max_attempts,
        counting, grace_secs, review_after_submit, review_after_close, prediction_question, prediction_metric, prizes, contest_id, created_at, updated_at, draft)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19) RETURNING id";
    let (draw_rules, prizes) = (json_of(&input.draw_rules)?, json_of(&input.prizes)?);
    Ok(bind_settings(sqlx::query(sql), input, draw_rules, prizes).bind(contest_id).bind(at).bind(draft as i64).fetch_one(&mut **tx).await.and_then(|row| sqlx::Row::try_get(&row, "id"))?)
}

pub async fn update(tx: &mut WriteTx, id: i64, input: &RoundInput, at: i64) -> Result<(), AppError> {
    let sql = "UPDATE rounds SET title = $1, opens_at = $2, closes_at = $3, audience = $4, draw_rules = $5, shuffle_questions = $6, shuffle_options = $7,
        time_limit_secs = $8, max_attempts = $9, counting = $10, grace_secs = $11, review_after_submit = $12, review_after_close = $13,
        prediction_question = $14, prediction_metric = $15, prizes = $16, updated_at = $17 WHERE id = $18";
    let (draw_rules, prizes) = (json_of(&input.draw_rules)?, json_of(&input.prizes)?);
    bind_settings(sqlx::query(sql), input, draw_rules, prizes).bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Attempts started in the round, by anyone (settings they were drawn by are then locked).
pub async fn attempts_started(tx: &mut WriteTx, round_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1").bind(round_id).fetch_one(&mut **tx).await?)
}

/// A question of an audience's pool, current version, as the draw sees it.
#[derive(sqlx::FromRow)]
pub struct PoolRow {
    pub id: i64,
    pub current_version: i64,
    pub topic: String,
    pub difficulty: String,
    pub kind: QuestionKind,
    /// The options, as stored JSON.
    pub options: String,
}

/// Active questions of an audience's pool, current versions.
pub async fn pool(db: &Db, audience: Audience) -> Result<Vec<PoolRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT q.id, q.current_version, q.topic, q.difficulty, v.kind, v.options FROM questions q
         JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
         WHERE q.status = 'active' AND q.audience = $1 ORDER BY q.id",
    )
    .bind(audience)
    .fetch_all(&db.pool)
    .await?)
}

/// Rounds whose grace ended before `before_ms` and whose prediction value is not frozen yet.
pub async fn closed_unfrozen(db: &Db, before_ms: i64) -> Result<Vec<i64>, AppError> {
    // Drafts have no attempts and nothing to freeze; a draft cannot be announced once closed.
    Ok(sqlx::query_scalar("SELECT id FROM rounds WHERE truth_frozen_at IS NULL AND draft = 0 AND (closes_at + grace_secs) * 1000 < $1").bind(before_ms).fetch_all(&db.pool).await?)
}

/// Freezes the prediction's true value; whether this call did (it applies once).
pub async fn freeze_truth(tx: &mut WriteTx, round_id: i64, value: i64, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE rounds SET prediction_truth = $1, truth_frozen_at = $2 WHERE id = $3 AND truth_frozen_at IS NULL")
        .bind(value)
        .bind(at)
        .bind(round_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_published_at(tx: &mut WriteTx, round_id: i64, at: Option<i64>) -> Result<(), AppError> {
    sqlx::query("UPDATE rounds SET published_at = $1 WHERE id = $2").bind(at).bind(round_id).execute(&mut **tx).await?;
    Ok(())
}

/// The rounds of a contest, by opening time.
pub async fn ids_of_contest(db: &Db, contest_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM rounds WHERE contest_id = $1 ORDER BY opens_at").bind(contest_id).fetch_all(&db.pool).await?)
}

/// Makes a round a draft or public.
pub async fn set_draft(tx: &mut WriteTx, round_id: i64, draft: bool, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE rounds SET draft = $1, updated_at = $2 WHERE id = $3").bind(draft as i64).bind(at).bind(round_id).execute(&mut **tx).await?;
    Ok(())
}

/// Deletes a round nobody has taken, with the per-round rows that are written before the first
/// attempt (the unit snapshot) or could be (live counters).
pub async fn delete_untaken(tx: &mut WriteTx, round_id: i64) -> Result<(), AppError> {
    for table in ["round_unit_snapshots", "round_participants", "round_unit_counts", "round_day_counts", "disqualifications"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE round_id = $1")).bind(round_id).execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM rounds WHERE id = $1").bind(round_id).execute(&mut **tx).await?;
    Ok(())
}
