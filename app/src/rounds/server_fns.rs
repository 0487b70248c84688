//! Server functions behind the round pages: the participant's side (rounds, attempt, answer
//! saves, result) and the organizer's (contests, rounds, ranking, publication).

use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use super::{attempts, results, setup};
#[cfg(feature = "ssr")]
use crate::accounts::service::require;
#[cfg(feature = "ssr")]
use crate::accounts::session::ctx;

/// Rounds anyone may see listed: titles and times are public. A signed-in citizen sees the
/// public rounds only.
#[server]
pub async fn public_rounds() -> Result<Vec<RoundSummary>, AppError> {
    let c = ctx().await?;
    setup::rounds_for(&c.state, c.user.as_ref()).await
}

#[server]
pub async fn round_entry(round_id: i64) -> Result<RoundForParticipant, AppError> {
    let c = ctx().await?;
    attempts::round_for(&c.state, &require(c.user)?, round_id).await
}

/// Starts (or resumes) an attempt and goes to it.
#[server]
pub async fn start_attempt(round_id: i64) -> Result<i64, AppError> {
    let c = ctx().await?;
    let view = attempts::start(&c.state, &require(c.user)?, round_id).await?;
    leptos_axum::redirect(&format!("/bai-thi/{}", view.id));
    Ok(view.id)
}

#[server]
pub async fn get_attempt(id: i64) -> Result<AttemptView, AppError> {
    let c = ctx().await?;
    attempts::view(&c.state, &require(c.user)?, id).await
}

#[server]
pub async fn load_attempt_result(id: i64) -> Result<AttemptResult, AppError> {
    let c = ctx().await?;
    super::review::result(&c.state, &require(c.user)?, id).await
}

#[server]
pub async fn published_results(round_id: i64) -> Result<PublicResults, AppError> {
    let state = crate::infra::state::expect_state()?;
    results::public_results(&state, round_id).await
}

// ---- Organizers ----

#[server]
pub async fn list_contests() -> Result<Vec<Contest>, AppError> {
    let c = ctx().await?;
    setup::contests_for(&c.state, &require(c.user)?).await
}

#[server]
pub async fn contest_detail(id: i64) -> Result<Contest, AppError> {
    let c = ctx().await?;
    setup::contest_for(&c.state, &require(c.user)?, id).await
}

/// The tie-break presets the form offers; the API takes any order.
pub const TIE_BREAK_PRESETS: [(&str, &str); 4] = [
    ("prediction_gap,time_taken,submitted_at", "rounds.tb_default"),
    ("submitted_at", "rounds.tb_earliest"),
    ("time_taken,prediction_gap,submitted_at", "rounds.tb_time_first"),
    ("", "rounds.tb_score_only"),
];

#[server]
pub async fn create_contest(title: String, year: String, description: String, tie_breaks: String, name_display: String, draft: Option<String>) -> Result<Contest, AppError> {
    let c = ctx().await?;
    let year = year.trim().parse::<i64>().map_err(|_| AppError::field("year", "err.year_range"))?;
    let tie_breaks = tie_breaks.split(',').filter(|s| !s.is_empty()).filter_map(|s| serde_json::from_value(serde_json::Value::String(s.into())).ok()).collect();
    let name_display = if name_display == "full" { NameDisplay::Full } else { NameDisplay::Masked };
    let created = setup::create_contest(&c.state, &require(c.user)?, ContestInput { title, year, description, tie_breaks, name_display }, Visibility::of_draft(draft.is_some())).await?;
    leptos_axum::redirect(&format!("/admin/contests/{}", created.id));
    Ok(created)
}


#[server]
pub async fn create_round(contest_id: i64, form: RoundForm, draft: Option<String>) -> Result<Round, AppError> {
    let c = ctx().await?;
    let input = super::form::parse(&form)?;
    let round = setup::create_round(&c.state, &require(c.user)?, contest_id, input, Visibility::of_draft(draft.is_some())).await?;
    leptos_axum::redirect(&format!("/admin/rounds/{}", round.id));
    Ok(round)
}

