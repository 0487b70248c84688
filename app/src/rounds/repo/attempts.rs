//! Attempts (bài thi) and their questions as drawn: storing a new attempt, reading it back
//! without its keys for the taker, with its keys for scoring, and closing it.
//!
//! Keys leave this module only through [`keyed_items`] (scoring) and [`review_keys`] (the review
//! after submission); the rows the taker's pages are built from never select `answer_key`.

use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use crate::quiz::model::QuestionKind;
use crate::rounds::model::{AttemptStatus, Submitter};

#[derive(sqlx::FromRow)]
pub struct AttemptRow {
    pub id: i64,
    pub round_id: i64,
    pub user_id: i64,
    pub unit_id: Option<i64>,
    pub number: i64,
    pub status: AttemptStatus,
    pub started_at_ms: i64,
    pub deadline_ms: i64,
    pub submitted_at_ms: Option<i64>,
    pub submitted_by: Option<Submitter>,
    pub prediction: Option<i64>,
    pub prediction_seq: i64,
    pub score: Option<i64>,
    pub max_score: i64,
    pub correct_count: Option<i64>,
    pub time_taken_ms: Option<i64>,
}

const COLUMNS: &str =
    "id, round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, submitted_at_ms, submitted_by, prediction, prediction_seq, score, max_score, correct_count, time_taken_ms";

pub async fn get(db: &Db, id: i64) -> Result<Option<AttemptRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM attempts WHERE id = $1")).bind(id).fetch_optional(&db.pool).await?)
}

/// The attempt as the write transaction sees it (the writer scores what it has committed).
pub async fn get_for_update(tx: &mut WriteTx, id: i64) -> Result<Option<AttemptRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM attempts WHERE id = $1")).bind(id).fetch_optional(&mut **tx).await?)
}

/// A person's attempts at a round, in order.
pub async fn of_person(db: &Db, round_id: i64, user_id: i64) -> Result<Vec<AttemptRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM attempts WHERE round_id = $1 AND user_id = $2 ORDER BY number")).bind(round_id).bind(user_id).fetch_all(&db.pool).await?)
}

/// How many attempts a person has started at a round.
pub async fn count_of_person(db: &Db, round_id: i64, user_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND user_id = $2").bind(round_id).bind(user_id).fetch_one(&db.pool).await?)
}

/// The open attempt of a person at a round, if any.
pub async fn open_of(db: &Db, round_id: i64, user_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM attempts WHERE round_id = $1 AND user_id = $2 AND status = 'open'").bind(round_id).bind(user_id).fetch_optional(&db.pool).await?)
}

/// Inside the transaction that would start one: the person's open attempt, if any, and how
/// many they have (one round trip).
pub async fn open_and_count(tx: &mut WriteTx, round_id: i64, user_id: i64) -> Result<(Option<i64>, i64), AppError> {
    Ok(sqlx::query_as(
        "SELECT (SELECT id FROM attempts WHERE round_id = $1 AND user_id = $2 AND status = 'open' LIMIT 1), (SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND user_id = $2)",
    )
    .bind(round_id)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?)
}

/// A new attempt's row (its questions go in with [`insert_items`]).
pub struct NewAttemptRow {
    pub round_id: i64,
    pub user_id: i64,
    pub unit_id: Option<i64>,
    pub number: i64,
    pub started_at_ms: i64,
    pub deadline_ms: i64,
    pub max_score: i64,
}

/// Stores an open attempt. `Ok(None)`: the person already has an attempt with this number (a
/// second node started it a moment earlier).
pub async fn insert(tx: &mut WriteTx, a: &NewAttemptRow) -> Result<Option<i64>, AppError> {
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO attempts (round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, max_score) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.round_id)
    .bind(a.user_id)
    .bind(a.unit_id)
    .bind(a.number)
    .bind(AttemptStatus::Open)
    .bind(a.started_at_ms)
    .bind(a.deadline_ms)
    .bind(a.max_score)
    .fetch_one(&mut **tx)
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A drawn question of a new attempt: question, version, and the option order as JSON.
pub struct DrawnItem {
    pub question_id: i64,
    pub version: i64,
    pub option_order: String,
}

