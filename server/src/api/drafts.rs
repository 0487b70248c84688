//! `/api/v1/contests/{id}/…` and `/api/v1/rounds/{id}/…` for drafts: announce, take back into
//! draft while nobody has started, and delete a draft nobody has taken.

use super::{Actor, ErrorBody};
use app::error::AppError;
use app::infra::state::AppState;
use app::rounds::drafts::{DraftChange, change_contest, change_round};
use app::rounds::model::{Contest, Round};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};

/// The deletions sit on the contest's and round's own paths, in `rounds::router`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/contests/{id}/announce", post(announce_contest))
        .route("/api/v1/contests/{id}/draft", post(contest_back_to_draft))
        .route("/api/v1/rounds/{id}/announce", post(announce_round))
        .route("/api/v1/rounds/{id}/draft", post(round_back_to_draft))
}

fn changed<T>(value: Option<T>) -> Result<Json<T>, AppError> {
    value.map(Json).ok_or_else(|| AppError::internal("a draft change other than deletion returned nothing"))
}

#[utoipa::path(post, path = "/api/v1/contests/{id}/announce", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, description = "Public: participants see its announced rounds", body = Contest), (status = 404, body = ErrorBody)))]
pub async fn announce_contest(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Contest>, AppError> {
    changed(change_contest(&state, &actor.required()?, id, DraftChange::Announce).await?)
}

#[utoipa::path(post, path = "/api/v1/contests/{id}/draft", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, description = "A draft again", body = Contest), (status = 404, body = ErrorBody),
        (status = 409, description = "Someone has started one of its rounds", body = ErrorBody)))]
pub async fn contest_back_to_draft(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Contest>, AppError> {
    changed(change_contest(&state, &actor.required()?, id, DraftChange::BackToDraft).await?)
}

#[utoipa::path(delete, path = "/api/v1/contests/{id}", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted with its rounds"), (status = 404, body = ErrorBody),
        (status = 409, description = "Not a draft, or someone has started one of its rounds", body = ErrorBody)))]
pub async fn delete_contest(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    change_contest(&state, &actor.required()?, id, DraftChange::Delete).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/announce", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, description = "Public (if its contest is too)", body = Round), (status = 404, body = ErrorBody),
        (status = 409, description = "Its closing time has passed", body = ErrorBody)))]
pub async fn announce_round(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Round>, AppError> {
    changed(change_round(&state, &actor.required()?, id, DraftChange::Announce).await?)
}

#[utoipa::path(post, path = "/api/v1/rounds/{id}/draft", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, description = "A draft again", body = Round), (status = 404, body = ErrorBody),
        (status = 409, description = "Someone has started it", body = ErrorBody)))]
pub async fn round_back_to_draft(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Round>, AppError> {
    changed(change_round(&state, &actor.required()?, id, DraftChange::BackToDraft).await?)
}

#[utoipa::path(delete, path = "/api/v1/rounds/{id}", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        (status = 409, description = "Not a draft, or someone has started it", body = ErrorBody)))]
pub async fn delete_round(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    change_round(&state, &actor.required()?, id, DraftChange::Delete).await?;
    Ok(StatusCode::NO_CONTENT)
}
