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

/// What a report takes to the lane: the caller's state, whose database the lane swaps for its
/// own connections (implemented by the app state).
pub trait OnLane: Clone + Send + 'static {
    fn with_db(self, db: Db) -> Self;
}

#[derive(Clone)]
pub struct ReportLane {
    /// `None`: reports run on the caller's task (the CLI, an in-memory database).
    queue: Option<mpsc::UnboundedSender<Job>>,
    /// Documents (PDF, XLSX) being rendered at once: one core's worth, the other stays free.
    renders: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Default for ReportLane {
    fn default() -> Self {
        ReportLane::inline()
    }
}

/// Documents rendered at once.
const RENDERS: usize = 1;

impl ReportLane {
    /// Reports run where they are asked for.
    pub fn inline() -> ReportLane {
        ReportLane { queue: None, renders: std::sync::Arc::new(tokio::sync::Semaphore::new(RENDERS)) }
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
            Ok(_) => ReportLane { queue: Some(queue), ..ReportLane::inline() },
            Err(e) => {
                tracing::error!(error = %e, "report lane: no thread; reports run inline");
                ReportLane::inline()
            }
        }
    }

    /// Runs `work` on the lane with a copy of `state` whose database is the lane's, and
    /// returns its result. The request's tracing span (its request id) follows it.
    pub async fn run<S, T, F, Fut>(&self, state: &S, work: F) -> Result<T, AppError>
    where
        S: OnLane,
        T: Send + 'static,
        F: FnOnce(S) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let Some(queue) = &self.queue else { return work(state.clone()).await };
        let (reply, answer) = oneshot::channel();
        let state = state.clone();
        let span = tracing::Span::current();
        let job: Job = Box::new(move |db| {
            Box::pin(
                async move {
                    let state = match db {
                        Some(db) => state.with_db(db),
                        None => state,
                    };
                    let _ = reply.send(work(state).await);
                }
                .instrument(span),
            )
        });
        queue.send(job).map_err(|_| AppError::internal("the report lane has stopped"))?;
        answer.await.map_err(|_| AppError::internal("the report lane dropped a report"))?
    }
}

impl ReportLane {
    /// Renders a document (a PDF, a spreadsheet: seconds of CPU that never yield) on a blocking
    /// thread, never on the async workers that serve requests, and at most [`RENDERS`] at once.
    /// On the lane, that thread is started from the lane's own thread, so it inherits its low
    /// priority.
    pub async fn render<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let _permit = self.renders.clone().acquire_owned().await.map_err(AppError::internal)?;
        let Some(queue) = &self.queue else {
            return tokio::task::spawn_blocking(work).await.map_err(AppError::internal);
        };
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |_| {
            Box::pin(async move {
                let _ = reply.send(tokio::task::spawn_blocking(work).await);
            })
        });
        queue.send(job).map_err(|_| AppError::internal("the report lane has stopped"))?;
        answer.await.map_err(|_| AppError::internal("the report lane dropped a document"))?.map_err(AppError::internal)
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn documents_render_one_at_a_time_off_the_async_threads_at_low_priority() {
        let path = std::env::temp_dir().join(format!("hp-lane-{}.db", uuid::Uuid::new_v4().simple()));
        let lane = ReportLane::start(&format!("sqlite://{}?mode=rwc", path.display()));
        let running = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let renders: Vec<_> = (0..3)
            .map(|_| {
                let (lane, running, most) = (lane.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    lane.render(move || {
                        let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(100));
                        running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                        current_nice()
                    })
                    .await
                    .unwrap()
                })
            })
            .collect();
        for r in renders {
            assert_eq!(r.await.unwrap(), NICE, "rendered on a thread started by the lane");
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), RENDERS, "never more at once than the bound");
        let _ = std::fs::remove_file(path);
    }
}