#[server]
pub async fn update_round(round_id: i64, form: RoundForm) -> Result<Round, AppError> {
    let c = ctx().await?;
    let input = super::form::parse(&form)?;
    setup::update_round(&c.state, &require(c.user)?, round_id, input).await
}

/// A round's settings, for its settings form (loaded apart from the figures that refresh, so
/// a refresh never resets what the organizer is typing).
#[server]
pub async fn round_settings(round_id: i64) -> Result<Round, AppError> {
    let c = ctx().await?;
    crate::policy::organizer(&require(c.user)?)?;
    setup::get_round(&c.state, round_id).await
}

/// The audience's pool by topic and difficulty, for the round form's draw-rule builder. An
/// unknown audience code reads as staff, the form's default.
#[server]
pub async fn load_draw_pool(audience: String) -> Result<super::draw_rules::DrawPool, AppError> {
    let c = ctx().await?;
    let audience = <crate::quiz::model::Audience as crate::codes::Code>::from_code(audience.trim()).unwrap_or_default();
    setup::draw_pool(&c.state, &require(c.user)?, audience).await
}

/// Everything the organizer's round page shows, in one trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundOverview {
    pub round: Round,
    pub ranking: Ranking,
    pub stats: RoundStats,
}

#[server]
pub async fn round_dashboard(round_id: i64) -> Result<RoundOverview, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let stats = results::statistics(&c.state, &user, round_id).await?;
    Ok(RoundOverview { round: setup::get_round(&c.state, round_id).await?, ranking: results::ranking_for(&c.state, &user, round_id).await?, stats })
}

#[server]
pub async fn disqualify_entry(round_id: i64, user_id: String, reason: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let user_id = super::form::account_id(&user_id).ok_or_else(|| AppError::field("user_id", "err.account_id_format"))?;
    results::disqualify(&c.state, &require(c.user)?, round_id, user_id, &reason).await.map(|_| ())
}

#[server]
pub async fn reinstate_entry(round_id: i64, user_id: i64, reason: String) -> Result<(), AppError> {
    let c = ctx().await?;
    results::reinstate(&c.state, &require(c.user)?, round_id, user_id, &reason).await.map(|_| ())
}

#[server]
pub async fn set_round_published(round_id: i64, published: bool) -> Result<(), AppError> {
    let c = ctx().await?;
    results::set_published(&c.state, &require(c.user)?, round_id, published).await.map(|_| ())
}

/// A draft change as the control room's buttons name it.
#[cfg(feature = "ssr")]
fn draft_change_named(change: &str) -> Result<super::drafts::DraftChange, AppError> {
    use super::drafts::DraftChange;
    match change {
        "announce" => Ok(DraftChange::Announce),
        "back_to_draft" => Ok(DraftChange::BackToDraft),
        "delete" => Ok(DraftChange::Delete),
        _ => Err(AppError::field("change", "err.form_args")),
    }
}

/// Announces a round, takes it back into draft, or deletes the draft (then goes to its contest).
#[server]
pub async fn change_round_draft(round_id: i64, contest_id: i64, change: String) -> Result<(), AppError> {
    let c = ctx().await?;
    if super::drafts::change_round(&c.state, &require(c.user)?, round_id, draft_change_named(&change)?).await?.is_none() {
        leptos_axum::redirect(&format!("/admin/contests/{contest_id}"));
    }
    Ok(())
}

/// The same for a contest (deleting goes back to the list of contests).
#[server]
pub async fn change_contest_draft(contest_id: i64, change: String) -> Result<(), AppError> {
    let c = ctx().await?;
    if super::drafts::change_contest(&c.state, &require(c.user)?, contest_id, draft_change_named(&change)?).await?.is_none() {
        leptos_axum::redirect("/admin/contests");
    }
    Ok(())
}
