//! `/api/v1/award-*`: the broadcast and press award competition. Organizers set up editions,
//! panels and decisions; anyone signed in submits entries; judges score their assignments;
//! published results and certificates are public.

use app::codes::Code;
use super::{Actor, ErrorBody, download};
use app::awards::model::*;
use app::awards::{entries, panels, results, scoring, setup};
use app::error::AppError;
use app::infra::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/award-competitions", get(list_competitions).post(create_competition))
        .route("/api/v1/award-competitions/{id}", get(get_competition).put(update_competition))
        .route("/api/v1/award-competitions/{id}/close-call", post(close_call))
        .route("/api/v1/award-competitions/{id}/reopen-call", post(reopen_call))
        .route("/api/v1/award-competitions/{id}/entries", get(list_entries).post(create_entry))
        .route("/api/v1/award-competitions/{id}/panels", get(list_panels))
        .route("/api/v1/award-competitions/{id}/panels/{stage}/{genre}", put(set_panel))
        .route("/api/v1/award-competitions/{id}/assignments", post(assign))
        .route("/api/v1/award-competitions/{id}/assignments/auto", post(auto_assign))
        .route("/api/v1/award-competitions/{id}/results/{stage}", get(stage_results))
        .route("/api/v1/award-competitions/{id}/shortlist", post(shortlist))
        .route("/api/v1/award-competitions/{id}/allocation", get(allocation))
        .route("/api/v1/award-competitions/{id}/decisions", post(decide))
        .route("/api/v1/award-competitions/{id}/publish", post(publish))
        .route("/api/v1/award-competitions/{id}/unpublish", post(unpublish))
        .route("/api/v1/award-competitions/{id}/published", get(published))
        .route("/api/v1/award-competitions/{id}/minutes.pdf", get(minutes))
        .route("/api/v1/award-competitions/{id}/certificates.pdf", get(certificates))
        .route("/api/v1/award-competitions/{id}/judging.csv", get(judging_csv))
        .route("/api/v1/award-entries", get(my_entries))
        .route("/api/v1/award-entries/{id}", get(get_entry).put(update_entry))
        .route("/api/v1/award-entries/{id}/submit", post(submit_entry))
        .route("/api/v1/award-entries/{id}/withdraw", post(withdraw_entry))
        .route("/api/v1/award-entries/{id}/eligibility", post(eligibility))
        .route("/api/v1/award-entries/{id}/certificate.pdf", get(certificate))
        .route("/api/v1/award-files/{id}", get(super::award_files::download).delete(super::award_files::remove))
        .route("/api/v1/award-panels/{id}/close", post(close_panel))
        .route("/api/v1/award-assignments", get(my_assignments))
        .route("/api/v1/award-assignments/{id}", get(get_assignment))
        .route("/api/v1/award-assignments/{id}/score", put(score))
        .route("/api/v1/award-assignments/{id}/recuse", post(recuse))
}

fn stage(code: &str) -> Result<Stage, AppError> {
    Stage::from_code(code).ok_or_else(|| AppError::field("stage", "err.award_stage"))
}

