//! Cuộc thi, đợt thi, bài thi: contests, their rounds and attempts, as both the server and the
//! browser see them. Nothing a participant receives before submitting carries an answer key:
//! the keyed types live in `scoring` on the server only.

use crate::quiz::model::QuestionKind;
pub use super::winners::Counting;
use super::winners::TieBreak;
use crate::prizes::PrizeTier;
use serde::{Deserialize, Serialize};

/// How participants' names appear on the public results page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NameDisplay {
    /// "Nguyễn V. A***": family name, initials, the given name's first letter.
    Masked,
    Full,
}
crate::stored_code!(NameDisplay { Masked => "masked", Full => "full" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContestInput {
    pub title: String,
    pub year: i64,
    #[serde(default)]
    pub description: String,
    /// The tie-breaks after the score, in order; an empty list ranks by score alone.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    #[serde(default = "default_tie_breaks")]
    pub tie_breaks: Vec<TieBreak>,
    #[serde(default = "default_name_display")]
    pub name_display: NameDisplay,
}

pub fn default_tie_breaks() -> Vec<TieBreak> {
    crate::rounds::winners::DEFAULT_TIE_BREAKS.to_vec()
}

fn default_name_display() -> NameDisplay {
    NameDisplay::Masked
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contest {
    pub id: i64,
    pub title: String,
    pub year: i64,
    pub description: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub tie_breaks: Vec<TieBreak>,
    pub name_display: NameDisplay,
    pub rounds: Vec<RoundSummary>,
}

/// One rule of the draw: `count` questions from the pool filtered by topic and difficulty
/// (an empty filter takes any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DrawRule {
    pub count: i64,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub difficulty: String,
}


/// What a participant sees of a submitted attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewLevel {
    /// Nothing beyond "submitted".
    None,
    /// Score, time taken and prediction.
    Score,
    /// Plus each answer given, marked right or wrong.
    Answers,
    /// Plus the correct options and the explanations.
    Full,
}
crate::stored_code!(ReviewLevel { None => "none", Score => "score", Answers => "answers", Full => "full" });

/// The whole number the prediction question asks for, computed when the round closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PredictionMetric {
    /// Lượt dự thi: submitted attempts.
    Entries,
    /// Người dự thi: distinct participants with a submitted attempt.
    Participants,
    /// Submitted attempts with every answer right.
    PerfectEntries,
}
crate::stored_code!(PredictionMetric { Entries => "entries", Participants => "participants", PerfectEntries => "perfect_entries" });

/// Trạng thái bài thi: an attempt takes answers while open; submitted, it is scored and final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    Open,
    Submitted,
}
crate::stored_code!(AttemptStatus { Open => "open", Submitted => "submitted" });

/// Who submitted an attempt: its taker, or the server when its time ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Submitter {
    Participant,
    Server,
}
crate::stored_code!(Submitter { Participant => "participant", Server => "server" });

/// A round as the organizer sets it. Times are Unix seconds; forms enter and show them in
/// Asia/Ho_Chi_Minh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoundInput {
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    /// `staff` (cán bộ, công chức, viên chức) or `public`; each draws from its own pool.
    #[serde(default = "default_audience")]
    pub audience: String,
    pub draw_rules: Vec<DrawRule>,
    #[serde(default = "yes")]
    pub shuffle_questions: bool,
    #[serde(default = "yes")]
    pub shuffle_options: bool,
    pub time_limit_secs: i64,
    #[serde(default = "one")]
    pub max_attempts: i64,
    #[serde(default = "default_counting")]
    pub counting: Counting,
    /// Attempts still running when the round closes may go on this long after closing.
    #[serde(default)]
    pub grace_secs: i64,
    #[serde(default = "default_review_submit")]
    pub review_after_submit: ReviewLevel,
    #[serde(default = "default_review_close")]
    pub review_after_close: ReviewLevel,
    pub prediction_question: String,
    #[serde(default = "default_metric")]
    pub prediction_metric: PredictionMetric,
    #[serde(default)]
    pub prizes: Vec<PrizeTier>,
}

fn default_audience() -> String {
    "staff".into()
}
fn yes() -> bool {
    true
}
fn one() -> i64 {
    1
}
fn default_counting() -> Counting {
    Counting::Best
}
fn default_review_submit() -> ReviewLevel {
    ReviewLevel::Score
}
fn default_review_close() -> ReviewLevel {
    ReviewLevel::Full
}
fn default_metric() -> PredictionMetric {
    PredictionMetric::Entries
}

