//! Contests and rounds as organizers set them, and the round form as typed.

use super::*;

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
    /// A draft contest: participants see none of its rounds.
    pub draft: bool,
    pub rounds: Vec<RoundSummary>,
}

/// Whether a new contest or round is shown to participants at once, or kept as a draft
/// (bản nháp) until an organizer announces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Draft,
    Public,
}

/// A new contest: its settings, and whether it starts as a draft (`false` when omitted, so
/// API clients written before drafts keep their behaviour).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewContest {
    #[serde(flatten)]
    pub settings: ContestInput,
    #[serde(default)]
    pub draft: bool,
}

/// A new round: its settings, and whether it starts as a draft (`false` when omitted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewRound {
    #[serde(flatten)]
    pub settings: RoundInput,
    #[serde(default)]
    pub draft: bool,
}

impl Visibility {
    pub fn of_draft(draft: bool) -> Visibility {
        if draft { Visibility::Draft } else { Visibility::Public }
    }
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

/// A round as the organizer sets it. Times are Unix seconds; forms enter and show them in
/// Asia/Ho_Chi_Minh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoundInput {
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    /// Each audience draws from its own pool of questions.
    #[serde(default)]
    pub audience: Audience,
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
    /// The round itself is a draft.
    pub draft: bool,
    /// Its contest is a draft (which hides the round too).
    pub contest_draft: bool,
}

impl Round {
    /// Whether participants may see the round: neither it nor its contest is a draft.
    pub fn visible(&self) -> bool {
        !self.draft && !self.contest_draft
    }
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
    /// Hidden from participants: the round or its contest is a draft.
    pub draft: bool,
    /// Whose round: civil servants' (counted per unit) or the public's (counted per commune).
    #[serde(default)]
    pub audience: Audience,
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
