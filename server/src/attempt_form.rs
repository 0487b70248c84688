//! The attempt page's plain form post (`/bai-thi/{id}/gui`), which is how a participant saves
//! and submits before the WASM has loaded, or on a phone where it never does. It sends every
//! question's choice at once; only what differs from the stored answer is saved, through the
//! same service (and group-commit writer) the per-answer saves use.
//!
//! **Nộp bài** saves, then asks on a confirmation page (`/bai-thi/{id}/nop`) how many questions
//! are unanswered and how many attempts remain; that page posts `intent=confirm`, which
//! submits what is saved without touching the answers.

use app::error::AppError;
use app::infra::state::AppState;
use app::rounds::attempts;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::BTreeMap;
use tower_sessions::Session;

pub async fn attempt_form(State(state): State<AppState>, session: Session, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let here = format!("/bai-thi/{id}");
    let user = match app::accounts::session::current_user(&state, &session).await {
        Ok(Some(u)) => u,
        Ok(None) => return Redirect::to(&format!("/login?next={}", app::ui::urlencode(&here))).into_response(),
        Err(e) => return e.into_response(),
    };
    let intent = pairs.iter().find(|(k, _)| k == "intent").map(|(_, v)| v.as_str()).unwrap_or("save");
    let (ask, confirmed) = (intent == "submit", intent == "confirm");
    let outcome = async {
        let view = attempts::view(&state, &user, id).await?;
        if view.status != app::rounds::model::AttemptStatus::Open {
            return Ok(());
        }
        if confirmed {
            return attempts::submit(&state, &user, id).await.map(|_| ());
        }
        let mut chosen: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for (key, value) in &pairs {
            if let (Some(position), Ok(index)) = (key.strip_prefix('q').and_then(|p| p.parse::<i64>().ok()), value.parse::<usize>()) {
                chosen.entry(position).or_default().push(index);
            }
        }
        for q in &view.questions {
            let mut answer = chosen.remove(&q.position).unwrap_or_default();
            answer.sort_unstable();
            if answer != q.answer {
                attempts::save_answer(&state, &user, id, q.position, answer, None).await?;
            }
        }
        if let Some((_, text)) = pairs.iter().find(|(k, v)| k == "prediction" && !v.trim().is_empty()) {
            let value = app::rounds::model::read_prediction(text).ok_or_else(|| AppError::field("prediction", "err.prediction_range"))?;
            if view.prediction != Some(value) {
                attempts::save_prediction(&state, &user, id, value, None).await?;
            }
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) if confirmed => Redirect::to(&format!("{here}/ket-qua")).into_response(),
        Ok(()) if ask => Redirect::to(&format!("{here}/nop")).into_response(),
        Ok(()) => Redirect::to(&format!("{here}?saved=1")).into_response(),
        // Time ran out, or another tab submitted: what was saved counts; show the result.
        Err(e) if attempts::Closed::of(&e).is_some() => Redirect::to(&format!("{here}/ket-qua")).into_response(),
        Err(AppError::Validation { fields }) => {
            let key = fields.into_values().next().unwrap_or_else(|| "err.validation".into());
            Redirect::to(&format!("{here}?err={}", app::ui::urlencode(&key))).into_response()
        }
        Err(e @ (AppError::NotFound | AppError::Forbidden | AppError::Internal { .. })) => e.into_response(),
        Err(e) => Redirect::to(&format!("{here}?err={}", app::ui::urlencode(e.message_key()))).into_response(),
    }
}