/// Stores an attempt's questions, in one statement (one round trip, however many).
pub async fn insert_items(tx: &mut WriteTx, attempt_id: i64, items: &[DrawnItem]) -> Result<(), AppError> {
    if items.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..items.len()).map(|i| format!("($1, {}, ${}, ${}, ${})", i + 1, 3 * i + 2, 3 * i + 3, 3 * i + 4)).collect();
    let sql = format!("INSERT INTO attempt_items (attempt_id, position, question_id, version, option_order) VALUES {}", rows.join(", "));
    let mut insert = sqlx::query(&sql).bind(attempt_id);
    for item in items {
        insert = insert.bind(item.question_id).bind(item.version).bind(&item.option_order);
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// A question of an attempt as drawn, without its key. JSON columns are decoded by the caller.
#[derive(sqlx::FromRow)]
pub struct ItemRow {
    pub position: i64,
    pub option_order: String,
    pub answer: Option<String>,
    pub answer_seq: i64,
    pub points: Option<i64>,
    pub kind: QuestionKind,
    pub body: String,
    pub options: String,
}

pub async fn items(db: &Db, attempt_id: i64) -> Result<Vec<ItemRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.position, i.option_order, i.answer, i.answer_seq, i.points, v.kind, v.body, v.options FROM attempt_items i
         JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version WHERE i.attempt_id = $1 ORDER BY i.position",
    )
    .bind(attempt_id)
    .fetch_all(&db.pool)
    .await?)
}

/// What a save needs of one question of an attempt: the attempt's owner, the question's option
/// order (JSON) and kind. One indexed read.
#[derive(sqlx::FromRow)]
pub struct SaveTarget {
    pub user_id: i64,
    pub option_order: String,
    pub kind: QuestionKind,
}

pub async fn save_target(db: &Db, attempt_id: i64, position: i64) -> Result<Option<SaveTarget>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.user_id, i.option_order, v.kind FROM attempts a
         JOIN attempt_items i ON i.attempt_id = a.id AND i.position = $2
         JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version
         WHERE a.id = $1",
    )
    .bind(attempt_id)
    .bind(position)
    .fetch_optional(&db.pool)
    .await?)
}

/// A question with its key, for scoring (inside the submitting transaction).
#[derive(sqlx::FromRow)]
pub struct KeyedItem {
    pub position: i64,
    pub question_id: i64,
    pub answer: Option<String>,
    pub kind: QuestionKind,
    pub answer_key: String,
    pub partial_credit: i64,
}

