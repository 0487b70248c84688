//! What the platform keeps in a session (stored in the database by tower-sessions, so any app
//! node can serve any request), and the two lifetimes:
//! - idle: tower-sessions moves a session's expiry forward only when the session is saved,
//!   which it does only when it changed. So the time of the last activity is written here,
//!   at most every few minutes (not on every request, which would be a write per request);
//! - absolute: the login time is stored and checked here, however active the session.

use super::model::CurrentUser;
use super::repo;
use crate::error::AppError;
use crate::vn_time::now_secs;
use crate::infra::state::{AppState, expect_state};
use tower_sessions::Session;

const USER_ID: &str = "uid";
const AUTH_AT: &str = "auth_at";
/// The sign-in time in milliseconds, compared with the account's last password reset (a
/// reset in the same second as a sign-in must still end the older session).
const AUTH_MS: &str = "auth_ms";
const SEEN_AT: &str = "seen_at";
/// Set on a participant's session on a device they asked to remember.
const REMEMBERED: &str = "remembered";

/// How long a remembered device stays signed in without a visit (each visit extends it).
pub const REMEMBERED_IDLE_SECS: i64 = 30 * 24 * 3600;
/// How stale the recorded activity may get before it is written again (and the idle expiry
/// moves forward), as a share of the idle limit: a quarter, so an active user is never signed
/// out, and a deadline with 10,000 people signed in writes sessions at most a few times an hour
/// each instead of every few minutes (every write is an fsync on SQLite).
const SEEN_REFRESH_SHARE: i64 = 4;

/// The signed-in user, or `None` when there is no session, it passed its absolute lifetime,
/// the account was disabled since, or its password was reset after this session signed in.
pub async fn current_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = signed_in_id(state, session).await? else { return Ok(None) };
    let auth_ms = match session.get::<i64>(AUTH_MS).await? {
        Some(ms) => ms,
        None => session.get::<i64>(AUTH_AT).await?.unwrap_or(0) * 1000,
    };
    let user = repo::signed_in_user(&state.db, user_id, auth_ms).await?;
    match &user {
        None => session.flush().await?,
        // A remembered device of someone who has since been given a role beyond taking
        // rounds: such sessions keep the usual limits, so this one ends.
        Some(u) if !u.only_participant() && remembered(session).await? => {
            session.flush().await?;
            return Ok(None);
        }
        Some(_) => {}
    }
    Ok(user)
}

async fn remembered(session: &Session) -> Result<bool, AppError> {
    Ok(session.get::<bool>(REMEMBERED).await?.unwrap_or(false))
}

/// The id of the signed-in account, without loading it: for answer saves, the hottest path on
/// a deadline day, whose own query checks that the account owns the attempt. Applies the same
/// lifetimes as [`current_user`].
pub async fn signed_in_id(state: &AppState, session: &Session) -> Result<Option<i64>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_ID).await? else { return Ok(None) };
    let auth_at = session.get::<i64>(AUTH_AT).await?.unwrap_or(0);
    let at = now_secs();
    let remembered = remembered(session).await?;
    // A remembered device has no absolute limit: it lasts while it is used (idle expiry).
    if !remembered && at - auth_at > state.settings.session_absolute_secs {
        session.flush().await?;
        return Ok(None);
    }
    let idle = if remembered { REMEMBERED_IDLE_SECS } else { state.settings.session_idle_secs };
    let refresh = (idle / SEEN_REFRESH_SHARE).max(60);
    if session.get::<i64>(SEEN_AT).await?.is_none_or(|seen| at - seen >= refresh) {
        session.insert(SEEN_AT, at).await?;
    }
    Ok(Some(user_id))
}

/// Starts an authenticated session under a fresh id (no session fixation).
pub async fn sign_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    for (key, value) in signed_in_data(user_id, crate::vn_time::now_ms()) {
        session.insert(&key, value).await?;
    }
    Ok(())
}

/// Signs in, remembering the device for 30 days from the last visit when a participant asks
/// for it ("Ghi nhớ thiết bị này"). Anyone with another role gets the usual session.
pub async fn sign_in_remembering(state: &AppState, session: &Session, user_id: i64, remember: bool) -> Result<(), AppError> {
    sign_in(session, user_id).await?;
    let only_participant = repo::current_user(&state.db, user_id).await?.is_some_and(|u| u.only_participant());
    if remember && only_participant {
        session.insert(REMEMBERED, true).await?;
        session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(tower_sessions::cookie::time::Duration::seconds(REMEMBERED_IDLE_SECS))));
    }
    Ok(())
}

/// What a signed-in session holds: who, when they signed in, when they were last seen. Also
/// used to open sessions outside a request (the load generator signs thousands of people in
/// "earlier in the day" without hashing their passwords).
pub fn signed_in_data(user_id: i64, at_ms: i64) -> Vec<(String, serde_json::Value)> {
    let at = at_ms.div_euclid(1000);
    vec![(USER_ID.into(), user_id.into()), (AUTH_AT.into(), at.into()), (AUTH_MS.into(), at_ms.into()), (SEEN_AT.into(), at.into())]
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}

/// What a server function needs: the app state, the session and the signed-in user (if any).
pub struct Ctx {
    pub state: AppState,
    pub session: Session,
    pub user: Option<CurrentUser>,
}

/// The context of the current server function.
pub async fn ctx() -> Result<Ctx, AppError> {
    let state = expect_state()?;
    let session = leptos_axum::extract::<Session>().await.map_err(AppError::internal)?;
    let user = current_user(&state, &session).await?;
    Ok(Ctx { state, session, user })
}
