//! "Quên mật khẩu": a one-time link to set a new password, sent to the account's e-mail, or
//! made by an admin for someone who cannot read that mailbox.
//!
//! - Asking never says whether the address has an account (the same answer, at once; the
//!   message is sent in the background so the time taken does not tell either). Asks are
//!   throttled per source (10 an hour) and links per account (3 an hour).
//! - A link is 128 random bits; only its hash is stored. It works once, for an hour (an
//!   admin's for a day), and using it uses up every other open link of the account.
//! - Setting the new password ends every session signed in before it (`sessions_valid_from_ms`).

use super::repo::resets::{self as repo, NewReset};
use super::throttle;
use super::validate::{normalize_email, validate_password};
use super::model::CurrentUser;
use crate::error::{AppError, Validator};
use crate::infra::mail::Mailer;
use crate::infra::state::AppState;
use crate::i18n::{Lang, fill, t};
use crate::vn_time::now_secs;

/// How long an e-mailed link works.
pub const EMAIL_LINK_SECS: i64 = 3600;
/// How long a link made by an admin works (it is passed on by hand).
pub const ADMIN_LINK_SECS: i64 = 24 * 3600;
const ASKS_PER_SOURCE_PER_HOUR: i64 = 10;
const LINKS_PER_ACCOUNT_PER_HOUR: i64 = 3;

/// The page a link opens.
pub fn link(public_url: &str, token: &str) -> String {
    format!("{}/dat-lai-mat-khau?token={token}", public_url.trim_end_matches('/'))
}

/// A person asks for a link. `Ok` whether or not the address has an account.
pub async fn request(state: &AppState, ip: &str, email: &str, lang: Lang) -> Result<(), AppError> {
    let email = normalize_email(email).map_err(|k| AppError::field("email", k))?;
    throttle::acquire(&state.db, &[(format!("reset:{ip}"), throttle::Limit { max: ASKS_PER_SOURCE_PER_HOUR, window_secs: 3600 })])
        .await
        .map_err(|e| match e {
            AppError::TooManyAttempts { retry_after_secs } => AppError::RateLimited { retry_after_secs },
            other => other,
        })?;
    let Some((user_id, name)) = repo::active_by_email(&state.db, &email).await? else {
        tracing::info!("password reset asked for an address without an account");
        return Ok(());
    };
    let now = now_secs();
    if repo::asked_since(&state.db, user_id, now - 3600).await? >= LINKS_PER_ACCOUNT_PER_HOUR {
        tracing::info!(user_id, "password reset: hourly links for this account used up; nothing sent");
        return Ok(());
    }
    let token = issue(state, user_id, None, EMAIL_LINK_SECS).await?;
    let body = fill(&t(lang, "reset.mail_body"), &[("name", &name), ("link", &link(&state.settings.public_url, &token)), ("minutes", &(EMAIL_LINK_SECS / 60).to_string())]);
    let subject = t(lang, "reset.mail_subject");
    let mailer = state.services.get::<std::sync::Arc<Mailer>>()?.clone();
    tokio::spawn(async move {
        match mailer.send(&email, &name, &subject, body).await {
            Ok(()) => tracing::info!(user_id, "password reset link sent"),
            Err(e) => tracing::error!(user_id, error = %e, "password reset e-mail could not be sent"),
        }
    });
    Ok(())
}

/// An admin makes a link for an account (someone who cannot read their mailbox); the admin
/// passes it on. Recorded in the audit log.
pub async fn admin_link(state: &AppState, actor: &CurrentUser, user_id: i64) -> Result<String, AppError> {
    crate::policy::admin(actor)?;
    repo::contact(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    let token = issue(state, user_id, Some(actor.id), ADMIN_LINK_SECS).await?;
    let mut tx = state.db.begin_write().await?;
    crate::audit::record(&mut tx, Some(actor.id), "password.reset_link", "user", Some(user_id), serde_json::json!({ "valid_hours": ADMIN_LINK_SECS / 3600 })).await?;
    tx.commit().await?;
    Ok(link(&state.settings.public_url, &token))
}

async fn issue(state: &AppState, user_id: i64, issued_by: Option<i64>, valid_secs: i64) -> Result<String, AppError> {
    let token = super::devices::new_token();
    let now = now_secs();
    let mut tx = state.db.begin_write().await?;
    repo::insert(&mut tx, &NewReset { token_hash: &super::devices::hash(&token), user_id, issued_by, created_at: now, expires_at: now + valid_secs }).await?;
    tx.commit().await?;
    Ok(token)
}

/// Whether a link still works (the page shows the form, or says to ask again).
pub async fn usable(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(repo::is_usable(&state.db, &super::devices::hash(token.trim()), now_secs()).await?)
}

/// Sets the new password through a link. Nothing changes unless every check passes.
pub async fn complete(state: &AppState, token: &str, password: String, confirm: &str) -> Result<(), AppError> {
    let mut v = Validator::new();
    v.check("password", validate_password(&password));
    if password != confirm {
        v.add("password_confirm", "err.password_mismatch");
    }
    v.finish()?;
    let hash = state.hasher.hash(password).await?;
    let now = now_secs();
    let mut tx = state.db.begin_write().await?;
    let Some(user_id) = repo::usable(&mut tx, &super::devices::hash(token.trim()), now).await? else {
        return Err(AppError::conflict("err.reset_link_invalid"));
    };
    repo::set_password(&mut tx, user_id, &hash.0, crate::vn_time::now_ms()).await?;
    repo::use_all(&mut tx, user_id, now).await?;
    crate::audit::record(&mut tx, Some(user_id), "password.reset", "user", Some(user_id), serde_json::json!({})).await?;
    tx.commit().await?;
    tracing::info!(user_id, "password reset");
    Ok(())
}
