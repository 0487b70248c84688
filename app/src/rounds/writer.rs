//! Group commit for the writes of a deadline day: answer saves, and attempts started and
//! submitted.
//!
//! Thousands of participants save an answer every few seconds near a deadline, and start and
//! submit attempts by the hundred per minute. With `synchronous=FULL` every SQLite commit waits
//! for an fsync, and SQLite allows one writer at a time, so one transaction per write would
//! queue them all behind the disk (measured: 10,000 people starting within a minute, each start
//! its own transaction, took answer-save p99 to 0.7 s). Instead a single writer task takes
//! every write waiting in its queue, applies them in one transaction, commits once, and only
//! then answers each one: durability per write, one fsync per batch. Starts and submissions run
//! under a savepoint each, so one that fails undoes only itself.
//!
//! Each update re-checks, inside the write transaction, that the attempt is still open and its
//! stored deadline not passed, so a save can never land after a submission (submissions take
//! the same write lock). A save that loses that race is answered `Submitted` or `TimeUp`, not
//! silently dropped.
//!
//! Each update also compares sequence numbers inside the transaction: a save is applied only
//! when its number is higher than the stored one, so a choice queued on a phone while offline
//! and sent late never overwrites a newer one, whatever order requests arrive or commit in.

use crate::error::AppError;
use crate::infra::db::Db;
use futures_util::future::BoxFuture;
use std::any::Any;
use tokio::sync::{mpsc, oneshot};

/// The largest batch one commit takes; bounded so one commit never holds the lock for long.
const MAX_BATCH: usize = 512;

/// The batch's transaction, as a piece of work queued with [`AnswerWriter::run`] sees it.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

type Work = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<Box<dyn Any + Send>, AppError>> + Send>;

pub enum Change {
    /// Stored option indices, as JSON. `seq`: the client's sequence number; without one the
    /// server numbers the save after everything stored (last writer wins).
    Answer { position: i64, answer: String, seq: Option<i64> },
    Prediction { value: i64, seq: Option<i64> },
    /// Any other write of the deadline day (a start, a submission), run in the batch's
    /// transaction under a savepoint.
    Run(Work),
    /// Waits for every change queued before it.
    Flush,
}

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

struct Job {
    attempt_id: i64,
    change: Change,
    at_ms: i64,
    /// Saves are taken until the stored deadline plus this tolerance (network slack).
    tolerance_ms: i64,
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
    pub async fn apply(&self, attempt_id: i64, change: Change, at_ms: i64, tolerance_ms: i64) -> Result<Outcome, String> {
        let (reply, answer) = oneshot::channel();
        self.queue.send(Job { attempt_id, change, at_ms, tolerance_ms, reply }).await.map_err(|_| "answer writer stopped".to_string())?;
        answer.await.map_err(|_| "answer writer dropped a save".to_string())?
    }

    /// Runs `work` in the next batch's transaction, after every change queued before it, and
    /// returns its result once the batch is committed. If `work` fails, only its own writes are
    /// undone.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, AppError>> + Send + 'static,
    {
        let work: Work = Box::new(move |tx| Box::pin(async move { work(tx).await.map(|v| Box::new(v) as Box<dyn Any + Send>) }));
        match self.apply(0, Change::Run(work), 0, 0).await.map_err(AppError::internal)? {
            Outcome::Ran(Ok(value)) => value.downcast::<T>().map(|v| *v).map_err(|_| AppError::internal("writer returned another type")),
            Outcome::Ran(Err(e)) => Err(e),
            _ => Err(AppError::internal("writer answered a run with a save outcome")),
        }
    }

    pub async fn flush(&self) -> Result<(), String> {
        self.apply(0, Change::Flush, 0, 0).await.map(|_| ())
    }
}

async fn run(db: Db, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut replies = Vec::with_capacity(batch.len());
        let mut jobs = Vec::with_capacity(batch.len());
        for job in batch.drain(..) {
            replies.push(job.reply);
            jobs.push((job.attempt_id, job.change, job.at_ms, job.tolerance_ms));
        }
        let size = jobs.len();
        match commit(&db, jobs).await {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                // Nothing of the batch was kept, and nobody was told it was: each caller gets
                // the error (the attempt page retries its saves).
                tracing::error!(error = %e, batch = size, "write batch failed");
                for reply in replies {
                    let _ = reply.send(Err(e.to_string()));
                }
            }
        }
    }
}

