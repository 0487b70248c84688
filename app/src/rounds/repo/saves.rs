//! The SQL of answer and prediction saves, run by the writer inside its batch transaction
//! (`rounds::writer` explains the group commit). Answers arrive as the stored option indices
//! and are written as JSON (`[0,2]`).
//!
//! Each save is applied only if the attempt is open, its stored deadline (plus tolerance) has
//! not passed, and its sequence number is higher than the stored one. Numbered answer saves
//! queued together are written in one statement (on PostgreSQL every statement is a network
//! round trip, and the writer's batches are bound by those); within the group, the highest
//! number of each question wins before anything reaches the database.

use crate::error::AppError;
use crate::infra::db::WriteTx as Tx;
use crate::rounds::model::AttemptStatus;
use std::any::Any;
use std::collections::BTreeMap;

/// What became of a change queued with the writer.
pub enum Outcome {
    /// Stored under this sequence number, at this time (for a replay of a save already stored:
    /// the time it was stored).
    Saved { seq: i64, at_ms: i64 },
    /// The server holds a newer choice (a higher sequence number): this one was ignored.
    Superseded { seq: i64, at_ms: i64 },
    /// The attempt was submitted before the save.
    Submitted,
    /// The attempt's deadline (plus tolerance) passed before the save.
    TimeUp,
    /// What a `Run` returned.
    Ran(Result<Box<dyn Any + Send>, AppError>),
}

/// What a save's SQL needs of its job.
pub struct Save {
    pub attempt_id: i64,
    pub at_ms: i64,
    /// Saves are taken until the stored deadline plus this tolerance (network slack).
    pub tolerance_ms: i64,
}

/// A numbered answer save waiting to be written with others; `index` is its place in the batch.
pub struct Numbered {
    pub index: usize,
    pub job: Save,
    pub position: i64,
    /// The stored option indices.
    pub answer: Vec<usize>,
    pub seq: i64,
}

/// An answer as the `answer` column holds it.
fn answer_json(answer: &[usize]) -> String {
    serde_json::to_string(answer).unwrap_or_else(|_| "[]".into())
}

/// Rows per statement of a grouped save (5 parameters each, well under either database's limit).
const GROUP_ROWS: usize = 200;

/// Writes a group of numbered answer saves; returns each one's outcome with its index.
pub async fn save_group(tx: &mut Tx, saves: Vec<Numbered>) -> Result<Vec<(usize, Outcome)>, sqlx::Error> {
    if saves.is_empty() {
        return Ok(Vec::new());
    }
    // The winner of each question within the group: the highest number (the first of equals).
    let mut winners: BTreeMap<(i64, i64), usize> = BTreeMap::new();
    for (k, s) in saves.iter().enumerate() {
        let key = (s.job.attempt_id, s.position);
        match winners.get(&key) {
            Some(&w) if saves[w].seq >= s.seq => {}
            _ => {
                winners.insert(key, k);
            }
        }
    }
    let chosen: Vec<usize> = winners.values().copied().collect();
    let mut applied: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for chunk in chosen.chunks(GROUP_ROWS) {
        let rows: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${}, ${}, ${})", 6 * i + 1, 6 * i + 2, 6 * i + 3, 6 * i + 4, 6 * i + 5, 6 * i + 6)).collect();
        // VALUES columns are column1… in both SQLite and PostgreSQL: attempt, position, answer,
        // seq, time, tolerance.
        let sql = format!(
            "UPDATE attempt_items SET answer = v.column3, answer_seq = v.column4, answered_at_ms = v.column5 FROM (VALUES {}) AS v
             WHERE attempt_items.attempt_id = v.column1 AND attempt_items.position = v.column2 AND attempt_items.answer_seq < v.column4
             AND EXISTS (SELECT 1 FROM attempts a WHERE a.id = v.column1 AND a.status = 'open' AND v.column5 <= a.deadline_ms + v.column6)
             RETURNING attempt_items.attempt_id, attempt_items.position, attempt_items.answer_seq",
            rows.join(", ")
        );
        let mut update = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
        for &k in chunk {
            let s = &saves[k];
            update = update.bind(s.job.attempt_id).bind(s.position).bind(answer_json(&s.answer)).bind(s.seq).bind(s.job.at_ms).bind(s.job.tolerance_ms);
        }
        for (attempt, position, seq) in update.fetch_all(&mut **tx).await? {
            applied.insert((attempt, position), seq);
        }
    }
    let mut outcome_of: BTreeMap<usize, Outcome> = BTreeMap::new();
    for &w in &chosen {
        let s = &saves[w];
        let outcome = match applied.get(&(s.job.attempt_id, s.position)) {
            Some(seq) => Outcome::Saved { seq: *seq, at_ms: s.job.at_ms },
            // Not applied: the attempt is over, or the same or a higher number is stored.
            None => why_not(tx, &s.job, s.position, &s.answer, Some(s.seq)).await?,
        };
        outcome_of.insert(w, outcome);
    }
    let mut out = Vec::with_capacity(saves.len());
    for (k, s) in saves.iter().enumerate() {
        let w = winners[&(s.job.attempt_id, s.position)];
        let outcome = if k == w {
            match outcome_of.get(&w) {
                Some(o) => copy(o),
                None => Outcome::Submitted,
            }
        } else {
            // A loser within the group: the same save twice is answered as the winner was;
            // an older one is superseded by it (or refused with it, if the attempt is over).
            let winner = &saves[w];
            match outcome_of.get(&w) {
                Some(Outcome::Saved { seq, at_ms }) if winner.seq == s.seq && winner.answer == s.answer => Outcome::Saved { seq: *seq, at_ms: *at_ms },
                Some(Outcome::Saved { seq, at_ms } | Outcome::Superseded { seq, at_ms }) => Outcome::Superseded { seq: *seq, at_ms: *at_ms },
                Some(Outcome::TimeUp) => Outcome::TimeUp,
                _ => Outcome::Submitted,
            }
        };
        out.push((s.index, outcome));
    }
    Ok(out)
}

