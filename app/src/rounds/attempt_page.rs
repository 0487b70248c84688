//! The attempt page: a plain form that saves and submits before the WASM loads (or on a phone
//! where it never does); once hydrated, every choice is saved the moment it is made and
//! acknowledged beside the question, and a countdown runs from the server's deadline.

use super::model::*;
use super::server_fns::{get_attempt, save_choice, save_guess};
use super::take::param_id;
use crate::accounts::pages::load_error;
use crate::i18n::{Lang, fill, t};
use crate::quiz::model::QuestionKind;
use crate::ui::forms::loading;
use crate::ui::{format_time, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

/// The state of one question's last save, shown beside it.
#[derive(Clone, PartialEq)]
enum SaveState {
    Saving,
    Saved(i64),
    Failed(String),
}

#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = param_id("id");
    let attempt = Resource::new(id, get_attempt);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match attempt.await {
                    Ok(a) if a.status == "open" => view! { <AttemptForm attempt=a/> }.into_any(),
                    Ok(a) => view! { <AttemptClosed id=a.id/> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
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

#[component]
fn AttemptForm(attempt: AttemptView) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let states: RwSignal<BTreeMap<i64, SaveState>> = RwSignal::new(BTreeMap::new());
    let id = attempt.id;
    let notice = move || {
        let q = query.read();
        q.get("err").filter(|k| k.starts_with("err.")).map(|k| (true, t(lang, &k))).or_else(|| q.get("saved").map(|_| (false, t(lang, "rounds.saved_all"))))
    };
    let total = attempt.questions.len();
    let answered = RwSignal::new(attempt.questions.iter().filter(|q| !q.answer.is_empty()).count());
    let progress = move || fill(&t(lang, "rounds.progress"), &[("n", &answered.get().to_string()), ("total", &total.to_string())]);
    let guess_state = RwSignal::new(None::<SaveState>);
    view! {
        <section class="card attempt">
            <p class="hint">{attempt.contest_title.clone()}</p>
            <h1>{attempt.round_title.clone()}</h1>
            <Countdown id deadline_ms=attempt.deadline_ms server_now_ms=attempt.server_now_ms/>
            {move || notice().map(|(bad, text)| view! { <div class=if bad { "form-error" } else { "notice" } role="status">{text}</div> })}
            <form method="post" action=format!("/bai-thi/{id}/gui") class="attempt-form">
                {attempt.questions.into_iter().map(|q| view! { <QuestionBlock attempt_id=id question=q states answered/> }).collect_view()}
                <fieldset class="question prediction">
                    <legend><span class="qnum">{t(lang, "rounds.prediction")}</span>{attempt.prediction_question.clone()}</legend>
                    <label for="f-prediction">{t(lang, "rounds.prediction_label")}</label>
                    <input id="f-prediction" name="prediction" type="text" inputmode="numeric" autocomplete="off"
                        value=attempt.prediction.map(|p| p.to_string())
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            guess_state.set(Some(SaveState::Saving));
                            leptos::task::spawn_local(async move {
                                guess_state.set(Some(match save_guess(id, value).await {
                                    Ok(ack) => SaveState::Saved(ack.saved_at_ms),
                                    Err(e) => SaveState::Failed(error_text(lang, &e)),
                                }));
                            });
                        }/>
                    <SaveStatus state=Signal::derive(move || guess_state.get())/>
                </fieldset>
                <p class="hint" aria-live="polite">{progress}</p>
                <div class="actions sticky-actions">
                    <button type="submit" name="intent" value="save" class="button secondary">{t(lang, "rounds.save")}</button>
                    <button type="submit" name="intent" value="submit" class="button">{t(lang, "rounds.submit")}</button>
                </div>
            </form>
        </section>
    }
}

fn error_text(lang: Lang, e: &crate::error::AppError) -> String {
    match e.field_errors().and_then(|f| f.values().next().cloned()) {
        Some(key) => t(lang, &key),
        None => t(lang, e.message_key()),
    }
}

#[component]
fn QuestionBlock(attempt_id: i64, question: AttemptQuestion, states: RwSignal<BTreeMap<i64, SaveState>>, answered: RwSignal<usize>) -> impl IntoView {
    let lang = use_lang();
    let position = question.position;
    let multiple = question.kind == QuestionKind::Multiple;
    let chosen = RwSignal::new(question.answer.clone());
    let on_choice = move |index: usize, checked: bool| {
        let was_empty = chosen.get_untracked().is_empty();
        chosen.update(|c| {
            if !multiple {
                c.clear();
            }
            c.retain(|i| *i != index);
            if checked {
                c.push(index);
            }
            c.sort_unstable();
        });
        let now_empty = chosen.get_untracked().is_empty();
        if was_empty != now_empty {
            answered.update(|n| if now_empty { *n -= 1 } else { *n += 1 });
        }
        let answer = chosen.get_untracked().iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        states.update(|s| {
            s.insert(position, SaveState::Saving);
        });
        leptos::task::spawn_local(async move {
            let state = match save_choice(attempt_id, position, answer).await {
                Ok(ack) => SaveState::Saved(ack.saved_at_ms),
                Err(e) => SaveState::Failed(error_text(lang, &e)),
            };
            states.update(|s| {
                s.insert(position, state);
            });
        });
    };
    let name = format!("q{position}");
    let kind_hint = t(lang, if multiple { "rounds.choose_many" } else { "rounds.choose_one" });
    view! {
        <fieldset class="question" id=format!("cau-{position}")>
            <legend><span class="qnum">{fill(&t(lang, "rounds.question_n"), &[("n", &position.to_string())])}</span>{question.text.clone()}</legend>
            <p class="hint">{kind_hint}</p>
            {question.options.into_iter().enumerate().map(|(i, text)| {
                let input_id = format!("q{position}-o{i}");
                let letter = (b'A' + i as u8) as char;
                view! {
                    <label class="option" for=input_id.clone()>
                        <input id=input_id.clone() type=if multiple { "checkbox" } else { "radio" } name=name.clone() value=i
                            checked=question.answer.contains(&i)
                            on:change=move |ev| on_choice(i, event_target_checked(&ev))/>
                        <span class="letter">{letter}"."</span>
                        <span>{text}</span>
                    </label>
                }
            }).collect_view()}
            <SaveStatus state=Signal::derive(move || states.read().get(&position).cloned())/>
        </fieldset>
    }
}

#[component]
fn SaveStatus(state: Signal<Option<SaveState>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="save-status" aria-live="polite">
            {move || match state.get() {
                None => ().into_any(),
                Some(SaveState::Saving) => view! { <span class="saving">{t(lang, "rounds.saving")}</span> }.into_any(),
                Some(SaveState::Saved(at)) => {
                    let s = (at / 1000 + 7 * 3600).rem_euclid(86_400);
                    let clock = format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60);
                    view! { <span class="saved">{fill(&t(lang, "rounds.saved_at"), &[("at", &clock)])}</span> }.into_any()
                }
                Some(SaveState::Failed(msg)) => view! { <span class="save-failed" role="alert">{msg}</span> }.into_any(),
            }}
        </p>
    }
}

