//! Bài thi: the attempt form, as an island of the light participant bundle.
//!
//! Before the WASM arrives (or on a phone where it never does) it is a plain form whose **Lưu
//! bài** and **Nộp bài** post every choice at once. Once hydrated:
//! - every choice goes into the save queue (`save_queue`) and is sent to
//!   `PUT /api/v1/attempts/{id}/answers/{position}` with its sequence number;
//! - a choice made before hydration is found by comparing the inputs with what the server
//!   held when it rendered the page, and sent;
//! - a failed save is retried with growing pauses, at once when the network comes back; until
//!   then the question says "Chưa lưu" and the page counts what is waiting; leaving the page
//!   asks first;
//! - unsaved choices are copied to `localStorage` and sent again when the attempt is opened
//!   again on this device, if they are newer than what the server holds;
//! - submitting (by the button or at time-up) first sends what is waiting, and says which
//!   answers may not count if that fails.

use crate::vn_time::show_secs;
use super::model::*;
use super::save_queue::{Queue, Slot, Status};
#[cfg(feature = "hydrate")]
use super::save_queue::Value;
use crate::i18n::{Texts, fill};
use crate::quiz::model::QuestionKind;

use leptos::prelude::*;
use std::collections::BTreeMap;

/// The texts the island shows, picked on the server in the page's locale.
pub const TEXT_KEYS: &[&str] = &[
    "rounds.prediction",
    "rounds.prediction_label",
    "rounds.prediction_read",
    "rounds.progress",
    "rounds.save",
    "rounds.submit",
    "rounds.choose_many",
    "rounds.choose_one",
    "rounds.question_n",
    "rounds.question_short",
    "rounds.saving",
    "rounds.saved_at",
    "rounds.unsaved",
    "rounds.unsaved_count",
    "rounds.signed_out",
    "rounds.superseded",
    "rounds.closed_dropped",
    "rounds.view_result",
    "rounds.leave_unsaved",
    "rounds.flushing",
    "rounds.submit_blocked",
    "rounds.retry_send",
    "rounds.submit_anyway",
    "rounds.submit_failed",
    "rounds.sent_all",
    "rounds.time_left",
    "rounds.deadline",
    "nav.login",
    "err.prediction_range",
];

/// Where the submission stands, once the person (or the clock) asked for it.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitting {
    Idle,
    /// Sending what is waiting before submitting.
    Flushing,
    /// Some choices could not be sent: they may not count if the person submits now.
    Blocked(Vec<Slot>),
    /// The submission itself could not reach the server.
    Failed,
    /// Submitted; going to the result.
    Done,
}

