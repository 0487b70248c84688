//! Ngân hàng câu hỏi: the rules of the question bank. Organizers write, edit, retire, import
//! and export questions. An edit adds a version instead of overwriting, so a past attempt
//! keeps what it showed and how it was scored.

use super::formats::{aiken, gift, moodle_xml, table};
use super::model::{Audience, BankOption, BankQuestion, DIFFICULTIES, DraftQuestion, ImportIssue, QuestionImportPreview, QuestionInput, QuestionKind, QuestionStatus};
use super::repo::{self, VersionContent};
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, Validator};
use crate::infra::state::AppState;

/// Checks a question and turns it into stored options; every problem at once.
pub fn validate(input: &QuestionInput) -> Result<Vec<BankOption>, AppError> {
    let mut v = Validator::new();
    v.required_text("text", &input.text, 2000);
    if input.topic.chars().count() > 120 {
        v.add("topic", "err.too_long");
    }
    if !DIFFICULTIES.contains(&input.difficulty.as_str()) {
        v.add("difficulty", "err.difficulty_unknown");
    }
    let options: Vec<String> = input.options.iter().map(|o| o.trim().to_string()).collect();
    if options.len() < 2 {
        v.add("options", "err.too_few_options");
    } else if options.iter().any(String::is_empty) {
        v.add("options", "err.empty_option");
    } else if input.kind == QuestionKind::TrueFalse && options.len() != 2 {
        v.add("options", "err.true_false_two_options");
    } else if options.len() > 20 || options.iter().any(|o| crate::text::too_long(o, crate::text::OPTION_MAX_CHARS)) {
        v.add("options", "err.too_long");
    }
    if crate::text::too_long(&input.explanation, crate::text::EXPLANATION_MAX_CHARS) {
        v.add("explanation", "err.too_long");
    }
    let mut correct = input.correct.clone();
    correct.sort_unstable();
    correct.dedup();
    if correct.iter().any(|i| *i >= options.len()) {
        v.add("correct", "err.correct_unknown");
    } else {
        match (input.kind, correct.len()) {
            (_, 0) => v.add("correct", "err.no_correct_option"),
            (QuestionKind::Single | QuestionKind::TrueFalse, n) if n > 1 => v.add("correct", "err.single_one_correct"),
            _ => {}
        }
    }
    v.finish()?;
    // Partial credit shares the points equally among the correct options.
    let share = 1.0 / correct.len() as f64;
    Ok(options
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let is_correct = correct.contains(&i);
            BankOption { text, correct: is_correct, weight: if is_correct { share } else { 0.0 } }
        })
        .collect())
}

pub async fn create(state: &AppState, actor: &CurrentUser, input: QuestionInput) -> Result<BankQuestion, AppError> {
    crate::policy::organizer(actor)?;
    let options = validate(&input)?;
    let mut tx = state.db.begin_write().await?;
    let content = VersionContent { kind: input.kind, text: input.text.trim(), options: &options, explanation: input.explanation.trim(), partial_credit: input.partial_credit };
    let id = repo::insert_question(&mut tx, input.topic.trim(), &input.difficulty, input.audience, actor.id, &content).await?;
    tx.commit().await?;
    get(state, actor, id, None).await
}

/// Saves an edit as a new version; earlier versions stay as they were.
pub async fn update(state: &AppState, actor: &CurrentUser, id: i64, input: QuestionInput) -> Result<BankQuestion, AppError> {
    crate::policy::organizer(actor)?;
    let options = validate(&input)?;
    let mut tx = state.db.begin_write().await?;
    let current = repo::current_version_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let content = VersionContent { kind: input.kind, text: input.text.trim(), options: &options, explanation: input.explanation.trim(), partial_credit: input.partial_credit };
    repo::insert_version(&mut tx, id, current + 1, actor.id, &content).await?;
    repo::set_current(&mut tx, id, current + 1, input.topic.trim(), &input.difficulty, input.audience, input.text.trim()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "question.edit", "question", Some(id), serde_json::json!({ "version": current + 1 })).await?;
    tx.commit().await?;
    get(state, actor, id, None).await
}

/// Retired questions are no longer drawn into rounds; past attempts keep them.
pub async fn set_retired(state: &AppState, actor: &CurrentUser, id: i64, retired: bool) -> Result<BankQuestion, AppError> {
    crate::policy::organizer(actor)?;
    if repo::set_status(&state.db, id, if retired { QuestionStatus::Retired } else { QuestionStatus::Active }).await? == 0 {
        return Err(AppError::NotFound);
    }
    get(state, actor, id, None).await
}

pub async fn get(state: &AppState, actor: &CurrentUser, id: i64, version: Option<i64>) -> Result<BankQuestion, AppError> {
    crate::policy::organizer(actor)?;
    repo::get(&state.db, id, version).await?.ok_or(AppError::NotFound)
}

/// Accent-insensitive search over topic and text ("thu tuc" finds "Thủ tục hành chính").
pub async fn search(state: &AppState, actor: &CurrentUser, query: &str, topic: Option<&str>, include_retired: bool) -> Result<Vec<BankQuestion>, AppError> {
    crate::policy::organizer(actor)?;
    Ok(repo::search(&state.db, query, topic, include_retired, 1000).await?)
}

