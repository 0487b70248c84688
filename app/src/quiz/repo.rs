//! SQL for the question bank.

use super::model::{BankOption, BankQuestion, QuestionKind};
use crate::infra::db::Db;
use crate::vn_time::now_secs;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

pub fn kind_code(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "single",
        QuestionKind::Multiple => "multi",
        QuestionKind::TrueFalse => "tf",
    }
}

pub fn kind_of(code: &str) -> QuestionKind {
    match code {
        "multi" => QuestionKind::Multiple,
        "tf" => QuestionKind::TrueFalse,
        _ => QuestionKind::Single,
    }
}

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

pub async fn insert_question(tx: &mut Transaction<'_, Any>, topic: &str, difficulty: &str, audience: &str, actor: i64, content: &VersionContent<'_>) -> sqlx::Result<i64> {
    let at = now_secs();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questions (topic, difficulty, audience, status, current_version, search_key, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, 'active', 1, $4, $5, $6, $6) RETURNING id",
    )
    .bind(topic)
    .bind(difficulty)
    .bind(audience)
    .bind(crate::text::fold(&format!("{topic} {}", content.text)))
    .bind(actor)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    insert_version(tx, id, 1, actor, content).await?;
    Ok(id)
}

pub async fn insert_version(tx: &mut Transaction<'_, Any>, question_id: i64, version: i64, actor: i64, c: &VersionContent<'_>) -> sqlx::Result<()> {
    let texts: Vec<&str> = c.options.iter().map(|o| o.text.as_str()).collect();
    let key: Vec<serde_json::Value> = c.options.iter().map(|o| serde_json::json!({ "correct": o.correct, "weight": o.weight })).collect();
    sqlx::query(
        "INSERT INTO question_versions (question_id, version, kind, body, options, answer_key, explanation, partial_credit, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(question_id)
    .bind(version)
    .bind(kind_code(c.kind))
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

pub async fn set_current(tx: &mut Transaction<'_, Any>, id: i64, version: i64, topic: &str, difficulty: &str, audience: &str, text: &str) -> sqlx::Result<()> {
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

pub async fn set_status(db: &Db, id: i64, status: &str) -> sqlx::Result<u64> {
    let done = sqlx::query("UPDATE questions SET status = $1, updated_at = $2 WHERE id = $3").bind(status).bind(now_secs()).bind(id).execute(&db.pool).await?;
    Ok(done.rows_affected())
}

const SELECT: &str = "SELECT q.id, v.version, q.current_version, q.topic, q.difficulty, q.audience, q.status, v.kind, v.body, v.options, v.answer_key,
    v.explanation, v.partial_credit, q.updated_at FROM questions q JOIN question_versions v ON v.question_id = q.id";

fn from_row(r: &AnyRow) -> BankQuestion {
    let texts: Vec<String> = serde_json::from_str(&r.get::<String, _>("options")).unwrap_or_default();
    let key: Vec<KeyEntry> = serde_json::from_str(&r.get::<String, _>("answer_key")).unwrap_or_default();
    BankQuestion {
        id: r.get("id"),
        version: r.get("version"),
        current_version: r.get("current_version"),
        topic: r.get("topic"),
        difficulty: r.get("difficulty"),
        audience: r.get("audience"),
        status: r.get("status"),
        kind: kind_of(&r.get::<String, _>("kind")),
        text: r.get("body"),
        options: texts.into_iter().zip(key).map(|(text, k)| BankOption { text, correct: k.correct, weight: k.weight }).collect(),
        explanation: r.get("explanation"),
        partial_credit: r.get::<i64, _>("partial_credit") == 1,
        updated_at: r.get("updated_at"),
    }
}

/// A question in a given version (`None`: its current one).
pub async fn get(db: &Db, id: i64, version: Option<i64>) -> sqlx::Result<Option<BankQuestion>> {
    let row = match version {
        Some(v) => sqlx::query(&format!("{SELECT} WHERE q.id = $1 AND v.version = $2")).bind(id).bind(v).fetch_optional(&db.pool).await?,
        None => sqlx::query(&format!("{SELECT} WHERE q.id = $1 AND v.version = q.current_version")).bind(id).fetch_optional(&db.pool).await?,
    };
    Ok(row.as_ref().map(from_row))
}

pub async fn current_version_tx(tx: &mut Transaction<'_, Any>, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT current_version FROM questions WHERE id = $1").bind(id).fetch_optional(&mut **tx).await
}

/// Current versions matching the folded `query` (topic or text) and, if given, a topic.
pub async fn search(db: &Db, query: &str, topic: Option<&str>, include_retired: bool, limit: i64) -> sqlx::Result<Vec<BankQuestion>> {
    let pattern = format!("%{}%", crate::text::fold(query).replace(['%', '_'], ""));
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE v.version = q.current_version AND q.search_key LIKE $1 AND ($2 = '' OR q.topic = $2) AND ($3 = 1 OR q.status = 'active')
         ORDER BY q.id LIMIT $4"
    ))
    .bind(&pattern)
    .bind(topic.unwrap_or(""))
    .bind(include_retired as i64)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}
