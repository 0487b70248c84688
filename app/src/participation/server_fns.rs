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
use crate::accounts::session::ctx;

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
    /// A QR code (SVG) of the round's link, to print or show on a screen.
    pub qr_svg: String,
}

#[server]
pub async fn participation_page(round: Option<i64>) -> Result<ParticipationView, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let rounds: Vec<RoundSummary> = crate::rounds::setup::visible_rounds(&c.state).await?.into_iter().filter(|r| r.phase != crate::rounds::model::RoundPhase::Upcoming).collect();
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
        (Some((unit, _)), Some(round)) => service::non_participants(&c.state, &user, *unit, round, crate::audit::Channel::Page).await?,
        _ => vec![],
    };
    let public_url = c.state.settings.public_url.clone();
    let qr_svg = match chosen {
        Some(round) if managed_unit.is_some() => qrcode::QrCode::new(format!("{public_url}/thi/{round}").as_bytes())
            .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(180, 180).quiet_zone(true).build())
            .unwrap_or_default(),
        _ => String::new(),
    };
    Ok(ParticipationView { rounds, report, managed_unit, missing, public_url, qr_svg })
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

/// The annual report page: the report, and its two charts as SVG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualPageData {
    pub year: i64,
    pub statistics: Vec<(String, String)>,
    pub blocks: Vec<(String, String, i64, i64, i64, Option<f64>, i64)>,
    pub full_count: usize,
    pub merged: Vec<(String, String, i64)>,
    pub bar_svg: String,
    pub line_svg: String,
}

#[server]
pub async fn annual_view(year: Option<i64>) -> Result<AnnualPageData, AppError> {
    use super::charts;
    let c = ctx().await?;
    let user = require(c.user)?;
    let year = year.unwrap_or_else(|| time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7)).year() as i64);
    let r = super::annual::annual_report(&c.state, &user, year).await?;
    let bars: Vec<charts::Bar> = r.unit_rates.iter().map(|(name, v)| charts::Bar { label: name, value: *v }).collect();
    let days: Vec<(String, i64)> = r.per_day.iter().map(|d| (d.day.clone(), d.entries)).collect();
    Ok(AnnualPageData {
        year,
        statistics: super::annual_files::statistics_rows(&r).into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        blocks: r.blocks.iter().map(|b| (b.round_title.clone(), b.block.clone(), b.units, b.eligible, b.participated, b.rate, b.units_at_100)).collect(),
        full_count: r.full.len(),
        merged: r.merged.iter().map(|m| (m.old_name.clone(), m.new_name.clone(), m.entries)).collect(),
        bar_svg: charts::bar_chart_svg("Tỷ lệ tham gia các đơn vị (đợt đã kết thúc gần nhất)", &bars),
        line_svg: charts::line_chart_svg("Số bài dự thi theo ngày", &days),
    })
}

/// Giải tập thể of a round, for the organizer's participation page.
#[server]
pub async fn collective_view(round: i64) -> Result<Vec<super::collective::BlockRanking>, AppError> {
    let c = ctx().await?;
    service::collective(&c.state, &require(c.user)?, round).await
}
