//! Server-side plumbing shared by every domain: database, state, request ids, sessions.
pub mod db;
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

/// The client address, for login throttling.
pub async fn client_ip() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.map(|ConnectInfo(addr)| addr.ip().to_string()).unwrap_or_else(|_| "unknown".into())
}
