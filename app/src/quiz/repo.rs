//! The question bank's persistence: questions and their versions. Rows decode into typed
//! structs (kind and status as stored codes); the stored options and answer key are JSON, read
//! back as an error when they do not parse.

use super::model::{Audience, BankOption, BankQuestion, QuestionKind, QuestionStatus};
use crate::codes::stored_json;
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use crate::vn_time::now_secs;

/// Stored answer key of one option. Not `Serialize` on purpose: this crate's only way to send
/// a key anywhere is the organizer-facing `BankOption`.
#[derive(serde::Deserialize)]
struct KeyEntry {
    correct: bool,
    weight: f64,
}

/// The content of one version, as stored.
pub struct VersionContent<'a> {
    pub kind: QuestionKind,
    pub text: &'a str,
    pub options: &'a [BankOption],
    pub explanation: &'a str,
    pub partial_credit: bool,
}

pub async fn insert_question(tx: &mut WriteTx, topic: &str, difficulty: &str, audience: Audience, actor: i64, content: &VersionContent<'_>) -> sqlx::Result<i64> {
    let at = now_secs();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questions (topic, difficulty, audience, status, current_version, search_key, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $7) RETURNING id",
    )
    .bind(topic)
    .bind(difficulty)
    .bind(audience)
    .bind(QuestionStatus::Active)
    .bind(crate::text::fold(&format!("{topic} {}", content.text)))
    .bind(actor)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    insert_version(tx, id, 1, actor, content).await?;
    Ok(id)
}

pub async fn insert_version(tx: &mut WriteTx, question_id: i64, version: i64, actor: i64, c: &VersionContent<'_>) -> sqlx::Result<()> {
    let texts: Vec<&str> = c.options.iter().map(|o| o.text.as_str()).collect();
    let key: Vec<serde_json::Value> = c.options.iter().map(|o| serde_json::json!({ "correct": o.correct, "weight": o.weight })).collect();
    sqlx::query(
        "INSERT INTO question_versions (question_id, version, kind, body, options, answer_key, explanation, partial_credit, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(question_id)
    .bind(version)
    .bind(c.kind)
    .bind(c.text)
    .bind(serde_json::to_string(&texts).unwrap_or_default())
    .bind(serde_json::Value::Array(key).to_string())
    .bind(c.explanation)
    .bind(c.partial_credit as i64)
    .bind(actor)
    .bind(now_secs())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_current(tx: &mut WriteTx, id: i64, version: i64, topic: &str, difficulty: &str, audience: Audience, text: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE questions SET current_version = $1, topic = $2, difficulty = $3, audience = $4, search_key = $5, updated_at = $6 WHERE id = $7")
        .bind(version)
        .bind(topic)
        .bind(difficulty)
        .bind(audience)
        .bind(crate::text::fold(&format!("{topic} {text}")))
        .bind(now_secs())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_status(db: &Db, id: i64, status: QuestionStatus) -> sqlx::Result<u64> {
    let done = sqlx::query("UPDATE questions SET status = $1, updated_at = $2 WHERE id = $3").bind(status).bind(now_secs()).bind(id).execute(&db.pool).await?;
    Ok(done.rows_affected())
}

const SELECT: &str = "SELECT q.id, v.version, q.current_version, q.topic, q.difficulty, q.audience, q.status, v.kind, v.body, v.options, v.answer_key,
    v.explanation, v.partial_credit, q.updated_at FROM questions q JOIN question_versions v ON v.question_id = q.id";

/// A question version as stored, before its JSON columns are read.
#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: i64,
    version: i64,
    current_version: i64,
    topic: String,
    difficulty: String,
    audience: Audience,
    status: QuestionStatus,
    kind: QuestionKind,
    body: String,
    options: String,
    answer_key: String,
    explanation: String,
    partial_credit: i64,
    updated_at: i64,
}

impl QuestionRow {
    fn into_question(self) -> Result<BankQuestion, AppError> {
        let texts: Vec<String> = stored_json(&self.options, "question options")?;
        let key: Vec<KeyEntry> = stored_json(&self.answer_key, "answer key")?;
        Ok(BankQuestion {
            id: self.id,
            version: self.version,
            current_version: self.current_version,
            topic: self.topic,
            difficulty: self.difficulty,
            audience: self.audience,
            status: self.status,
            kind: self.kind,
            text: self.body,
            options: texts.into_iter().zip(key).map(|(text, k)| BankOption { text, correct: k.correct, weight: k.weight }).collect(),
            explanation: self.explanation,
            partial_credit: self.partial_credit == 1,
            updated_at: self.updated_at,
        })
    }
}

/// A question in a given version (`None`: its current one).
pub async fn get(db: &Db, id: i64, version: Option<i64>) -> Result<Option<BankQuestion>, AppError> {
    let row: Option<QuestionRow> = match version {
        Some(v) => sqlx::query_as(&format!("{SELECT} WHERE q.id = $1 AND v.version = $2")).bind(id).bind(v).fetch_optional(&db.pool).await?,
        None => sqlx::query_as(&format!("{SELECT} WHERE q.id = $1 AND v.version = q.current_version")).bind(id).fetch_optional(&db.pool).await?,
    };
    row.map(QuestionRow::into_question).transpose()
}

pub async fn current_version_tx(tx: &mut WriteTx, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT current_version FROM questions WHERE id = $1").bind(id).fetch_optional(&mut **tx).await
}

/// Current versions matching the folded `query` (topic or text) and, if given, a topic.
pub async fn search(db: &Db, query: &str, topic: Option<&str>, include_retired: bool, limit: i64) -> Result<Vec<BankQuestion>, AppError> {
    let pattern = format!("%{}%", crate::text::fold(query).replace(['%', '_'], ""));
    let rows: Vec<QuestionRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE v.version = q.current_version AND q.search_key LIKE $1 AND ($2 = '' OR q.topic = $2) AND ($3 = 1 OR q.status = $5)
         ORDER BY q.id LIMIT $4"
    ))
    .bind(&pattern)
    .bind(topic.unwrap_or(""))
    .bind(include_retired as i64)
    .bind(limit)
    .bind(QuestionStatus::Active)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(QuestionRow::into_question).collect()
}

/// How many questions the bank holds, retired ones included.
pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM questions").fetch_one(&db.pool).await
}

/// The current version's kind and stored answer key of every question (for simulated entries).
pub async fn current_keys(db: &Db) -> sqlx::Result<Vec<(i64, QuestionKind, String)>> {
    sqlx::query_as("SELECT q.id, v.kind, v.answer_key FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version ORDER BY q.id")
        .fetch_all(&db.pool)
        .await
}
