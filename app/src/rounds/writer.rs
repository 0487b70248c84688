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

pub use super::repo::saves::Outcome;
use super::repo::saves::{self, Numbered, Save};
use crate::error::AppError;
use crate::infra::db::Db;
use futures_util::future::BoxFuture;
use std::any::Any;
use tokio::sync::{mpsc, oneshot};

/// The largest batch one commit takes; bounded so one commit never holds the lock for long.
const MAX_BATCH: usize = 512;

/// The batch's transaction, as a piece of work queued with [`AnswerWriter::run`] sees it.
pub type Tx = crate::infra::db::WriteTx;

type Work = Box<dyn for<'t> FnOnce(&'t mut Batch) -> BoxFuture<'t, Result<Box<dyn Any + Send>, AppError>> + Send>;

/// Work left for the end of the batch, just before its commit (see [`Batch::finally`]).
type Finally = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<(), sqlx::Error>> + Send>;

/// A batch being written, as a piece of queued work sees it: its transaction, and work to do
/// at its end.
pub struct Batch {
    pub tx: Tx,
    finally: Vec<Finally>,
}

impl Batch {
    /// Queues `work` for the end of the batch, in the same transaction. Shared counters (the
    /// participation figures) are updated there: on PostgreSQL their lock is then held for the
    /// end of a batch only, not for all of it, while the other shards write.
    pub fn finally<F>(&mut self, work: F)
    where
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<(), sqlx::Error>> + Send + 'static,
    {
        self.finally.push(Box::new(work));
    }
}

pub enum Change {
    /// The stored option indices. `seq`: the client's sequence number; without one the server
    /// numbers the save after everything stored (last writer wins).
    Answer { position: i64, answer: Vec<usize>, seq: Option<i64> },
    Prediction { value: i64, seq: Option<i64> },
    /// Any other write of the deadline day (a start, a submission), run in the batch's
    /// transaction under a savepoint.
    Run(Work),
    /// Waits for every change queued before it.
    Flush,
}


struct Job {
    attempt_id: i64,
    change: Change,
    at_ms: i64,
    /// Saves are taken until the stored deadline plus this tolerance (network slack).
    tolerance_ms: i64,
    reply: oneshot::Sender<Result<Outcome, String>>,
}

/// The writer: one queue and task per shard. SQLite has one writer at a time, so it gets one
/// shard; PostgreSQL takes writes in parallel, and its batches are bound by network round
/// trips rather than by a lock, so several shards commit side by side. Everything about one
/// attempt goes to the same shard (by attempt id; a start by its person), so its saves and its
/// submission keep their order.
#[derive(Clone)]
pub struct AnswerWriter {
    shards: Vec<mpsc::Sender<Job>>,
}

/// Shards on PostgreSQL (see [`AnswerWriter`]).
pub const POSTGRES_SHARDS: usize = 4;

impl AnswerWriter {
    /// Starts the writer tasks on the current tokio runtime.
    pub fn spawn(db: Db) -> AnswerWriter {
        let count = match db.backend {
            crate::infra::db::Backend::Sqlite => 1,
            crate::infra::db::Backend::Postgres => POSTGRES_SHARDS,
        };
        let shards = (0..count)
            .map(|_| {
                let (queue, rx) = mpsc::channel(16 * MAX_BATCH);
                tokio::spawn(run(db.clone(), rx));
                queue
            })
            .collect();
        AnswerWriter { shards }
    }

    /// Saves and submissions waiting in the writer's queues, all shards together.
    pub fn queued(&self) -> usize {
        self.shards.iter().map(|q| q.max_capacity() - q.capacity()).sum()
    }

    fn shard(&self, key: i64) -> &mpsc::Sender<Job> {
        &self.shards[key.rem_euclid(self.shards.len() as i64) as usize]
    }

    /// Queues a change of attempt `attempt_id` and waits until it is committed (or refused).
    pub async fn apply(&self, attempt_id: i64, change: Change, at_ms: i64, tolerance_ms: i64) -> Result<Outcome, String> {
        self.send(attempt_id, attempt_id, change, at_ms, tolerance_ms).await
    }