/// A save's outcome, again (outcomes that carry a run's result cannot be copied; saves' can).
fn copy(outcome: &Outcome) -> Outcome {
    match outcome {
        Outcome::Saved { seq, at_ms } => Outcome::Saved { seq: *seq, at_ms: *at_ms },
        Outcome::Superseded { seq, at_ms } => Outcome::Superseded { seq: *seq, at_ms: *at_ms },
        Outcome::TimeUp => Outcome::TimeUp,
        _ => Outcome::Submitted,
    }
}

/// Why a numbered save was not applied (one query; rare outside the last seconds of an attempt).
async fn why_not(tx: &mut Tx, job: &Save, position: i64, answer: &[usize], seq: Option<i64>) -> Result<Outcome, sqlx::Error> {
    let row: Option<(AttemptStatus, i64, i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT a.status, a.deadline_ms, i.answer_seq, i.answer, i.answered_at_ms FROM attempts a
         JOIN attempt_items i ON i.attempt_id = a.id AND i.position = $2 WHERE a.id = $1",
    )
    .bind(job.attempt_id)
    .bind(position)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None => Outcome::Submitted,
        Some((status, deadline, stored_seq, stored_answer, at)) => classify(job, status, deadline, stored_seq, seq, stored_answer.as_deref() == Some(answer_json(answer).as_str()), at.unwrap_or(job.at_ms)),
    })
}

/// The guard of every save: only an open attempt whose time has not run out takes changes.
const OPEN: &str = "EXISTS (SELECT 1 FROM attempts a WHERE a.id = $1 AND a.status = 'open' AND $2 <= a.deadline_ms + $3)";

/// The sequence number of a save: the client's, or (without one) the next after what is
/// stored and not below the server's clock, so that it wins.
const NEXT_SEQ: &str = "CASE WHEN $5 > 0 THEN $5 WHEN {col} >= $2 THEN {col} + 1 ELSE $2 END";

pub async fn save_answer(tx: &mut Tx, job: &Save, position: i64, answer: &[usize], seq: Option<i64>) -> Result<Outcome, sqlx::Error> {
    let next = NEXT_SEQ.replace("{col}", "answer_seq");
    let stored: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE attempt_items SET answer = $4, answered_at_ms = $2, answer_seq = {next}
         WHERE attempt_id = $1 AND position = $6 AND ($5 <= 0 OR answer_seq < $5) AND {OPEN} RETURNING answer_seq"
    ))
    .bind(job.attempt_id)
    .bind(job.at_ms)
    .bind(job.tolerance_ms)
    .bind(answer_json(answer))
    .bind(seq.unwrap_or(0))
    .bind(position)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(seq) = stored {
        return Ok(Outcome::Saved { seq, at_ms: job.at_ms });
    }
    why_not(tx, job, position, answer, seq).await
}

pub async fn save_prediction(tx: &mut Tx, job: &Save, value: i64, seq: Option<i64>) -> Result<Outcome, sqlx::Error> {
    let next = NEXT_SEQ.replace("{col}", "prediction_seq");
    let stored: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE attempts SET prediction = $4, prediction_seq = {next} WHERE id = $1 AND ($5 <= 0 OR prediction_seq < $5) AND {OPEN} RETURNING prediction_seq"
    ))
    .bind(job.attempt_id)
    .bind(job.at_ms)
    .bind(job.tolerance_ms)
    .bind(value)
    .bind(seq.unwrap_or(0))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(seq) = stored {
        return Ok(Outcome::Saved { seq, at_ms: job.at_ms });
    }
    let row: Option<(AttemptStatus, i64, i64, Option<i64>)> = sqlx::query_as("SELECT status, deadline_ms, prediction_seq, prediction FROM attempts WHERE id = $1")
        .bind(job.attempt_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        None => Outcome::Submitted,
        Some((status, deadline, stored_seq, stored_value)) => classify(job, status, deadline, stored_seq, seq, stored_value == Some(value), job.at_ms),
    })
}

/// Why a save was not applied. A replay of the very save stored (same number, same value) is
/// answered as saved, so a retry after a lost acknowledgement is harmless.
fn classify(job: &Save, status: AttemptStatus, deadline_ms: i64, stored_seq: i64, seq: Option<i64>, same_value: bool, stored_at_ms: i64) -> Outcome {
    if seq == Some(stored_seq) && same_value {
        Outcome::Saved { seq: stored_seq, at_ms: stored_at_ms }
    } else if status != AttemptStatus::Open {
        Outcome::Submitted
    } else if job.at_ms > deadline_ms + job.tolerance_ms {
        Outcome::TimeUp
    } else {
        Outcome::Superseded { seq: stored_seq, at_ms: stored_at_ms }
    }
}
