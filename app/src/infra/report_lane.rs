//! The report lane: heavy reads (participation reports, the missing lists, collective prizes,
//! the annual report) run on a thread of their own at the lowest CPU priority, with database
//! connections of their own, so that on a deadline day they take only the CPU that answer
//! saves leave free.
//!
//! Why a priority and not a limit: measured on two cores with clients saving answers without
//! pause, a single organizer requesting the full report back to back took 31 % of the saves'
//! throughput, whether the report cost 36 ms or 18 ms (a cheaper report just ran more often).
//! Only the scheduler can make a report wait for saves. On Linux the nice value belongs to
//! each thread and is inherited by threads it creates, so SQLite's connection threads, opened
//! from this lane, run at the same low priority. When the machine is not saturated (a real
//! deadline, ~1,700 saves/s, uses under one core), reports get the idle core at full speed.
//!
//! On PostgreSQL the queries themselves run in the database's processes at normal priority;
//! the lane still lowers the app side (decoding, roll-ups, documents).

use super::db::Db;
use super::state::AppState;
use crate::error::AppError;
use futures_util::future::BoxFuture;
use std::future::Future;
use tokio::sync::{mpsc, oneshot};
use tracing::Instrument;

/// The nice value of the lane's thread: the lowest priority.
const NICE: i32 = 19;
/// Connections of the lane's own pool: reports queue there, not in the pool saves use.
const CONNECTIONS: u32 = 2;

type Job = Box<dyn FnOnce(Option<Db>) -> BoxFuture<'static, ()> + Send>;

#[derive(Clone, Default)]
pub struct ReportLane {
    /// `None`: reports run on the caller's task (the CLI, an in-memory database).
    queue: Option<mpsc::UnboundedSender<Job>>,
}

impl ReportLane {
    /// Reports run where they are asked for.
    pub fn inline() -> ReportLane {
        ReportLane { queue: None }
    }

    /// Starts the lane's thread, which opens its own pool on `database_url`. An in-memory
    /// SQLite database cannot be opened twice, so it gets an inline lane.
    pub fn start(database_url: &str) -> ReportLane {
        if database_url.contains(":memory:") || database_url.contains("mode=memory") {
            return ReportLane::inline();
        }
        let (queue, mut jobs) = mpsc::unbounded_channel::<Job>();
        let url = database_url.to_string();
        let spawned = std::thread::Builder::new().name("reports".into()).spawn(move || {
            lower_priority();
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(e) => return tracing::error!(error = %e, "report lane: no runtime"),
            };
            runtime.block_on(async move {
                // Opened here, so SQLite's connection threads inherit this thread's priority.
                let db = match Db::connect(&url, CONNECTIONS).await {
                    Ok(db) => Some(db),
                    Err(e) => {
                        tracing::error!(error = %e, "report lane: own connections failed; reports use the main pool");
                        None
                    }
                };
                while let Some(job) = jobs.recv().await {
                    tokio::spawn(job(db.clone()));
                }
            });
        });
        match spawned {
            Ok(_) => ReportLane { queue: Some(queue) },
            Err(e) => {
                tracing::error!(error = %e, "report lane: no thread; reports run inline");
                ReportLane::inline()
            }
        }
    }

    /// Runs `work` on the lane with a copy of `state` whose database is the lane's, and
    /// returns its result. The request's tracing span (its request id) follows it.
    pub async fn run<T, F, Fut>(&self, state: &AppState, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let Some(queue) = &self.queue else { return work(state.clone()).await };
        let (reply, answer) = oneshot::channel();
        let state = state.clone();
        let span = tracing::Span::current();
        let job: Job = Box::new(move |db| {
            Box::pin(
                async move {
                    let mut state = state;
                    if let Some(db) = db {
                        state.db = db;
                    }
                    let _ = reply.send(work(state).await);
                }
                .instrument(span),
            )
        });
        queue.send(job).map_err(|_| AppError::internal("the report lane has stopped"))?;
        answer.await.map_err(|_| AppError::internal("the report lane dropped a report"))?
    }
}

/// Gives the calling thread (only it: on Linux the nice value is per thread) the lowest
/// priority. Raising one's own nice value needs no privilege.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: plain system calls on the calling thread's own id.
        let done = unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, NICE)
        };
        if done != 0 {
            tracing::warn!("report lane: could not lower its priority; reports compete with saves");
        }
    }
}

/// The nice value of the calling thread (for the tests).
#[cfg(target_os = "linux")]
pub fn current_nice() -> i32 {
    // SAFETY: a plain system call on the calling thread's own id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::getpriority(libc::PRIO_PROCESS, tid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lane_thread_runs_at_the_lowest_priority_and_leaves_others_alone() {
        let before = current_nice();
        let lowered = std::thread::spawn(|| {
            lower_priority();
            // A thread created by the lane's thread (as SQLite's connection threads are) inherits it.
            let child = std::thread::spawn(current_nice).join().unwrap();
            (current_nice(), child)
        })
        .join()
        .unwrap();
        assert_eq!(lowered, (NICE, NICE));
        assert_eq!(current_nice(), before, "only the lane's thread changes");
    }
}
