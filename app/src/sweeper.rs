//! The server's own clock work, across domains: attempts whose time ran out are submitted,
//! closed rounds get their prediction value and their participation figures frozen, with no
//! browser involved, and device records past their retention are deleted.

use crate::rounds::results::freeze_truth;
use crate::rounds::setup::LATE_TOLERANCE_MS;
use crate::vn_time::now_ms;
use crate::error::AppError;
use crate::infra::state::AppState;

/// The server's own rounds: submits every attempt whose time has run out (even if no browser
/// is left to do it) and freezes the true value of rounds that have closed. Safe to run on
/// several nodes at once: each submission and each freeze applies once.
pub async fn sweep(state: &AppState) -> Result<(usize, usize), AppError> {
    let overdue = crate::rounds::repo::attempts::overdue(&state.db, now_ms() - LATE_TOLERANCE_MS).await?;
    let mut submitted = 0;
    for id in overdue {
        submitted += crate::rounds::attempts::submit_attempt(state, id, crate::rounds::model::Submitter::Server).await? as usize;
    }
    let closing = crate::rounds::repo::rounds::closed_unfrozen(&state.db, now_ms() - LATE_TOLERANCE_MS).await?;
    let mut frozen = 0;
    for id in closing {
        frozen += close_round(state, id).await? as usize;
    }
    Ok((submitted, frozen))
}

/// Freezes what a closed round keeps: the true value of its prediction question, then every
/// unit's participation figures. Returns whether the value was frozen now (each applies once).
pub async fn close_round(state: &AppState, round_id: i64) -> Result<bool, AppError> {
    let frozen = freeze_truth(state, round_id).await?;
    crate::participation::service::freeze_snapshot(state, round_id).await?;
    Ok(frozen)
}

/// Deletes device tokens and addresses recorded for contests that closed more than the
/// configured number of days ago (`integrity::retention`).
pub async fn purge_evidence(state: &AppState) -> Result<u64, AppError> {
    crate::integrity::retention::purge(&state.db, state.settings.integrity_retention_days, crate::vn_time::now_secs()).await
}

/// How often the retention purge runs: hourly is plenty for a limit counted in days.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Runs [`sweep`] every `every`, and [`purge_evidence`] hourly, for the life of the process.
pub fn spawn_sweeper(state: AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            tokio::time::sleep(every).await;
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                last_purge = Some(std::time::Instant::now());
                match purge_evidence(&state).await {
                    Ok(0) => {}
                    Ok(deleted) => tracing::info!(deleted, "deleted device records past their retention"),
                    Err(e) => tracing::warn!(error = %e, "could not delete device records past their retention"),
                }
            }
            match sweep(&state).await {
                Ok((0, 0)) => {}
                Ok((submitted, frozen)) => tracing::info!(submitted, frozen, "auto-submitted attempts and froze prediction values"),
                Err(e) => tracing::warn!(error = %e, "sweep failed"),
            }
        }
    });
}
