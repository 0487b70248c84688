//! Server-side plumbing shared by every domain: database, state, request ids, sessions.
pub mod csp;
pub mod db;
pub mod report_lane;
pub mod request_id;
pub mod session;
pub mod state;

use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use state::AppState;
use tower_sessions::Session;

/// What a server function needs: the app state, the session and the signed-in user (if any).
pub struct Ctx {
    pub state: AppState,
    pub session: Session,
    pub user: Option<CurrentUser>,
}

pub async fn ctx() -> Result<Ctx, AppError> {
    let state = state::expect_state()?;
    let session = leptos_axum::extract::<Session>().await.map_err(AppError::internal)?;
    let user = session::current_user(&state, &session).await?;
    Ok(Ctx { state, session, user })
}

/// The client address of the current server-function request, for login throttling.
pub async fn client_ip(settings: &state::Settings) -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let socket = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|ConnectInfo(addr)| addr);
    let headers = leptos::prelude::use_context::<axum::http::request::Parts>().map(|p| p.headers).unwrap_or_default();
    state::client_ip(settings, &headers, socket)
}
