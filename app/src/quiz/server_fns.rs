//! Server functions behind the question-bank pages.

use super::model::{BankQuestion, QuestionImportPreview};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use super::{bank, model::{QuestionInput, QuestionKind}};
#[cfg(feature = "ssr")]
use crate::accounts::service::require;
#[cfg(feature = "ssr")]
use crate::accounts::session::ctx;

/// The upload kind under which a question file waits for its preview to be applied.
pub fn upload_kind(format: &str) -> String {
    format!("questions:{format}")
}

#[server]
pub async fn list_questions(query: String) -> Result<Vec<BankQuestion>, AppError> {
    let c = ctx().await?;
    bank::search(&c.state, &require(c.user)?, &query, None, true).await
}

/// The question form as typed: options one per line, the correct ones as letters ("B" or
/// "A, C"), the kind as its stored code (anything else is a single-answer question).
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn input_of_form(topic: String, difficulty: String, audience: crate::quiz::model::Audience, kind: &str, text: String, options: &str, correct: &str, explanation: String, partial_credit: bool) -> QuestionInput {
    let kind = <QuestionKind as crate::codes::Code>::from_code(kind).unwrap_or(QuestionKind::Single);
    let options: Vec<String> = options.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    let correct: Vec<usize> = correct.to_uppercase().chars().filter(|c| c.is_ascii_alphabetic()).map(|c| (c as u8 - b'A') as usize).collect();
    QuestionInput { topic, difficulty, audience, kind, text, options, correct, explanation, partial_credit }
}

#[server]
#[allow(clippy::too_many_arguments)]
pub async fn create_question(topic: String, difficulty: String, kind: String, text: String, options: String, correct: String, explanation: String) -> Result<BankQuestion, AppError> {
    let c = ctx().await?;
    let input = input_of_form(topic, difficulty, crate::quiz::model::Audience::Staff, &kind, text, &options, &correct, explanation, false);
    bank::create(&c.state, &require(c.user)?, input).await
}

#[server]
pub async fn get_question(id: i64) -> Result<BankQuestion, AppError> {
    let c = ctx().await?;
    bank::get(&c.state, &require(c.user)?, id, None).await
}

/// Saves the edit form as the question's next version (audience and partial credit, which the
/// form does not show, stay as they were) and goes back to the bank.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn update_question(id: i64, topic: String, difficulty: String, kind: String, text: String, options: String, correct: String, explanation: String) -> Result<BankQuestion, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let current = bank::get(&c.state, &user, id, None).await?;
    let input = input_of_form(topic, difficulty, current.audience, &kind, text, &options, &correct, explanation, current.partial_credit);
    let saved = bank::update(&c.state, &user, id, input).await?;
    leptos_axum::redirect(&format!("/admin/questions?edited={}", saved.id));
    Ok(saved)
}

#[server]
pub async fn set_question_retired(id: i64, retired: bool) -> Result<BankQuestion, AppError> {
    let c = ctx().await?;
    bank::set_retired(&c.state, &require(c.user)?, id, retired).await
}

#[server]
pub async fn preview_question_import(import_id: i64, format: String, topic: String) -> Result<QuestionImportPreview, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let fmt = bank::ImportFormat::parse(&format).ok_or_else(|| AppError::field("format", "err.import_format"))?;
    let (_, bytes) = crate::uploads::load(&c.state.db, user.id, &upload_kind(&format), import_id).await?;
    bank::import(&c.state, &user, fmt, &bytes, &topic, false).await
}

#[server]
pub async fn apply_question_import(import_id: i64, format: String, topic: String) -> Result<QuestionImportPreview, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let fmt = bank::ImportFormat::parse(&format).ok_or_else(|| AppError::field("format", "err.import_format"))?;
    let (_, bytes) = crate::uploads::load(&c.state.db, user.id, &upload_kind(&format), import_id).await?;
    let preview = bank::import(&c.state, &user, fmt, &bytes, &topic, true).await?;
    if preview.applied {
        crate::uploads::discard(&c.state.db, import_id).await?;
        leptos_axum::redirect(&format!("/admin/questions?imported={}", preview.created.len()));
    }
    Ok(preview)
}
