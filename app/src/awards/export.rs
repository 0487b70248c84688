//! `server export judging` and its API twin: one CSV row per entry and stage.

use super::model::*;
use crate::codes::Code;
use super::results::{Edition, compute_allocation, compute_stage};
use crate::error::AppError;
use crate::infra::state::AppState;

pub const COLUMNS: [&str; 11] = ["entry_id", "code", "title", "genre", "pool", "stage", "judge_count", "mean_score", "final_score", "rank", "prize"];

fn points(v: Option<f64>) -> String {
    v.map(|s| format!("{s:.2}")).unwrap_or_default()
}

/// Rows for every stage that has scores; the final rows carry the decided prize (the
/// published one once published). Ties show as equal ranks.
pub async fn judging_csv(state: &AppState, competition_id: i64) -> Result<String, AppError> {
    let edition = Edition::load(state, competition_id).await?;
    let mut out = crate::cells::Csv::new();
    out.row(COLUMNS).map_err(AppError::internal)?;
    let stages = [compute_stage(state, &edition, Stage::Preliminary).await?, compute_stage(state, &edition, Stage::Final).await?];
    let prizes = match edition.competition.phase {
        Phase::Council | Phase::Published => Some(compute_allocation(state, &edition, &stages[1]).await?),
        _ => None,
    };
    for results in &stages {
        let stage = results.stage;
        for pool in &results.pools {
            for r in &pool.rows {
                let prize = if stage == Stage::Final {
                    prizes.as_ref().and_then(|a| a.pools.iter().flat_map(|p| &p.rows).find(|x| x.entry_id == r.entry_id)).and_then(|x| x.decided.clone()).unwrap_or_default()
                } else {
                    String::new()
                };
                out.row([
                    r.entry_id.to_string(),
                    entry_code(r.entry_id),
                    r.title.clone(),
                    r.genre.code().to_string(),
                    pool.pool.clone(),
                    stage.code().to_string(),
                    r.judge_count.to_string(),
                    points(r.mean_score),
                    points(r.final_score),
                    r.rank.map(|k| k.to_string()).unwrap_or_default(),
                    prize,
                ])
                .map_err(AppError::internal)?;
            }
        }
    }
    out.into_string().map_err(AppError::internal)
}
