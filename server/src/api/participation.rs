//! `/api/v1/participation/*` and the roster routes under `/api/v1/units/{id}`: rosters,
//! rates, who has not taken part, matching decisions and the contest's CSV. Unit managers
//! reach only their own subtree; other units answer 404.

use super::{Actor, ErrorBody, XLSX, download};
use app::error::AppError;
use app::infra::state::AppState;
use app::participation::model::*;
use app::participation::service;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/participation/rounds/{id}", get(report))
        .route("/api/v1/contests/{id}/participation.csv", get(contest_csv))
        .route("/api/v1/participation/contests/{id}", get(contest_report))
        .route("/api/v1/units/{id}/roster", post(import_roster))
        .route("/api/v1/units/{id}/roster/template", get(template))
        .route("/api/v1/units/{id}/non-participants", get(non_participants))
        .route("/api/v1/units/{id}/matching", get(matching))
        .route("/api/v1/units/{id}/unrostered", get(unrostered))
        .route("/api/v1/units/{id}/unrostered/add", post(add_unrostered))
        .route("/api/v1/units/{id}/unrostered/reject", post(reject_unrostered))
        .route("/api/v1/roster-entries/{id}/decision", post(decide))
        .route("/api/v1/reports/annual", get(annual))
        .route("/api/v1/participation/rounds/{id}/collective", get(collective))
        .route("/api/v1/contests/{id}/collective-rules", get(get_collective_rules).put(set_collective_rules))
}

#[utoipa::path(get, path = "/api/v1/participation/rounds/{id}", tag = "participation", params(("id" = i64, Path)),
    responses((status = 200, description = "Rates per unit (rolled up the tree) and block, entries per day; live while the round runs, frozen once it has closed; a unit manager sees their subtree", body = ParticipationReport),
        (status = 403, body = ErrorBody)))]
pub async fn report(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<ParticipationReport>, AppError> {
    Ok(Json(service::report(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/contests/{id}/participation.csv", tag = "participation", params(("id" = i64, Path), super::rounds::CsvQuery),
    responses((status = 200, description = "Vietnamese headers for people; `headers=codes`: unit_code, unit_name, parent_code, block, round_id, eligible, participated, rate, source", content_type = "text/csv")))]
pub async fn contest_csv(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Query(q): Query<super::rounds::CsvQuery>) -> Result<Response, AppError> {
    app::policy::organizer(&actor.required()?)?;
    let body = format!("\u{feff}{}", service::export_csv(&state, id, q.headers).await?);
    Ok(download("text/csv; charset=utf-8", &format!("tham-gia-cuoc-thi-{id}.csv"), body))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// `true` (default) only previews.
    dry_run: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/units/{id}/roster", tag = "participation", params(("id" = i64, Path), ImportQuery),
    request_body(content = Vec<u8>, description = "CSV or XLSX in the template's columns", content_type = "application/octet-stream"),
    responses((status = 200, body = RosterImport), (status = 422, description = "Problems by line; nothing changed", body = RosterImport), (status = 404, body = ErrorBody)))]
pub async fn import_roster(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Query(q): Query<ImportQuery>, body: Bytes) -> Result<Response, AppError> {
    let result = service::import_roster(&state, &actor.required()?, id, &body, !q.dry_run.unwrap_or(true)).await?;
    let status = if result.plan.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(result)).into_response())
}

