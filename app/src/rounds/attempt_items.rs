//! An attempt's questions as drawn and stored, in the order its taker sees them, without keys:
//! what taking an attempt (`attempts`) and reviewing it (`review`) both read.

use super::repo::attempts::{self as repo, AttemptRow};
use crate::codes::stored_json;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::quiz::model::QuestionKind;

pub(super) async fn load(state: &AppState, id: i64) -> Result<Option<AttemptRow>, AppError> {
    repo::get(&state.db, id).await
}

/// A question of an attempt as drawn, without its key.
pub(super) struct Item {
    pub(super) position: i64,
    /// The option order shown: stored indices in display order.
    pub(super) order: Vec<usize>,
    /// The stored option indices chosen.
    pub(super) answer: Vec<usize>,
    pub(super) seq: i64,
    pub(super) kind: QuestionKind,
    pub(super) text: String,
    pub(super) options: Vec<String>,
    pub(super) points: Option<i64>,
}

/// The questions of an attempt as drawn, without keys.
pub(super) async fn items(state: &AppState, attempt_id: i64) -> Result<Vec<Item>, AppError> {
    repo::items(&state.db, attempt_id)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Item {
                position: r.position,
                order: stored_json(&r.option_order, "option order")?,
                answer: match &r.answer {
                    Some(a) => stored_json(a, "answer")?,
                    None => vec![],
                },
                seq: r.answer_seq,
                kind: r.kind,
                text: r.body,
                options: stored_json(&r.options, "question options")?,
                points: r.points,
            })
        })
        .collect()
}

pub(super) fn shown_options(item: &Item) -> Vec<String> {
    item.order.iter().map(|i| item.options.get(*i).cloned().unwrap_or_default()).collect()
}
