//! The attempt page on the server: loads the attempt (submitting it first if its time ran out)
//! and renders the attempt island, or the way to the result of a submitted one; and the page
//! that asks "Nộp bài?" when the plain form (no JavaScript) is submitted.

use super::attempt_island::{AttemptIsland, TEXT_KEYS};
use super::model::AttemptView;
use super::server_fns::get_attempt;
use crate::ui::param_id;
use crate::ui::load_error;
use crate::i18n::{Texts, fill, t};
use crate::ui::forms::loading;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The attempt in the address, once loaded: `open` draws an attempt still taking answers; a
/// submitted one shows the way to its result, a failed load its error.
fn with_open_attempt<V: IntoView + 'static>(open: impl Fn(AttemptView) -> V + Clone + Send + Sync + 'static) -> impl IntoView {
    let attempt = Resource::new(param_id("id"), get_attempt);
    view! {
        <Suspense fallback=loading>
            {move || {
                let open = open.clone();
                Suspend::new(async move {
                    match attempt.await {
                        Ok(a) if a.status == super::model::AttemptStatus::Open => open(a).into_any(),
                        Ok(a) => view! { <AttemptClosed id=a.id/> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn AttemptPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    with_open_attempt(move |a| {
        // The plain form's outcome comes back in the address (`?saved=1`, `?err=…`).
        let notice = query.with_untracked(|q| {
            q.get("err").filter(|k| k.starts_with("err.")).map(|k| (true, t(lang, &k)))
                .or_else(|| q.get("saved").map(|_| (false, t(lang, "rounds.saved_all"))))
        });
        view! { <AttemptIsland attempt=a texts=Texts::pick(lang, TEXT_KEYS) notice/> }
    })
}

#[component]
fn AttemptClosed(id: i64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card narrow">
            <p>{t(lang, "rounds.already_submitted")}</p>
            <p><a class="button" href=format!("/bai-thi/{id}/ket-qua")>{t(lang, "rounds.view_result")}</a></p>
        </section>
    }
}

/// "Nộp bài?" for the plain form: the answers are saved already; this says how many questions
/// are unanswered and how many attempts remain, and submits only when confirmed.
#[component]
pub fn SubmitConfirmPage() -> impl IntoView {
    let lang = use_lang();
    with_open_attempt(move |a| {
        let total = a.questions.len();
        let unanswered = a.questions.iter().filter(|q| q.answer.is_empty()).count();
        let questions = if unanswered == 0 {
            fill(&t(lang, "rounds.confirm_all_answered"), &[("total", &total.to_string())])
        } else {
            fill(&t(lang, "rounds.confirm_unanswered"), &[("n", &unanswered.to_string()), ("total", &total.to_string())])
        };
        let attempts = if a.attempts_left_after > 0 {
            fill(&t(lang, "rounds.confirm_attempts_left"), &[("n", &a.attempts_left_after.to_string())])
        } else {
            t(lang, "rounds.confirm_last_attempt")
        };
        view! {
            <section class="card narrow confirm-submit">
                <p class="hint">{a.round_title.clone()}</p>
                <h1>{t(lang, "rounds.confirm_title")}</h1>
                <p class="unanswered">{questions}</p>
                {a.prediction.is_none().then(|| view! { <p>{t(lang, "rounds.confirm_no_prediction")}</p> })}
                <p>{attempts}</p>
                <form method="post" action=format!("/bai-thi/{}/gui", a.id) class="actions">
                    <a class="button secondary" href=format!("/bai-thi/{}", a.id)>{t(lang, "rounds.confirm_back")}</a>
                    <button type="submit" name="intent" value="confirm" class="button">{t(lang, "rounds.confirm_submit")}</button>
                </form>
            </section>
        }
    })
}
