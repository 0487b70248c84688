//! Organizers set up contests and their rounds. Every change is checked as a whole (all
//! problems reported at once) and written in one transaction, or not at all.

use super::draw;
use super::draw_rules::DrawPool;
use super::model::*;
use super::repo::{contests, rounds};
use crate::accounts::model::CurrentUser;
use crate::codes::{Code, stored_json};
use crate::error::{AppError, Validator};
use crate::infra::state::AppState;
use crate::rounds::winners::TieBreak;
use crate::vn_time::{now_ms, now_secs};

/// Answers in flight when the deadline passes are still accepted this long after it: the
/// network's share, not the participant's.
pub const LATE_TOLERANCE_MS: i64 = 3_000;

pub fn phase(opens_at: i64, closes_at: i64, grace_secs: i64, now_ms: i64) -> RoundPhase {
    if now_ms < opens_at * 1000 {
        RoundPhase::Upcoming
    } else if now_ms < closes_at * 1000 {
        RoundPhase::Open
    } else if now_ms <= (closes_at + grace_secs) * 1000 + LATE_TOLERANCE_MS {
        RoundPhase::Closing
    } else {
        RoundPhase::Closed
    }
}

/// Tie-breaks as stored: their codes, comma-separated, in order.
fn tie_breaks_code(list: &[TieBreak]) -> String {
    list.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
}

fn tie_breaks_of(code: &str) -> Result<Vec<TieBreak>, AppError> {
    code.split(',').filter(|s| !s.is_empty()).map(|c| TieBreak::from_code(c).ok_or_else(|| AppError::internal(format!("stored tie-break {c:?} is unknown")))).collect()
}

fn validate_contest(input: &ContestInput) -> Result<(), AppError> {
    let mut v = Validator::new();
    v.required_text("title", &input.title, 300);
    if !(2000..=2100).contains(&input.year) {
        v.add("year", "err.year_range");
    }
    let mut seen = input.tie_breaks.clone();
    seen.sort_by_key(|t| *t as u8);
    seen.dedup();
    if seen.len() != input.tie_breaks.len() {
        v.add("tie_breaks", "err.tie_breaks_repeat");
    }
    v.finish()
}

pub async fn create_contest(state: &AppState, actor: &CurrentUser, input: ContestInput, visibility: Visibility) -> Result<Contest, AppError> {
    crate::policy::organizer(actor)?;
    validate_contest(&input)?;
    let mut tx = state.db.begin_write().await?;
    let draft = visibility == Visibility::Draft;
    let id = contests::insert(&mut tx, &input, &tie_breaks_code(&input.tie_breaks), draft, actor.id, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "contest.create", "contest", Some(id), serde_json::json!({ "title": input.title, "draft": draft })).await?;
    tx.commit().await?;
    get_contest(state, id).await
}

pub async fn update_contest(state: &AppState, actor: &CurrentUser, id: i64, input: ContestInput) -> Result<Contest, AppError> {
    crate::policy::organizer(actor)?;
    validate_contest(&input)?;
    let mut tx = state.db.begin_write().await?;
    if !contests::update(&mut tx, id, &input, &tie_breaks_code(&input.tie_breaks), now_secs()).await? {
        return Err(AppError::NotFound);
    }
    crate::audit::record(&mut tx, Some(actor.id), "contest.update", "contest", Some(id), serde_json::to_value(&input).map_err(AppError::internal)?).await?;
    tx.commit().await?;
    get_contest(state, id).await
}

pub async fn get_contest(state: &AppState, id: i64) -> Result<Contest, AppError> {
    let row = contests::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Contest {
        id: row.id,
        title: row.title,
        year: row.year,
        description: row.description,
        tie_breaks: tie_breaks_of(&row.tie_breaks)?,
        name_display: row.name_display,
        draft: row.draft == 1,
        rounds: list_rounds(state, Some(id)).await?,
    })
}

/// Every contest with its rounds, for an organizer.
pub async fn contests_for(state: &AppState, actor: &CurrentUser) -> Result<Vec<Contest>, AppError> {
    crate::policy::organizer(actor)?;
    list_contests(state).await
}

/// One contest with its rounds, for an organizer.
pub async fn contest_for(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Contest, AppError> {
    crate::policy::organizer(actor)?;
    get_contest(state, id).await
}

pub async fn list_contests(state: &AppState) -> Result<Vec<Contest>, AppError> {
    let ids = contests::ids(&state.db).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get_contest(state, id).await?);
    }
    Ok(out)
}

