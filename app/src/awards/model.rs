//! Giải báo chí / phát thanh cơ sở as the client and the server both see it: competitions,
//! entries, panels, scores, results and the council's allocation.

use crate::prizes::PrizeTier;
use serde::{Deserialize, Serialize};

/// The number judges, minutes and certificates use for an entry, e.g. "TP-0012".
pub fn entry_code(id: i64) -> String {
    format!("TP-{id:04}")
}


/// Points with two decimals and a decimal comma ("91,50"); "—" for no score.
pub fn points_vi(points: Option<f64>) -> String {
    points.map(|s| format!("{s:.2}").replace('.', ",")).unwrap_or_else(|| "—".into())
}

/// Thể loại.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    /// Phát thanh.
    Radio,
    /// Truyền hình.
    Tv,
    /// Báo in.
    Print,
    /// Báo điện tử.
    Online,
    /// Ảnh.
    Photo,
}

impl Genre {
    pub const ALL: [Genre; 5] = [Genre::Radio, Genre::Tv, Genre::Print, Genre::Online, Genre::Photo];

    pub fn code(self) -> &'static str {
        match self {
            Genre::Radio => "radio",
            Genre::Tv => "tv",
            Genre::Print => "print",
            Genre::Online => "online",
            Genre::Photo => "photo",
        }
    }

    pub fn from_code(code: &str) -> Option<Genre> {
        Genre::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The Vietnamese name, as certificates and minutes print it.
    pub fn name_vi(self) -> &'static str {
        match self {
            Genre::Radio => "Phát thanh",
            Genre::Tv => "Truyền hình",
            Genre::Print => "Báo in",
            Genre::Online => "Báo điện tử",
            Genre::Photo => "Ảnh",
        }
    }
}

/// Vòng chấm: sơ khảo then chung khảo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Preliminary,
    Final,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Preliminary => "preliminary",
            Stage::Final => "final",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        [Stage::Preliminary, Stage::Final].into_iter().find(|s| s.code() == code)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Stage::Preliminary => "Sơ khảo",
            Stage::Final => "Chung khảo",
        }
    }
}

/// Where the edition stands. Each step is taken by an organizer and only forward, except
/// that publishing can be withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Nhận tác phẩm: the call for entries is open until the deadline.
    Entries,
    /// Sơ khảo: the call is closed, eligibility decided, preliminary panels judge.
    Preliminary,
    /// Chung khảo: finalists chosen, final panels judge.
    Final,
    /// Hội đồng: final scores known; the council allocates prizes.
    Council,
    /// Công bố: results and certificates are public.
    Published,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::Entries => "entries",
            Phase::Preliminary => "preliminary",
            Phase::Final => "final",
            Phase::Council => "council",
            Phase::Published => "published",
        }
    }

    pub fn from_code(code: &str) -> Option<Phase> {
        [Phase::Entries, Phase::Preliminary, Phase::Final, Phase::Council, Phase::Published].into_iter().find(|p| p.code() == code)
    }
}

/// One line of a rubric: a criterion scored from 0 to `max` points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Criterion {
    /// Stable key of the criterion in saved scores, e.g. `c1`.
    pub code: String,
    /// "Nội dung", "Hình thức", "Hiệu quả".
    pub label: String,
    /// The most points it can give (its weight), e.g. 40.
    pub max: i64,
}

/// How judges' totals become an entry's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Mean,
    /// The mean after dropping the `trim_each_side` highest and lowest totals (when enough
    /// judges scored to leave at least one).
    Trimmed,
}

/// Who goes to the final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "rule", content = "value")]
pub enum ShortlistRule {
    /// The best N of each prize pool (with everyone tied at the N-th place).
    Top(i64),
    /// Everyone at or above this score (hundredths of a point).
    Threshold(i64),
}