/// Time left, from the server's deadline. The server's clock rules: the browser only counts
/// down from the difference it was given, and at zero asks the server to submit.
#[component]
fn Countdown(id: i64, deadline_ms: i64, server_now_ms: i64) -> impl IntoView {
    let lang = use_lang();
    let left = RwSignal::new(deadline_ms - server_now_ms);
    #[cfg(feature = "hydrate")]
    {
        let started = js_sys::Date::now() as i64;
        let initial = deadline_ms - server_now_ms;
        let fired = StoredValue::new(false);
        Effect::new(move |_| {
            let handle = set_interval_with_handle(
                move || {
                    let remaining = initial - (js_sys::Date::now() as i64 - started);
                    left.set(remaining);
                    if remaining <= 0 && !fired.get_value() {
                        fired.set_value(true);
                        leptos::task::spawn_local(async move {
                            let _ = super::server_fns::submit_now(id).await;
                            let _ = window().location().set_href(&format!("/bai-thi/{id}/ket-qua"));
                        });
                    }
                },
                std::time::Duration::from_millis(500),
            );
            on_cleanup(move || {
                if let Ok(h) = handle {
                    h.clear();
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    let text = move || {
        let secs = (left.get().max(0) + 999) / 1000;
        format!("{:02}:{:02}", secs / 60, secs % 60)
    };
    let urgent = move || if left.get() < 60_000 { "countdown urgent" } else { "countdown" };
    view! {
        <div class=urgent role="timer" aria-live="off">
            <span>{t(lang, "rounds.time_left")}" "</span>
            <strong class="clock">{text}</strong>
            <span class="hint">" · "{fill(&t(lang, "rounds.deadline"), &[("at", &format_time(deadline_ms / 1000))])}</span>
        </div>
    }
}