async fn commit(db: &Db, jobs: Vec<(i64, Change, i64, i64)>) -> Result<Vec<Outcome>, sqlx::Error> {
    if jobs.iter().all(|(_, c, _, _)| matches!(c, Change::Flush)) {
        return Ok(jobs.iter().map(|_| Outcome::Saved { seq: 0, at_ms: 0 }).collect());
    }
    let mut tx = db.begin_write().await?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for (attempt_id, change, at_ms, tolerance_ms) in jobs {
        let job = Save { attempt_id, at_ms, tolerance_ms };
        let outcome = match change {
            Change::Answer { position, answer, seq } => save_answer(&mut tx, &job, position, &answer, seq).await?,
            Change::Prediction { value, seq } => save_prediction(&mut tx, &job, value, seq).await?,
            Change::Run(work) => {
                sqlx::query("SAVEPOINT work").execute(&mut *tx).await?;
                let result = work(&mut tx).await;
                if result.is_err() {
                    sqlx::query("ROLLBACK TO SAVEPOINT work").execute(&mut *tx).await?;
                }
                sqlx::query("RELEASE SAVEPOINT work").execute(&mut *tx).await?;
                Outcome::Ran(result)
            }
            Change::Flush => Outcome::Saved { seq: 0, at_ms: 0 },
        };
        outcomes.push(outcome);
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// What a save's SQL needs of its job.
struct Save {
    attempt_id: i64,
    at_ms: i64,
    tolerance_ms: i64,
}

/// The guard of every save: only an open attempt whose time has not run out takes changes.
const OPEN: &str = "EXISTS (SELECT 1 FROM attempts a WHERE a.id = $1 AND a.status = 'open' AND $2 <= a.deadline_ms + $3)";

/// The sequence number of a save: the client's, or (without one) the next after what is
/// stored and not below the server's clock, so that it wins.
const NEXT_SEQ: &str = "CASE WHEN $5 > 0 THEN $5 WHEN {col} >= $2 THEN {col} + 1 ELSE $2 END";

async fn save_answer(tx: &mut Tx, job: &Save, position: i64, answer: &str, seq: Option<i64>) -> Result<Outcome, sqlx::Error> {
    let next = NEXT_SEQ.replace("{col}", "answer_seq");
    let stored: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE attempt_items SET answer = $4, answered_at_ms = $2, answer_seq = {next}
         WHERE attempt_id = $1 AND position = $6 AND ($5 <= 0 OR answer_seq < $5) AND {OPEN} RETURNING answer_seq"
    ))
    .bind(job.attempt_id)
    .bind(job.at_ms)
    .bind(job.tolerance_ms)
    .bind(answer)
    .bind(seq.unwrap_or(0))
    .bind(position)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(seq) = stored {
        return Ok(Outcome::Saved { seq, at_ms: job.at_ms });
    }
    // Not applied: the attempt is over, or a save with this number or a higher one is stored.
    let row: Option<(String, i64, i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT a.status, a.deadline_ms, i.answer_seq, i.answer, i.answered_at_ms FROM attempts a
         JOIN attempt_items i ON i.attempt_id = a.id AND i.position = $2 WHERE a.id = $1",
    )
    .bind(job.attempt_id)
    .bind(position)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None => Outcome::Submitted,
        Some((status, deadline, stored_seq, stored_answer, at)) => {
            classify(job, &status, deadline, stored_seq, seq, stored_answer.as_deref() == Some(answer), at.unwrap_or(job.at_ms))
        }
    })
}

async fn save_prediction(tx: &mut Tx, job: &Save, value: i64, seq: Option<i64>) -> Result<Outcome, sqlx::Error> {
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
    let row: Option<(String, i64, i64, Option<i64>)> = sqlx::query_as("SELECT status, deadline_ms, prediction_seq, prediction FROM attempts WHERE id = $1")
        .bind(job.attempt_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        None => Outcome::Submitted,
        Some((status, deadline, stored_seq, stored_value)) => classify(job, &status, deadline, stored_seq, seq, stored_value == Some(value), job.at_ms),
    })
}

/// Why a save was not applied. A replay of the very save stored (same number, same value) is
/// answered as saved, so a retry after a lost acknowledgement is harmless.
fn classify(job: &Save, status: &str, deadline_ms: i64, stored_seq: i64, seq: Option<i64>, same_value: bool, stored_at_ms: i64) -> Outcome {
    if seq == Some(stored_seq) && same_value {
        Outcome::Saved { seq: stored_seq, at_ms: stored_at_ms }
    } else if status != "open" {
        Outcome::Submitted
    } else if job.at_ms > deadline_ms + job.tolerance_ms {
        Outcome::TimeUp
    } else {
        Outcome::Superseded { seq: stored_seq, at_ms: stored_at_ms }
    }
}
