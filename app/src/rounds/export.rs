//! The ranking as CSV, for the CLI (`server export results`) and the organizer's download.

use super::results::ranking;
use crate::error::AppError;
use crate::infra::state::AppState;
pub use crate::cells::Headers;
use crate::i18n::{Lang, t};


/// The ranking as CSV. For people: Vietnamese headers, the name and unit first, scores and
/// times as they read them. For programs (`Headers::Codes`): `rank, account_id, unit_code,
/// score, prediction, prediction_gap, time_taken_ms, submitted_at, prize, full_name,
/// unit_name`, scores in questions with a dot (two decimals when partial credit leaves a
/// fraction), times in ISO 8601.
pub async fn export_csv(state: &AppState, round_id: i64, headers: Headers) -> Result<String, AppError> {
    let ranking = ranking(state, round_id).await?;
    let mut out = crate::cells::Csv::new();
    let fail = |e: csv::Error| AppError::internal(e);
    match headers {
        Headers::Codes => {
            out.row(["rank", "account_id", "unit_code", "score", "prediction", "prediction_gap", "time_taken_ms", "submitted_at", "prize", "full_name", "unit_name"]).map_err(fail)?;
            for e in &ranking.entries {
                out.row([
                    e.place.to_string(),
                    e.user_id.to_string(),
                    e.unit_code.clone().unwrap_or_default(),
                    format_score(e.score),
                    e.prediction.map(|p| p.to_string()).unwrap_or_default(),
                    e.prediction_gap.map(|p| p.to_string()).unwrap_or_default(),
                    e.time_taken_ms.to_string(),
                    crate::vn_time::iso_of_ms(e.submitted_at_ms),
                    e.prize.clone().unwrap_or_default(),
                    e.full_name.clone(),
                    e.unit_name.clone().unwrap_or_default(),
                ])
                .map_err(fail)?;
            }
        }
        Headers::People => {
            let lang = Lang::Vi;
            let head = ["rounds.place", "rounds.name", "rounds.unit", "rounds.account_code", "rounds.score", "rounds.prediction_short", "rounds.prediction_gap", "rounds.time_taken", "rounds.submitted_at", "rounds.prize"];
            out.row(head.iter().map(|k| t(lang, k))).map_err(fail)?;
            for e in &ranking.entries {
                out.row([
                    e.place.to_string(),
                    e.full_name.clone(),
                    e.unit_name.clone().unwrap_or_default(),
                    e.user_id.to_string(),
                    crate::numbers::hundredths(lang, e.score),
                    e.prediction.map(|p| p.to_string()).unwrap_or_default(),
                    e.prediction_gap.map(|p| p.to_string()).unwrap_or_default(),
                    super::take::duration_text(lang, e.time_taken_ms),
                    crate::vn_time::show_secs(e.submitted_at_ms / 1000),
                    e.prize.clone().unwrap_or_default(),
                ])
                .map_err(fail)?;
            }
        }
    }
    out.into_string().map_err(fail)
}

/// Hundredths of a question as a number of questions: 1800 → "18", 1766 → "17.66".
pub fn format_score(hundredths: i64) -> String {
    if hundredths % 100 == 0 { (hundredths / 100).to_string() } else { format!("{}.{:02}", hundredths / 100, hundredths % 100) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_as_exported() {
        assert_eq!(format_score(1800), "18");
        assert_eq!(format_score(1766), "17.66");
        assert_eq!(format_score(5), "0.05");
    }
}