#[utoipa::path(get, path = "/api/v1/units/{id}/roster/template", tag = "participation", params(("id" = i64, Path)), responses((status = 200, description = "The roster template (XLSX)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn template(Path(_id): Path<i64>) -> Result<Response, AppError> {
    Ok(download(XLSX, "mau-danh-sach-can-bo.xlsx", app::participation::export::roster_template().map_err(AppError::internal)?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RoundQuery {
    round: i64,
    /// `json` (default) or `xlsx`.
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/units/{id}/non-participants", tag = "participation", params(("id" = i64, Path), RoundQuery),
    responses((status = 200, description = "Eligible staff of the unit and its sub-units who have not taken the round, with contacts", body = Vec<NonParticipant>), (status = 404, body = ErrorBody)))]
pub async fn non_participants(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Query(q): Query<RoundQuery>) -> Result<Response, AppError> {
    let xlsx = q.format.as_deref() == Some("xlsx");
    let channel = if xlsx { app::audit::Channel::Xlsx } else { app::audit::Channel::Json };
    let list = service::non_participants(&state, &actor.required()?, id, q.round, channel).await?;
    Ok(match q.format.as_deref() {
        Some("xlsx") => {
            let file = state.reports.render(move || app::participation::export::non_participants_xlsx(&list)).await?.map_err(AppError::internal)?;
            download(XLSX, &format!("chua-tham-gia-dot-{}.xlsx", q.round), file)
        }
        _ => Json(list).into_response(),
    })
}

#[utoipa::path(get, path = "/api/v1/units/{id}/matching", tag = "participation", params(("id" = i64, Path), RoundQuery),
    responses((status = 200, description = "Participants matching no roster entry, entries matching two accounts, same-name candidates", body = MatchAnomalies)))]
pub async fn matching(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Query(q): Query<RoundQuery>) -> Result<Json<MatchAnomalies>, AppError> {
    Ok(Json(service::anomalies(&state, &actor.required()?, id, q.round).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    pub user_id: i64,
    /// `true` confirms the match, `false` rejects it.
    pub confirm: bool,
}

#[utoipa::path(post, path = "/api/v1/roster-entries/{id}/decision", tag = "participation", params(("id" = i64, Path)), request_body = DecisionBody,
    responses((status = 204), (status = 403, description = "A match outside the roster's subtree: organizers only", body = ErrorBody),
        (status = 404, description = "No such active roster entry in the caller's units, or no such account", body = ErrorBody),
        (status = 422, description = "The account is not a listed candidate of the entry", body = ErrorBody)))]
pub async fn decide(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<DecisionBody>) -> Result<StatusCode, AppError> {
    service::decide(&state, &actor.required()?, id, body.user_id, body.confirm).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AnnualQuery {
    year: i64,
    /// `json` (default), `xlsx` or `pdf`.
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/annual", tag = "participation", params(AnnualQuery),
    responses((status = 200, description = "The year's participation: per unit and round, by block, units at 100%, the statistics table, merged units; as JSON, XLSX or PDF (Vietnamese, with charts)", body = app::participation::annual::AnnualReport),
        (status = 403, body = ErrorBody)))]
pub async fn annual(State(state): State<AppState>, actor: Actor, Query(q): Query<AnnualQuery>) -> Result<Response, AppError> {
    use app::participation::{annual, annual_files};
    let report = annual::annual_report(&state, &actor.required()?, q.year).await?;
    Ok(match q.format.as_deref() {
        Some("xlsx") => {
            let file = state.reports.render(move || annual_files::to_xlsx(&report)).await?.map_err(AppError::internal)?;
            download(XLSX, &format!("bao-cao-tham-gia-{}.xlsx", q.year), file)
        }
        Some("pdf") => {
            // Layout takes a moment for a large tree: off the async threads.
            let at = app::vn_time::now_secs();
            let pdf = state.reports.render(move || app::participation::annual_pdf::to_pdf(&report, at)).await?.map_err(AppError::internal)?;
            download("application/pdf", &format!("bao-cao-tham-gia-{}.pdf", q.year), pdf)
        }
        _ => Json(report).into_response(),
    })
}

#[utoipa::path(get, path = "/api/v1/participation/rounds/{id}/collective", tag = "participation", params(("id" = i64, Path)),
    responses((status = 200, description = "Collective prizes per block: units directly under the city ranked by the contest's formula, each with its computation; units below the threshold listed as excluded", body = Vec<app::participation::collective::BlockRanking>)))]
