//! `/api/v1/auth/*`, `/api/v1/me`, `/api/v1/users/*`.

use super::{Actor, ErrorBody};
use app::accounts::model::{Credentials, CurrentUser, Registration, Role, UserSummary};
use app::accounts::{devices, service};
use app::codes::Code;
use app::error::AppError;
use app::infra::state::AppState;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/register", post(register))
        .route("/api/v1/me", get(me))
        .route("/api/v1/users", get(list_users))
        .route("/api/v1/personal-data-log", get(personal_data_log))
        .route("/api/v1/users/{id}/roles/{role}", put(grant_role).delete(revoke_role))
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = Credentials,
    responses((status = 200, body = CurrentUser), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    session: Session,
    Json(creds): Json<Credentials>,
) -> Result<([(axum::http::HeaderName, String); 1], Json<CurrentUser>), AppError> {
    let ip = app::infra::state::client_ip(&state.settings, &headers, Some(addr));
    let device = devices::from_headers(&headers);
    let remember = creds.remember;
    let signed = service::authenticate(&state, service::Source { ip: &ip, device: device.as_deref() }, creds).await?;
    app::accounts::session::sign_in_remembering(&state, &session, signed.user_id, remember).await?;
    let user = app::accounts::repo::current_user(&state.db, signed.user_id).await?.ok_or(AppError::BadCredentials)?;
    let cookie = devices::set_cookie(&signed.device_token, state.settings.public_url.starts_with("https://"));
    Ok(([(axum::http::header::SET_COOKIE, cookie)], Json(user)))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses((status = 204)))]
pub async fn logout(session: Session) -> Result<StatusCode, AppError> {
    app::accounts::session::sign_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RegisterQuery {
    /// `true`: also sign the new account in on this session (the registration page does).
    #[serde(default)]
    sign_in: bool,
}

#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts", params(RegisterQuery), request_body = Registration,
    responses((status = 201, description = "The account is created (and signed in, with `sign_in=true`)", body = Created), (status = 422, body = ErrorBody),
        (status = 429, description = "Too many registrations, or too many \"already registered\" answers, from this address; retry after `Retry-After` seconds", body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    session: Session,
    Query(q): Query<RegisterQuery>,
    Json(form): Json<Registration>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let ip = app::infra::state::client_ip(&state.settings, &headers, Some(addr));
    let id = service::register(&state, &ip, form).await?;
    if q.sign_in {
        app::accounts::session::sign_in(&session, id).await?;
    }
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = CurrentUser), (status = 401, body = ErrorBody)))]
pub async fn me(actor: Actor) -> Result<Json<CurrentUser>, AppError> {
    Ok(Json(actor.required()?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UserQuery {
    /// Part of a name (accents optional), e-mail or phone.
    #[serde(default)]
    q: String,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(UserQuery),
    responses((status = 200, description = "CCCD and phone masked unless the caller is an admin", body = Vec<UserSummary>), (status = 403, body = ErrorBody)))]
pub async fn list_users(State(state): State<AppState>, actor: Actor, Query(q): Query<UserQuery>) -> Result<Json<Vec<UserSummary>>, AppError> {
    let user = actor.required()?;
    Ok(Json(service::list_users(&state, &user, &q.q, app::audit::Channel::Json).await?))
}

#[utoipa::path(get, path = "/api/v1/personal-data-log", tag = "accounts",
    responses((status = 200, description = "The last 500 times personal data (CCCD, phones, e-mails) left the platform, newest first", body = Vec<app::accounts::model::DataAccess>),
        (status = 401, body = ErrorBody), (status = 403, description = "Admins only", body = ErrorBody)))]
pub async fn personal_data_log(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<app::accounts::model::DataAccess>>, AppError> {
    Ok(Json(app::audit::personal_data_log(&state.db, &actor.required()?, 500).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct RoleScope {
    /// Required for `unit_manager`: the root of the managed subtree.
    unit_id: Option<i64>,
}

fn parse_role(role: &str) -> Result<Role, AppError> {
    Role::from_code(role).ok_or_else(|| AppError::field("role", "err.role_unknown"))
}

#[utoipa::path(put, path = "/api/v1/users/{id}/roles/{role}", tag = "accounts", request_body = Option<RoleScope>,
    params(("id" = i64, Path), ("role" = String, Path, description = "participant, unit_manager, judge, organizer or admin")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grant_role(State(state): State<AppState>, actor: Actor, Path((id, role)): Path<(i64, String)>, body: Option<Json<RoleScope>>) -> Result<StatusCode, AppError> {
    let user = actor.required()?;
    let scope = body.map(|Json(b)| b).unwrap_or_default();
    service::set_role(&state, &user, id, parse_role(&role)?, scope.unit_id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/users/{id}/roles/{role}", tag = "accounts",
    params(("id" = i64, Path), ("role" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn revoke_role(State(state): State<AppState>, actor: Actor, Path((id, role)): Path<(i64, String)>) -> Result<StatusCode, AppError> {
    let user = actor.required()?;
    service::set_role(&state, &user, id, parse_role(&role)?, None, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
