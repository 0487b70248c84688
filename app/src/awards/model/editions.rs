//! An edition (lần tổ chức) of the award: its settings as the organizer enters them, the genres
//! and stages it judges, and where it stands.

use crate::prizes::PrizeTier;
use serde::{Deserialize, Serialize};

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

crate::stored_code!(Genre { Radio => "radio", Tv => "tv", Print => "print", Online => "online", Photo => "photo" });

impl Genre {
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

crate::stored_code!(Stage { Preliminary => "preliminary", Final => "final" });

impl Stage {
    /// The phase in which this stage's panels judge.
    pub fn phase(self) -> Phase {
        match self {
            Stage::Preliminary => Phase::Preliminary,
            Stage::Final => Phase::Final,
        }
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

crate::stored_code!(Phase { Entries => "entries", Preliminary => "preliminary", Final => "final", Council => "council", Published => "published" });

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
crate::stored_code!(Aggregation { Mean => "mean", Trimmed => "trimmed" });

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