/// The attempt page's shared state, handed to the question blocks through context.
#[derive(Clone, Copy)]
pub struct Page {
    pub id: i64,
    pub queue: StoredValue<Queue>,
    pub statuses: RwSignal<BTreeMap<Slot, Status>>,
    /// How many choices the server has not confirmed.
    pub unsaved: RwSignal<usize>,
    /// Set when the attempt turned out to be closed: the note to show.
    pub closed: RwSignal<Option<String>>,
    pub submitting: RwSignal<Submitting>,
    /// The server's clock minus the browser's, measured when the page arrived.
    pub offset_ms: StoredValue<i64>,
    /// The earliest retry already scheduled, so only one timer waits at a time.
    pub wake_at: StoredValue<Option<i64>>,
    pub texts: StoredValue<Texts>,
    pub deadline_ms: i64,
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        self.texts.with_value(|t| t.get(key))
    }

    /// "Câu 3, Câu 7, Dự đoán".
    pub fn slot_list(&self, slots: &[Slot]) -> String {
        slots
            .iter()
            .map(|s| match s {
                Slot::Question(n) => fill(&self.t("rounds.question_short"), &[("n", &n.to_string())]),
                Slot::Prediction => self.t("rounds.prediction"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// An island everywhere but in the other light bundles, which leave it out (see `ui::Bundle`).
#[cfg_attr(any(not(feature = "islands"), feature = "bundle-attempt"), island)]
#[cfg_attr(all(feature = "islands", not(feature = "bundle-attempt")), component)]
pub fn AttemptIsland(attempt: AttemptView, texts: Texts, notice: Option<(bool, String)>) -> impl IntoView {
    let server_seq: Vec<(Slot, i64)> =
        attempt.questions.iter().map(|q| (Slot::Question(q.position), q.seq)).chain(std::iter::once((Slot::Prediction, attempt.prediction_seq))).collect();
    let page = Page {
        id: attempt.id,
        queue: StoredValue::new(Queue::new(server_seq)),
        statuses: RwSignal::new(BTreeMap::new()),
        unsaved: RwSignal::new(0),
        closed: RwSignal::new(None),
        submitting: RwSignal::new(Submitting::Idle),
        offset_ms: StoredValue::new(0),
        wake_at: StoredValue::new(None),
        texts: StoredValue::new(texts),
        deadline_ms: attempt.deadline_ms,
    };
    provide_context(page);
    let id = attempt.id;
    let total = attempt.questions.len();
    let answered = RwSignal::new(attempt.questions.iter().filter(|q| !q.answer.is_empty()).map(|q| q.position).collect::<std::collections::BTreeSet<i64>>());
    let progress = move || fill(&page.t("rounds.progress"), &[("n", &answered.with(|a| a.len()).to_string()), ("total", &total.to_string())]);
    let prediction_read = RwSignal::new(attempt.prediction.map(group_thousands));
    let hydrated = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    {
        let questions: Vec<(i64, usize, Vec<usize>)> = attempt.questions.iter().map(|q| (q.position, q.options.len(), q.answer.clone())).collect();
        let prediction = attempt.prediction;
        let server_now = attempt.server_now_ms;
        Effect::new(move |_| {
            client::start(page, server_now, &questions, prediction, answered);
            hydrated.set(true);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (answered, attempt.server_now_ms);

    let on_prediction = move |text: String| {
        prediction_read.set(read_prediction(&text).map(group_thousands));
        #[cfg(feature = "hydrate")]
        client::prediction_changed(page, &text);
    };
    let banner = move || {
        let n = page.unsaved.get();
        let waiting = page.statuses.with(|s| s.values().any(|st| matches!(st, Status::Unsaved | Status::SignedOut)));
        (n > 0 && waiting).then(|| view! { <div class="unsaved-banner" role="status">{fill(&page.t("rounds.unsaved_count"), &[("n", &n.to_string())])}</div> })
    };
    let closed_note = move || {
        page.closed.get().map(|text| view! {
            <div class="form-error" role="alert">{text}" "<a href=format!("/bai-thi/{id}/ket-qua")>{page.t("rounds.view_result")}</a></div>
        })
    };
    view! {
        <section class="card attempt" data-hydrated=move || hydrated.get().to_string()>
            <p class="hint">{attempt.contest_title.clone()}</p>
            <h1>{attempt.round_title.clone()}</h1>
            <Countdown deadline_ms=attempt.deadline_ms server_now_ms=attempt.server_now_ms/>
            {notice.map(|(bad, text)| view! { <div class=if bad { "form-error" } else { "notice" } role="status">{text}</div> })}
            {banner}
            {closed_note}
            <form method="post" action=format!("/bai-thi/{id}/gui") class="attempt-form" on:submit=move |ev| {
                #[cfg(feature = "hydrate")]
                client::on_submit(page, ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }>
                {attempt.questions.into_iter().map(|q| view! { <QuestionBlock question=q answered/> }).collect_view()}
                <fieldset class="question prediction">
                    <legend><span class="qnum">{page.t("rounds.prediction")}</span>{attempt.prediction_question.clone()}</legend>
                    <label for="f-prediction">{page.t("rounds.prediction_label")}</label>
                    <input id="f-prediction" name="prediction" type="text" inputmode="numeric" autocomplete="off"
                        value=attempt.prediction.map(|p| p.to_string())
                        on:input=move |ev| prediction_read.set(read_prediction(&event_target_value(&ev)).map(group_thousands))
                        on:change=move |ev| on_prediction(event_target_value(&ev))/>
                    <p class="hint" id="prediction-read" role="status">
                        {move || prediction_read.get().map(|v| fill(&page.t("rounds.prediction_read"), &[("n", &v)]))}
                    </p>
                    <SlotStatus which=Slot::Prediction/>
                </fieldset>
                <p class="hint" aria-live="polite">{progress}</p>
                <SubmitNotice/>
                <div class="actions sticky-actions">
                    <button type="submit" name="intent" value="save" class="button secondary">{page.t("rounds.save")}</button>
                    <button type="submit" name="intent" value="submit" class="button">{page.t("rounds.submit")}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn QuestionBlock(question: AttemptQuestion, answered: RwSignal<std::collections::BTreeSet<i64>>) -> impl IntoView {
    let page = expect_context::<Page>();
    let position = question.position;
    let multiple = question.kind == QuestionKind::Multiple;
    let count = question.options.len();
    let on_change = move || {
        #[cfg(feature = "hydrate")]
        {
            let chosen = client::chosen_in_page(position, count);
            answered.update(|a| {
                if chosen.is_empty() {
                    a.remove(&position);
                } else {
                    a.insert(position);
                }
            });
            client::choose(page, Slot::Question(position), Value::Options(chosen));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (answered, count);
    };
    let name = format!("q{position}");
    let kind_hint = page.t(if multiple { "rounds.choose_many" } else { "rounds.choose_one" });
    view! {
        <fieldset class="question" id=format!("cau-{position}")>
            <legend><span class="qnum">{fill(&page.t("rounds.question_n"), &[("n", &position.to_string())])}</span>{question.text.clone()}</legend>
            <p class="hint">{kind_hint}</p>
            {question.options.into_iter().enumerate().map(|(i, text)| {
                let input_id = format!("q{position}-o{i}");
                let letter = (b'A' + i as u8) as char;
                view! {
                    <label class="option" for=input_id.clone()>
                        <input id=input_id.clone() type=if multiple { "checkbox" } else { "radio" } name=name.clone() value=i
                            checked=question.answer.contains(&i)
                            on:change=move |_| on_change()/>
                        <span class="letter">{letter}"."</span>
                        <span>{text}</span>
                    </label>
                }
            }).collect_view()}
            <SlotStatus which=Slot::Question(position)/>
        </fieldset>
    }
}

/// What the page knows of one slot's last choice, beside it. One element whose class and
/// text follow the status: cheaper in the light bundle than a view per status.
#[component]
fn SlotStatus(which: Slot) -> impl IntoView {
    let page = expect_context::<Page>();
    let status = move || page.statuses.with(|s| s.get(&which).cloned());
    let class = move || match status() {
        None => "",
        Some(Status::Saving) => "saving",
        Some(Status::Saved(_)) => "saved",
        Some(Status::Unsaved | Status::SignedOut | Status::Superseded) => "unsaved",
        Some(Status::Refused(_)) => "save-failed",
    };
    let text = move || match status() {
        None => String::new(),
        Some(Status::Saving) => page.t("rounds.saving"),
        Some(Status::Saved(at)) => {
            fill(&page.t("rounds.saved_at"), &[("at", &crate::vn_time::clock_of_ms(at))])
        }
        Some(Status::Unsaved) => page.t("rounds.unsaved"),
        Some(Status::SignedOut) => page.t("rounds.signed_out"),
        Some(Status::Superseded) => page.t("rounds.superseded"),
        Some(Status::Refused(msg)) => msg,
    };
    let signed_out = move || !matches!(status(), Some(Status::SignedOut));
    view! {
        <p class="save-status" aria-live="polite">
            <span class=class>{text}</span>
            " "
            <a href=format!("/login?next=/bai-thi/{}", page.id) target="_blank" hidden=signed_out>{page.t("nav.login")}</a>
        </p>
    }
}

/// The state of a submission the person asked for: sending what waits, what could not be
/// sent, and the choice to try again or submit anyway.
#[component]
fn SubmitNotice() -> impl IntoView {
    let page = expect_context::<Page>();
    let state = move || page.submitting.get();
    let class = move || match state() {
        Submitting::Flushing => "notice",
        Submitting::Blocked(_) | Submitting::Failed => "form-error",
        _ => "",
    };
    let text = move || match state() {
        Submitting::Flushing => page.t("rounds.flushing"),
        Submitting::Failed => page.t("rounds.submit_failed"),
        Submitting::Blocked(slots) => fill(&page.t("rounds.submit_blocked"), &[("list", &page.slot_list(&slots))]),
        _ => String::new(),
    };
    let hidden = move || matches!(state(), Submitting::Idle | Submitting::Done);
    let no_choice = move || !matches!(state(), Submitting::Blocked(_));
    view! {
        <div class=class role="alert" hidden=hidden>
            <p>{text}</p>
            <p class="actions" hidden=no_choice>
                <button type="button" class="button secondary" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    leptos::task::spawn_local(client::submit(page, client::Why::Button));
                }>{page.t("rounds.retry_send")}</button>
                <button type="button" class="button" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    leptos::task::spawn_local(client::submit(page, client::Why::Anyway));
                }>{page.t("rounds.submit_anyway")}</button>
            </p>
        </div>
    }
}

/// Time left, from the server's deadline. The server's clock rules: the browser only counts
/// down from the difference it was given, and at zero submits (after sending what waits).
#[component]
fn Countdown(deadline_ms: i64, server_now_ms: i64) -> impl IntoView {
    let page = expect_context::<Page>();
    let left = RwSignal::new(deadline_ms - server_now_ms);
    #[cfg(feature = "hydrate")]
    {
        let started = crate::ui::browser::now_ms();
        let initial = deadline_ms - server_now_ms;
        let fired = StoredValue::new(false);
        Effect::new(move |_| {
            let handle = set_interval_with_handle(
                move || {
                    let remaining = initial - (crate::ui::browser::now_ms() - started);
                    left.set(remaining);
                    if remaining <= 0 && !fired.get_value() {
                        fired.set_value(true);
                        leptos::task::spawn_local(client::submit(page, client::Why::TimeUp));
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
    let text = move || {
        let secs = (left.get().max(0) + 999) / 1000;
        format!("{:02}:{:02}", secs / 60, secs % 60)
    };
    let urgent = move || if left.get() < 60_000 { "countdown urgent" } else { "countdown" };
    view! {
        <div class=urgent role="timer" aria-live="off">
            <span>{page.t("rounds.time_left")}" "</span>
            <strong class="clock">{text}</strong>
            <span class="hint">" · "{fill(&page.t("rounds.deadline"), &[("at", &show_secs(deadline_ms / 1000))])}</span>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    //! The island's work in the browser: the queue's timers, the network, the storage copy.

    use super::*;
    use crate::rounds::save_queue::{Reply, Stored, storage_key};
    use crate::ui::browser;

    /// At most this many saves on their way at once.
    const IN_FLIGHT: usize = 4;
    /// A save that has not answered in this long is treated as failed and retried.
    const SAVE_TIMEOUT_MS: i64 = 10_000;
    /// How long the submit button waits for the queue to empty before saying what is left.
    const FLUSH_WAIT_MS: i64 = 8_000;

    #[derive(Clone, Copy, PartialEq)]
    pub enum Why {
        Button,
        /// After being told some choices are not saved.
        Anyway,
        TimeUp,
    }

    fn server_now(page: Page) -> i64 {
        browser::now_ms() + page.offset_ms.get_value()
    }

    /// The options ticked in question `position`, as the page shows them now.
    pub fn chosen_in_page(position: i64, count: usize) -> Vec<usize> {
        (0..count).filter(|i| browser::input(&format!("q{position}-o{i}")).is_some_and(|el| el.checked())).collect()
    }

    /// After hydration: measure the clock, take back what this device kept, find choices made
    /// before the page was interactive, and start sending.
    pub fn start(page: Page, server_now_at_render: i64, questions: &[(i64, usize, Vec<usize>)], prediction: Option<i64>, answered: RwSignal<std::collections::BTreeSet<i64>>) {
        page.offset_ms.set_value(server_now_at_render - browser::now_ms());
        let kept: Stored = browser::storage_get(&storage_key(page.id)).and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
        let back = page.queue.try_update_value(|q| q.restore(kept)).unwrap_or_default();
        let mut restored = std::collections::BTreeSet::new();
        for item in back {
            restored.insert(item.slot);
            match (&item.slot, &item.value) {
                (Slot::Question(p), Value::Options(chosen)) => {
                    if let Some((_, count, _)) = questions.iter().find(|(q, _, _)| q == p) {
                        for i in 0..*count {
                            if let Some(el) = browser::input(&format!("q{p}-o{i}")) {
                                el.set_checked(chosen.contains(&i));
                            }
                        }
                    }
                }
                (Slot::Prediction, Value::Number(v)) => {
                    if let Some(el) = browser::input("f-prediction") {
                        el.set_value(&v.to_string());
                    }
                }
                _ => {}
            }
            page.statuses.update(|s| {
                s.insert(item.slot, Status::Unsaved);
            });
        }
        // A choice clicked while the page was still loading is in the inputs but was never
        // sent: whatever differs from what the server held is a new choice.
        for (position, count, held) in questions {
            let slot = Slot::Question(*position);
            let now = chosen_in_page(*position, *count);
            if !restored.contains(&slot) && &now != held {
                choose_quietly(page, slot, Value::Options(now));
            }
        }
        if !restored.contains(&Slot::Prediction) {
            let typed = browser::input("f-prediction").map(|el| el.value()).unwrap_or_default();
            if let Some(v) = read_prediction(&typed).filter(|v| Some(*v) != prediction) {
                choose_quietly(page, Slot::Prediction, Value::Number(v));
            }
        }
        answered.set(questions.iter().filter(|(p, n, _)| !chosen_in_page(*p, *n).is_empty()).map(|(p, _, _)| *p).collect());
        browser::on_window("online", move |_| pump(page, true));
        browser::on_window("beforeunload", move |ev| {
            if !page.queue.with_value(|q| q.is_empty()) && page.submitting.get_untracked() != Submitting::Done {
                use wasm_bindgen::JsCast;
                ev.prevent_default();
                if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                    ev.set_return_value(&page.t("rounds.leave_unsaved"));
                }
            }
        });
        persist(page);
        pump(page, true);
    }

    fn choose_quietly(page: Page, slot: Slot, value: Value) {
        let now = server_now(page);
        page.queue.update_value(|q| {
            q.choose(slot, value, now);
        });
        page.statuses.update(|s| {
            s.insert(slot, Status::Saving);
        });
    }

    /// A choice the person just made.
    pub fn choose(page: Page, slot: Slot, value: Value) {
        if page.closed.get_untracked().is_some() {
            return;
        }
        choose_quietly(page, slot, value);
        persist(page);
        pump(page, false);
    }

    pub fn prediction_changed(page: Page, text: &str) {
        match read_prediction(text) {
            Some(v) => choose(page, Slot::Prediction, Value::Number(v)),
            None if text.trim().is_empty() => {}
            None => page.statuses.update(|s| {
                s.insert(Slot::Prediction, Status::Refused(page.t("err.prediction_range")));
            }),
        }
    }

    /// Keeps the browser's copy in step with the queue.
    fn persist(page: Page) {
        let stored = page.queue.with_value(|q| q.stored());
        page.unsaved.set(stored.items.len());
        let json = (!stored.items.is_empty()).then(|| serde_json::to_string(&stored).unwrap_or_default());
        browser::storage_set(&storage_key(page.id), json.as_deref());
    }

    /// Sends what is due (everything, when `force`), and sets a timer for the next retry.
    pub fn pump(page: Page, force: bool) {
        if page.closed.get_untracked().is_some() {
            return;
        }
        let now = browser::now_ms();
        let sends = page.queue.try_update_value(|q| q.take_due(now, force, IN_FLIGHT)).unwrap_or_default();
        for send in sends {
            page.statuses.update(|s| {
                s.insert(send.slot, Status::Saving);
            });
            leptos::task::spawn_local(async move {
                let reply = save(page, &send).await;
                settle(page, send.slot, send.seq, reply);
            });
        }
        if let Some(at) = page.queue.with_value(|q| q.next_wake()).filter(|at| *at > now) {
            if page.wake_at.get_value().is_none_or(|w| w > at || w <= now) {
                page.wake_at.set_value(Some(at));
                browser::after(at - now, move || {
                    page.wake_at.set_value(None);
                    pump(page, false);
                });
            }
        }
    }

    /// The part of an error answer the page shows.
    #[derive(serde::Deserialize)]
    struct ErrorMessage {
        #[serde(default)]
        message: String,
    }

    /// What the network said about one save.
    enum Outcome {
        Reply(Reply),
        /// The attempt is over; the server's message.
        Closed(String),
    }

    async fn save(page: Page, send: &crate::rounds::save_queue::Send) -> Outcome {
        // The bodies are a list of small integers and two numbers: written by hand, they keep
        // JSON serialisation out of the light bundle.
        let (url, body) = match (&send.slot, &send.value) {
            (Slot::Question(p), Value::Options(answer)) => {
                let list = answer.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
                (format!("/api/v1/attempts/{}/answers/{p}", page.id), format!("{{\"answer\":[{list}],\"seq\":{}}}", send.seq))
            }
            (Slot::Prediction, Value::Number(v)) => (format!("/api/v1/attempts/{}/prediction", page.id), format!("{{\"value\":{v},\"seq\":{}}}", send.seq)),
            _ => return Outcome::Reply(Reply::Refused(String::new())),
        };
        let Some(answer) = browser::fetch_json("PUT", &url, Some(body), SAVE_TIMEOUT_MS).await else {
            return Outcome::Reply(Reply::Retry { after_ms: None });
        };
        let message = || serde_json::from_str::<ErrorMessage>(&answer.body).map(|e| e.message).unwrap_or_default();
        Outcome::Reply(match answer.status {
            200 => match serde_json::from_str::<SaveAck>(&answer.body) {
                Ok(ack) if ack.applied => Reply::Saved { at_ms: ack.saved_at_ms },
                Ok(_) => Reply::Superseded,
                Err(_) => Reply::Retry { after_ms: None },
            },
            401 => Reply::SignedOut,
            409 => return Outcome::Closed(message()),
            400 | 404 | 422 => Reply::Refused(message()),
            _ => Reply::Retry { after_ms: answer.retry_after_ms },
        })
    }

    fn settle(page: Page, slot: Slot, seq: i64, outcome: Outcome) {
        match outcome {
            Outcome::Closed(message) => close(page, message),
            Outcome::Reply(reply) => {
                let status = page.queue.try_update_value(|q| q.settle(slot, seq, reply, browser::now_ms(), browser::random())).flatten();
                if let Some(status) = status {
                    page.statuses.update(|s| {
                        s.insert(slot, status);
                    });
                }
                persist(page);
                pump(page, false);
            }
        }
    }

    /// The server says the attempt is over: what is waiting can no longer count; say so.
    fn close(page: Page, message: String) {
        let dropped = page.queue.try_update_value(|q| q.close()).unwrap_or_default();
        persist(page);
        page.statuses.update(|s| {
            for slot in &dropped {
                s.insert(*slot, Status::Refused(message.clone()));
            }
        });
        let note = if dropped.is_empty() { message } else { format!("{message} {}", fill(&page.t("rounds.closed_dropped"), &[("list", &page.slot_list(&dropped))])) };
        page.closed.set(Some(note));
    }

    pub fn on_submit(page: Page, ev: web_sys::SubmitEvent) {
        ev.prevent_default();
        let intent = ev.submitter().and_then(|b| b.get_attribute("value")).unwrap_or_default();
        if intent == "submit" {
            leptos::task::spawn_local(submit(page, Why::Button));
        } else {
            pump(page, true);
        }
    }

    /// Sends what waits, then submits. At time-up the server accepts saves for a few more
    /// seconds, so the wait is short; the server submits by itself if the browser cannot.
    pub async fn submit(page: Page, why: Why) {
        if matches!(page.submitting.get_untracked(), Submitting::Flushing | Submitting::Done) && why != Why::TimeUp {
            return;
        }
        if page.closed.get_untracked().is_some() {
            browser::go_to(&format!("/bai-thi/{}/ket-qua", page.id));
            return;
        }
        page.submitting.set(Submitting::Flushing);
        if why != Why::Anyway {
            pump(page, true);
            let wait = if why == Why::TimeUp { 2_500 } else { FLUSH_WAIT_MS };
            let until = browser::now_ms() + wait;
            while browser::now_ms() < until && !page.queue.with_value(|q| q.is_empty()) && page.closed.get_untracked().is_none() {
                browser::sleep(200).await;
                if !page.queue.with_value(|q| q.in_flight()) {
                    pump(page, true);
                }
            }
        }
        let left = page.queue.with_value(|q| q.unsaved());
        if !left.is_empty() && why == Why::Button {
            page.submitting.set(Submitting::Blocked(left));
            return;
        }
        let url = format!("/api/v1/attempts/{}/submit", page.id);
        let mut tries = if why == Why::TimeUp { 3 } else { 1 };
        loop {
            match browser::fetch_json("POST", &url, None, SAVE_TIMEOUT_MS).await {
                Some(a) if a.status == 200 || a.status == 409 => break,
                _ if tries > 1 => {
                    tries -= 1;
                    browser::sleep(1_000).await;
                }
                // At time-up the server submits by itself; the result page says what counted.
                _ if why == Why::TimeUp => break,
                _ => {
                    page.submitting.set(Submitting::Failed);
                    return;
                }
            }
        }
        page.submitting.set(Submitting::Done);
        let lost = page.queue.try_update_value(|q| q.close()).unwrap_or_default();
        persist(page);
        let mut target = format!("/bai-thi/{}/ket-qua", page.id);
        if !lost.is_empty() {
            let codes: Vec<String> = lost.iter().map(|s| match s {
                Slot::Question(n) => n.to_string(),
                Slot::Prediction => "p".into(),
            }).collect();
            target.push_str(&format!("?chua-luu={}", codes.join(",")));
        }
        browser::go_to(&target);
    }
}
