//! Báo cáo năm: the year's participation as the city's annual administrative-reform report
//! needs it: per unit and round (eligible, took part, rate, mean score), a summary by block,
//! the units at 100%, the year's statistics table, and the mapping of units merged since.
//! Closed rounds use the figures and tree frozen at their close. The statements are in
//! `participation::repo::annual`.

use super::model::*;
use super::rates::{self, Denominator, OwnFigures};
use super::repo::annual as repo;
use super::service;
use crate::codes::Code;
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitRoundRow {
    pub unit_code: String,
    pub unit_name: String,
    pub parent_code: Option<String>,
    pub block: String,
    pub depth: usize,
    pub round_id: i64,
    pub round_title: String,
    pub eligible: i64,
    pub participated: i64,
    pub rate: Option<f64>,
    pub declared: bool,
    /// Mean score (in questions) of the unit's own entries.
    pub mean_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BlockRoundRow {
    pub round_title: String,
    pub block: String,
    pub units: i64,
    pub eligible: i64,
    pub participated: i64,
    pub rate: Option<f64>,
    pub units_at_100: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct YearStatistics {
    pub contests: i64,
    pub rounds: i64,
    pub entries: i64,
    pub participants: i64,
    pub units_at_100: i64,
    pub units_total: i64,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnnualReport {
    pub year: i64,
    pub statistics: YearStatistics,
    pub units: Vec<UnitRoundRow>,
    pub blocks: Vec<BlockRoundRow>,
    /// (round, unit) at 100%.
    pub full: Vec<(String, String)>,
    pub merged: Vec<MergedUnit>,
    /// Top-level units of the latest closed round: (name, rate), for the bar chart.
    pub unit_rates: Vec<(String, f64)>,
    pub per_day: Vec<DayCount>,
}

/// The mean score (in questions) of each unit's own people in the round, each person by the
/// attempt that counts for the ranking (best, first or last), as in the collective prizes.
async fn mean_scores(state: &AppState, round_id: i64) -> Result<BTreeMap<i64, f64>, AppError> {
    let round = crate::rounds::setup::get_round(state, round_id).await?;
    let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (unit, score) in crate::rounds::results::counting_scores(state, &round).await? {
        if let Some(unit) = unit {
            let s = sums.entry(unit).or_default();
            s.0 += score;
            s.1 += 1;
        }
    }
    Ok(sums.into_iter().map(|(unit, (total, n))| (unit, total as f64 / 100.0 / n.max(1) as f64)).collect())
}

pub async fn annual_report(state: &AppState, actor: &CurrentUser, year: i64) -> Result<AnnualReport, AppError> {
    let actor = actor.clone();
    state.reports.run(state, move |state| async move { annual_report_now(&state, &actor, year).await }).await
}

async fn annual_report_now(state: &AppState, actor: &CurrentUser, year: i64) -> Result<AnnualReport, AppError> {
    crate::policy::organizer(actor)?;
    let contests = repo::contests_of_year(&state.db, year).await?;
    let mut units = Vec::new();
    let mut blocks = Vec::new();
    let mut full = Vec::new();
    let mut per_day: BTreeMap<String, i64> = BTreeMap::new();
    let mut rounds_held = 0;
    let mut units_at_100: BTreeSet<String> = BTreeSet::new();
    let mut unit_codes: BTreeSet<String> = BTreeSet::new();
    let (mut year_eligible, mut year_participated) = (0, 0);
    let mut latest: Option<Vec<OwnFigures>> = None;
    for contest in &contests {
        let contest = crate::rounds::setup::get_contest(state, *contest).await?;
        // Staff rounds: public rounds are reported per commune (`citizens`), without rosters.
        for round in contest.rounds.iter().filter(|r| r.phase != crate::rounds::model::RoundPhase::Upcoming && r.audience == crate::quiz::model::Audience::Staff) {
            rounds_held += 1;
            let own = service::round_figures(state, round.id).await?;
            let means = mean_scores(state, round.id).await?;
            let title = format!("{} — {}", contest.title, round.title);
            let codes: BTreeMap<i64, String> = own.iter().map(|f| (f.unit_id, f.code.clone())).collect();
            for r in rates::roll_up(&own) {
                units.push(UnitRoundRow {
                    unit_code: r.code.clone(),
                    unit_name: r.name.clone(),
                    parent_code: r.parent_id.and_then(|p| codes.get(&p).cloned()),
                    block: r.block.clone(),
                    depth: r.depth,
                    round_id: round.id,
                    round_title: round.title.clone(),
                    eligible: r.eligible,
                    participated: r.participated,
                    rate: r.rate,
                    declared: r.source == Denominator::Declared,
                    mean_score: means.get(&r.unit_id).copied(),
                });
            }
            for b in rates::by_block(&own) {
                blocks.push(BlockRoundRow { round_title: title.clone(), block: b.block.code().to_string(), units: b.units, eligible: b.eligible, participated: b.participated, rate: b.rate, units_at_100: b.units_at_100 });
            }
            for f in own.iter().filter(|f| f.eligible > 0 && f.participated >= f.eligible) {
                full.push((title.clone(), f.name.clone()));
                units_at_100.insert(f.code.clone());
            }
            unit_codes.extend(own.iter().filter(|f| f.eligible > 0).map(|f| f.code.clone()));
            year_eligible += own.iter().map(|f| f.eligible).sum::<i64>();
            year_participated += own.iter().map(|f| f.participated).sum::<i64>();
            for d in service::round_per_day(state, round.id).await? {
                *per_day.entry(d.day).or_default() += d.entries;
            }
            // The bar chart shows the latest closed round (frozen figures), else the latest.
            if round.phase == crate::rounds::model::RoundPhase::Closed || latest.is_none() {
                latest = Some(own);
            }
        }
    }
    let (entries, participants) = repo::entries_and_participants(&state.db, &contests).await?;
    let merged = repo::merged_units(&state.db, &contests).await?;
    let unit_rates = latest
        .map(|own| {
            let root: Option<i64> = own.iter().find(|f| f.parent_id.is_none()).map(|f| f.unit_id);
            rates::roll_up(&own).into_iter().filter(|r| r.parent_id.is_some() && r.parent_id == root && r.eligible > 0).map(|r| (r.name, r.rate.unwrap_or(0.0))).collect()
        })
        .unwrap_or_default();
    Ok(AnnualReport {
        year,
        statistics: YearStatistics {
            contests: contests.len() as i64,
            rounds: rounds_held,
            entries,
            participants,
            units_at_100: units_at_100.len() as i64,
            units_total: unit_codes.len() as i64,
            rate: rates::ratio(year_participated, year_eligible),
        },
        units,
        blocks,
        full,
        merged,
        unit_rates,
        per_day: per_day.into_iter().map(|(day, entries)| DayCount { day, entries }).collect(),
    })
}
