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
use submit::{ConfirmSubmit, SubmitNotice};

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
    "rounds.confirm_title",
    "rounds.confirm_unanswered",
    "rounds.confirm_all_answered",
    "rounds.confirm_no_prediction",
    "rounds.confirm_attempts_left",
    "rounds.confirm_last_attempt",
    "rounds.confirm_submit",
    "rounds.keep_working",
    "rounds.sent_all",
    "rounds.time_left",
    "rounds.deadline",
    "nav.login",
    "err.prediction_range",
    "num.group",
];

/// Where the submission stands, once the person (or the clock) asked for it.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitting {
    Idle,
    /// The person pressed **Nộp bài**: asking whether to submit, with what is unanswered.
    Confirm,
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
    /// Questions in the attempt, and the positions answered so far (for "3 câu chưa trả lời").
    pub total: usize,
    pub answered: RwSignal<std::collections::BTreeSet<i64>>,
    /// The prediction as understood ("5.000"), once one is typed.
    pub prediction_read: RwSignal<Option<String>>,
    pub attempts_left_after: i64,
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
    let total = attempt.questions.len();
    let answered = RwSignal::new(attempt.questions.iter().filter(|q| !q.answer.is_empty()).map(|q| q.position).collect::<std::collections::BTreeSet<i64>>());
    // The number as understood, grouped as the page's language writes it ("5.000" / "5,000").
    let separator: &'static str = if texts.get("num.group") == "," { "," } else { "." };
    let group = move |v: i64| crate::numbers::group_with(separator, v);
    let prediction_read = RwSignal::new(attempt.prediction.map(group));
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
        total,
        answered,
        prediction_read,
        attempts_left_after: attempt.attempts_left_after,
    };
    provide_context(page);
    let id = attempt.id;
    let progress = move || fill(&page.t("rounds.progress"), &[("n", &answered.with(|a| a.len()).to_string()), ("total", &total.to_string())]);
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
        prediction_read.set(read_prediction(&text).map(group));
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
                        on:input=move |ev| prediction_read.set(read_prediction(&event_target_value(&ev)).map(group))
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
                <ConfirmSubmit/>
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
mod client;
mod submit;
