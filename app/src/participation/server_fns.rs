//! Server functions behind the participation pages.

use super::model::*;
use crate::error::AppError;
use crate::rounds::model::RoundSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::accounts::service::require;
#[cfg(feature = "ssr")]
use crate::infra::ctx;

/// What the participation page needs: the rounds to choose from, the report of the chosen
/// one, and for a unit manager their unit's missing staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipationView {
    pub rounds: Vec<RoundSummary>,
    pub report: Option<ParticipationReport>,
    /// The unit managed (its subtree is what the report covers), if a unit manager.
    pub managed_unit: Option<(i64, String)>,
    pub missing: Vec<NonParticipant>,
    pub public_url: String,
}

#[server]
pub async fn participation_page(round: Option<i64>) -> Result<ParticipationView, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let rounds: Vec<RoundSummary> = crate::rounds::setup::list_rounds(&c.state, None).await?.into_iter().filter(|r| r.phase != crate::rounds::model::RoundPhase::Upcoming).collect();
    // The open round by default, else the latest closed one.
    let chosen = round.or_else(|| rounds.iter().find(|r| r.phase == crate::rounds::model::RoundPhase::Open).or(rounds.first()).map(|r| r.id));
    let report = match chosen {
        Some(id) => Some(service::report(&c.state, &user, id).await?),
        None => {
            service::scope(&c.state, &user).await?;
            None
        }
    };
    let managed_unit = match user.managed_units().first() {
        Some(id) if !user.is_organizer() => Some((*id, crate::units::service::get(&c.state, *id).await?.name)),
        _ => None,
    };
    let missing = match (&managed_unit, chosen) {
        (Some((unit, _)), Some(round)) => service::non_participants(&c.state, &user, *unit, round).await?,
        _ => vec![],
    };
    let public_url = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| p.headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).map(|h| format!("http://{h}")))
        .unwrap_or_default();
    Ok(ParticipationView { rounds, report, managed_unit, missing, public_url })
}

/// The upload kind under which a roster file for `unit` waits for its preview to be applied.
pub fn upload_kind(unit: i64) -> String {
    format!("roster:{unit}")
}

#[server]
pub async fn preview_roster(unit: i64, import_id: i64) -> Result<RosterImport, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let (_, bytes) = crate::uploads::load(&c.state.db, user.id, &upload_kind(unit), import_id).await?;
    service::import_roster(&c.state, &user, unit, &bytes, false).await
}

#[server]
pub async fn apply_roster(unit: i64, import_id: i64) -> Result<RosterImport, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let (_, bytes) = crate::uploads::load(&c.state.db, user.id, &upload_kind(unit), import_id).await?;
    let result = service::import_roster(&c.state, &user, unit, &bytes, true).await?;
    if result.applied {
        crate::uploads::discard(&c.state.db, import_id).await?;
        leptos_axum::redirect(&format!("/tham-gia?roster={}", result.accepted));
    }
    Ok(result)
}
