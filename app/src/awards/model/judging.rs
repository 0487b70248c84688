//! Judging: panels (tiểu ban), each judge's assignments and scores, recusals.

use super::{Author, Criterion, EntryFile, Genre, Stage};
use serde::{Deserialize, Serialize};

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
    /// Hidden in blind mode too: "Đài truyền thanh phường …" names the unit.
    pub outlet: Option<String>,
    pub published_on: String,
    pub duration_secs: Option<i64>,
    pub script: String,
    pub files: Vec<EntryFile>,
}

/// Where one judge stands on one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssignmentStatus {
    /// On the judge's list, nothing saved yet.
    Assigned,
    /// Points saved, not final.
    Draft,
    /// The final score.
    Scored,
    /// The judge stepped back (từ chối chấm), with a reason.
    Recused,
}
crate::stored_code!(AssignmentStatus { Assigned => "assigned", Draft => "draft", Scored => "scored", Recused => "recused" });

impl AssignmentStatus {
    /// Whether the judge is done with it (scored or stepped back).
    pub fn finished(self) -> bool {
        matches!(self, AssignmentStatus::Scored | AssignmentStatus::Recused)
    }
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
    pub status: AssignmentStatus,
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

