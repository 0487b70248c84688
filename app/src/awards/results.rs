//! Stage results (confidential until the panel closes), the shortlist for the final, the
//! proposed allocation with the council's decisions, publication and the public results.

use super::allocation::{self, Move};
use super::judging::{self, Placed};
use super::model::*;
use super::repo::{decisions, editions, entries};
use super::scoring;
use super::setup::{self, pool_of, pools};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::prizes::PrizeTier;
use crate::vn_time::now_secs;

fn points(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}

/// An edition and all its entries, loaded once for everything computed from them (stage
/// results, the allocation, the winners, the minutes).
pub struct Edition {
    pub competition: Competition,
    pub entries: Vec<Entry>,
}

impl Edition {
    pub async fn load(state: &AppState, id: i64) -> Result<Edition, AppError> {
        Ok(Edition { competition: setup::get(state, id).await?, entries: entries::of_competition(&state.db, id).await? })
    }

    fn entry(&self, id: i64) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// A pool's rows as the ranking functions take them.
fn placed(rows: &[StageRow]) -> Vec<Placed> {
    rows.iter().map(|r| Placed { entry_id: r.entry_id, score: r.final_score.map(|s| (s * 100.0).round() as i64), rank: r.rank, tied: r.tied }).collect()
}

/// Each pool's ranking in one stage, from the scores of closed panels only; entries of
/// genres whose panel is still open are listed without scores.
pub async fn compute_stage(state: &AppState, edition: &Edition, stage: Stage) -> Result<StageResults, AppError> {
    let c = &edition.competition;
    let in_stage: Vec<&Entry> = edition.entries.iter().filter(|e| e.status == EntryStatus::Eligible && (stage == Stage::Preliminary || e.finalist)).collect();
    let closed = scoring::closed_genres(state, c.id, stage).await?;
    let totals = scoring::closed_totals(state, c.id, stage).await?;
    let aggregates = judging::aggregate(&totals, c.settings.aggregation, c.settings.trim_each_side, c.settings.normalise);
    let mut out = vec![];
    for pool in pools(&c.settings) {
        let members: Vec<&&Entry> = in_stage.iter().filter(|e| pool_of(&c.settings, e.input.genre) == pool).collect();
        let scores: Vec<(i64, Option<i64>)> = members.iter().map(|e| (e.id, aggregates.get(&e.id).map(|a| a.score))).collect();
        let placed = judging::rank(&scores);
        let rows = placed
            .iter()
            .filter_map(|p| {
                let e = members.iter().find(|e| e.id == p.entry_id)?;
                let agg = aggregates.get(&e.id);
                Some(StageRow {
                    entry_id: e.id,
                    title: e.input.title.clone(),
                    genre: e.input.genre,
                    unit_name: e.unit_name.clone(),
                    judge_count: agg.map(|a| a.judge_count).unwrap_or(0),
                    mean_score: agg.map(|a| points(a.mean)),
                    final_score: agg.map(|a| points(a.score)),
                    rank: p.rank,
                    tied: p.tied,
                    finalist: e.finalist,
                })
            })
            .collect();
        out.push(PoolResults { pool, rows });
    }
    // Complete once every genre with entries in the stage has closed its panel.
    let genres: std::collections::BTreeSet<Genre> = in_stage.iter().map(|e| e.input.genre).collect();
    let complete = !genres.is_empty() && genres.iter().all(|g| closed.contains(g));
    Ok(StageResults { stage, complete, pools: out })
}

pub async fn stage_results(state: &AppState, actor: &CurrentUser, competition_id: i64, stage: Stage) -> Result<StageResults, AppError> {
    crate::policy::organizer(actor)?;
    compute_stage(state, &Edition::load(state, competition_id).await?, stage).await
}

/// Chọn vào chung khảo: applies the shortlist rule to each pool once every preliminary panel
/// has closed, marks the finalists and opens the final.
pub async fn shortlist(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<StageResults, AppError> {
    crate::policy::organizer(actor)?;
    let edition = Edition::load(state, competition_id).await?;
    let c = &edition.competition;
    if c.phase != Phase::Preliminary {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let results = compute_stage(state, &edition, Stage::Preliminary).await?;
    if !results.complete {
        return Err(AppError::conflict("err.award_panels_open"));
    }
    let mut finalists = vec![];
    let mut extended = vec![];
    for pool in &results.pools {
        let (chosen, ext) = judging::shortlist(&placed(&pool.rows), c.settings.shortlist);
        if ext {
            extended.push(pool.pool.clone());
        }
        finalists.extend(chosen);
    }
    let mut tx = state.db.begin_write().await?;
    setup::advance(&mut tx, competition_id, Phase::Preliminary, Phase::Final).await?;
    entries::set_finalists(&mut tx, competition_id, &finalists).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.shortlist", "award_competition", Some(competition_id), serde_json::json!({ "finalists": finalists, "rule": c.settings.shortlist, "tie_extended": extended })).await?;
    tx.commit().await?;
    compute_stage(state, &Edition::load(state, competition_id).await?, Stage::Preliminary).await
}

/// The allocation as it stands: the plan (or the council's counts) down each pool's final
/// ranking (`final_results`, from `compute_stage`), then the council's moves.
pub async fn compute_allocation(state: &AppState, edition: &Edition, final_results: &StageResults) -> Result<Allocation, AppError> {
    let c = &edition.competition;
    let decisions = decisions::of_competition(&state.db, c.id).await?;
    let mut pools_out = vec![];
    for pool in &final_results.pools {
        let counts_decision = decisions.iter().rev().find(|d| d.kind == DecisionKind::TierCounts && d.pool == pool.pool);
        let counts: Vec<PrizeTier> = counts_decision.and_then(|d| d.counts.clone()).unwrap_or_else(|| c.settings.prize_plan.clone());
        let placed = placed(&pool.rows);
        let (proposed, ties_at_cutoff) = allocation::propose(&placed, &counts);
        let ids: Vec<i64> = placed.iter().map(|p| p.entry_id).collect();
        let moves: Vec<Move> = decisions
            .iter()
            .filter(|d| d.kind == DecisionKind::Move && d.entry_id.is_some_and(|id| ids.contains(&id)))
            .map(|d| Move { entry_id: d.entry_id.unwrap_or_default(), tier: d.tier.clone().filter(|t| !t.is_empty()), reason: d.reason.clone() })
            .collect();
        let decided = allocation::decide(&ids, &proposed, &moves);
        let tie = tie_report(&decisions, &pool.pool, &placed, &counts, &decided);
        let rows = pool
            .rows
            .iter()
            .zip(proposed.iter().zip(decided))
            .map(|(r, (proposed, (decided, reason)))| {
                AllocationRow {
                    entry_id: r.entry_id,
                    title: r.title.clone(),
                    genre: r.genre,
                    authors: edition.entry(r.entry_id).map(|e| e.input.authors.clone()).unwrap_or_default(),
                    unit_name: r.unit_name.clone(),
                    final_score: r.final_score,
                    rank: r.rank,
                    tied: r.tied,
                    proposed: proposed.clone(),
                    decided,
                    reason,
                }
            })
            .collect();
        pools_out.push(PoolAllocation { pool: pool.pool.clone(), planned: c.settings.prize_plan.clone(), counts, counts_reason: counts_decision.map(|d| d.reason.clone()), ties_at_cutoff, tie, rows });
    }
    Ok(Allocation { competition_id: c.id, pools: pools_out, decisions })
}

/// The pool's tie at a cut-off, if any: the tied entries, the counts in force against what the
/// decided prizes give, and the council's acceptance. An acceptance holds only for the state it
/// was given in: a later change of counts or move in the pool asks the council again.
fn tie_report(decisions: &[Decision], pool: &str, placed: &[Placed], counts: &[PrizeTier], decided: &[(Option<String>, Option<String>)]) -> Option<TieAtCutoff> {
    let (_, tiers) = allocation::propose(placed, counts);
    if tiers.is_empty() {
        return None;
    }
    let prizes: Vec<Option<String>> = decided.iter().map(|(p, _)| p.clone()).collect();
    let resulting = allocation::tier_counts(counts, &prizes);
    let in_pool = |d: &&Decision| d.pool == pool;
    let last_change = decisions.iter().filter(in_pool).filter(|d| d.kind != DecisionKind::AcceptTie).map(|d| d.id).max().unwrap_or(0);
    let accepted = decisions.iter().filter(in_pool).rev().find(|d| d.kind == DecisionKind::AcceptTie && d.id > last_change).map(|d| d.reason.clone());
    Some(TieAtCutoff { entry_ids: allocation::tied_at_cutoff(placed, counts), resolved: allocation::within_counts(counts, &resulting), planned: counts.to_vec(), resulting, tiers, accepted })
}

/// The allocation of an edition whose final has closed, computed from one load.
pub async fn allocation_of(state: &AppState, edition: &Edition) -> Result<Allocation, AppError> {
    if !matches!(edition.competition.phase, Phase::Council | Phase::Published) {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    compute_allocation(state, edition, &compute_stage(state, edition, Stage::Final).await?).await
}

pub async fn allocation(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Allocation, AppError> {
    crate::policy::organizer(actor)?;
    allocation_of(state, &Edition::load(state, competition_id).await?).await
}

/// Quyết định của Hội đồng: changes a pool's tier counts or moves an entry, with a reason that
/// goes into the minutes. Only while the council sits (before publication).
pub async fn decide(state: &AppState, actor: &CurrentUser, competition_id: i64, decision: Override) -> Result<Allocation, AppError> {
    crate::policy::organizer(actor)?;
    let edition = Edition::load(state, competition_id).await?;
    if edition.competition.phase != Phase::Council {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let final_results = compute_stage(state, &edition, Stage::Final).await?;
    let current = compute_allocation(state, &edition, &final_results).await?;
    let reason = match &decision {
        Override::TierCounts { reason, .. } | Override::Move { reason, .. } | Override::AcceptTie { reason, .. } => reason.trim().to_string(),
    };
    if reason.chars().count() < 3 {
        return Err(AppError::field("reason", "err.reason_required"));
    }
    if crate::text::too_long(reason.trim(), crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("reason", "err.too_long"));
    }
    let mut tx = state.db.begin_write().await?;
    let at = now_secs();
    let id: i64 = match &decision {
        Override::TierCounts { pool, counts, .. } => {
            if !current.pools.iter().any(|p| &p.pool == pool) {
                return Err(AppError::field("pool", "err.award_pool"));
            }
            let mut names: Vec<&str> = vec![];
            for t in counts {
                if t.name.trim().is_empty() || !(0..=1000).contains(&t.count) || names.contains(&t.name.as_str()) {
                    return Err(AppError::field("counts", "err.prizes_format"));
                }
                names.push(&t.name);
            }
            if counts.is_empty() {
                return Err(AppError::field("counts", "err.prizes_format"));
            }
            decisions::insert_counts(&mut tx, &decisions::Taken { competition_id, pool, reason: &reason, decided_by: actor.id, at }, counts).await?
        }
        Override::Move { entry_id, tier, .. } => {
            let pool = current.pools.iter().find(|p| p.rows.iter().any(|r| r.entry_id == *entry_id)).ok_or_else(|| AppError::field("entry_id", "err.award_not_finalist"))?;
            if !allocation::is_tier(&pool.counts, tier.trim()) {
                return Err(AppError::field("tier", "err.award_tier"));
            }
            decisions::insert_move(&mut tx, &decisions::Taken { competition_id, pool: &pool.pool, reason: &reason, decided_by: actor.id, at }, *entry_id, tier.trim()).await?
        }
        Override::AcceptTie { pool, .. } => {
            let found = current.pools.iter().find(|p| &p.pool == pool).ok_or_else(|| AppError::field("pool", "err.award_pool"))?;
            if !found.tie.as_ref().is_some_and(TieAtCutoff::open) {
                return Err(AppError::conflict("err.award_no_open_tie"));
            }
            decisions::insert_accept_tie(&mut tx, &decisions::Taken { competition_id, pool, reason: &reason, decided_by: actor.id, at }).await?
        }
    };
    crate::audit::record(&mut tx, Some(actor.id), "award.decision", "award_decision", Some(id), serde_json::to_value(&decision).unwrap_or_default()).await?;
    tx.commit().await?;
    compute_allocation(state, &edition, &final_results).await
}

/// Công bố: freezes the decided prizes on the entries and makes results and certificates
/// public. Withdrawing publication clears them again, for a correction. A tie at a cut-off the
/// council has neither resolved nor accepted stops publication: the published counts would
/// otherwise differ from the decided ones without anyone having said so.
pub async fn set_published(state: &AppState, actor: &CurrentUser, competition_id: i64, publish: bool) -> Result<Competition, AppError> {
    crate::policy::organizer(actor)?;
    let alloc = if publish { Some(allocation_of(state, &Edition::load(state, competition_id).await?).await?) } else { None };
    if alloc.as_ref().is_some_and(|a| !a.open_ties().is_empty()) {
        return Err(AppError::conflict("err.award_tie_open"));
    }
    let mut tx = state.db.begin_write().await?;
    entries::clear_prizes(&mut tx, competition_id).await?;
    match alloc {
        Some(alloc) => {
            setup::advance(&mut tx, competition_id, Phase::Council, Phase::Published).await?;
            for row in alloc.pools.iter().flat_map(|p| &p.rows) {
                if let Some(prize) = &row.decided {
                    entries::set_prize(&mut tx, row.entry_id, prize).await?;
                }
            }
        }
        None => {
            setup::advance(&mut tx, competition_id, Phase::Published, Phase::Council).await?;
            editions::clear_published_at(&mut tx, competition_id).await?;
        }
    }
    crate::audit::record(&mut tx, Some(actor.id), if publish { "award.publish" } else { "award.unpublish" }, "award_competition", Some(competition_id), serde_json::json!({})).await?;
    tx.commit().await?;
    setup::get(state, competition_id).await
}

/// The published winners, tier by tier in the plan's order, best score first within a tier.
pub async fn winners(state: &AppState, edition: &Edition) -> Result<PublishedResults, AppError> {
    let c = &edition.competition;
    let (Phase::Published, Some(published_at)) = (c.phase, c.published_at) else {
        return Err(AppError::NotFound);
    };
    let alloc = allocation_of(state, edition).await?;
    let mut winners: Vec<(usize, f64, Winner)> = vec![];
    for pool in &alloc.pools {
        for row in &pool.rows {
            let Some(e) = edition.entry(row.entry_id) else { continue };
            let Some(prize) = e.prize.clone() else { continue };
            let order = pool.counts.iter().position(|t| t.name == prize).unwrap_or(usize::MAX);
            winners.push((
                order,
                -row.final_score.unwrap_or(0.0),
                Winner { entry_id: e.id, prize, title: e.input.title.clone(), genre: e.input.genre, authors: e.input.authors.clone(), unit_name: e.unit_name.clone(), outlet: e.input.outlet.clone() },
            ));
        }
    }
    winners.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.entry_id.cmp(&b.2.entry_id)));
    Ok(PublishedResults { competition_id: c.id, title: c.settings.title.clone(), edition: c.settings.edition, published_at, winners: winners.into_iter().map(|w| w.2).collect() })
}

pub async fn public_results(state: &AppState, competition_id: i64) -> Result<PublishedResults, AppError> {
    winners(state, &Edition::load(state, competition_id).await?).await
}
