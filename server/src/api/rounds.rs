//! `/api/v1/contests/*`, `/api/v1/rounds/*`, `/api/v1/attempts/*`: contests and rounds for
//! organizers, the attempt lifecycle for participants, results and statistics.

use super::{Actor, ErrorBody, SignedIn, download};
use app::error::AppError;
use app::infra::state::AppState;
use app::rounds::model::*;
use app::rounds::{attempts, results, setup};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/contests", get(list_contests).post(create_contest))
        .route("/api/v1/contests/{id}", get(get_contest).put(update_contest).delete(super::drafts::delete_contest))
        .route("/api/v1/contests/{id}/rounds", post(create_round))
        .route("/api/v1/rounds", get(list_rounds))
        .route("/api/v1/rounds/draw-pool", get(draw_pool))
        .route("/api/v1/rounds/{id}", get(get_round).put(update_round).delete(super::drafts::delete_round))
        .route("/api/v1/rounds/{id}/entry", get(round_entry))
        .route("/api/v1/rounds/{id}/attempts", post(start))
        .route("/api/v1/rounds/{id}/ranking", get(ranking))
        .route("/api/v1/rounds/{id}/ranking.csv", get(ranking_csv))
        .route("/api/v1/rounds/{id}/disqualifications", post(disqualify))
        .route("/api/v1/rounds/{id}/disqualifications/{user_id}/lift", post(reinstate))
        .route("/api/v1/rounds/{id}/publish", post(publish))
        .route("/api/v1/rounds/{id}/unpublish", post(unpublish))
        .route("/api/v1/rounds/{id}/results", get(public_results))
        .route("/api/v1/rounds/{id}/statistics", get(statistics))
        .route("/api/v1/attempts/{id}", get(get_attempt))
        .route("/api/v1/attempts/{id}/answers/{position}", put(save_answer))
        .route("/api/v1/attempts/{id}/prediction", put(save_prediction))
        .route("/api/v1/attempts/{id}/submit", post(submit))
        .route("/api/v1/attempts/{id}/result", get(result))
}

#[utoipa::path(get, path = "/api/v1/contests", tag = "rounds", responses((status = 200, body = Vec<Contest>), (status = 403, body = ErrorBody)))]
pub async fn list_contests(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<Contest>>, AppError> {
    Ok(Json(setup::contests_for(&state, &actor.required()?).await?))
}

#[utoipa::path(post, path = "/api/v1/contests", tag = "rounds", request_body = NewContest,
    responses((status = 201, description = "Created; with `draft: true` participants see none of its rounds until it is announced", body = Contest), (status = 422, body = ErrorBody)))]
pub async fn create_contest(State(state): State<AppState>, actor: Actor, Json(input): Json<NewContest>) -> Result<(StatusCode, Json<Contest>), AppError> {
    Ok((StatusCode::CREATED, Json(setup::create_contest(&state, &actor.required()?, input.settings, Visibility::of_draft(input.draft)).await?)))
}

#[utoipa::path(get, path = "/api/v1/contests/{id}", tag = "rounds", params(("id" = i64, Path)), responses((status = 200, body = Contest), (status = 404, body = ErrorBody)))]
pub async fn get_contest(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Contest>, AppError> {
    Ok(Json(setup::contest_for(&state, &actor.required()?, id).await?))
}

#[utoipa::path(put, path = "/api/v1/contests/{id}", tag = "rounds", params(("id" = i64, Path)), request_body = ContestInput,
    responses((status = 200, body = Contest), (status = 422, body = ErrorBody)))]
