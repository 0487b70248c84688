//! Submitting from the attempt page: the question before it ("Nộp bài?") and, once asked
//! for, what stands in its way (choices not yet saved, no network).

use super::{Page, Submitting};
use crate::i18n::fill;
use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use super::client;

/// "Nộp bài?": how many questions are unanswered, whether the prediction is missing, and how
/// many attempts remain, before a tap uses up an attempt. Time-up does not ask.
#[component]
pub(super) fn ConfirmSubmit() -> impl IntoView {
    let page = expect_context::<Page>();
    let asking = move || page.submitting.get() == Submitting::Confirm;
    let unanswered = move || {
        let n = page.total - page.answered.with(|a| a.len()).min(page.total);
        let total = page.total.to_string();
        if n == 0 {
            fill(&page.t("rounds.confirm_all_answered"), &[("total", &total)])
        } else {
            fill(&page.t("rounds.confirm_unanswered"), &[("n", &n.to_string()), ("total", &total)])
        }
    };
    let no_prediction = move || page.prediction_read.with(|p| p.is_none()).then(|| view! { <p>{page.t("rounds.confirm_no_prediction")}</p> });
    let attempts = if page.attempts_left_after > 0 {
        fill(&page.t("rounds.confirm_attempts_left"), &[("n", &page.attempts_left_after.to_string())])
    } else {
        page.t("rounds.confirm_last_attempt")
    };
    view! {
        <div class="confirm-submit" role="alertdialog" aria-labelledby="confirm-title" hidden=move || !asking()>
            <h2 id="confirm-title">{page.t("rounds.confirm_title")}</h2>
            <p class="unanswered">{unanswered}</p>
            {no_prediction}
            <p>{attempts}</p>
            <p class="actions">
                <button type="button" class="button secondary" on:click=move |_| page.submitting.set(Submitting::Idle)>{page.t("rounds.keep_working")}</button>
                <button type="button" class="button" id="confirm-submit" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    leptos::task::spawn_local(client::submit(page, client::Why::Button));
                }>{page.t("rounds.confirm_submit")}</button>
            </p>
        </div>
    }
}

/// The state of a submission the person asked for: sending what waits, what could not be
/// sent, and the choice to try again or submit anyway.
#[component]
pub(super) fn SubmitNotice() -> impl IntoView {
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
    let hidden = move || matches!(state(), Submitting::Idle | Submitting::Confirm | Submitting::Done);
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
