//! Entries (tác phẩm dự thi): what their submitters fill in, their files and their status.

use super::Genre;
use serde::{Deserialize, Serialize};

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

crate::stored_code!(EntryStatus { Draft => "draft", Submitted => "submitted", Withdrawn => "withdrawn", Eligible => "eligible", Ineligible => "ineligible" });

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

/// What a stored file is, which decides how pages play or show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Audio,
    Video,
    Pdf,
    Image,
}
crate::stored_code!(FileKind { Audio => "audio", Video => "video", Pdf => "pdf", Image => "image" });

/// A stored file of an entry: audio (mp3, m4a, wav), video (mp4), PDF or image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EntryFile {
    pub id: i64,
    pub kind: FileKind,
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

