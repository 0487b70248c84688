//! Câu hỏi: questions as they come out of an import file, before they enter the bank.

use serde::{Deserialize, Serialize};

/// The question types the platform takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Một đáp án đúng.
    Single,
    /// Nhiều đáp án đúng: all-or-nothing unless the organizer allows partial credit.
    Multiple,
    /// Đúng / Sai.
    TrueFalse,
}

// The stored codes are older than the JSON names and differ from them for two kinds: rows and
// forms hold `multi` and `tf`, the API says `multiple` and `true_false`. Changing either would
// need a data migration or break API clients, so each keeps its own (see the test below).
crate::stored_code!(QuestionKind { Single => "single", Multiple => "multi", TrueFalse => "tf" });

/// Trạng thái: a retired question stays in the bank (attempts point to it) but is not drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Active,
    Retired,
}

crate::stored_code!(QuestionStatus { Active => "active", Retired => "retired" });

/// One option of an imported question. `weight` is the share of the question's points the
/// option carries (1.0 for a fully correct option, negative for a penalised one), as GIFT's
/// `%50%` weights express it; `correct` is what all-or-nothing scoring uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftOption {
    pub text: String,
    pub correct: bool,
    pub weight: f64,
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftQuestion {
    /// The line of the file where the question starts.
    pub line: usize,
    pub name: Option<String>,
    pub text: String,
    pub kind: QuestionKind,
    pub options: Vec<DraftOption>,
    /// Shown at review (giải thích).
    pub explanation: Option<String>,
    /// The topic the file gives (a Moodle category); the import's default topic otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The difficulty the file gives (a Moodle XML `difficulty:…` tag); medium otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<String>,
}

impl DraftQuestion {
    pub fn correct_options(&self) -> Vec<&str> {
        self.options.iter().filter(|o| o.correct).map(|o| o.text.as_str()).collect()
    }
}

/// A problem in an import file, tied to its line. `message` is a locale key; `detail` says
/// what was found, in the file's own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportIssue {
    pub line: usize,
    pub message: String,
    pub detail: String,
    /// The column or field the bad value belongs to (`difficulty`, `type`, `correct`,
    /// `options`, `text`…), when the problem is one value's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What a parser found: the questions it accepts and every problem by line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedFile {
    pub questions: Vec<DraftQuestion>,
    pub errors: Vec<ImportIssue>,
}

/// Độ khó.
pub const DIFFICULTIES: [&str; 3] = ["easy", "medium", "hard"];
/// Đối tượng: civil servants, or the public, who draw from a separate pool.
/// Đối tượng: who a question, and a round, is for. Each audience draws from its own pool, and
/// a `staff` round asks its takers for their unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Cán bộ, công chức, viên chức: counted in their unit's participation.
    #[default]
    Staff,
    /// Anyone who registers.
    Public,
}
crate::stored_code!(Audience { Staff => "staff", Public => "public" });

/// A question as organizers edit it. `correct` holds indices into `options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionInput {
    #[serde(default)]
    pub topic: String,
    #[serde(default = "default_difficulty")]
    pub difficulty: String,
    #[serde(default)]
    pub audience: Audience,
    pub kind: QuestionKind,
    pub text: String,
    pub options: Vec<String>,
    pub correct: Vec<usize>,
    #[serde(default)]
    pub explanation: String,
    /// Multiple-answer questions: give a share of the points for a partly right answer
    /// instead of all-or-nothing.
    #[serde(default)]
    pub partial_credit: bool,
}

fn default_difficulty() -> String {
    "medium".into()
}

/// One option as the organizer sees it, with its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BankOption {
    pub text: String,
    pub correct: bool,
    pub weight: f64,
}

/// A question of the bank in one version, answer key included: for organizers only. What
/// participants get is a different type without the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BankQuestion {
    pub id: i64,
    pub version: i64,
    pub current_version: i64,
    pub topic: String,
    pub difficulty: String,
    pub audience: Audience,
    // Shown in the API document as the text it is.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: QuestionStatus,
    pub kind: QuestionKind,
    pub text: String,
    pub options: Vec<BankOption>,
    pub explanation: String,
    pub partial_credit: bool,
    pub updated_at: i64,
}

/// What a question import would add; applied only without errors, all at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionImportPreview {
    pub format: String,
    pub accepted: usize,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub questions: Vec<DraftQuestion>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub errors: Vec<ImportIssue>,
    pub applied: bool,
    /// Ids of the questions created when applied.
    pub created: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Code, serde_agrees};

    #[test]
    fn question_codes() {
        assert!(serde_agrees::<QuestionStatus>());
        assert!(serde_agrees::<Audience>());
        // The kinds' stored codes are not their JSON names (see `stored_code!` above).
        assert!(!serde_agrees::<QuestionKind>());
        assert_eq!(QuestionKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(), ["single", "multi", "tf"]);
        assert_eq!(serde_json::to_value(QuestionKind::ALL).unwrap(), serde_json::json!(["single", "multiple", "true_false"]));
    }
}