#[utoipa::path(get, path = "/api/v1/award-competitions", tag = "awards", responses((status = 200, body = Vec<Competition>)))]
pub async fn list_competitions(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<Competition>>, AppError> {
    actor.required()?;
    Ok(Json(setup::list(&state).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions", tag = "awards", request_body = CompetitionInput,
    responses((status = 201, body = Competition), (status = 422, description = "Every problem by field", body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_competition(State(state): State<AppState>, actor: Actor, Json(input): Json<CompetitionInput>) -> Result<(StatusCode, Json<Competition>), AppError> {
    Ok((StatusCode::CREATED, Json(setup::create(&state, &actor.required()?, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}", tag = "awards", params(("id" = i64, Path)), responses((status = 200, body = Competition), (status = 404, body = ErrorBody)))]
pub async fn get_competition(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Competition>, AppError> {
    actor.required()?;
    Ok(Json(setup::get(&state, id).await?))
}

#[utoipa::path(put, path = "/api/v1/award-competitions/{id}", tag = "awards", params(("id" = i64, Path)), request_body = CompetitionInput,
    responses((status = 200, body = Competition), (status = 409, description = "Entry rules are locked once the call has closed", body = ErrorBody)))]
pub async fn update_competition(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(input): Json<CompetitionInput>) -> Result<Json<Competition>, AppError> {
    Ok(Json(setup::update(&state, &actor.required()?, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/close-call", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "Call closed; submitted entries are now eligible", body = Competition), (status = 409, body = ErrorBody)))]
pub async fn close_call(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Competition>, AppError> {
    Ok(Json(entries::close_call(&state, &actor.required()?, id).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/reopen-call", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "Call open again (undoes an early close): admitted entries are submitted again", body = Competition),
        (status = 409, description = "Not closed, past the original deadline, or judges already assigned", body = ErrorBody)))]
pub async fn reopen_call(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Competition>, AppError> {
    Ok(Json(entries::reopen_call(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/entries", tag = "awards", params(("id" = i64, Path)), responses((status = 200, description = "Every entry (organizers)", body = Vec<Entry>)))]
pub async fn list_entries(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Vec<Entry>>, AppError> {
    Ok(Json(entries::list(&state, &actor.required()?, id).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/entries", tag = "awards", params(("id" = i64, Path)), request_body = EntryInput,
    responses((status = 201, description = "A draft", body = Entry), (status = 422, body = ErrorBody), (status = 409, description = "The call has closed", body = ErrorBody)))]
pub async fn create_entry(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(input): Json<EntryInput>) -> Result<(StatusCode, Json<Entry>), AppError> {
    Ok((StatusCode::CREATED, Json(entries::create(&state, &actor.required()?, id, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/award-entries", tag = "awards", responses((status = 200, description = "The caller's own entries", body = Vec<Entry>)))]
pub async fn my_entries(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<Entry>>, AppError> {
    Ok(Json(entries::mine(&state, &actor.required()?).await?))
}

#[utoipa::path(get, path = "/api/v1/award-entries/{id}", tag = "awards", params(("id" = i64, Path)), responses((status = 200, body = Entry), (status = 404, body = ErrorBody)))]
pub async fn get_entry(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Entry>, AppError> {
    Ok(Json(entries::get(&state, &actor.required()?, id).await?))
}

#[utoipa::path(put, path = "/api/v1/award-entries/{id}", tag = "awards", params(("id" = i64, Path)), request_body = EntryInput,
    responses((status = 200, body = Entry), (status = 422, description = "E.g. a date outside the window", body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_entry(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(input): Json<EntryInput>) -> Result<Json<Entry>, AppError> {
    Ok(Json(entries::update(&state, &actor.required()?, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/award-entries/{id}/submit", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = Entry), (status = 422, description = "Date window, per-author quota, required fields, by field", body = ErrorBody),
        (status = 409, description = "Past the deadline", body = ErrorBody)))]
pub async fn submit_entry(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Entry>, AppError> {
    Ok(Json(entries::submit(&state, &actor.required()?, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReasonBody {
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/award-entries/{id}/withdraw", tag = "awards", params(("id" = i64, Path)), request_body = ReasonBody, responses((status = 200, body = Entry)))]
pub async fn withdraw_entry(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<ReasonBody>) -> Result<Json<Entry>, AppError> {
    Ok(Json(entries::withdraw(&state, &actor.required()?, id, &body.reason).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EligibilityBody {
    pub eligible: bool,
    /// Required when not eligible; the submitter sees it.
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/award-entries/{id}/eligibility", tag = "awards", params(("id" = i64, Path)), request_body = EligibilityBody,
    responses((status = 200, body = Entry), (status = 422, body = ErrorBody)))]
pub async fn eligibility(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<EligibilityBody>) -> Result<Json<Entry>, AppError> {
    Ok(Json(entries::set_eligibility(&state, &actor.required()?, id, body.eligible, &body.reason).await?))
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/panels", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "Panels with each judge's progress (counts, never scores)", body = Vec<Panel>)))]
pub async fn list_panels(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Vec<Panel>>, AppError> {
    app::policy::organizer(&actor.required()?)?;
    Ok(Json(panels::panels(&state, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PanelBody {
    /// User ids holding the judge role.
    pub judges: Vec<i64>,
}

#[utoipa::path(put, path = "/api/v1/award-competitions/{id}/panels/{stage}/{genre}", tag = "awards",
    params(("id" = i64, Path), ("stage" = String, Path, description = "preliminary | final"), ("genre" = String, Path, description = "radio | tv | print | online | photo")),
    request_body = PanelBody, responses((status = 200, body = Panel), (status = 422, body = ErrorBody)))]
pub async fn set_panel(State(state): State<AppState>, actor: Actor, Path((id, stage_code, genre)): Path<(i64, String, String)>, Json(body): Json<PanelBody>) -> Result<Json<Panel>, AppError> {
    let genre = Genre::from_code(&genre).ok_or_else(|| AppError::field("genre", "err.award_genre"))?;
    Ok(Json(panels::set_judges(&state, &actor.required()?, id, stage(&stage_code)?, genre, body.judges).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AutoAssignBody {
    pub stage: Stage,
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/assignments/auto", tag = "awards", params(("id" = i64, Path)), request_body = AutoAssignBody,
    responses((status = 200, body = AssignmentReport)))]
pub async fn auto_assign(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<AutoAssignBody>) -> Result<Json<AssignmentReport>, AppError> {
    Ok(Json(panels::auto_assign(&state, &actor.required()?, id, body.stage).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AssignBody {
    pub entry_id: i64,
    pub stage: Stage,
    pub judge_id: i64,
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/assignments", tag = "awards", params(("id" = i64, Path)), request_body = AssignBody,
    responses((status = 201, description = "The assignment id", body = i64), (status = 409, description = "Conflict of interest, recused before, or already assigned", body = ErrorBody)))]
pub async fn assign(State(state): State<AppState>, actor: Actor, Path(_id): Path<i64>, Json(body): Json<AssignBody>) -> Result<(StatusCode, Json<i64>), AppError> {
    Ok((StatusCode::CREATED, Json(panels::assign(&state, &actor.required()?, body.entry_id, body.stage, body.judge_id).await?)))
}

#[utoipa::path(post, path = "/api/v1/award-panels/{id}/close", tag = "awards", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, description = "Assignments still open", body = ErrorBody)))]
pub async fn close_panel(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    panels::close_panel(&state, &actor.required()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/award-assignments", tag = "awards", responses((status = 200, description = "The judge's own assignments", body = Vec<Assignment>)))]
pub async fn my_assignments(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<Assignment>>, AppError> {
    Ok(Json(scoring::mine(&state, &actor.required()?).await?))
}

#[utoipa::path(get, path = "/api/v1/award-assignments/{id}", tag = "awards", params(("id" = i64, Path)), responses((status = 200, body = Assignment), (status = 404, body = ErrorBody)))]
pub async fn get_assignment(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Assignment>, AppError> {
    Ok(Json(scoring::get(&state, &actor.required()?, id).await?))
}

#[utoipa::path(put, path = "/api/v1/award-assignments/{id}/score", tag = "awards", params(("id" = i64, Path)), request_body = ScoreInput,
    responses((status = 200, body = Assignment), (status = 403, description = "Not this judge's assignment", body = ErrorBody),
        (status = 409, description = "Conflict of interest, recused, or panel closed", body = ErrorBody), (status = 422, description = "Points outside the rubric", body = ErrorBody)))]
pub async fn score(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<ScoreInput>) -> Result<Json<Assignment>, AppError> {
    Ok(Json(scoring::save(&state, &actor.required()?, id, body).await?))
}

#[utoipa::path(post, path = "/api/v1/award-assignments/{id}/recuse", tag = "awards", params(("id" = i64, Path)), request_body = ReasonBody,
    responses((status = 204), (status = 422, description = "A reason is required", body = ErrorBody)))]
pub async fn recuse(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<ReasonBody>) -> Result<StatusCode, AppError> {
    panels::recuse(&state, &actor.required()?, id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/results/{stage}", tag = "awards", params(("id" = i64, Path), ("stage" = String, Path)),
    responses((status = 200, description = "Rankings per prize pool from closed panels; ties marked", body = StageResults)))]
pub async fn stage_results(State(state): State<AppState>, actor: Actor, Path((id, stage_code)): Path<(i64, String)>) -> Result<Json<StageResults>, AppError> {
    Ok(Json(results::stage_results(&state, &actor.required()?, id, stage(&stage_code)?).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/shortlist", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = StageResults), (status = 409, description = "Preliminary panels still open", body = ErrorBody)))]
pub async fn shortlist(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<StageResults>, AppError> {
    Ok(Json(results::shortlist(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/allocation", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = Allocation), (status = 409, description = "The final stage is not closed yet (the edition is still taking entries or judging)", body = ErrorBody)))]
pub async fn allocation(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Allocation>, AppError> {
    Ok(Json(results::allocation(&state, &actor.required()?, id).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/decisions", tag = "awards", params(("id" = i64, Path)), request_body = Override,
    responses((status = 200, description = "The allocation after the decision", body = Allocation), (status = 422, description = "No reason, unknown tier or pool", body = ErrorBody),
        (status = 409, description = "The council is not sitting, or (accept_tie) the pool has no open tie at a cut-off", body = ErrorBody)))]
pub async fn decide(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<Override>) -> Result<Json<Allocation>, AppError> {
    Ok(Json(results::decide(&state, &actor.required()?, id, body).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/publish", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = Competition), (status = 409, description = "Not at the council stage, or a tie at a prize cut-off is neither resolved nor accepted (`err.award_tie_open`)", body = ErrorBody)))]
pub async fn publish(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Competition>, AppError> {
    Ok(Json(results::set_published(&state, &actor.required()?, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/award-competitions/{id}/unpublish", tag = "awards", params(("id" = i64, Path)), responses((status = 200, body = Competition)))]
pub async fn unpublish(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Competition>, AppError> {
    Ok(Json(results::set_published(&state, &actor.required()?, id, false).await?))
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/published", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "Winners (no sign-in needed)", body = PublishedResults), (status = 404, body = ErrorBody)))]
pub async fn published(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<PublishedResults>, AppError> {
    Ok(Json(results::public_results(&state, id).await?))
}

const PDF: &str = "application/pdf";

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/minutes.pdf", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 409, description = "The final stage has not closed yet", body = ErrorBody)))]
pub async fn minutes(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Response, AppError> {
    let pdf = app::awards::documents::minutes(&state, &actor.required()?, id).await?;
    Ok(download(PDF, &format!("bien-ban-chung-khao-{id}.pdf"), pdf))
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/certificates.pdf", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "Every winner's certificate, one page each", content_type = "application/pdf")))]
pub async fn certificates(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let pdf = app::awards::documents::certificates(&state, id, None).await?;
    Ok(download(PDF, &format!("giay-chung-nhan-{id}.pdf"), pdf))
}

#[utoipa::path(get, path = "/api/v1/award-entries/{id}/certificate.pdf", tag = "awards", params(("id" = i64, Path)), responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn certificate(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let pdf = app::awards::documents::certificate(&state, id).await?;
    Ok(download(PDF, &format!("giay-chung-nhan-tp-{id}.pdf"), pdf))
}

#[utoipa::path(get, path = "/api/v1/award-competitions/{id}/judging.csv", tag = "awards", params(("id" = i64, Path), super::rounds::CsvQuery),
    responses((status = 200, description = "One row per entry and stage. Vietnamese headers and labels (genre, pool, stage; scores as \"17,66\") for people; `headers=codes`: entry_id, code, title, genre, pool, stage, judge_count, mean_score, final_score, rank, prize, with codes and plain numbers", content_type = "text/csv")))]
pub async fn judging_csv(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Query(q): Query<super::rounds::CsvQuery>) -> Result<Response, AppError> {
    app::policy::organizer(&actor.required()?)?;
    let body = format!("\u{feff}{}", app::awards::export::judging_csv(&state, id, q.headers).await?);
    Ok(download("text/csv; charset=utf-8", &format!("cham-giai-{id}.csv"), body))
}
