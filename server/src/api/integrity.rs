//! `/api/v1/rounds/{id}/integrity`: the evidence of proxy-taking for organizers, and their
//! dismissals. Disqualifying goes through `/api/v1/rounds/{id}/disqualifications`, the same
//! audited flow as the control room.

use super::{Actor, ErrorBody};
use app::error::AppError;
use app::infra::state::AppState;
use app::integrity::model::IntegrityReport;
use app::integrity::service;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rounds/{id}/integrity", get(report))
        .route("/api/v1/rounds/{id}/integrity/{attempt_id}/dismiss", post(dismiss))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/integrity", tag = "results", params(("id" = i64, Path)),
    responses((status = 200, description = "Flagged attempts, highest risk first, with their evidence in words and a risk level. Nothing is decided automatically.", body = IntegrityReport),
        (status = 403, description = "Organizers and admins only", body = ErrorBody)))]
pub async fn report(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<IntegrityReport>, AppError> {
    Ok(Json(service::report(&state, &actor.required()?, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DismissBody {
    /// Why the flag is dismissed: required (at least 5 characters), kept in the audit log.
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/integrity/{attempt_id}/dismiss", tag = "results", params(("id" = i64, Path), ("attempt_id" = i64, Path)), request_body = DismissBody,
    responses((status = 204, description = "Dismissed; a second dismissal replaces the note"), (status = 422, body = ErrorBody)))]
pub async fn dismiss(State(state): State<AppState>, actor: Actor, Path((id, attempt_id)): Path<(i64, i64)>, Json(body): Json<DismissBody>) -> Result<StatusCode, AppError> {
    service::dismiss(&state, &actor.required()?, id, attempt_id, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