/// A competition's settings as the organizer enters them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompetitionInput {
    /// Lần / năm tổ chức, e.g. 2026.
    pub edition: i64,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub genres: Vec<Genre>,
    /// First day a work may have been broadcast or published (YYYY-MM-DD, inclusive).
    pub window_from: String,
    /// Last such day (inclusive).
    pub window_to: String,
    /// Hạn nhận tác phẩm (Unix seconds).
    pub deadline: i64,
    /// Most entries one author (alone or in a group) may have submitted.
    pub max_entries_per_author: i64,
    /// Largest accepted file, in megabytes.
    pub max_file_mb: i64,
    /// Entry fields that must be filled besides title, genre, authors and date: any of
    /// `outlet`, `duration`, `script`, `file`.
    #[serde(default)]
    pub required_fields: Vec<String>,
    /// True: the plan applies to each genre separately; false: one plan for all entries.
    pub prize_per_genre: bool,
    /// Cơ cấu giải, in order: e.g. A 2, B 3, C 4, Khuyến khích 10.
    pub prize_plan: Vec<PrizeTier>,
    pub rubric_preliminary: Vec<Criterion>,
    pub rubric_final: Vec<Criterion>,
    /// Judges an automatic assignment gives each entry.
    pub judges_per_entry: i64,
    pub aggregation: Aggregation,
    #[serde(default = "one")]
    pub trim_each_side: i64,
    /// Per-judge z-score normalisation before aggregating.
    #[serde(default)]
    pub normalise: bool,
    pub shortlist: ShortlistRule,
    /// Chấm phách: judges see neither authors nor units.
    pub blind: bool,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Competition {
    pub id: i64,
    pub settings: CompetitionInput,
    pub phase: Phase,
    /// When the organizer closed the call (may be before the deadline).
    pub call_closed_at: Option<i64>,
    pub published_at: Option<i64>,
    pub entries_submitted: i64,
    pub created_at: i64,
}

/// Trạng thái tác phẩm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    Draft,
    Submitted,
    Withdrawn,
    Eligible,
    Ineligible,
}

impl EntryStatus {
    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Draft => "draft",
            EntryStatus::Submitted => "submitted",
            EntryStatus::Withdrawn => "withdrawn",
            EntryStatus::Eligible => "eligible",
            EntryStatus::Ineligible => "ineligible",
        }
    }

    pub fn from_code(code: &str) -> Option<EntryStatus> {
        [EntryStatus::Draft, EntryStatus::Submitted, EntryStatus::Withdrawn, EntryStatus::Eligible, EntryStatus::Ineligible].into_iter().find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Author {
    pub full_name: String,
    /// Tỷ lệ đóng góp, in percent; an entry's shares add up to 100.
    pub share_percent: i64,
}

/// An entry as its submitter fills it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EntryInput {
    pub genre: Genre,
    pub title: String,
    pub authors: Vec<Author>,
    /// The station, agency or newsroom that submits it.
    pub unit_id: Option<i64>,
    /// Cơ quan phát sóng / đăng tải.
    #[serde(default)]
    pub outlet: String,
    /// Ngày phát sóng / đăng tải, YYYY-MM-DD.
    pub published_on: String,
    /// Thời lượng, seconds (radio and television).
    pub duration_secs: Option<i64>,
    /// Kịch bản / nội dung.
    #[serde(default)]
    pub script: String,
}

/// A stored file of an entry: audio (mp3, m4a, wav), video (mp4), PDF or image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EntryFile {
    pub id: i64,
    /// `audio`, `video`, `pdf` or `image`.
    pub kind: String,
    pub content_type: String,
    /// Hidden from judges in blind mode (a file name often carries the author's name).
    pub original_name: String,
    pub size_bytes: i64,
}

/// An entry with everything its submitter and the organizers may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Entry {
    pub id: i64,
    pub competition_id: i64,
    pub competition_title: String,
    pub input: EntryInput,
    pub unit_name: Option<String>,
    pub submitted_by: i64,
    pub status: EntryStatus,
    /// Why it is ineligible or was withdrawn.
    pub status_reason: String,
    pub finalist: bool,
    /// The published prize.
    pub prize: Option<String>,
    pub files: Vec<EntryFile>,
    pub submitted_at: Option<i64>,
    pub updated_at: i64,
}

/// What a judge sees of an entry: in blind mode no authors, no unit and no file names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JudgeEntry {
    pub id: i64,
    /// "Tác phẩm số 12": the number judges refer to.
    pub code: String,
    pub genre: Genre,
    pub title: String,
    pub authors: Option<Vec<Author>>,
    pub unit_name: Option<String>,
    pub outlet: String,
    pub published_on: String,
    pub duration_secs: Option<i64>,
    pub script: String,
    pub files: Vec<EntryFile>,
}

/// One assignment as its judge sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Assignment {
    pub id: i64,
    pub competition_id: i64,
    pub competition_title: String,
    pub stage: Stage,
    pub entry: JudgeEntry,
    pub rubric: Vec<Criterion>,
    /// `assigned`, `draft`, `scored` or `recused`.
    pub status: String,
    /// Criterion code → points in hundredths, as saved.
    pub criteria: std::collections::BTreeMap<String, i64>,
    pub total: Option<i64>,
    pub recusal_reason: String,
    /// Once the panel has closed, scores can no longer change.
    pub panel_closed: bool,
}

