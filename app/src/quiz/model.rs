//! Câu hỏi: questions as they come out of an import file, before they enter the bank.

use serde::{Deserialize, Serialize};

/// The question types the platform takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Một đáp án đúng.
    Single,
    /// Nhiều đáp án đúng: all-or-nothing unless the organizer allows partial credit.
    Multiple,
    /// Đúng / Sai.
    TrueFalse,
}

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
}

/// What a parser found: the questions it accepts and every problem by line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedFile {
    pub questions: Vec<DraftQuestion>,
    pub errors: Vec<ImportIssue>,
}