/// Where a round is in its life, computed from its times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundPhase {
    Upcoming,
    Open,
    /// Closed to new attempts; attempts in flight may still finish within the grace period.
    Closing,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Round {
    pub id: i64,
    pub contest_id: i64,
    pub contest_title: String,
    #[serde(flatten)]
    pub settings: RoundInput,
    pub phase: RoundPhase,
    pub question_count: i64,
    /// The prediction question's true value, frozen when the round closed.
    pub prediction_truth: Option<i64>,
    pub truth_frozen_at: Option<i64>,
    pub published_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoundSummary {
    pub id: i64,
    pub contest_id: i64,
    pub contest_title: String,
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub phase: RoundPhase,
    pub published: bool,
}

/// One question of an attempt as the participant sees it: options in this attempt's order,
/// no key. `answer` holds indices into `options` as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttemptQuestion {
    pub position: i64,
    pub kind: QuestionKind,
    pub text: String,
    pub options: Vec<String>,
    pub answer: Vec<usize>,
    /// The sequence number of the saved answer (0: never saved). A save is applied only with
    /// a higher number, so a late, older choice never overwrites a newer one.
    #[serde(default)]
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttemptView {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub contest_title: String,
    pub number: i64,
    pub status: AttemptStatus,
    pub started_at_ms: i64,
    /// The server's deadline; the countdown runs from it and `server_now_ms`.
    pub deadline_ms: i64,
    pub server_now_ms: i64,
    pub prediction_question: String,
    pub prediction: Option<i64>,
    /// The sequence number of the saved prediction (0: never saved).
    #[serde(default)]
    pub prediction_seq: i64,
    pub questions: Vec<AttemptQuestion>,
}

/// The server's acknowledgement of one saved answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SaveAck {
    pub attempt_id: i64,
    /// The question's position, or 0 for the prediction.
    pub position: i64,
    /// When the stored choice was saved (server time).
    pub saved_at_ms: i64,
    /// The sequence number the stored choice now has.
    pub seq: i64,
    /// `false` when the server already held a newer choice (a higher sequence number) and
    /// ignored this one. A replay of a save already applied answers `true` again.
    pub applied: bool,
}

/// One question after submission, with as much as the review policy allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub position: i64,
    pub text: String,
    pub options: Vec<String>,
    pub answer: Vec<usize>,
    /// Level `answers` and above.
    pub is_correct: Option<bool>,
    /// Level `full`: indices of the correct options, as shown.
    pub correct: Option<Vec<usize>>,
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttemptResult {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub status: AttemptStatus,
    pub submitted_by: Option<Submitter>,
    pub review_level: ReviewLevel,
    /// Hundredths of a question (partial credit adds up exactly); `None` below level `score`.
    pub score: Option<i64>,
    pub max_score: i64,
    pub correct_count: Option<i64>,
    pub time_taken_ms: Option<i64>,
    pub submitted_at_ms: Option<i64>,
    pub prediction_question: String,
    pub prediction: Option<i64>,
    pub review: Vec<ReviewItem>,
    pub attempts_left: i64,
}

/// A participant's attempt in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttemptSummary {
    pub id: i64,
    pub number: i64,
    pub status: AttemptStatus,
    pub started_at_ms: i64,
    pub deadline_ms: i64,
    pub submitted_at_ms: Option<i64>,
}

/// A round as a participant sees it before starting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoundForParticipant {
    pub round: RoundSummary,
    pub question_count: i64,
    pub time_limit_secs: i64,
    pub max_attempts: i64,
    pub counting: Counting,
    pub prediction_question: String,
    pub attempts: Vec<AttemptSummary>,
    pub can_start: bool,
}

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

/// The largest prediction taken: more than any round could ever have entries.
pub const MAX_PREDICTION: i64 = 1_000_000_000;

/// A typed prediction as the platform reads it: "5.000", "5,000" and "5 000" are all 5000
/// (people group thousands either way); anything else is not a number of entries.
pub fn read_prediction(text: &str) -> Option<i64> {
    let digits: String = text.trim().chars().filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().filter(|v| (0..=MAX_PREDICTION).contains(v))
}

/// 5000 as "5.000": the number as understood, shown back beside the field.
pub fn group_thousands(value: i64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod prediction_tests {
    use super::*;

    #[test]
    fn predictions_are_read_with_either_thousands_separator() {
        let cases = [("5.000", Some(5000)), ("5,000", Some(5000)), (" 12 345 ", Some(12345)), ("0", Some(0)), ("", None), ("-3", None), ("5e3", None), ("10000000000", None)];
        for (text, expected) in cases {
            assert_eq!(read_prediction(text), expected, "{text:?}");
        }
    }

    #[test]
    fn thousands_are_grouped_the_vietnamese_way() {
        let cases = [(0, "0"), (999, "999"), (5000, "5.000"), (1234567, "1.234.567")];
        for (value, expected) in cases {
            assert_eq!(group_thousands(value), expected);
        }
    }
}

/// The round form, every field as typed; `rounds::form` turns it into settings with errors by
/// field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoundForm {
    pub title: String,
    pub opens_at: String,
    pub closes_at: String,
    pub audience: String,
    pub draw_rules: String,
    #[serde(default)]
    pub shuffle_questions: Option<String>,
    #[serde(default)]
    pub shuffle_options: Option<String>,
    pub time_limit_minutes: String,
    pub max_attempts: String,
    pub counting: String,
    pub grace_minutes: String,
    pub review_after_submit: String,
    pub review_after_close: String,
    pub prediction_question: String,
    pub prediction_metric: String,
    pub prizes: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::serde_agrees;

    #[test]
    fn stored_codes_are_the_api_names() {
        assert!(serde_agrees::<NameDisplay>());
        assert!(serde_agrees::<ReviewLevel>());
        assert!(serde_agrees::<PredictionMetric>());
        assert!(serde_agrees::<AttemptStatus>());
        assert!(serde_agrees::<Submitter>());
        assert!(serde_agrees::<Counting>());
        assert!(serde_agrees::<TieBreak>());
    }
}
