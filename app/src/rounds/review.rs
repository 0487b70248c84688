//! Xem lại bài: what a participant sees of a submitted attempt, as the round's review policy
//! allows after submitting and after closing. Keys and explanations appear only at level `full`.

use super::attempt_items::{items, load, shown_options};
use super::model::*;
use super::repo::attempts as repo;
use super::scoring::{self, FULL_CREDIT, Key};
use super::setup::get_round;
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;

/// What the review policy lets the participant see of a submitted attempt.
pub async fn result(state: &AppState, actor: &CurrentUser, id: i64) -> Result<AttemptResult, AppError> {
    let attempt = load(state, id).await?.ok_or(AppError::NotFound)?;
    crate::policy::owner_or_organizer(actor, attempt.user_id)?;
    if attempt.status == AttemptStatus::Open {
        return Err(AppError::conflict("err.attempt_not_submitted"));
    }
    let round = get_round(state, attempt.round_id).await?;
    let used = repo::count_of_person(&state.db, round.id, attempt.user_id).await?;
    let attempts_left = if round.phase == RoundPhase::Open { (round.settings.max_attempts - used).max(0) } else { 0 };
    let level = if actor.is_organizer() { ReviewLevel::Full } else { participant_level(&round, attempts_left) };
    let review = if level >= ReviewLevel::Answers { review_items(state, id, level).await? } else { vec![] };
    let scored = level >= ReviewLevel::Score;
    Ok(AttemptResult {
        id,
        round_id: round.id,
        round_title: round.settings.title.clone(),
        status: attempt.status,
        submitted_by: attempt.submitted_by,
        review_level: level,
        score: attempt.score.filter(|_| scored),
        max_score: attempt.max_score,
        correct_count: attempt.correct_count.filter(|_| scored),
        time_taken_ms: attempt.time_taken_ms,
        submitted_at_ms: attempt.submitted_at_ms,
        prediction_question: round.settings.prediction_question.clone(),
        prediction: attempt.prediction,
        review,
        attempts_left,
    })
}

/// What a participant may see: the round's policy after submitting (and after closing, once
/// closed), but never more than the score while they may still take another attempt: the
/// right answers and explanations of the first attempt would answer the second. They appear
/// once the last attempt is used or the round closes.
pub fn participant_level(round: &Round, attempts_left: i64) -> ReviewLevel {
    let policy = if round.phase == RoundPhase::Closed { round.settings.review_after_close.max(round.settings.review_after_submit) } else { round.settings.review_after_submit };
    if attempts_left > 0 { policy.min(ReviewLevel::Score) } else { policy }
}

async fn review_items(state: &AppState, id: i64, level: ReviewLevel) -> Result<Vec<ReviewItem>, AppError> {
    let shown = items(state, id).await?;
    let keys = repo::review_keys(&state.db, id).await?;
    shown
        .iter()
        .map(|item| {
            let keyed = keys.iter().find(|k| k.position == item.position);
            let full = level == ReviewLevel::Full;
            Ok(ReviewItem {
                position: item.position,
                text: item.text.clone(),
                options: shown_options(item),
                answer: scoring::to_shown(&item.order, &item.answer),
                is_correct: item.points.map(|p| p == FULL_CREDIT),
                correct: match keyed.filter(|_| full) {
                    Some(k) => Some(scoring::to_shown(&item.order, &Key::from_stored(item.kind, &k.answer_key, false)?.correct_indices())),
                    None => None,
                },
                explanation: keyed.filter(|_| full).map(|k| k.explanation.clone()).filter(|e| !e.is_empty()),
            })
        })
        .collect()
}
