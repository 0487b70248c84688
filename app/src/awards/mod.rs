//! Giải báo chí và tuyên truyền trên hệ thống phát thanh cơ sở: the broadcast-entry and
//! press-award competition. Entries with files and eligibility checks, two-stage panel judging
//! with rubrics, conflicts and blind mode, prize allocation with the council's overrides,
//! minutes, certificates and public results.
//!
//! The arithmetic (`judging`, `allocation`) is pure and table-tested; the services around it
//! load and store.
pub mod admin_pages;
pub mod entry_pages;
pub mod judge_pages;
pub mod model;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod allocation;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod entries;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod judging;
#[cfg(feature = "ssr")]
pub mod panels;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod file_types;

/// The documents of an edition, loaded and rendered.
#[cfg(feature = "ssr")]
pub mod files {
    use super::documents::{CertificateData, MinutesData, certificates_pdf, minutes_pdf};
    use super::model::*;
    use super::{panels, results, setup};
    use crate::accounts::model::CurrentUser;
    use crate::error::AppError;
    use crate::infra::state::AppState;
    use sqlx::Row;

    /// Biên bản: organizers, once the final has closed.
    pub async fn minutes(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Vec<u8>, AppError> {
        setup::require_organizer(actor)?;
        let edition = results::Edition::load(state, competition_id).await?;
        let c = &edition.competition;
        if !matches!(c.phase, Phase::Council | Phase::Published) {
            return Err(AppError::conflict("err.award_wrong_phase"));
        }
        let final_results = results::compute_stage(state, &edition, Stage::Final).await?;
        let allocation = results::compute_allocation(state, &edition, &final_results).await?;
        let judges: Vec<String> = sqlx::query(
            "SELECT DISTINCT u.full_name FROM award_panel_judges pj JOIN award_panels p ON p.id = pj.panel_id JOIN users u ON u.id = pj.user_id
             WHERE p.competition_id = $1 AND p.stage = 'final' ORDER BY u.full_name",
        )
        .bind(c.id)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| r.get("full_name"))
        .collect();
        let recusals = panels::recusals(state, c.id).await?;
        let at = crate::vn_time::now_secs();
        state
            .reports
            .render(move || {
                let data = MinutesData { competition: &edition.competition, entries: &edition.entries, judges, allocation: &allocation, final_results: &final_results, recusals: &recusals, at };
                minutes_pdf(&data)
            })
            .await?
            .ok_or_else(|| AppError::internal("minutes PDF could not be written"))
    }

    /// Giấy chứng nhận of one winner (`entry_id`) or of all winners: public once published.
    pub async fn certificates(state: &AppState, competition_id: i64, entry_id: Option<i64>) -> Result<Vec<u8>, AppError> {
        let edition = results::Edition::load(state, competition_id).await?;
        let published = results::winners(state, &edition).await?;
        let winners: Vec<Winner> = published.winners.into_iter().filter(|w| entry_id.is_none_or(|id| w.entry_id == id)).collect();
        if winners.is_empty() {
            return Err(AppError::NotFound);
        }
        let competition = edition.competition;
        state
            .reports
            .render(move || {
                let data: Vec<CertificateData> = winners.iter().map(|winner| CertificateData { competition: &competition, winner }).collect();
                certificates_pdf(&data)
            })
            .await?
            .ok_or_else(|| AppError::internal("certificate PDF could not be written"))
    }
}
