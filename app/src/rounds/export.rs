//! The ranking as CSV, for the CLI (`server export results`) and the organizer's download.

use super::results::ranking;
use crate::error::AppError;
use crate::infra::state::AppState;

/// Unix milliseconds as ISO 8601 in Asia/Ho_Chi_Minh: `2026-11-22T21:40:06.123+07:00`.
pub fn iso_vn(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH).to_offset(offset);
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory]:[offset_minute]");
    at.format(&format).unwrap_or_default()
}

/// The ranking as CSV: `rank, account_id, unit_code, score, prediction, prediction_gap,
/// time_taken_ms, submitted_at, prize`, plus the name and unit for people reading it.
/// Scores are in questions (two decimals when partial credit leaves a fraction).
pub async fn export_csv(state: &AppState, round_id: i64) -> Result<String, AppError> {
    let ranking = ranking(state, round_id).await?;
    let mut out = crate::cells::Csv::new();
    let header = ["rank", "account_id", "unit_code", "score", "prediction", "prediction_gap", "time_taken_ms", "submitted_at", "prize", "full_name", "unit_name"];
    let fail = |e: csv::Error| AppError::internal(e);
    out.row(header).map_err(fail)?;
    for e in &ranking.entries {
        out.row([
            e.place.to_string(),
            e.user_id.to_string(),
            e.unit_code.clone().unwrap_or_default(),
            format_score(e.score),
            e.prediction.map(|p| p.to_string()).unwrap_or_default(),
            e.prediction_gap.map(|p| p.to_string()).unwrap_or_default(),
            e.time_taken_ms.to_string(),
            iso_vn(e.submitted_at_ms),
            e.prize.clone().unwrap_or_default(),
            e.full_name.clone(),
            e.unit_name.clone().unwrap_or_default(),
        ])
        .map_err(fail)?;
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
    fn scores_and_times_as_exported() {
        assert_eq!(format_score(1800), "18");
        assert_eq!(format_score(1766), "17.66");
        assert_eq!(format_score(5), "0.05");
        assert_eq!(iso_vn(0), "1970-01-01T07:00:00.000+07:00");
        assert_eq!(iso_vn(1_795_000_000_123), "2026-11-18T18:06:40.123+07:00");
    }
}
