//! What the platform keeps in a session (stored in the database by tower-sessions, so any app
//! node can serve any request), and the two lifetimes:
//! - idle: tower-sessions moves a session's expiry forward only when the session is saved,
//!   which it does only when it changed. So the time of the last activity is written here,
//!   at most every few minutes (not on every request, which would be a write per request);
//! - absolute: the login time is stored and checked here, however active the session.

use crate::accounts::model::CurrentUser;
use crate::accounts::repo;
use crate::error::AppError;
use crate::infra::db::now;
use crate::infra::state::AppState;
use tower_sessions::Session;

const USER_ID: &str = "uid";
const AUTH_AT: &str = "auth_at";
const SEEN_AT: &str = "seen_at";
/// How stale the recorded activity may get before it is written again (and the idle expiry
/// moves forward). Small next to the idle limit, so an active user is never signed out.
const SEEN_REFRESH_SECS: i64 = 5 * 60;

/// The signed-in user, or `None` when there is no session, it passed its absolute lifetime,
/// or the account was disabled since.
pub async fn current_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = signed_in_id(state, session).await? else { return Ok(None) };
    let user = repo::current_user(&state.db, user_id).await?;
    if user.is_none() {
        session.flush().await?;
    }
    Ok(user)
}

/// The id of the signed-in account, without loading it: for answer saves, the hottest path on
/// a deadline day, whose own query checks that the account owns the attempt. Applies the same
/// lifetimes as [`current_user`].
pub async fn signed_in_id(state: &AppState, session: &Session) -> Result<Option<i64>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_ID).await? else { return Ok(None) };
    let auth_at = session.get::<i64>(AUTH_AT).await?.unwrap_or(0);
    let at = now();
    if at - auth_at > state.settings.session_absolute_secs {
        session.flush().await?;
        return Ok(None);
    }
    if session.get::<i64>(SEEN_AT).await?.is_none_or(|seen| at - seen >= SEEN_REFRESH_SECS) {
        session.insert(SEEN_AT, at).await?;
    }
    Ok(Some(user_id))
}

/// Starts an authenticated session under a fresh id (no session fixation).
pub async fn sign_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(USER_ID, user_id).await?;
    session.insert(AUTH_AT, now()).await?;
    session.insert(SEEN_AT, now()).await?;
    Ok(())
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}
