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
        // Ask first (`ConfirmSubmit`); the dialog's own button submits.
        if matches!(page.submitting.get_untracked(), Submitting::Idle | Submitting::Failed) {
            page.submitting.set(Submitting::Confirm);
            browser::focus("confirm-submit");
        }
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
