//! The integrity page's server functions: thin adapters over `service`.

use super::model::IntegrityReport;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::accounts::{service::require, session::ctx};

#[server]
pub async fn round_integrity(round_id: i64) -> Result<IntegrityReport, AppError> {
    let c = ctx().await?;
    super::service::report(&c.state, &require(c.user)?, round_id).await
}

#[server]
pub async fn dismiss_flag(round_id: i64, attempt_id: i64, note: String) -> Result<(), AppError> {
    let c = ctx().await?;
    super::service::dismiss(&c.state, &require(c.user)?, round_id, attempt_id, &note).await
}
