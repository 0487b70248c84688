//! Server functions behind the account pages. Each one is a thin adapter: read the session,
//! call the service, redirect when a plain HTML form (no WASM yet) expects it.

use super::model::{CurrentUser, Profile, UserSummary};
#[cfg(feature = "ssr")]
use crate::codes::Code;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use super::{model::{Credentials, Registration, Role}, service};
#[cfg(feature = "ssr")]
use super::session::{self, ctx};

#[server]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(ctx().await?.user)
}

#[server]
pub async fn login(identifier: String, password: String, next: Option<String>, remember: Option<String>) -> Result<(), AppError> {
    let c = ctx().await?;
    let ip = crate::infra::client_ip(&c.state.settings).await;
    let remember = remember.is_some();
    let headers = use_context::<axum::http::request::Parts>().map(|p| p.headers).unwrap_or_default();
    let device = super::devices::from_headers(&headers);
    let from = service::Source { ip: &ip, device: device.as_deref() };
    let signed = service::authenticate(&c.state, from, Credentials { identifier, password, remember }).await?;
    session::sign_in_remembering(&c.state, &c.session, signed.user_id, remember).await?;
    if let (Some(response), Ok(cookie)) =
        (use_context::<leptos_axum::ResponseOptions>(), super::devices::set_cookie(&signed.device_token, c.state.settings.public_url.starts_with("https://")).parse())
    {
        response.append_header(axum::http::header::SET_COOKIE, cookie);
    }
    // Only same-site paths are followed, so `?next=` cannot send users elsewhere.
    leptos_axum::redirect(&crate::ui::safe_next(next.as_deref()));
    Ok(())
}

#[server]
pub async fn logout() -> Result<(), AppError> {
    let c = ctx().await?;
    session::sign_out(&c.session).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server]
#[allow(clippy::too_many_arguments)]
pub async fn register(
    full_name: String,
    unit_id: String,
    position: String,
    phone: String,
    email: String,
    cccd: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let c = ctx().await?;
    let unit_id = unit_id.trim().parse::<i64>().ok();
    let form = Registration { full_name, unit_id, position, phone, email, cccd, password, password_confirm };
    let ip = crate::infra::client_ip(&c.state.settings).await;
    let user_id = service::register(&c.state, &ip, form).await?;
    session::sign_in(&c.session, user_id).await?;
    leptos_axum::redirect("/profile?welcome=1");
    Ok(())
}

#[server]
pub async fn get_profile() -> Result<Profile, AppError> {
    let c = ctx().await?;
    let user = service::require(c.user)?;
    service::profile(&c.state, &user).await
}

#[server]
pub async fn list_users(query: String) -> Result<Vec<UserSummary>, AppError> {
    let c = ctx().await?;
    let user = service::require(c.user)?;
    service::list_users(&c.state, &user, &query, crate::audit::Channel::Page).await
}

/// Who took personal data out of the platform (admins only).
#[server]
pub async fn get_personal_data_log() -> Result<Vec<super::model::DataAccess>, AppError> {
    let c = ctx().await?;
    let user = service::require(c.user)?;
    crate::audit::personal_data_log(&c.state.db, &user, 500).await
}

#[server]
pub async fn set_user_role(user_id: i64, role: String, unit_id: String, grant: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let user = service::require(c.user)?;
    let role = Role::from_code(&role).ok_or_else(|| AppError::field("role", "err.role_unknown"))?;
    service::set_role(&c.state, &user, user_id, role, unit_id.trim().parse().ok(), grant == "1").await
}

/// "Quên mật khẩu": sends a reset link if the address has an account; the same answer either way.
#[server]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let ip = crate::infra::client_ip(&c.state.settings).await;
    super::reset::request(&c.state, &ip, &email, crate::ui::detect_lang()).await?;
    leptos_axum::redirect("/quen-mat-khau?sent=1");
    Ok(())
}

/// Whether a reset link still works.
#[server]
pub async fn reset_link_usable(token: String) -> Result<bool, AppError> {
    let c = ctx().await?;
    super::reset::usable(&c.state, &token).await
}

/// Sets a new password through a reset link, then sends the person to sign in with it.
#[server]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let c = ctx().await?;
    super::reset::complete(&c.state, &token, password, &password_confirm).await?;
    session::sign_out(&c.session).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// An admin makes a one-day reset link for an account, to pass on by hand.
#[server]
pub async fn admin_reset_link(user_id: i64) -> Result<String, AppError> {
    let c = ctx().await?;
    let user = service::require(c.user)?;
    super::reset::admin_link(&c.state, &user, user_id).await
}