/// A stored round with its settings decoded and its phase as of now.
fn round_of(r: rounds::RoundRow) -> Result<Round, AppError> {
    let settings = RoundInput {
        title: r.title,
        opens_at: r.opens_at,
        closes_at: r.closes_at,
        audience: r.audience,
        draw_rules: stored_json(&r.draw_rules, "round draw rules")?,
        shuffle_questions: r.shuffle_questions == 1,
        shuffle_options: r.shuffle_options == 1,
        time_limit_secs: r.time_limit_secs,
        max_attempts: r.max_attempts,
        counting: r.counting,
        grace_secs: r.grace_secs,
        review_after_submit: r.review_after_submit,
        review_after_close: r.review_after_close,
        prediction_question: r.prediction_question,
        prediction_metric: r.prediction_metric,
        prizes: stored_json(&r.prizes, "round prizes")?,
    };
    Ok(Round {
        id: r.id,
        contest_id: r.contest_id,
        contest_title: r.contest_title,
        phase: phase(settings.opens_at, settings.closes_at, settings.grace_secs, now_ms()),
        question_count: settings.draw_rules.iter().map(|d| d.count).sum(),
        settings,
        prediction_truth: r.prediction_truth,
        truth_frozen_at: r.truth_frozen_at,
        published_at: r.published_at,
        draft: r.draft == 1,
        contest_draft: r.contest_draft == 1,
    })
}

pub fn summary_of(round: &Round) -> RoundSummary {
    RoundSummary {
        id: round.id,
        contest_id: round.contest_id,
        contest_title: round.contest_title.clone(),
        title: round.settings.title.clone(),
        opens_at: round.settings.opens_at,
        closes_at: round.settings.closes_at,
        phase: round.phase,
        published: round.published_at.is_some(),
        draft: !round.visible(),
        audience: round.settings.audience,
    }
}

pub async fn get_round(state: &AppState, id: i64) -> Result<Round, AppError> {
    round_of(rounds::get(&state.db, id).await?.ok_or(AppError::NotFound)?)
}

/// Rounds participants may see (no drafts, nothing of a draft contest), newest contest first.
pub async fn visible_rounds(state: &AppState) -> Result<Vec<RoundSummary>, AppError> {
    Ok(list_rounds(state, None).await?.into_iter().filter(|r| !r.draft).collect())
}

/// The rounds listed to a viewer: what participants may see, less the staff rounds for a
/// citizen (`policy::lists_round`).
pub async fn rounds_for(state: &AppState, viewer: Option<&CurrentUser>) -> Result<Vec<RoundSummary>, AppError> {
    Ok(visible_rounds(state).await?.into_iter().filter(|r| crate::policy::lists_round(viewer, r.audience)).collect())
}

/// A round as participants may see it: a draft is not found.
pub async fn get_visible_round(state: &AppState, id: i64) -> Result<Round, AppError> {
    let round = get_round(state, id).await?;
    if !round.visible() {
        return Err(AppError::NotFound);
    }
    Ok(round)
}

/// Rounds of one contest, or of every contest, newest contest first, each in opening order.
pub async fn list_rounds(state: &AppState, contest_id: Option<i64>) -> Result<Vec<RoundSummary>, AppError> {
    rounds::list(&state.db, contest_id).await?.into_iter().map(|r| round_of(r).map(|round| summary_of(&round))).collect()
}

/// Active questions of a round's audience pool, current versions.
pub async fn pool(state: &AppState, audience: crate::quiz::model::Audience) -> Result<Vec<draw::PoolQuestion>, AppError> {
    rounds::pool(&state.db, audience)
        .await?
        .into_iter()
        .map(|r| {
            Ok(draw::PoolQuestion {
                id: r.id,
                version: r.current_version,
                option_count: stored_json::<Vec<String>>(&r.options, "question options")?.len(),
                topic: r.topic,
                difficulty: r.difficulty,
                kind: r.kind,
            })
        })
        .collect()
}

/// An audience's pool by topic and difficulty, for building draw rules.
pub async fn draw_pool(state: &AppState, actor: &CurrentUser, audience: crate::quiz::model::Audience) -> Result<DrawPool, AppError> {
    crate::policy::organizer(actor)?;
    let questions = pool(state, audience).await?;
    Ok(DrawPool::of(questions.iter().map(|q| (q.topic.as_str(), q.difficulty.as_str()))))
}