/// The import formats the bank takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Gift,
    Aiken,
    /// Moodle XML (`<quiz>…</quiz>`), the format Moodle users exchange most.
    MoodleXml,
    /// CSV or XLSX in the template's columns.
    Table,
}

impl ImportFormat {
    pub fn parse(code: &str) -> Option<ImportFormat> {
        match code {
            "gift" => Some(ImportFormat::Gift),
            "aiken" => Some(ImportFormat::Aiken),
            "moodle-xml" | "moodle_xml" | "xml" => Some(ImportFormat::MoodleXml),
            "csv" | "xlsx" | "table" => Some(ImportFormat::Table),
            _ => None,
        }
    }
}

/// Questions of a file with the topic and difficulty each goes into the bank with.
fn read(format: ImportFormat, bytes: &[u8], default_topic: &str) -> (Vec<(DraftQuestion, String, String)>, Vec<ImportIssue>) {
    let text = || std::str::from_utf8(bytes).map_err(|_| vec![ImportIssue { line: 1, message: "err.import_encoding".into(), detail: String::new(), field: None }]);
    // A topic or difficulty the file gives wins over the import's defaults.
    let plain = |parsed: super::model::ParsedFile| {
        let rows = parsed.questions.into_iter().map(|q| {
            let topic = q.topic.clone().unwrap_or_else(|| default_topic.to_string());
            let difficulty = q.difficulty.clone().unwrap_or_else(|| "medium".to_string());
            (q, topic, difficulty)
        });
        (rows.collect(), parsed.errors)
    };
    match format {
        ImportFormat::Gift => match text() {
            Ok(t) => plain(gift::parse(t)),
            Err(e) => (vec![], e),
        },
        ImportFormat::Aiken => match text() {
            Ok(t) => plain(aiken::parse(t)),
            Err(e) => (vec![], e),
        },
        ImportFormat::MoodleXml => match text() {
            Ok(t) => plain(moodle_xml::parse(t)),
            Err(e) => (vec![], e),
        },
        ImportFormat::Table => {
            let (rows, errors) = table::parse(bytes);
            (rows.into_iter().map(|r| (r.question, if r.topic.is_empty() { default_topic.to_string() } else { r.topic }, r.difficulty)).collect(), errors)
        }
    }
}

/// A field's value as the file gave it, for the preview's "value" column.
fn value_of(input: &QuestionInput, field: &str) -> String {
    match field {
        "topic" => input.topic.clone(),
        "difficulty" => input.difficulty.clone(),
        "options" => input.options.join(" · "),
        "correct" => input.correct.iter().map(|i| char::from_u32('A' as u32 + *i as u32).unwrap_or('?').to_string()).collect::<Vec<_>>().join(", "),
        "explanation" => input.explanation.clone(),
        _ => input.text.clone(),
    }
}

fn input_of(q: &DraftQuestion, topic: &str, difficulty: &str) -> QuestionInput {
    QuestionInput {
        topic: topic.into(),
        difficulty: difficulty.into(),
        audience: Audience::Staff,
        kind: q.kind,
        text: q.text.clone(),
        options: q.options.iter().map(|o| o.text.clone()).collect(),
        correct: q.options.iter().enumerate().filter(|(_, o)| o.correct).map(|(i, _)| i).collect(),
        explanation: q.explanation.clone().unwrap_or_default(),
        partial_credit: q.options.iter().any(|o| o.weight > 0.0 && o.weight < 1.0),
    }
}

/// Previews an import and, when `apply` and nothing is wrong, adds every question in one
/// transaction. A file with any error adds nothing.
pub async fn import(state: &AppState, actor: &CurrentUser, format: ImportFormat, bytes: &[u8], default_topic: &str, apply: bool) -> Result<QuestionImportPreview, AppError> {
    crate::policy::organizer(actor)?;
    let (rows, mut errors) = read(format, bytes, default_topic);
    // The parsers check the format; the bank's own rules (lengths, counts) apply on top.
    let mut checked = Vec::new();
    for (q, topic, difficulty) in rows {
        let input = input_of(&q, &topic, &difficulty);
        match validate(&input) {
            Ok(options) => checked.push((q, input, options)),
            Err(AppError::Validation { fields }) => {
                // Each problem with the field it is about and that field's value, not the
                // question's text under every problem.
                for (field, key) in fields {
                    let detail = value_of(&input, &field).chars().take(80).collect();
                    errors.push(ImportIssue { line: q.line, message: key, detail, field: Some(field) });
                }
            }
            Err(other) => return Err(other),
        }
    }
    errors.sort_by_key(|e| e.line);
    let format_name = match format {
        ImportFormat::MoodleXml => "moodle-xml".to_string(),
        other => format!("{other:?}").to_lowercase(),
    };
    let mut preview = QuestionImportPreview { format: format_name, accepted: checked.len(), questions: checked.iter().map(|(q, _, _)| q.clone()).collect(), errors, applied: false, created: vec![] };
    if !apply || !preview.errors.is_empty() || checked.is_empty() {
        return Ok(preview);
    }
    let mut tx = state.db.begin_write().await?;
    for (_, input, options) in &checked {
        let content = VersionContent { kind: input.kind, text: input.text.trim(), options, explanation: input.explanation.trim(), partial_credit: input.partial_credit };
        preview.created.push(repo::insert_question(&mut tx, input.topic.trim(), &input.difficulty, input.audience, actor.id, &content).await?);
    }
    crate::audit::record(&mut tx, Some(actor.id), "question.import", "questions", None, serde_json::json!({ "format": preview.format, "created": preview.created.len() })).await?;
    tx.commit().await?;
    preview.applied = true;
    Ok(preview)
}