pub async fn keyed_items(tx: &mut WriteTx, attempt_id: i64) -> Result<Vec<KeyedItem>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.position, i.question_id, i.answer, v.kind, v.answer_key, v.partial_credit FROM attempt_items i
         JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version WHERE i.attempt_id = $1",
    )
    .bind(attempt_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// A question's key and explanation, for the review of a submitted attempt.
#[derive(sqlx::FromRow)]
pub struct ReviewKey {
    pub position: i64,
    pub answer_key: String,
    pub explanation: String,
}

pub async fn review_keys(db: &Db, attempt_id: i64) -> Result<Vec<ReviewKey>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.position, v.answer_key, v.explanation FROM attempt_items i
         JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version WHERE i.attempt_id = $1",
    )
    .bind(attempt_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Every question's points, in one statement.
pub async fn set_points(tx: &mut WriteTx, attempt_id: i64, points: &[(i64, i64)]) -> Result<(), AppError> {
    if points.is_empty() {
        return Ok(());
    }
    let cases: String = (0..points.len()).map(|i| format!(" WHEN ${} THEN ${}", 2 * i + 2, 2 * i + 3)).collect();
    let sql = format!("UPDATE attempt_items SET points = CASE position{cases} END WHERE attempt_id = $1");
    let mut update = sqlx::query(&sql).bind(attempt_id);
    for (position, p) in points {
        update = update.bind(*position).bind(*p);
    }
    update.execute(&mut **tx).await?;
    Ok(())
}

/// How an attempt ended.
pub struct Closing {
    pub submitted_at_ms: i64,
    pub by: Submitter,
    pub score: i64,
    pub correct_count: i64,
    pub time_taken_ms: i64,
}

/// Closes an open attempt with its score; whether this call closed it (it applies once).
pub async fn close(tx: &mut WriteTx, attempt_id: i64, c: &Closing) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE attempts SET status = $1, submitted_at_ms = $2, submitted_by = $3, score = $4, correct_count = $5, time_taken_ms = $6
         WHERE id = $7 AND status = $8",
    )
    .bind(AttemptStatus::Submitted)
    .bind(c.submitted_at_ms)
    .bind(c.by)
    .bind(c.score)
    .bind(c.correct_count)
    .bind(c.time_taken_ms)
    .bind(attempt_id)
    .bind(AttemptStatus::Open)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open attempts whose deadline passed before `before_ms`, earliest first (at most 5,000 a
/// sweep, so one sweep stays short).
pub async fn overdue(db: &Db, before_ms: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM attempts WHERE status = 'open' AND deadline_ms < $1 ORDER BY deadline_ms LIMIT 5000").bind(before_ms).fetch_all(&db.pool).await?)
}

/// Open attempts of a round.
pub async fn open_in_round(db: &Db, round_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND status = 'open'").bind(round_id).fetch_one(&db.pool).await?)
}

/// An attempt that has already ended, stored whole (the demo contest's simulated entries).
pub struct FinishedAttempt {
    pub round_id: i64,
    pub user_id: i64,
    pub unit_id: Option<i64>,
    pub started_at_ms: i64,
    pub deadline_ms: i64,
    pub submitted_at_ms: i64,
    pub prediction: Option<i64>,
    pub score: i64,
    pub max_score: i64,
    pub correct_count: i64,
}

/// One question of a finished attempt: question, version, option order and answer (stored
/// indices), when it was answered, and its points.
pub struct FinishedItem {
    pub question_id: i64,
    pub version: i64,
    pub option_order: Vec<usize>,
    pub answer: Vec<usize>,
    pub answered_at_ms: i64,
    pub points: i64,
}

/// Stores a submitted attempt (its taker's first) with its questions. The participation
/// counters are not touched: whoever stores these rebuilds them (`counters::rebuild`).
pub async fn insert_finished(tx: &mut WriteTx, a: &FinishedAttempt, items: &[FinishedItem]) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO attempts (round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, submitted_at_ms, submitted_by, prediction, score, max_score, correct_count, time_taken_ms)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(a.round_id)
    .bind(a.user_id)
    .bind(a.unit_id)
    .bind(AttemptStatus::Submitted)
    .bind(a.started_at_ms)
    .bind(a.deadline_ms)
    .bind(a.submitted_at_ms)
    .bind(Submitter::Participant)
    .bind(a.prediction)
    .bind(a.score)
    .bind(a.max_score)
    .bind(a.correct_count)
    .bind(a.submitted_at_ms - a.started_at_ms)
    .fetch_one(&mut **tx)
    .await?;
    for (position, item) in items.iter().enumerate() {
        sqlx::query("INSERT INTO attempt_items (attempt_id, position, question_id, version, option_order, answer, answered_at_ms, points) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id)
            .bind(position as i64 + 1)
            .bind(item.question_id)
            .bind(item.version)
            .bind(serde_json::to_string(&item.option_order).map_err(AppError::internal)?)
            .bind(serde_json::to_string(&item.answer).map_err(AppError::internal)?)
            .bind(item.answered_at_ms)
            .bind(item.points)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}


/// Attempts open now, in every round (for the operators' metrics).
pub async fn open_count(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE status = 'open'").fetch_one(&db.pool).await?)
}
