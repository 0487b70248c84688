//! Server functions behind the citizens' pages: thin adapters that read the session, call
//! `citizens::service` and redirect plain HTML forms (these pages work without WASM).

use super::model::{PublicRoundReport, SentMessage};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use super::{model::CitizenSignup, service};
#[cfg(feature = "ssr")]
use crate::accounts::service::require;
#[cfg(feature = "ssr")]
use crate::accounts::session::{self, ctx};

/// Step 1: the form; a code goes to the phone, and the person is sent to type it.
#[server]
pub async fn citizen_sign_up(full_name: String, phone: String, residence_unit_id: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let ip = crate::infra::client_ip(&c.state.settings).await;
    let form = CitizenSignup { full_name, phone, residence_unit_id: residence_unit_id.trim().parse().ok(), password, password_confirm };
    let sent = service::sign_up(&c.state, &ip, form).await?;
    leptos_axum::redirect(&format!("/xac-nhan-ma?phone={}", sent.phone));
    Ok(())
}

/// Step 2: the code; the account is made and signed in, and the person sees the rounds open to them.
#[server]
pub async fn confirm_phone(phone: String, code: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let user_id = service::confirm(&c.state, &phone, &code).await?;
    session::sign_in(&c.session, user_id).await?;
    leptos_axum::redirect("/thi?welcome=1");
    Ok(())
}

#[server]
pub async fn get_sent_codes() -> Result<Vec<SentMessage>, AppError> {
    let c = ctx().await?;
    service::sent_codes(&c.state, &require(c.user)?)
}

#[server]
pub async fn get_commune_report(round_id: i64) -> Result<PublicRoundReport, AppError> {
    let c = ctx().await?;
    service::commune_report(&c.state, &require(c.user)?, round_id).await
}
