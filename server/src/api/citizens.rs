//! `/api/v1/citizens/*`: the citizens' sign-up (a code texted to the phone, then the code),
//! the codes the development sender kept, and the per-commune report of public rounds.

use super::{Actor, ErrorBody, download};
use app::citizens::model::{CitizenSignup, CodeSent, PhoneConfirmation, PublicRoundReport, SentMessage};
use app::citizens::service;
use app::error::AppError;
use app::infra::state::AppState;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/citizens/sign-up", post(sign_up))
        .route("/api/v1/citizens/confirm", post(confirm))
        .route("/api/v1/citizens/sent-codes", get(sent_codes))
        .route("/api/v1/rounds/{id}/communes", get(communes))
        .route("/api/v1/rounds/{id}/communes.csv", get(communes_csv))
}

#[utoipa::path(post, path = "/api/v1/citizens/sign-up", tag = "accounts", request_body = CitizenSignup,
    responses((status = 202, description = "A 6-digit code was texted to the phone; it works for 10 minutes and 5 tries", body = CodeSent),
        (status = 422, description = "Every problem by field; `phone`: `err.phone_has_account` when the phone already has an account (sign in instead)", body = ErrorBody),
        (status = 409, description = "`err.sms_failed`: the gateway did not take the message; try again later", body = ErrorBody),
        (status = 429, description = "3 codes per phone and 30 per address per hour; retry after `retry_after_secs`", body = ErrorBody)))]
pub async fn sign_up(State(state): State<AppState>, ConnectInfo(addr): ConnectInfo<SocketAddr>, headers: axum::http::HeaderMap, Json(form): Json<CitizenSignup>) -> Result<(StatusCode, Json<CodeSent>), AppError> {
    let ip = app::infra::state::client_ip(&state.settings, &headers, Some(addr));
    Ok((StatusCode::ACCEPTED, Json(service::sign_up(&state, &ip, form).await?)))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SignedUp {
    pub id: i64,
}

#[utoipa::path(post, path = "/api/v1/citizens/confirm", tag = "accounts", request_body = PhoneConfirmation,
    responses((status = 201, description = "The citizen's account is made and signed in on this session", body = SignedUp),
        (status = 422, description = "`code`: `err.code_wrong` (a try counted), `err.code_expired` or `err.code_used_up` (sign up again)", body = ErrorBody)))]
pub async fn confirm(State(state): State<AppState>, session: Session, Json(body): Json<PhoneConfirmation>) -> Result<(StatusCode, Json<SignedUp>), AppError> {
    let id = service::confirm(&state, &body.phone, &body.code).await?;
    app::accounts::session::sign_in(&session, id).await?;
    Ok((StatusCode::CREATED, Json(SignedUp { id })))
}

#[utoipa::path(get, path = "/api/v1/citizens/sent-codes", tag = "accounts",
    responses((status = 200, description = "Messages the development sender wrote to the log, newest first (none with an SMS gateway); organizers and admins", body = Vec<SentMessage>),
        (status = 403, body = ErrorBody)))]
pub async fn sent_codes(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<SentMessage>>, AppError> {
    Ok(Json(service::sent_codes(&state, &actor.required()?)?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/communes", tag = "participation", params(("id" = i64, Path)),
    responses((status = 200, description = "A public round's submitted entries and people per commune, ward and special zone of residence (organizers)", body = PublicRoundReport),
        (status = 409, description = "`err.round_not_public`: a staff round", body = ErrorBody)))]
pub async fn communes(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<PublicRoundReport>, AppError> {
    Ok(Json(service::commune_report(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}/communes.csv", tag = "participation", params(("id" = i64, Path)),
    responses((status = 200, description = "The same as CSV with Vietnamese headers and a total row", content_type = "text/csv"),
        (status = 409, description = "A round for civil servants: see the participation report by unit", body = ErrorBody)))]
pub async fn communes_csv(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Response, AppError> {
    let report = service::commune_report(&state, &actor.required()?, id).await?;
    let body = format!("\u{feff}{}", service::commune_csv(&report)?);
    Ok(download("text/csv; charset=utf-8", &format!("nguoi-dan-tham-gia-dot-{id}.csv"), body))
}
