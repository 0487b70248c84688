//! What the platform keeps in a session (stored in the database by tower-sessions, so any app
//! node can serve any request), and the absolute lifetime that tower-sessions does not enforce
//! on its own: its expiry slides with activity (the idle limit), so the login time is stored
//! and checked here.

use crate::accounts::model::CurrentUser;
use crate::accounts::repo;
use crate::error::AppError;
use crate::infra::db::now;
use crate::infra::state::AppState;
use tower_sessions::Session;

const USER_ID: &str = "uid";
const AUTH_AT: &str = "auth_at";

/// The signed-in user, or `None` when there is no session, it passed its absolute lifetime,
/// or the account was disabled since.
pub async fn current_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_ID).await? else { return Ok(None) };
    let auth_at = session.get::<i64>(AUTH_AT).await?.unwrap_or(0);
    if now() - auth_at > state.settings.session_absolute_secs {
        session.flush().await?;
        return Ok(None);
    }
    let user = repo::current_user(&state.db, user_id).await?;
    if user.is_none() {
        session.flush().await?;
    }
    Ok(user)
}

/// Starts an authenticated session under a fresh id (no session fixation).
pub async fn sign_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(USER_ID, user_id).await?;
    session.insert(AUTH_AT, now()).await?;
    Ok(())
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}
