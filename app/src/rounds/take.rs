//! The participant's pages: rounds, a round's entry page, the attempt, its result, and the
//! public results. The attempt is a plain form (it saves and submits before the WASM loads);
//! once hydrated, every choice is saved the moment it is made and acknowledged beside the
//! question, and a countdown runs from the server's deadline.

use super::model::*;
use super::server_fns::{StartAttempt, get_attempt, load_attempt_result, public_rounds, published_results, round_entry, save_choice, save_guess};
use crate::accounts::pages::load_error;
use crate::i18n::{Lang, fill, t};
use crate::quiz::model::QuestionKind;
use crate::ui::forms::{FormError, action_error, loading};
use crate::ui::{format_time, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::BTreeMap;

fn param_id(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync {
    let params = use_params_map();
    move || params.read().get(name).and_then(|v| v.parse().ok()).unwrap_or(0)
}

pub fn phase_key(phase: RoundPhase) -> &'static str {
    match phase {
        RoundPhase::Upcoming => "rounds.phase_upcoming",
        RoundPhase::Open => "rounds.phase_open",
        RoundPhase::Closing => "rounds.phase_closing",
        RoundPhase::Closed => "rounds.phase_closed",
    }
}

/// Hundredths of a question as shown: "18" or "17,66" (Vietnamese decimal comma).
pub fn score_text(hundredths: i64) -> String {
    if hundredths % 100 == 0 { (hundredths / 100).to_string() } else { format!("{},{:02}", hundredths / 100, hundredths % 100) }
}

/// Milliseconds as "12 phút 05 giây" / "12 min 05 s".
pub fn duration_text(lang: Lang, ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    fill(&t(lang, "rounds.duration"), &[("m", &(secs / 60).to_string()), ("s", &format!("{:02}", secs % 60))])
}

/// The list of rounds: open now, upcoming, and those with published results.
#[component]
pub fn RoundList() -> impl IntoView {
    let lang = use_lang();
    let rounds = Resource::new(|| (), |_| public_rounds());
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match rounds.await {
                    Ok(list) if list.iter().any(|r| r.phase != RoundPhase::Closed || r.published) => view! {
                        <ul class="round-list">
                            {list.into_iter().filter(|r| r.phase != RoundPhase::Closed || r.published).map(|r| {
                                let href = if r.phase == RoundPhase::Closed { format!("/ket-qua/{}", r.id) } else { format!("/thi/{}", r.id) };
                                let when = fill(&t(lang, "rounds.when"), &[("from", &format_time(r.opens_at)), ("to", &format_time(r.closes_at))]);
                                view! {
                                    <li class=format!("round-item phase-{:?}", r.phase).to_lowercase()>
                                        <span class="badge">{t(lang, phase_key(r.phase))}</span>
                                        <A href=href>{format!("{} — {}", r.contest_title, r.title)}</A>
                                        <span class="hint">{when}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Ok(_) => view! { <p class="empty">{t(lang, "home.no_contests")}</p> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>{t(use_lang(), "rounds.heading")}</h1>
            <RoundList/>
        </section>
    }
}

#[component]
pub fn RoundEntryPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let start = ServerAction::<StartAttempt>::new();
    let start_err = action_error(start.value());
    let entry = Resource::new(id, round_entry);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let e = match entry.await {
                    Ok(e) => e,
                    Err(err) => return load_error(err),
                };
                let facts = vec![
                    ("rounds.phase", t(lang, phase_key(e.round.phase))),
                    ("rounds.opens", format_time(e.round.opens_at)),
                    ("rounds.closes", format_time(e.round.closes_at)),
                    ("rounds.questions", e.question_count.to_string()),
                    ("rounds.time_limit", fill(&t(lang, "rounds.minutes"), &[("n", &(e.time_limit_secs / 60).to_string())])),
                    ("rounds.max_attempts", e.max_attempts.to_string()),
                ];
                let open = e.attempts.iter().find(|a| a.status == "open").map(|a| a.id);
                view! {
                    <section class="card narrow">
                        <p class="hint">{e.round.contest_title.clone()}</p>
                        <h1>{e.round.title.clone()}</h1>
                        <dl class="facts">
                            {facts.into_iter().map(|(k, v)| view! { <dt>{t(lang, k)}</dt><dd>{v}</dd> }).collect_view()}
                        </dl>
                        <p><strong>{t(lang, "rounds.prediction")}": "</strong>{e.prediction_question.clone()}</p>
                        <FormError err=start_err/>
                        {e.can_start.then(|| view! {
                            <ActionForm action=start>
                                <input type="hidden" name="round_id" value=e.round.id/>
                                <button type="submit" class="button big">{t(lang, if open.is_some() { "rounds.resume" } else { "rounds.start" })}</button>
                            </ActionForm>
                        })}
                        {(!e.attempts.is_empty()).then(|| view! {
                            <h2>{t(lang, "rounds.my_attempts")}</h2>
                            <ul>
                                {e.attempts.iter().map(|a| {
                                    let (href, label) = if a.status == "open" { (format!("/bai-thi/{}", a.id), t(lang, "rounds.resume")) } else { (format!("/bai-thi/{}/ket-qua", a.id), t(lang, "rounds.view_result")) };
                                    let text = fill(&t(lang, "rounds.attempt_n"), &[("n", &a.number.to_string()), ("at", &format_time(a.started_at_ms / 1000))]);
                                    view! { <li>{text}" — "<A href=href>{label}</A></li> }
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

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

#[component]
pub fn ResultPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let result = Resource::new(id, load_attempt_result);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let r = match result.await {
                    Ok(r) => r,
                    Err(e) => return load_error(e),
                };
                let score = r.score.map(|s| format!("{} / {}", score_text(s), score_text(r.max_score)));
                view! {
                    <section class="card narrow result">
                        <h1>{t(lang, "rounds.result_heading")}</h1>
                        <p class="hint">{r.round_title.clone()}</p>
                        {(r.submitted_by.as_deref() == Some("server")).then(|| view! { <div class="notice">{t(lang, "rounds.auto_submitted")}</div> })}
                        <dl class="facts">
                            {score.map(|s| view! { <dt>{t(lang, "rounds.score")}</dt><dd class="score">{s}</dd> })}
                            {r.correct_count.map(|c| view! { <dt>{t(lang, "rounds.correct_count")}</dt><dd>{c}</dd> })}
                            <dt>{t(lang, "rounds.time_taken")}</dt><dd>{r.time_taken_ms.map(|ms| duration_text(lang, ms))}</dd>
                            <dt>{t(lang, "rounds.prediction")}</dt>
                            <dd>{r.prediction_question.clone()}" — "<strong>{r.prediction.map(|p| p.to_string()).unwrap_or_else(|| t(lang, "rounds.no_prediction"))}</strong></dd>
                        </dl>
                        {(r.review_level < ReviewLevel::Score).then(|| view! { <p class="hint">{t(lang, "rounds.review_later")}</p> })}
                        {(r.attempts_left > 0).then(|| view! { <p><a class="button secondary" href=format!("/thi/{}", r.round_id)>{fill(&t(lang, "rounds.attempts_left"), &[("n", &r.attempts_left.to_string())])}</a></p> })}
                    </section>
                    {(!r.review.is_empty()).then(|| view! { <Review items=r.review.clone()/> })}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Review(items: Vec<ReviewItem>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card review">
            <h2>{t(lang, "rounds.review")}</h2>
            {items.into_iter().map(|item| {
                let mark = match item.is_correct {
                    Some(true) => ("right", t(lang, "rounds.right")),
                    Some(false) => ("wrong", t(lang, "rounds.wrong")),
                    None => ("", String::new()),
                };
                view! {
                    <div class=format!("review-item {}", mark.0)>
                        <p><strong>{fill(&t(lang, "rounds.question_n"), &[("n", &item.position.to_string())])}</strong>" "{item.text.clone()}" "<span class="mark">{mark.1}</span></p>
                        <ul>
                            {item.options.iter().enumerate().map(|(i, o)| {
                                let mine = item.answer.contains(&i);
                                let key = item.correct.as_ref().map(|c| c.contains(&i)).unwrap_or(false);
                                let class = format!("{}{}", if mine { "mine " } else { "" }, if key { "key" } else { "" });
                                let suffix = match (mine, key) {
                                    (true, true) => t(lang, "rounds.your_answer_key"),
                                    (true, false) => t(lang, "rounds.your_answer"),
                                    (false, true) => t(lang, "rounds.the_key"),
                                    _ => String::new(),
                                };
                                view! { <li class=class>{o.clone()}<span class="hint">{suffix}</span></li> }
                            }).collect_view()}
                        </ul>
                        {item.explanation.map(|e| view! { <p class="explanation">{e}</p> })}
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
pub fn PublicResultsPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let results = Resource::new(id, published_results);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let r = match results.await {
                    Ok(r) => r,
                    Err(e) => return load_error(e),
                };
                view! {
                    <section class="card">
                        <p class="hint">{r.contest_title.clone()}</p>
                        <h1>{fill(&t(lang, "rounds.results_heading"), &[("round", &r.round_title)])}</h1>
                        <p>{r.prediction_question.clone()}" — "<strong>{r.prediction_truth.map(|v| v.to_string())}</strong></p>
                        <p class="hint">{fill(&t(lang, "rounds.published_at"), &[("at", &format_time(r.published_at))])}</p>
                        <div class="table-wrap">
                            <table>
                                {crate::ui::forms::table_head(lang, &["rounds.place", "rounds.prize", "rounds.name", "rounds.unit", "rounds.score", "rounds.time_taken", "rounds.prediction_short"])}
                                <tbody>
                                    {r.winners.iter().map(|w| view! {
                                        <tr>
                                            <td class="num">{w.place}</td>
                                            <td>{w.prize.clone()}</td>
                                            <td>{w.name.clone()}</td>
                                            <td>{w.unit_name.clone()}</td>
                                            <td class="num">{score_text(w.score)}</td>
                                            <td class="num">{duration_text(lang, w.time_taken_ms)}</td>
                                            <td class="num">{w.prediction}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
