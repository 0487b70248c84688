//! Rankings, published results and round statistics.

use super::*;

/// A ranked participant, with the figures that put them there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankedEntry {
    pub place: i64,
    pub attempt_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub score: i64,
    pub prediction: Option<i64>,
    pub prediction_gap: Option<i64>,
    pub time_taken_ms: i64,
    pub submitted_at_ms: i64,
    pub prize: Option<String>,
    /// What set this entry above the next one: `score`, `prediction_gap`, `time_taken`,
    /// `submitted_at`, or `tie` when nothing did.
    pub decided_by: String,
    pub tied: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Disqualification {
    pub user_id: i64,
    pub full_name: String,
    pub reason: String,
    pub decided_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ranking {
    pub round_id: i64,
    pub prediction_truth: Option<i64>,
    pub truth_frozen_at: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub tie_breaks: Vec<TieBreak>,
    pub entries: Vec<RankedEntry>,
    pub disqualified: Vec<Disqualification>,
    /// Prize tiers whose last place is shared by a tie across the cut-off.
    pub ties_at_cutoff: Vec<String>,
}

/// A winner on the public page: name as the contest's setting shows it, and the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicWinner {
    pub place: i64,
    pub prize: String,
    pub name: String,
    pub unit_name: Option<String>,
    pub score: i64,
    pub time_taken_ms: i64,
    pub prediction: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicResults {
    pub round_id: i64,
    pub contest_title: String,
    pub round_title: String,
    pub published_at: i64,
    pub prediction_question: String,
    pub prediction_truth: Option<i64>,
    pub max_score: i64,
    pub winners: Vec<PublicWinner>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionStat {
    pub question_id: i64,
    pub text: String,
    pub answered: i64,
    /// Share of entries that got it fully right (0–1).
    pub facility: f64,
    /// Facility in the top 27% of entries by total score minus facility in the bottom 27%.
    pub discrimination: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoundStats {
    pub round_id: i64,
    pub entries: i64,
    pub participants: i64,
    pub open_attempts: i64,
    /// Entries per whole score (in questions): index = score.
    pub score_distribution: Vec<i64>,
    pub mean_score: Option<f64>,
    pub mean_time_ms: Option<f64>,
    pub perfect_share: Option<f64>,
    pub questions: Vec<QuestionStat>,
}
