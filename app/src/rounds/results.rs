//! Kết quả: the prediction's true value frozen at closing, the ranking with prizes and the
//! reason for each place, disqualifications, publication, statistics and the CSV export.

use super::model::*;
use super::repo::{attempts, results as repo, rounds};
use super::setup::{get_contest, get_round};
use super::stats::{self, EntryFacts};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::vn_time::now_secs;
use crate::infra::state::AppState;
use crate::rounds::winners::{self, Entry};
use std::collections::{BTreeMap, BTreeSet};

/// The value the prediction question asks about, as it stands now.
pub async fn prediction_value(state: &AppState, round_id: i64, metric: PredictionMetric) -> Result<i64, AppError> {
    repo::prediction_value(&state.db, round_id, metric).await
}

/// Freezes the true value once the round has closed and every attempt has ended. Runs at most
/// once per round: the update only applies while no value is frozen.
pub async fn freeze_truth(state: &AppState, round_id: i64) -> Result<bool, AppError> {
    let round = get_round(state, round_id).await?;
    if round.truth_frozen_at.is_some() || round.phase != RoundPhase::Closed {
        return Ok(false);
    }
    if attempts::open_in_round(&state.db, round_id).await? > 0 {
        return Ok(false);
    }
    let value = prediction_value(state, round_id, round.settings.prediction_metric).await?;
    let mut tx = state.db.begin_write().await?;
    let frozen = rounds::freeze_truth(&mut tx, round_id, value, now_secs()).await?;
    if frozen {
        crate::audit::record(&mut tx, None, "round.freeze_truth", "round", Some(round_id), serde_json::json!({ "value": value })).await?;
    }
    tx.commit().await?;
    Ok(frozen)
}

struct Candidate {
    attempt_id: i64,
    user_id: i64,
    full_name: String,
    unit_id: Option<i64>,
    unit_code: Option<String>,
    unit_name: Option<String>,
    score: i64,
    prediction: Option<i64>,
    time_taken_ms: i64,
    submitted_at_ms: i64,
}

/// Each participant's counting attempt as (the unit it was taken for, its score in
/// hundredths): what a unit's mean score in the collective prizes is made of, by the same rule
/// (best, first or last, the disqualified left out) as the individual ranking.
pub async fn counting_scores(state: &AppState, round: &Round) -> Result<Vec<(Option<i64>, i64)>, AppError> {
    Ok(candidates(state, round).await?.into_iter().map(|c| (c.unit_id, c.score)).collect())
}

/// Each participant's counting attempt (best, first or last), excluding the disqualified.
async fn candidates(state: &AppState, round: &Round) -> Result<Vec<Candidate>, AppError> {
    let disqualified: BTreeSet<i64> = repo::disqualified_ids(&state.db, round.id).await?.into_iter().collect();
    let all: Vec<(i64, Candidate)> = repo::submitted(&state.db, round.id)
        .await?
        .into_iter()
        .map(|r| {
            (r.number, Candidate {
                attempt_id: r.id,
                user_id: r.user_id,
                full_name: r.full_name,
                unit_id: r.unit_id,
                unit_code: r.unit_code,
                unit_name: r.unit_name,
                score: r.score.unwrap_or(0),
                prediction: r.prediction,
                time_taken_ms: r.time_taken_ms.unwrap_or(0),
                submitted_at_ms: r.submitted_at_ms.unwrap_or(0),
            })
        })
        .collect();
    let kept = winners::counting_attempts(all, |(number, c)| (c.user_id, *number, c.score), round.settings.counting, &disqualified);
    Ok(kept.into_iter().map(|(_, c)| c).collect())
}