fn draft_of(q: &BankQuestion) -> DraftQuestion {
    DraftQuestion {
        line: 0,
        name: None,
        text: q.text.clone(),
        kind: q.kind,
        options: q.options.iter().map(|o| super::model::DraftOption { text: o.text.clone(), correct: o.correct, weight: o.weight, feedback: None }).collect(),
        explanation: Some(q.explanation.clone()).filter(|e| !e.is_empty()),
        topic: Some(q.topic.clone()).filter(|t| !t.is_empty()),
        difficulty: Some(q.difficulty.clone()),
    }
}

pub fn to_gift(questions: &[BankQuestion]) -> String {
    gift::write(&questions.iter().map(draft_of).collect::<Vec<_>>())
}

/// The bank as Moodle XML: a category per topic, the difficulty as a `difficulty:…` tag.
pub fn to_moodle_xml(questions: &[BankQuestion]) -> String {
    moodle_xml::write(&questions.iter().map(draft_of).collect::<Vec<_>>())
}

/// The bank as XLSX in the import's own columns, headed in Vietnamese.
pub fn to_xlsx(questions: &[BankQuestion]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let rows: Vec<Vec<String>> = questions.iter().map(|q| table::row_of(&q.topic, &q.difficulty, &draft_of(q))).collect();
    questions_book(&rows, false)
}

/// The import template: the Vietnamese headers, one example row, and a second sheet listing
/// the values the coded columns take.
pub fn template_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    questions_book(&[table::example_row()], true)
}

fn questions_book(rows: &[Vec<String>], with_values: bool) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Câu hỏi")?;
    for (c, h) in table::HEADER_VI.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            crate::cells::xlsx_text(sheet, (r + 1) as u32, c as u16, value)?;
        }
    }
    sheet.set_column_width(3, 60)?;
    sheet.set_freeze_panes(1, 0)?;
    if with_values {
        let values = book.add_worksheet();
        values.set_name("Giá trị hợp lệ")?;
        values.write_with_format(0, 0, "Cột", &bold)?;
        values.write_with_format(0, 1, "Giá trị", &bold)?;
        for (r, (column, allowed)) in table::allowed_values().iter().enumerate() {
            values.write(r as u32 + 1, 0, *column)?;
            values.write(r as u32 + 1, 1, allowed.as_str())?;
        }
        values.set_column_width(0, 18)?;
        values.set_column_width(1, 90)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: QuestionKind, options: &[&str], correct: &[usize]) -> QuestionInput {
        QuestionInput { topic: "Thủ tục hành chính".into(), difficulty: "easy".into(), audience: Audience::Staff, kind, text: "Câu hỏi?".into(),
            options: options.iter().map(|s| s.to_string()).collect(), correct: correct.to_vec(), explanation: String::new(), partial_credit: false }
    }

    #[test]
    fn validation_rules_by_kind() {
        use QuestionKind::*;
        let cases: Vec<(QuestionInput, Result<usize, (&str, &str)>)> = vec![
            (input(Single, &["a", "b", "c"], &[1]), Ok(1)),
            (input(Multiple, &["a", "b", "c"], &[0, 2]), Ok(2)),
            (input(TrueFalse, &["Đúng", "Sai"], &[1]), Ok(1)),
            (input(Single, &["a", "b"], &[0, 1]), Err(("correct", "err.single_one_correct"))),
            (input(Single, &["a", "b"], &[]), Err(("correct", "err.no_correct_option"))),
            (input(Single, &["a", "b"], &[5]), Err(("correct", "err.correct_unknown"))),
            (input(Single, &["a"], &[0]), Err(("options", "err.too_few_options"))),
            (input(Single, &["a", " "], &[0]), Err(("options", "err.empty_option"))),
            (input(TrueFalse, &["a", "b", "c"], &[0]), Err(("options", "err.true_false_two_options"))),
        ];
        for (i, expected) in cases {
            match (validate(&i), expected) {
                (Ok(options), Ok(n)) => assert_eq!(options.iter().filter(|o| o.correct).count(), n),
                (Err(e), Err((field, key))) => assert_eq!(e.field_errors().unwrap()[field], key, "{i:?}"),
                (got, want) => panic!("{i:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn multiple_answer_weights_share_the_points() {
        let options = validate(&input(QuestionKind::Multiple, &["a", "b", "c", "d"], &[0, 1, 3])).unwrap();
        let total: f64 = options.iter().map(|o| o.weight).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }
}
