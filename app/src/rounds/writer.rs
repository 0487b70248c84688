//! Group commit for answer saves.
//!
//! Thousands of participants save an answer every few seconds near a deadline. With
//! `synchronous=FULL` every SQLite commit waits for an fsync, and SQLite allows one writer at
//! a time, so one transaction per save would queue them all behind the disk. Instead a single
//! writer task takes every save waiting in its queue, applies them in one transaction, commits
//! once, and only then acknowledges each one: durability per save, one fsync per batch.
//!
//! Each update re-checks, inside the write transaction, that the attempt is still open and its
//! deadline not passed, so a save can never land after a submission (submissions take the same
//! write lock). A save that loses that race is answered `Closed`, not silently dropped.

use crate::infra::db::Db;
use tokio::sync::{mpsc, oneshot};

/// The largest batch one commit takes; bounded so one commit never holds the lock for long.
const MAX_BATCH: usize = 512;

#[derive(Debug)]
pub enum Change {
    /// Stored option indices, as JSON.
    Answer { position: i64, answer: String },
    Prediction { value: i64 },
    /// Waits for every change queued before it (used before a submission).
    Flush,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Saved,
    /// The attempt was submitted or its deadline (plus tolerance) passed before the save.
    Closed,
}

struct Job {
    attempt_id: i64,
    change: Change,
    at_ms: i64,
    /// Saves are refused after this time (deadline plus network tolerance).
    accept_until_ms: i64,
    reply: oneshot::Sender<Result<Outcome, String>>,
}

#[derive(Clone)]
pub struct AnswerWriter {
    queue: mpsc::Sender<Job>,
}

impl AnswerWriter {
    /// Starts the writer task on the current tokio runtime.
    pub fn spawn(db: Db) -> AnswerWriter {
        let (queue, rx) = mpsc::channel(16 * MAX_BATCH);
        tokio::spawn(run(db, rx));
        AnswerWriter { queue }
    }

    /// Queues a change and waits until it is committed (or refused).
    pub async fn apply(&self, attempt_id: i64, change: Change, at_ms: i64, accept_until_ms: i64) -> Result<Outcome, String> {
        let (reply, answer) = oneshot::channel();
        self.queue.send(Job { attempt_id, change, at_ms, accept_until_ms, reply }).await.map_err(|_| "answer writer stopped".to_string())?;
        answer.await.map_err(|_| "answer writer dropped a save".to_string())?
    }

    pub async fn flush(&self) -> Result<(), String> {
        self.apply(0, Change::Flush, 0, i64::MAX).await.map(|_| ())
    }
}

async fn run(db: Db, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match commit(&db, &batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    let _ = job.reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, batch = batch.len(), "answer batch failed");
                for job in batch.drain(..) {
                    let _ = job.reply.send(Err(e.to_string()));
                }
            }
        }
    }
}

async fn commit(db: &Db, batch: &[Job]) -> Result<Vec<Outcome>, sqlx::Error> {
    if batch.iter().all(|j| matches!(j.change, Change::Flush)) {
        return Ok(vec![Outcome::Saved; batch.len()]);
    }
    let mut tx = db.begin_write().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch {
        // The guard: only an open attempt whose time has not run out takes changes.
        let open = "EXISTS (SELECT 1 FROM attempts a WHERE a.id = $1 AND a.status = 'open' AND $2 <= $3)";
        let done = match &job.change {
            Change::Answer { position, answer } => {
                sqlx::query(&format!("UPDATE attempt_items SET answer = $4, answered_at_ms = $2 WHERE attempt_id = $1 AND position = $5 AND {open}"))
                    .bind(job.attempt_id)
                    .bind(job.at_ms)
                    .bind(job.accept_until_ms)
                    .bind(answer)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            Change::Prediction { value } => {
                sqlx::query(&format!("UPDATE attempts SET prediction = $4 WHERE id = $1 AND {open}"))
                    .bind(job.attempt_id)
                    .bind(job.at_ms)
                    .bind(job.accept_until_ms)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            Change::Flush => 1,
        };
        outcomes.push(if done == 1 { Outcome::Saved } else { Outcome::Closed });
    }
    tx.commit().await?;
    Ok(outcomes)
}