/// The ranking with proposed prizes. Before the true value is frozen, the gap is measured
/// against the value as it stands now, and the ranking says it is provisional.
pub async fn ranking(state: &AppState, round_id: i64) -> Result<Ranking, AppError> {
    let round = get_round(state, round_id).await?;
    let contest = get_contest(state, round.contest_id).await?;
    let truth = match round.prediction_truth {
        Some(v) => v,
        None => prediction_value(state, round_id, round.settings.prediction_metric).await?,
    };
    let candidates = candidates(state, &round).await?;
    let entries: Vec<Entry> = candidates
        .iter()
        .map(|c| Entry { id: c.attempt_id, score: c.score, prediction: c.prediction, time_taken_ms: c.time_taken_ms, submitted_at_ms: c.submitted_at_ms })
        .collect();
    let placed = winners::rank(entries, truth, &contest.tie_breaks);
    let (prizes, ties_at_cutoff) = winners::allocate(&placed, &round.settings.prizes);
    let reasons = winners::decided_by(&placed, &contest.tie_breaks);
    let by_attempt: BTreeMap<i64, &Candidate> = candidates.iter().map(|c| (c.attempt_id, c)).collect();
    let entries = placed
        .iter()
        .zip(prizes)
        .zip(reasons)
        .map(|((p, prize), reason)| {
            let c = by_attempt[&p.entry.id];
            RankedEntry {
                place: p.place as i64,
                attempt_id: c.attempt_id,
                user_id: c.user_id,
                full_name: c.full_name.clone(),
                unit_code: c.unit_code.clone(),
                unit_name: c.unit_name.clone(),
                score: c.score,
                prediction: c.prediction,
                prediction_gap: p.prediction_gap,
                time_taken_ms: c.time_taken_ms,
                submitted_at_ms: c.submitted_at_ms,
                prize,
                decided_by: reason.to_string(),
                tied: p.tied,
            }
        })
        .collect();
    let disqualified = repo::disqualifications(&state.db, round_id)
        .await?
        .into_iter()
        .map(|r| Disqualification { user_id: r.user_id, full_name: r.full_name, reason: r.reason, decided_at: r.decided_at })
        .collect();
    Ok(Ranking { round_id, prediction_truth: round.prediction_truth, truth_frozen_at: round.truth_frozen_at, tie_breaks: contest.tie_breaks, entries, disqualified, ties_at_cutoff })
}

pub async fn ranking_for(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<Ranking, AppError> {
    crate::policy::organizer(actor)?;
    ranking(state, round_id).await
}

/// Loại một bài dự thi: the participant's entry leaves the ranking; the reason is required and
/// goes to the audit log with the decision.
pub async fn disqualify(state: &AppState, actor: &CurrentUser, round_id: i64, user_id: i64, reason: &str) -> Result<Ranking, AppError> {
    crate::policy::organizer(actor)?;
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(AppError::field("reason", "err.reason_required"));
    }
    if crate::text::too_long(reason, crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("reason", "err.too_long"));
    }
    get_round(state, round_id).await?;
    let mut tx = state.db.begin_write().await?;
    if !repo::took_part(&mut tx, round_id, user_id).await? {
        return Err(AppError::NotFound);
    }
    if repo::is_disqualified(&mut tx, round_id, user_id).await? {
        return Err(AppError::conflict("err.already_disqualified"));
    }
    repo::disqualify(&mut tx, round_id, user_id, reason, actor.id, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "round.disqualify", "round", Some(round_id), serde_json::json!({ "user_id": user_id, "reason": reason })).await?;
    tx.commit().await?;
    ranking(state, round_id).await
}

/// Lifts a disqualification, again with a reason for the audit log.
pub async fn reinstate(state: &AppState, actor: &CurrentUser, round_id: i64, user_id: i64, reason: &str) -> Result<Ranking, AppError> {
    crate::policy::organizer(actor)?;
    if reason.trim().chars().count() < 5 {
        return Err(AppError::field("reason", "err.reason_required"));
    }
    if crate::text::too_long(reason.trim(), crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("reason", "err.too_long"));
    }
    let mut tx = state.db.begin_write().await?;
    if !repo::reinstate(&mut tx, round_id, user_id).await? {
        return Err(AppError::NotFound);
    }
    crate::audit::record(&mut tx, Some(actor.id), "round.reinstate", "round", Some(round_id), serde_json::json!({ "user_id": user_id, "reason": reason.trim() })).await?;
    tx.commit().await?;
    ranking(state, round_id).await
}

