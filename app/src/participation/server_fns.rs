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
    /// The unit whose registered-but-unrostered people are listed (the managed unit, or the
    /// city for organizers), and the list.
    pub unrostered_unit: Option<i64>,
    pub unrostered: Vec<super::unrostered::Unrostered>,
    /// The managed unit's declared headcount (số khai báo), for its form.
    pub declared_headcount: Option<i64>,
}

#[server]
pub async fn participation_page(round: Option<i64>) -> Result<ParticipationView, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let rounds: Vec<RoundSummary> = crate::rounds::setup::visible_rounds(&c.state).await?.into_iter()
        // Staff rounds: public rounds are counted per commune (`citizens`), with no roster.
        .filter(|r| r.phase != crate::rounds::model::RoundPhase::Upcoming && r.audience == crate::quiz::model::Audience::Staff)
        .collect();
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
    let unrostered_unit = match &managed_unit {
        Some((unit, _)) => Some(*unit),
        None if user.is_organizer() => crate::units::repo::all(&c.state.db).await?.into_iter().find(|u| u.parent_id.is_none()).map(|u| u.id),
        None => None,
    };
    let unrostered = match unrostered_unit {
        Some(unit) => super::unrostered::list(&c.state, &user, unit, crate::audit::Channel::Page).await?,
        None => vec![],
    };
    let declared_headcount = match &managed_unit {
        Some((unit, _)) => Some(crate::units::service::get(&c.state, *unit).await?.headcount),
        None => None,
    };
    Ok(ParticipationView { rounds, report, managed_unit, missing, public_url, qr_svg, unrostered_unit, unrostered, declared_headcount })
}

/// Adds the chosen registered people to their unit's roster (`add`), or rejects them.
#[server]
pub async fn decide_unrostered(unit: i64, user_ids: Vec<i64>, add: bool) -> Result<usize, AppError> {
    use super::unrostered::{UnrosteredAction, decide};
    let c = ctx().await?;
    let user = require(c.user)?;
    decide(&c.state, &user, unit, &user_ids, if add { UnrosteredAction::Add } else { UnrosteredAction::Reject }).await
}

/// The unit manager's declared headcount (số CBCCVC khai báo), used while the unit has no roster.
#[server]
pub async fn set_declared_headcount(unit: i64, headcount: String) -> Result<i64, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let value = match headcount.trim() {
        "" => return Err(AppError::field("headcount", "err.required")),
        h => h.parse::<i64>().map_err(|_| AppError::field("headcount", "err.headcount_format"))?,
    };
    let changes = crate::units::model::UnitChanges { name: None, block: None, headcount: Some(value) };
    Ok(crate::units::service::update(&c.state, &user, unit, changes).await?.headcount)
}

/// The collective-prize rule of the round's contest as its form shows it: the contest, the
/// threshold in percent, the two criteria and the prize plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectiveRuleFields {
    pub contest_id: i64,
    pub min_rate_percent: String,
    pub criterion1: String,
    pub criterion2: String,
    pub prizes: String,
}

#[server]
pub async fn collective_rule_form(round: i64) -> Result<CollectiveRuleFields, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    crate::policy::organizer(&user)?;
    let contest_id = crate::rounds::setup::get_round(&c.state, round).await?.contest_id;
    let rule = service::collective_rules(&c.state, &user, contest_id).await?.default;
    let code = |i: usize| rule.criteria.get(i).map(|c| serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()).unwrap_or_default();
    Ok(CollectiveRuleFields {
        contest_id,
        min_rate_percent: crate::numbers::fixed(crate::i18n::Lang::Vi, rule.min_rate * 100.0, 1).trim_end_matches(",0").to_string(),
        criterion1: code(0),
        criterion2: code(1),
        prizes: crate::prizes::plan_text(&rule.prizes),
    })
}

/// Saves the contest's collective-prize rule for every block without a rule of its own.
#[server]
pub async fn save_collective_rule(contest_id: i64, min_rate: String, criterion1: String, criterion2: String, prizes: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    crate::policy::organizer(&user)?;
    let rule = super::collective::rule_from_form(&min_rate, &criterion1, &criterion2, &prizes).map_err(|errors| {
        let mut v = crate::error::Validator::new();
        for (field, key) in errors {
            v.add(field, key);
        }
        v.finish().unwrap_err()
    })?;
    let mut rules = service::collective_rules(&c.state, &user, contest_id).await?;
    rules.default = rule;
    service::set_collective_rules(&c.state, &user, contest_id, rules).await
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
pub async fn annual_view(year: Option<i64>, lang: String) -> Result<AnnualPageData, AppError> {
    let lang = crate::i18n::Lang::from_code(&lang);
    use super::charts;
    let c = ctx().await?;
    let user = require(c.user)?;
    let year = year.unwrap_or_else(|| time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7)).year() as i64);
    let r = super::annual::annual_report(&c.state, &user, year).await?;
    let bars: Vec<charts::Bar> = r.unit_rates.iter().map(|(name, v)| charts::Bar { label: name, value: *v }).collect();
    let days: Vec<(String, i64)> = r.per_day.iter().map(|d| (d.day.clone(), d.entries)).collect();
    Ok(AnnualPageData {
        year,
        statistics: super::annual_files::statistics_rows(&r, lang),
        blocks: r.blocks.iter().map(|b| (b.round_title.clone(), b.block.clone(), b.units, b.eligible, b.participated, b.rate, b.units_at_100)).collect(),
        full_count: r.full.len(),
        merged: r.merged.iter().map(|m| (m.old_name.clone(), m.new_name.clone(), m.entries)).collect(),
        bar_svg: charts::bar_chart_svg(lang, &crate::i18n::t(lang, "report.chart_rates"), &bars),
        line_svg: charts::line_chart_svg(&crate::i18n::t(lang, "report.chart_days"), &days),
    })
}

/// Giải tập thể of a round, for the organizer's participation page.
#[server]
pub async fn collective_view(round: i64) -> Result<Vec<super::collective::BlockRanking>, AppError> {
    let c = ctx().await?;
    service::collective(&c.state, &require(c.user)?, round).await
}