async fn validate_round(state: &AppState, input: &RoundInput) -> Result<(), AppError> {
    let mut v = Validator::new();
    v.required_text("title", &input.title, 300);
    if input.closes_at <= input.opens_at {
        v.add("closes_at", "err.closes_before_opens");
    }
    if !(60..=4 * 3600).contains(&input.time_limit_secs) {
        v.add("time_limit_secs", "err.time_limit_range");
    }
    if !(1..=100).contains(&input.max_attempts) {
        v.add("max_attempts", "err.max_attempts_range");
    }
    if !(0..=3600).contains(&input.grace_secs) {
        v.add("grace_secs", "err.grace_range");
    }
    v.required_text("prediction_question", &input.prediction_question, crate::text::LABEL_MAX_CHARS);
    let total: i64 = input.draw_rules.iter().map(|r| r.count).sum();
    if input.draw_rules.is_empty() || input.draw_rules.iter().any(|r| r.count < 1) || total > 200 {
        v.add("draw_rules", "err.draw_rules_invalid");
    } else if let Some(r) = input.draw_rules.iter().position(|r| !r.difficulty.is_empty() && !crate::quiz::model::DIFFICULTIES.contains(&r.difficulty.as_str())) {
        v.add("draw_rules", &format!("err.draw_rule_difficulty:{}", r + 1));
    } else if let Some((r, ..)) = draw::shortfalls(&pool(state, input.audience).await?, &input.draw_rules).first() {
        // Rule n is line n of the form's text (the builder writes no blank lines).
        v.add("draw_rules", &format!("err.draw_rule_short:{}", r + 1));
    }
    if input.prizes.len() > 50 || input.prizes.iter().any(|p| p.name.trim().is_empty() || crate::text::too_long(&p.name, crate::text::LABEL_MAX_CHARS) || !(1..=10_000).contains(&p.count)) {
        v.add("prizes", "err.prizes_invalid");
    }
    v.finish()
}

pub async fn create_round(state: &AppState, actor: &CurrentUser, contest_id: i64, input: RoundInput, visibility: Visibility) -> Result<Round, AppError> {
    crate::policy::organizer(actor)?;
    get_contest(state, contest_id).await?;
    validate_round(state, &input).await?;
    let mut tx = state.db.begin_write().await?;
    let id = rounds::insert(&mut tx, contest_id, &input, visibility == Visibility::Draft, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "round.create", "round", Some(id), serde_json::to_value(&input).map_err(AppError::internal)?).await?;
    tx.commit().await?;
    get_round(state, id).await
}

/// Changes a round's settings. Once attempts exist, what they were drawn and timed by must
/// not move under them: only the closing time, grace, review policy, prize plan and titles
/// can change then.
pub async fn update_round(state: &AppState, actor: &CurrentUser, id: i64, input: RoundInput) -> Result<Round, AppError> {
    crate::policy::organizer(actor)?;
    let current = get_round(state, id).await?;
    validate_round(state, &input).await?;
    let mut tx = state.db.begin_write().await?;
    let started = rounds::attempts_started(&mut tx, id).await?;
    let s = &current.settings;
    let locked_changed = s.opens_at != input.opens_at
        || s.audience != input.audience
        || s.draw_rules != input.draw_rules
        || s.shuffle_questions != input.shuffle_questions
        || s.shuffle_options != input.shuffle_options
        || s.time_limit_secs != input.time_limit_secs
        || s.max_attempts > input.max_attempts
        || s.counting != input.counting
        || s.prediction_question != input.prediction_question.trim()
        || s.prediction_metric != input.prediction_metric;
    if started > 0 && locked_changed {
        return Err(AppError::conflict("err.round_has_attempts"));
    }
    rounds::update(&mut tx, id, &input, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "round.update", "round", Some(id), serde_json::to_value(&input).map_err(AppError::internal)?).await?;
    tx.commit().await?;
    get_round(state, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_the_clock() {
        let (opens, closes, grace) = (1_000, 2_000, 60);
        assert_eq!(phase(opens, closes, grace, 999_999), RoundPhase::Upcoming);
        assert_eq!(phase(opens, closes, grace, 1_000_000), RoundPhase::Open);
        assert_eq!(phase(opens, closes, grace, 2_000_000), RoundPhase::Closing);
        assert_eq!(phase(opens, closes, grace, 2_060_000 + LATE_TOLERANCE_MS), RoundPhase::Closing);
        assert_eq!(phase(opens, closes, grace, 2_060_001 + LATE_TOLERANCE_MS), RoundPhase::Closed);
    }

    #[test]
    fn tie_break_codes_round_trip() {
        let list = vec![TieBreak::SubmittedAt, TieBreak::PredictionGap];
        assert_eq!(tie_breaks_code(&list), "submitted_at,prediction_gap");
        assert_eq!(tie_breaks_of("submitted_at,prediction_gap"), Ok(list));
        assert_eq!(tie_breaks_of(""), Ok(vec![]));
        assert!(tie_breaks_of("submitted_at,coin_toss").is_err(), "an unknown stored code is an error, not dropped");
    }
}