pub async fn collective(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Vec<app::participation::collective::BlockRanking>>, AppError> {
    Ok(Json(service::collective(&state, &actor.required()?, id).await?))
}

#[utoipa::path(put, path = "/api/v1/contests/{id}/collective-rules", tag = "participation", params(("id" = i64, Path)), request_body = app::participation::collective::CollectiveRules,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn set_collective_rules(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(rules): Json<app::participation::collective::CollectiveRules>,
) -> Result<StatusCode, AppError> {
    service::set_collective_rules(&state, &actor.required()?, id, rules).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/participation/contests/{id}", tag = "participation", params(("id" = i64, Path)),
    responses((status = 200, description = "Distinct eligible people who took part in any round of the contest, per unit and block (a unit manager sees their subtree)", body = ContestParticipation)))]
pub async fn contest_report(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<ContestParticipation>, AppError> {
    Ok(Json(service::contest_report(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{id}/unrostered", tag = "participation", params(("id" = i64, Path)),
    responses((status = 200, description = "People registered in a unit of the subtree that has a roster, on none of the rosters and not rejected: they do not count until added. CCCD and phone masked unless the caller may see personal numbers", body = Vec<app::participation::unrostered::Unrostered>),
        (status = 404, description = "No such unit in the caller's units", body = ErrorBody)))]
pub async fn unrostered(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Vec<app::participation::unrostered::Unrostered>>, AppError> {
    Ok(Json(app::participation::unrostered::list(&state, &actor.required()?, id, app::audit::Channel::Json).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UnrosteredBody {
    /// Accounts from the unit's unrostered list (1–500).
    pub user_ids: Vec<i64>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UnrosteredDone {
    /// How many people were added or rejected.
    pub changed: usize,
}

async fn decide_unrostered(
    state: &AppState,
    actor: Actor,
    unit: i64,
    body: UnrosteredBody,
    action: app::participation::unrostered::UnrosteredAction,
) -> Result<Json<UnrosteredDone>, AppError> {
    let changed = app::participation::unrostered::decide(state, &actor.required()?, unit, &body.user_ids, action).await?;
    Ok(Json(UnrosteredDone { changed }))
}

#[utoipa::path(post, path = "/api/v1/units/{id}/unrostered/add", tag = "participation", params(("id" = i64, Path)), request_body = UnrosteredBody,
    responses((status = 200, description = "Each person gets a roster entry in their unit (matched to their account), so they count in live rounds; recorded in the audit log", body = UnrosteredDone),
        (status = 404, body = ErrorBody), (status = 422, description = "No one chosen, too many, or someone not on the unit's unrostered list: nothing changed", body = ErrorBody)))]
pub async fn add_unrostered(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<UnrosteredBody>) -> Result<Json<UnrosteredDone>, AppError> {
    decide_unrostered(&state, actor, id, body, app::participation::unrostered::UnrosteredAction::Add).await
}

#[utoipa::path(post, path = "/api/v1/units/{id}/unrostered/reject", tag = "participation", params(("id" = i64, Path)), request_body = UnrosteredBody,
    responses((status = 200, description = "Each person is marked not eligible staff of their unit: the account stays, is not counted, and leaves the list; recorded in the audit log", body = UnrosteredDone),
        (status = 404, body = ErrorBody), (status = 422, description = "No one chosen, too many, or someone not on the unit's unrostered list: nothing changed", body = ErrorBody)))]
pub async fn reject_unrostered(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<UnrosteredBody>) -> Result<Json<UnrosteredDone>, AppError> {
    decide_unrostered(&state, actor, id, body, app::participation::unrostered::UnrosteredAction::Reject).await
}

#[utoipa::path(get, path = "/api/v1/contests/{id}/collective-rules", tag = "participation", params(("id" = i64, Path)),
    responses((status = 200, description = "The contest's collective-prize rules (organizers)", body = app::participation::collective::CollectiveRules), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_collective_rules(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<app::participation::collective::CollectiveRules>, AppError> {
    Ok(Json(service::collective_rules(&state, &actor.required()?, id).await?))
}