/// Publishes (or withdraws) the results page. Publishing needs the frozen true value, so
/// the published order can no longer move.
pub async fn set_published(state: &AppState, actor: &CurrentUser, round_id: i64, published: bool) -> Result<Round, AppError> {
    crate::policy::organizer(actor)?;
    let round = get_round(state, round_id).await?;
    if published && round.truth_frozen_at.is_none() {
        return Err(AppError::conflict("err.round_not_closed"));
    }
    let mut tx = state.db.begin_write().await?;
    rounds::set_published_at(&mut tx, round_id, published.then(now_secs)).await?;
    crate::audit::record(&mut tx, Some(actor.id), if published { "round.publish" } else { "round.unpublish" }, "round", Some(round_id), serde_json::json!({})).await?;
    tx.commit().await?;
    get_round(state, round_id).await
}

/// "Nguyễn Văn An" → "Nguyễn V. A**": the family name, middle initials, and the given name's
/// first letter, so colleagues recognise winners without the page listing full names.
pub fn mask_name(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [only] => format!("{}**", only.chars().next().unwrap_or('*')),
        [family, middle @ .., given] => {
            let mut out = vec![family.to_string()];
            out.extend(middle.iter().map(|w| format!("{}.", w.chars().next().unwrap_or('*'))));
            out.push(format!("{}**", given.chars().next().unwrap_or('*')));
            out.join(" ")
        }
    }
}

/// The public results page: winners only, names as the contest's setting says.
pub async fn public_results(state: &AppState, round_id: i64) -> Result<PublicResults, AppError> {
    let round = get_round(state, round_id).await?;
    let Some(published_at) = round.published_at else { return Err(AppError::NotFound) };
    let contest = get_contest(state, round.contest_id).await?;
    let ranking = ranking(state, round_id).await?;
    let winners = ranking
        .entries
        .into_iter()
        .filter_map(|e| {
            let prize = e.prize?;
            let name = match contest.name_display {
                NameDisplay::Full => e.full_name,
                NameDisplay::Masked => mask_name(&e.full_name),
            };
            Some(PublicWinner { place: e.place, prize, name, unit_name: e.unit_name, score: e.score, time_taken_ms: e.time_taken_ms, prediction: e.prediction })
        })
        .collect();
    Ok(PublicResults {
        round_id,
        contest_title: contest.title,
        round_title: round.settings.title,
        published_at,
        prediction_question: round.settings.prediction_question,
        prediction_truth: round.prediction_truth,
        max_score: round.question_count * super::scoring::FULL_CREDIT,
        winners,
    })
}

pub async fn statistics(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<RoundStats, AppError> {
    crate::policy::organizer(actor)?;
    get_round(state, round_id).await?;
    let mut by_attempt: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for (attempt, question, points) in repo::scored_items(&state.db, round_id).await? {
        by_attempt.entry(attempt).or_default().push((question, points.unwrap_or(0)));
    }
    let facts: Vec<EntryFacts> = repo::scored(&state.db, round_id)
        .await?
        .into_iter()
        .map(|r| EntryFacts {
            score: r.score.unwrap_or(0),
            max_score: r.max_score,
            time_taken_ms: r.time_taken_ms.unwrap_or(0),
            items: by_attempt.remove(&r.id).unwrap_or_default(),
        })
        .collect();
    let participants = repo::participants(&state.db, round_id).await?;
    let open = attempts::open_in_round(&state.db, round_id).await?;
    let texts: BTreeMap<i64, String> = repo::question_texts(&state.db, round_id).await?.into_iter().collect();
    Ok(stats::compute(round_id, participants, open, &facts, &texts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_but_recognisable() {
        assert_eq!(mask_name("Nguyễn Văn An"), "Nguyễn V. A**");
        assert_eq!(mask_name("Trần Thị Thu Hằng"), "Trần T. T. H**");
        assert_eq!(mask_name("Lê Hà"), "Lê H**");
        assert_eq!(mask_name("Ánh"), "Á**");
    }
}