/// The score form: points per criterion, in hundredths; `submit` makes it final.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScoreInput {
    pub criteria: std::collections::BTreeMap<String, i64>,
    pub submit: bool,
}

/// A judge of a panel and how far they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JudgeProgress {
    pub user_id: i64,
    pub full_name: String,
    pub unit_name: Option<String>,
    pub assigned: i64,
    pub drafts: i64,
    pub scored: i64,
    pub recused: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Panel {
    pub id: i64,
    pub stage: Stage,
    pub genre: Genre,
    pub closed_at: Option<i64>,
    pub judges: Vec<JudgeProgress>,
    /// Entries of this panel's genre and stage with fewer judges than planned (after recusals).
    pub entries_short_of_judges: i64,
}

/// A recusal, kept for the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Recusal {
    pub assignment_id: i64,
    pub stage: Stage,
    pub entry_id: i64,
    pub judge_name: String,
    pub reason: String,
    pub at: i64,
}

/// An entry's place in one stage of one prize pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageRow {
    pub entry_id: i64,
    pub title: String,
    pub genre: Genre,
    pub unit_name: Option<String>,
    pub judge_count: i64,
    /// The plain mean of the judges' totals (points, two decimals).
    pub mean_score: Option<f64>,
    /// The score that ranks: mean or trimmed mean, of normalised totals if configured.
    pub final_score: Option<f64>,
    /// Equal final scores share a place.
    pub rank: Option<i64>,
    pub tied: bool,
    pub finalist: bool,
}

/// A prize pool: `all`, or a genre code when the plan applies per genre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PoolResults {
    pub pool: String,
    pub rows: Vec<StageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageResults {
    pub stage: Stage,
    /// False while any panel of the stage is open: scores are confidential until then.
    pub complete: bool,
    pub pools: Vec<PoolResults>,
}

/// One entry in the allocation: what the plan proposes and what the council decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AllocationRow {
    pub entry_id: i64,
    pub title: String,
    pub genre: Genre,
    pub authors: Vec<Author>,
    pub unit_name: Option<String>,
    pub final_score: Option<f64>,
    pub rank: Option<i64>,
    pub tied: bool,
    pub proposed: Option<String>,
    pub decided: Option<String>,
    /// The council's reason when it moved this entry.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PoolAllocation {
    pub pool: String,
    pub planned: Vec<PrizeTier>,
    /// The tier counts in force (the plan, or the council's change).
    pub counts: Vec<PrizeTier>,
    pub counts_reason: Option<String>,
    /// Tiers whose cut-off falls inside a tie: every tied entry got the higher prize.
    pub ties_at_cutoff: Vec<String>,
    pub rows: Vec<AllocationRow>,
}

/// A council decision, for the minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: i64,
    /// `tier_counts` or `move`.
    pub kind: String,
    pub pool: String,
    pub entry_id: Option<i64>,
    pub tier: Option<String>,
    pub counts: Option<Vec<PrizeTier>>,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub competition_id: i64,
    pub pools: Vec<PoolAllocation>,
    pub decisions: Vec<Decision>,
}

/// A council decision as submitted: change a pool's tier counts, or move an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Override {
    TierCounts { pool: String, counts: Vec<PrizeTier>, reason: String },
    /// `tier`: a tier name of the pool, or empty for no prize.
    Move { entry_id: i64, tier: String, reason: String },
}

/// A published winner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Winner {
    pub entry_id: i64,
    pub prize: String,
    pub title: String,
    pub genre: Genre,
    pub authors: Vec<Author>,
    pub unit_name: Option<String>,
    pub outlet: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedResults {
    pub competition_id: i64,
    pub title: String,
    pub edition: i64,
    pub published_at: i64,
    pub winners: Vec<Winner>,
}

/// The organizer's overview of a competition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompetitionOverview {
    pub competition: Competition,
    pub entries: Vec<Entry>,
    pub panels: Vec<Panel>,
    pub recusals: Vec<Recusal>,
}

/// What an automatic assignment did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssignmentReport {
    pub created: i64,
    /// Entries still short of the planned number of judges (too few judges without a conflict).
    pub short: Vec<i64>,
}
