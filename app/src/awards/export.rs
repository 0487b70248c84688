//! `server export judging` and its API twin: one CSV row per entry and stage.

use super::model::*;
use crate::codes::Code;
use super::results::{Edition, compute_allocation, compute_stage};
use crate::cells::Headers;
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::infra::state::AppState;

pub const COLUMNS: [&str; 11] = ["entry_id", "code", "title", "genre", "pool", "stage", "judge_count", "mean_score", "final_score", "rank", "prize"];
/// The same columns for people (Vietnamese headers, labels instead of codes, "17,66").
const PEOPLE_COLUMNS: [&str; 11] = ["aw.col_entry_id", "aw.col_code", "aw.col_title", "aw.genre", "aw.col_pool", "aw.col_stage", "aw.col_judge_count", "aw.col_mean_score", "aw.col_final_score", "aw.col_rank", "aw.col_prize"];

fn points(v: Option<f64>, headers: Headers) -> String {
    match headers {
        Headers::Codes => v.map(|s| format!("{s:.2}")).unwrap_or_default(),
        Headers::People => v.map(|s| crate::numbers::fixed(Lang::Vi, s, 2)).unwrap_or_default(),
    }
}

/// Rows for every stage that has scores; the final rows carry the decided prize (the
/// published one once published). Ties show as equal ranks.
/// `headers`: Vietnamese headers and labels for people (the default of the download), or the
/// machine codes (`?headers=codes`, the CLI).
pub async fn judging_csv(state: &AppState, competition_id: i64, headers: Headers) -> Result<String, AppError> {
    let edition = Edition::load(state, competition_id).await?;
    let mut out = crate::cells::Csv::new();
    match headers {
        Headers::Codes => out.row(COLUMNS),
        Headers::People => out.row(PEOPLE_COLUMNS.map(|k| t(Lang::Vi, k))),
    }
    .map_err(AppError::internal)?;
    let label = |key: String, code: &str| match headers {
        Headers::Codes => code.to_string(),
        Headers::People => t(Lang::Vi, &key),
    };
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
                    label(format!("aw.genre_{}", r.genre.code()), r.genre.code()),
                    if pool.pool == "all" { label("aw.pool_all".into(), &pool.pool) } else { label(format!("aw.genre_{}", pool.pool), &pool.pool) },
                    label(format!("aw.stage_{}", stage.code()), stage.code()),
                    r.judge_count.to_string(),
                    points(r.mean_score, headers),
                    points(r.final_score, headers),
                    r.rank.map(|k| k.to_string()).unwrap_or_default(),
                    prize,
                ])
                .map_err(AppError::internal)?;
            }
        }
    }
    out.into_string().map_err(AppError::internal)
}
