//! Attempts as participants see them: no answer key before submission (the keyed types live
//! in `scoring`, on the server only).

use super::*;

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
    /// How many more attempts the taker may start after submitting this one (0: this is the
    /// last). Shown when asking "submit now?".
    #[serde(default)]
    pub attempts_left_after: i64,
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
