//! Trang «Dấu hiệu thi hộ» of a round's control room: flagged attempts, highest risk first,
//! with their evidence in words, links to the attempt and the account, and the two actions a
//! person may take: dismiss with a note, or disqualify through the round's audited flow.

use super::model::{FlaggedAttempt, explain};
use super::server_fns::{DismissFlag, round_integrity};
use crate::i18n::{fill, t};
use crate::rounds::server_fns::DisqualifyEntry;
use crate::rounds::take::{duration_text, score_text};
use crate::ui::forms::{FormError, action_error};
use crate::ui::{Loaded, param_id, use_lang};
use crate::vn_time::show_secs;
use leptos::prelude::*;
use leptos_router::components::A;

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn IntegrityPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let dismiss = ServerAction::<DismissFlag>::new();
    let disqualify = ServerAction::<DisqualifyEntry>::new();
    let dismiss_err = action_error(dismiss.value());
    let dq_err = action_error(disqualify.value());
    let report = Resource::new(move || (id(), dismiss.version().get(), disqualify.version().get()), |(id, ..)| round_integrity(id));
    view! {
        <Loaded resource=report let:r>
            <section class="card">
                <p><A href=format!("/admin/rounds/{}", r.round_id)>{format!("{} — {}", r.contest_title, r.round_title)}</A></p>
                <h1>{t(lang, "integrity.heading")}</h1>
                <p class="hint">{t(lang, "integrity.intro")}</p>
                <p class="hint" id="integrity-checked">
                    {fill(&t(lang, "integrity.checked"), &[("n", &crate::numbers::group_digits(lang, r.attempts_checked)), ("ms", &r.computed_in_ms.to_string())])}
                </p>
                <FormError err=dismiss_err/>
                <FormError err=dq_err/>
                {if r.flagged.is_empty() {
                    view! { <p class="empty">{t(lang, "integrity.none")}</p> }.into_any()
                } else {
                    view! {
                        <ol class="flags">
                            {r.flagged.iter().cloned().map(|f| view! { <Flagged f=f round_id=r.round_id dismiss=dismiss disqualify=disqualify/> }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        </Loaded>
    }
}

#[component]
fn Flagged(f: FlaggedAttempt, round_id: i64, dismiss: ServerAction<DismissFlag>, disqualify: ServerAction<DisqualifyEntry>) -> impl IntoView {
    let lang = use_lang();
    let risk = format!("{:?}", f.risk).to_lowercase();
    let facts = [
        f.score.map(|s| format!("{} / {}", score_text(lang, s), score_text(lang, f.max_score))),
        f.time_taken_ms.map(|ms| duration_text(lang, ms)),
        f.submitted_at_ms.map(|at| show_secs(at / 1000)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let attempt_id = f.attempt_id;
    view! {
        <li class=format!("flag risk-{risk}") id=format!("flag-{attempt_id}")>
            <p>
                <span class=format!("badge risk-{risk}")>{format!("{}: {}", t(lang, "integrity.risk"), t(lang, f.risk.key()))}</span>" "
                <strong><a href=format!("/admin/users?q={}", f.full_name)>{format!("#{} {}", f.user_id, f.full_name)}</a></strong>
                {f.unit_name.clone().map(|u| view! { <span class="hint">{format!(" — {u}")}</span> })}
            </p>
            <p class="hint">
                <a href=format!("/bai-thi/{attempt_id}/ket-qua")>{fill(&t(lang, "integrity.open_attempt"), &[("id", &attempt_id.to_string())])}</a>
                {format!(" · {facts}")}
            </p>
            <ul class="evidence">
                {f.evidence.iter().map(|e| view! {
                    <li class=format!("signal-{}", e.code())><strong>{t(lang, &format!("integrity.sig_{}", e.code()))}": "</strong>{explain(lang, e)}</li>
                }).collect_view()}
            </ul>
            {match (&f.dismissal, f.disqualified) {
                (_, true) => view! { <p class="notice">{t(lang, "integrity.disqualified")}</p> }.into_any(),
                (Some(d), false) => view! {
                    <p class="notice dismissed">{fill(&t(lang, "integrity.dismissed"), &[("note", &d.note), ("by", d.decided_by.as_deref().unwrap_or("")), ("at", &show_secs(d.decided_at))])}</p>
                }.into_any(),
                (None, false) => view! {
                    <div class="flag-actions">
                        <ActionForm action=dismiss attr:class="inline-form">
                            <input type="hidden" name="round_id" value=round_id/>
                            <input type="hidden" name="attempt_id" value=attempt_id/>
                            <label for=format!("note-{attempt_id}")>{t(lang, "integrity.dismiss_note")}</label>
                            <input id=format!("note-{attempt_id}") name="note" type="text" required minlength="5"/>
                            <button type="submit" class="button secondary">{t(lang, "integrity.dismiss")}</button>
                        </ActionForm>
                        <ActionForm action=disqualify attr:class="inline-form">
                            <input type="hidden" name="round_id" value=round_id/>
                            <input type="hidden" name="user_id" value=f.user_id.to_string()/>
                            <label for=format!("reason-{attempt_id}")>{t(lang, "integrity.disqualify_reason")}</label>
                            <input id=format!("reason-{attempt_id}") name="reason" type="text" required minlength="5"/>
                            <button type="submit" class="button danger">{t(lang, "integrity.disqualify")}</button>
                        </ActionForm>
                    </div>
                }.into_any(),
            }}
        </li>
    }
}