    async fn send(&self, key: i64, attempt_id: i64, change: Change, at_ms: i64, tolerance_ms: i64) -> Result<Outcome, String> {
        let (reply, answer) = oneshot::channel();
        let queued = std::time::Instant::now();
        self.shard(key).send(Job { attempt_id, change, at_ms, tolerance_ms, reply }).await.map_err(|_| "answer writer stopped".to_string())?;
        let outcome = answer.await.map_err(|_| "answer writer dropped a save".to_string())?;
        // From queueing to the committed answer: the wait for the batch, the batch, its fsync.
        metrics::histogram!("hp_writer_wait_seconds").record(queued.elapsed().as_secs_f64());
        outcome
    }

    /// Runs `work` in the next batch's transaction of the shard of `key` (an attempt id, or for
    /// a new attempt its person's id), after every change queued there before it, and returns
    /// its result once the batch is committed. If `work` fails, only its own writes are undone.
    pub async fn run<T, F>(&self, key: i64, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Batch) -> BoxFuture<'t, Result<T, AppError>> + Send + 'static,
    {
        let work: Work = Box::new(move |tx| Box::pin(async move { work(tx).await.map(|v| Box::new(v) as Box<dyn Any + Send>) }));
        match self.send(key, 0, Change::Run(work), 0, 0).await.map_err(AppError::internal)? {
            Outcome::Ran(Ok(value)) => value.downcast::<T>().map(|v| *v).map_err(|_| AppError::internal("writer returned another type")),
            Outcome::Ran(Err(e)) => Err(e),
            _ => Err(AppError::internal("writer answered a run with a save outcome")),
        }
    }

    /// Waits until everything queued so far, in every shard, is committed.
    pub async fn flush(&self) -> Result<(), String> {
        for key in 0..self.shards.len() as i64 {
            self.send(key, 0, Change::Flush, 0, 0).await?;
        }
        Ok(())
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
        let started = std::time::Instant::now();
        let committed = commit(&db, jobs).await;
        metrics::histogram!("hp_writer_batch_size").record(size as f64);
        metrics::histogram!("hp_writer_batch_seconds").record(started.elapsed().as_secs_f64());
        match committed {
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
    let mut batch = Batch { tx: db.begin_write().await?, finally: Vec::new() };
    let mut outcomes: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    // Numbered answer saves in a row are written together, in one statement; anything else
    // (a start, a submission, an unnumbered save) first writes the group before it, so the
    // order of the queue is kept.
    let mut group: Vec<Numbered> = Vec::new();
    for (index, (attempt_id, change, at_ms, tolerance_ms)) in jobs.into_iter().enumerate() {
        let job = Save { attempt_id, at_ms, tolerance_ms };
        if let Change::Answer { position, answer, seq: Some(seq) } = change {
            group.push(Numbered { index, job, position, answer, seq });
            continue;
        }
        for (i, outcome) in saves::save_group(&mut batch.tx, std::mem::take(&mut group)).await? {
            outcomes[i] = Some(outcome);
        }
        outcomes[index] = Some(match change {
            Change::Answer { position, answer, seq } => saves::save_answer(&mut batch.tx, &job, position, &answer, seq).await?,
            Change::Prediction { value, seq } => saves::save_prediction(&mut batch.tx, &job, value, seq).await?,
            Change::Run(work) => {
                Db::savepoint(&mut batch.tx, "work").await?;
                let finally_before = batch.finally.len();
                let result = work(&mut batch).await;
                if result.is_err() {
                    batch.finally.truncate(finally_before);
                    Db::rollback_to(&mut batch.tx, "work").await?;
                }
                Db::release(&mut batch.tx, "work").await?;
                Outcome::Ran(result)
            }
            Change::Flush => Outcome::Saved { seq: 0, at_ms: 0 },
        });
    }
    for (i, outcome) in saves::save_group(&mut batch.tx, group).await? {
        outcomes[i] = Some(outcome);
    }
    for work in std::mem::take(&mut batch.finally) {
        work(&mut batch.tx).await?;
    }
    let committing = std::time::Instant::now();
    batch.tx.commit().await?;
    metrics::histogram!("hp_writer_commit_seconds").record(committing.elapsed().as_secs_f64());
    Ok(outcomes.into_iter().map(|o| o.unwrap_or(Outcome::Saved { seq: 0, at_ms: 0 })).collect())
}
