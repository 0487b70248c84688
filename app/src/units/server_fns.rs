//! Server functions behind the unit pages and the registration picker.

use super::model::{ImportPreview, Unit, UnitEvent, UnitNode};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use super::{imports, model::{NewUnit, UnitChanges}, service};
#[cfg(feature = "ssr")]
use crate::accounts::service::require;
#[cfg(feature = "ssr")]
use crate::accounts::session::ctx;

/// Parses an id typed into a form field, as a field error when it is not a number.
#[cfg(feature = "ssr")]
fn form_id(field: &str, text: &str) -> Result<i64, AppError> {
    text.trim().parse::<i64>().map_err(|_| AppError::field(field, if text.trim().is_empty() { "err.required" } else { "err.unit_unknown" }))
}

#[server]
pub async fn list_units(query: String, include_inactive: bool) -> Result<Vec<UnitNode>, AppError> {
    let c = ctx().await?;
    service::list(&c.state, c.user.as_ref(), &query, include_inactive).await
}

#[server]
pub async fn create_unit(code: String, name: String, block: String, parent_id: String, headcount: String) -> Result<Unit, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let headcount = if headcount.trim().is_empty() { None } else { Some(headcount.trim().parse::<i64>().map_err(|_| AppError::field("headcount", "err.headcount_format"))?) };
    let parent_id = form_id("parent_id", &parent_id)?;
    service::create(&c.state, &user, NewUnit { code, name, block, parent_id: Some(parent_id), headcount }).await
}

/// Empty fields keep the unit's current value, so changing only the headcount cannot
/// overwrite the name or the block by accident.
#[server]
pub async fn update_unit(id: i64, name: String, block: String, headcount: String) -> Result<Unit, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let keep_if_empty = |s: String| if s.trim().is_empty() { None } else { Some(s) };
    let headcount = match headcount.trim() {
        "" => None,
        h => Some(h.parse::<i64>().map_err(|_| AppError::field("headcount", "err.headcount_format"))?),
    };
    let changes = UnitChanges { name: keep_if_empty(name), block: keep_if_empty(block), headcount };
    service::update(&c.state, &user, id, changes).await
}

#[server]
pub async fn move_unit(id: i64, parent_id: String) -> Result<Unit, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    service::move_unit(&c.state, &user, id, form_id("parent_id", &parent_id)?).await
}

#[server]
pub async fn merge_units(source_id: String, target_id: String) -> Result<Unit, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let source = form_id("source_id", &source_id);
    let target = form_id("target_id", &target_id);
    let (source, target) = match (source, target) {
        (Ok(s), Ok(t)) => (s, t),
        (s, t) => {
            let mut v = crate::error::Validator::new();
            if s.is_err() { v.add("source_id", "err.required"); }
            if t.is_err() { v.add("target_id", "err.required"); }
            return Err(v.finish().unwrap_err());
        }
    };
    service::merge(&c.state, &user, source, target).await
}

#[server]
pub async fn retire_unit(id: i64) -> Result<Unit, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    service::retire(&c.state, &user, id).await
}

/// What retiring the unit would touch, for the confirmation box.
#[server]
pub async fn retire_facts(id: i64) -> Result<super::model::RetireFacts, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    service::retire_facts(&c.state, &user, id).await
}

#[server]
pub async fn reinstate_unit(id: i64) -> Result<Unit, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    service::reinstate(&c.state, &user, id).await
}

#[server]
pub async fn unit_history(id: i64) -> Result<Vec<UnitEvent>, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    service::history(&c.state, &user, id).await
}

#[server]
pub async fn unit_import_preview(import_id: i64) -> Result<ImportPreview, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    imports::preview(&c.state, &user, import_id).await
}

#[server]
pub async fn apply_unit_import(import_id: i64) -> Result<ImportPreview, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let preview = imports::apply(&c.state, &user, import_id).await?;
    if preview.applied {
        leptos_axum::redirect(&format!("/admin/units?imported={}", preview.count("create") + preview.count("update")));
    }
    Ok(preview)
}
