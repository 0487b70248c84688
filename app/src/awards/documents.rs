//! The edition's documents in Vietnamese: the minutes (biên bản) of the final council meeting
//! with scores and decisions, and one certificate (giấy chứng nhận) per winner. [`minutes`] and
//! [`certificates`] load what they need and lay it out off the async threads (`state.reports`);
//! what the documents print is put together in `document_views`, the layout is Typst's.

use super::document_views::{CertificateData, MinutesData, certificates_pdf, minutes_pdf};
use super::model::*;
use super::repo::{entries, panels as panel_rows};
use super::{panels, results};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;

/// Biên bản: organizers, once the final has closed.
pub async fn minutes(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Vec<u8>, AppError> {
    crate::policy::organizer(actor)?;
    let edition = results::Edition::load(state, competition_id).await?;
    let c = &edition.competition;
    if !matches!(c.phase, Phase::Council | Phase::Published) {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let final_results = results::compute_stage(state, &edition, Stage::Final).await?;
    let allocation = results::compute_allocation(state, &edition, &final_results).await?;
    let judges = panel_rows::final_judge_names(&state.db, c.id).await?;
    let recusals = panels::recusals(state, c.id).await?;
    let at = crate::vn_time::now_secs();
    state
        .reports
        .render(move || {
            let data = MinutesData {
                competition: &edition.competition,
                entries: &edition.entries,
                judges,
                allocation: &allocation,
                final_results: &final_results,
                recusals: &recusals,
                at,
            };
            minutes_pdf(&data)
        })
        .await?
        .map_err(AppError::internal)
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
        .map_err(AppError::internal)
}

/// The certificate of one entry, found through its edition.
pub async fn certificate(state: &AppState, entry_id: i64) -> Result<Vec<u8>, AppError> {
    let competition = entries::competition_of(&state.db, entry_id).await?.ok_or(AppError::NotFound)?;
    certificates(state, competition, Some(entry_id)).await
}