pub async fn update_contest(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(input): Json<ContestInput>) -> Result<Json<Contest>, AppError> {
    Ok(Json(setup::update_contest(&state, &actor.required()?, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/contests/{id}/rounds", tag = "rounds", params(("id" = i64, Path)), request_body = NewRound,
    responses((status = 201, description = "Created; with `draft: true` participants do not see it until it is announced", body = Round), (status = 422, description = "Every problem by field, e.g. a draw the bank cannot satisfy", body = ErrorBody)))]
pub async fn create_round(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(input): Json<NewRound>) -> Result<(StatusCode, Json<Round>), AppError> {
    Ok((StatusCode::CREATED, Json(setup::create_round(&state, &actor.required()?, id, input.settings, Visibility::of_draft(input.draft)).await?)))
}

#[utoipa::path(get, path = "/api/v1/rounds", tag = "rounds", responses((status = 200, description = "Every round, newest contest first; drafts only for organizers; a citizen sees the public rounds only", body = Vec<RoundSummary>)))]
pub async fn list_rounds(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<RoundSummary>>, AppError> {
    let actor = actor.required()?;
    // Organizers see drafts too; everyone else only what participants may see.
    if app::policy::organizer(&actor).is_ok() {
        return Ok(Json(setup::list_rounds(&state, None).await?));
    }
    Ok(Json(setup::rounds_for(&state, Some(&actor)).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PoolQuery {
    /// staff (default) or public: whose pool.
    #[serde(default)]
    audience: app::quiz::model::Audience,
}

/// What draw rules can take: the audience's active questions by topic and difficulty.
#[utoipa::path(get, path = "/api/v1/rounds/draw-pool", tag = "rounds", params(PoolQuery),
    responses((status = 200, description = "Active questions of the audience's pool by topic and difficulty (organizers)", body = app::rounds::draw_rules::DrawPool), (status = 403, body = ErrorBody)))]
pub async fn draw_pool(State(state): State<AppState>, actor: Actor, Query(q): Query<PoolQuery>) -> Result<Json<app::rounds::draw_rules::DrawPool>, AppError> {
    Ok(Json(setup::draw_pool(&state, &actor.required()?, q.audience).await?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "rounds", params(("id" = i64, Path)), responses((status = 200, description = "All settings (organizers)", body = Round)))]
pub async fn get_round(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Round>, AppError> {
    app::policy::organizer(&actor.required()?)?;
    Ok(Json(setup::get_round(&state, id).await?))
}

#[utoipa::path(put, path = "/api/v1/rounds/{id}", tag = "rounds", params(("id" = i64, Path)), request_body = RoundInput,
    responses((status = 200, body = Round), (status = 409, description = "Attempts exist; draw and timing can no longer change", body = ErrorBody)))]
pub async fn update_round(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(input): Json<RoundInput>) -> Result<Json<Round>, AppError> {
    Ok(Json(setup::update_round(&state, &actor.required()?, id, input).await?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/entry", tag = "attempts", params(("id" = i64, Path)),
    responses((status = 200, description = "The round as the caller may take it, with their attempts", body = RoundForParticipant)))]
pub async fn round_entry(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<RoundForParticipant>, AppError> {
    Ok(Json(attempts::round_for(&state, &actor.required()?, id).await?))
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/attempts", tag = "attempts", params(("id" = i64, Path)),
    responses((status = 200, description = "The new attempt, or the open one resumed; no answer keys", body = AttemptView),
        (status = 409, description = "Round not open, or no attempts left", body = ErrorBody)))]
pub async fn start(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<AttemptView>, AppError> {
    Ok(Json(attempts::start(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/attempts/{id}", tag = "attempts", params(("id" = i64, Path)),
    responses((status = 200, description = "Questions in this attempt's order with the answers saved so far; no answer keys", body = AttemptView), (status = 404, body = ErrorBody)))]
pub async fn get_attempt(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<AttemptView>, AppError> {
    Ok(Json(attempts::view(&state, &actor.required()?, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnswerBody {
    /// Indices of the chosen options in the order shown; empty clears the answer.
    pub answer: Vec<usize>,
    /// The client's sequence number of this choice: increasing per question (the attempt
    /// page uses the server's clock in milliseconds as it estimates it). The save is applied
    /// only if it is higher than the stored one; otherwise `applied` is `false`. Without it
    /// the save is numbered after everything stored, and wins.
    #[serde(default)]
    pub seq: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/attempts/{id}/answers/{position}", tag = "attempts", params(("id" = i64, Path), ("position" = i64, Path)), request_body = AnswerBody,
    responses((status = 200, description = "Durably saved (`applied`), or ignored because a newer choice is stored", body = SaveAck),
        (status = 409, description = "Submitted, or time is up", body = ErrorBody),
        (status = 422, description = "Not a question of this attempt, not one of its options, or a sequence number out of range", body = ErrorBody),
        (status = 429, description = "Too many saves for this attempt; retry after the `Retry-After` seconds", body = ErrorBody)))]
pub async fn save_answer(State(state): State<AppState>, user: SignedIn, Path((id, position)): Path<(i64, i64)>, Json(body): Json<AnswerBody>) -> Result<Json<SaveAck>, AppError> {
    let started = std::time::Instant::now();
    state.save_limiter.check(id)?;
    let ack = attempts::save_answer_as(&state, user.0, id, position, body.answer, body.seq).await?;
    metrics::histogram!("hp_save_seconds", "phase" => "handler after the session").record(started.elapsed().as_secs_f64());
    Ok(Json(ack))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PredictionBody {
    pub value: i64,
    /// The client's sequence number, as for answers.
    #[serde(default)]
    pub seq: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/attempts/{id}/prediction", tag = "attempts", params(("id" = i64, Path)), request_body = PredictionBody,
    responses((status = 200, body = SaveAck), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn save_prediction(State(state): State<AppState>, user: SignedIn, Path(id): Path<i64>, Json(body): Json<PredictionBody>) -> Result<Json<SaveAck>, AppError> {
    state.save_limiter.check(id)?;
    Ok(Json(attempts::save_prediction_as(&state, user.0, id, body.value, body.seq).await?))
}

#[utoipa::path(post, path = "/api/v1/attempts/{id}/submit", tag = "attempts", params(("id" = i64, Path)),
    responses((status = 200, description = "Submitted (again: the same result)", body = AttemptResult),
        (status = 409, description = "Time was up: the server submitted the saved answers", body = ErrorBody)))]
pub async fn submit(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<AttemptResult>, AppError> {
    let started = std::time::Instant::now();
    let result = attempts::submit(&state, &actor.required()?, id).await?;
    metrics::histogram!("hp_submit_seconds", "phase" => "handler after the session").record(started.elapsed().as_secs_f64());
    Ok(Json(result))
}

#[utoipa::path(get, path = "/api/v1/attempts/{id}/result", tag = "attempts", params(("id" = i64, Path)),
    responses((status = 200, description = "As much as the round's review policy allows", body = AttemptResult)))]
pub async fn result(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<AttemptResult>, AppError> {
    Ok(Json(app::rounds::review::result(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/ranking", tag = "results", params(("id" = i64, Path)),
    responses((status = 200, description = "Proposed winners with the reason for each place (organizers)", body = Ranking)))]
pub async fn ranking(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Ranking>, AppError> {
    Ok(Json(results::ranking_for(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/ranking.csv", tag = "results", params(("id" = i64, Path), CsvQuery),
    responses((status = 200, description = "Vietnamese headers for people; `headers=codes`: rank, account_id, unit_code, score, prediction, prediction_gap, time_taken_ms, submitted_at, prize, full_name, unit_name", content_type = "text/csv")))]
pub async fn ranking_csv(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Query(q): Query<CsvQuery>) -> Result<Response, AppError> {
    app::policy::organizer(&actor.required()?)?;
    // A BOM so Excel opens the Vietnamese names in UTF-8.
    let body = format!("\u{feff}{}", app::rounds::export::export_csv(&state, id, q.headers).await?);
    Ok(download("text/csv; charset=utf-8", &format!("ket-qua-dot-{id}.csv"), body))
}

/// Who a CSV is for: `people` (default: Vietnamese headers, values as people read them) or
/// `codes` (machine codes, plain numbers, ISO times).
#[derive(Deserialize, utoipa::IntoParams)]
pub struct CsvQuery {
    #[serde(default)]
    #[param(value_type = Option<app::cells::Headers>)]
    pub headers: app::cells::Headers,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DisqualifyBody {
    pub user_id: i64,
    /// Lý do: required, kept in the audit log.
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/disqualifications", tag = "results", params(("id" = i64, Path)), request_body = DisqualifyBody,
    responses((status = 200, description = "The recomputed ranking", body = Ranking), (status = 422, body = ErrorBody)))]
pub async fn disqualify(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<DisqualifyBody>) -> Result<Json<Ranking>, AppError> {
    Ok(Json(results::disqualify(&state, &actor.required()?, id, body.user_id, &body.reason).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReasonBody {
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/disqualifications/{user_id}/lift", tag = "results", params(("id" = i64, Path), ("user_id" = i64, Path)), request_body = ReasonBody,
    responses((status = 200, body = Ranking)))]
pub async fn reinstate(State(state): State<AppState>, actor: Actor, Path((id, user_id)): Path<(i64, i64)>, Json(body): Json<ReasonBody>) -> Result<Json<Ranking>, AppError> {
    Ok(Json(results::reinstate(&state, &actor.required()?, id, user_id, &body.reason).await?))
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/publish", tag = "results", params(("id" = i64, Path)),
    responses((status = 200, body = Round), (status = 409, description = "The round has not closed yet", body = ErrorBody)))]
pub async fn publish(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Round>, AppError> {
    Ok(Json(results::set_published(&state, &actor.required()?, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/unpublish", tag = "results", params(("id" = i64, Path)), responses((status = 200, body = Round)))]
pub async fn unpublish(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Round>, AppError> {
    Ok(Json(results::set_published(&state, &actor.required()?, id, false).await?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/results", tag = "results", params(("id" = i64, Path)),
    responses((status = 200, description = "Published winners, names as the contest shows them (no sign-in)", body = PublicResults), (status = 404, body = ErrorBody)))]
pub async fn public_results(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<PublicResults>, AppError> {
    Ok(Json(results::public_results(&state, id).await?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/statistics", tag = "results", params(("id" = i64, Path)), responses((status = 200, body = RoundStats)))]
pub async fn statistics(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<RoundStats>, AppError> {
    Ok(Json(results::statistics(&state, &actor.required()?, id).await?))
}
