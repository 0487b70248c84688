//! The organizer's pages: contests, and a contest's rounds with the round form (also used by
//! the round's control room in `round_admin`).

use crate::vn_time::show_secs;
use super::model::*;
use super::model::RoundForm;
use super::server_fns::{ChangeContestDraft, CreateContest, CreateRound, TIE_BREAK_PRESETS, contest_detail, list_contests};
use super::rule_builder::DrawRuleField;
use super::take::phase_key;
use crate::error::AppError;
use crate::i18n::{Lang, fill, t};
use crate::ui::forms::{FieldError, FormError, TextField, action_error, form_area, form_input};
use crate::ui::{ConfirmSubmit, ListOf, Loaded, Table, param_id, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn Contests() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateContest>::new();
    let err = action_error(create.value());
    let contests = Resource::new(move || create.version().get(), |_| list_contests());
    view! {
        <section class="card">
            <h1>{t(lang, "contests.heading")}</h1>
            <ListOf resource=contests empty="contests.none" let:list>
                <ul class="round-list">
                    {list.into_iter().map(|c| view! {
                        <li><A href=format!("/admin/contests/{}", c.id)>{c.title.clone()}</A>
                            {c.draft.then(|| view! { " "<span class="badge draft">{t(lang, "drafts.badge")}</span> })}
                            " "<span class="hint">{fill(&t(lang, "contests.rounds_count"), &[("n", &c.rounds.len().to_string()), ("year", &c.year.to_string())])}</span></li>
                    }).collect_view()}
                </ul>
            </ListOf>
        </section>
        <section class="card" aria-labelledby="new-contest">
            <h2 id="new-contest">{t(lang, "contests.new")}</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormError err/>
                <TextField err name="title" label_key="contests.title"/>
                <TextField err name="year" label_key="contests.year" inputmode="numeric" value="2026"/>
                <div class="field">
                    <label for="f-description">{t(lang, "contests.description")}</label>
                    <textarea id="f-description" name="description" rows="2"></textarea>
                </div>
                <div class="field">
                    <label for="f-tie_breaks">{t(lang, "contests.tie_breaks")}</label>
                    <select id="f-tie_breaks" name="tie_breaks">
                        {TIE_BREAK_PRESETS.iter().map(|(value, key)| view! { <option value=*value>{t(lang, key)}</option> }).collect_view()}
                    </select>
                    <FieldError err field="tie_breaks"/>
                </div>
                <div class="field">
                    <label for="f-name_display">{t(lang, "contests.name_display")}</label>
                    <select id="f-name_display" name="name_display">
                        <option value="masked">{t(lang, "contests.names_masked")}</option>
                        <option value="full">{t(lang, "contests.names_full")}</option>
                    </select>
                </div>
                <label class="check"><input type="checkbox" name="draft" checked=true/>" "{t(lang, "drafts.save_as_draft")}</label>
                <button type="submit" class="button">{t(lang, "units.create")}</button>
            </ActionForm>
        </section>
    }
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn ContestDetail() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let create = ServerAction::<CreateRound>::new();
    let change = ServerAction::<ChangeContestDraft>::new();
    let err = action_error(create.value());
    let change_err = action_error(change.value());
    let contest = Resource::new(move || (id(), change.version().get()), |(id, _)| contest_detail(id));
    view! {
        <Loaded resource=contest let:c>
            <section class="card">
                <p><A href="/admin/contests">{t(lang, "contests.heading")}</A></p>
                <h1>{c.title.clone()}" "{c.draft.then(|| view! { <span class="badge draft">{t(lang, "drafts.badge")}</span> })}</h1>
                {(!c.description.is_empty()).then(|| view! { <p>{c.description.clone()}</p> })}
                <ContestDraftActions contest=c.clone() action=change err=change_err/>
                <RoundTable rounds=c.rounds.clone()/>
            </section>
            <section class="card" aria-labelledby="new-round">
                <h2 id="new-round">{t(lang, "rounds.new")}</h2>
                <ActionForm action=create attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="contest_id" value=c.id/>
                    <RoundFields err initial=default_form()/>
                    <label class="check"><input type="checkbox" name="draft" checked=true/>" "{t(lang, "drafts.save_as_draft")}</label>
                    <button type="submit" class="button">{t(lang, "units.create")}</button>
                </ActionForm>
            </section>
        </Loaded>
    }
}

/// A draft contest's banner with Announce and Delete; a public one's Back to draft.
#[component]
fn ContestDraftActions(contest: Contest, action: ServerAction<ChangeContestDraft>, err: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let form = move |change: &'static str, id: &'static str, label: &'static str, message: String, danger: bool| view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="contest_id" value=contest.id/>
            <input type="hidden" name="change" value=change/>
            <ConfirmSubmit id label=t(lang, label) message danger/>
        </ActionForm>
    };
    let n = contest.rounds.len().to_string();
    view! {
        <FormError err/>
        {if contest.draft {
            view! {
                <div class="draft-banner" id="contest-draft">
                    <p>{t(lang, "drafts.contest_banner")}</p>
                    {form("announce", "contest-announce", "drafts.announce", t(lang, "drafts.announce_contest_confirm"), false)}
                    {form("delete", "contest-delete", "drafts.delete", fill(&t(lang, "drafts.delete_contest_confirm"), &[("n", &n)]), true)}
                </div>
            }.into_any()
        } else {
            form("back_to_draft", "contest-back-to-draft", "drafts.back_to_draft", t(lang, "drafts.back_to_draft_confirm"), true).into_any()
        }}
    }
}

fn default_form() -> RoundForm {
    RoundForm {
        audience: "staff".into(),
        draw_rules: "20".into(),
        shuffle_questions: Some("on".into()),
        shuffle_options: Some("on".into()),
        time_limit_minutes: "20".into(),
        max_attempts: "1".into(),
        counting: "best".into(),
        grace_minutes: "5".into(),
        review_after_submit: "score".into(),
        review_after_close: "full".into(),
        prediction_question: "Đợt thi này có bao nhiêu lượt dự thi?".into(),
        prediction_metric: "entries".into(),
        prizes: "Giải Nhất | 1\nGiải Nhì | 2\nGiải Ba | 3\nGiải Khuyến khích | 10".into(),
        ..RoundForm::default()
    }
}

#[component]
fn RoundTable(rounds: Vec<RoundSummary>) -> impl IntoView {
    let lang = use_lang();
    if rounds.is_empty() {
        return view! { <p class="empty">{t(lang, "rounds.none")}</p> }.into_any();
    }
    view! {
        <Table heads=&["rounds.title", "rounds.opens", "rounds.closes", "rounds.phase"]>
            {rounds.into_iter().map(|r| view! {
                <tr>
                    <td><A href=format!("/admin/rounds/{}", r.id)>{r.title.clone()}</A>{r.draft.then(|| view! { " "<span class="badge draft">{t(lang, "drafts.badge")}</span> })}</td>
                    <td>{show_secs(r.opens_at)}</td>
                    <td>{show_secs(r.closes_at)}</td>
                    <td>{t(lang, phase_key(r.phase))}</td>
                </tr>
            }).collect_view()}
        </Table>
    }
    .into_any()
}

#[allow(clippy::too_many_arguments)]
fn select(lang: Lang, name: &'static str, label: &'static str, current: &str, options: &'static [(&'static str, &'static str)], err: Signal<Option<AppError>>, error_field: &'static str) -> impl IntoView + use<> {
    let id = format!("f-{name}");
    let current = current.to_string();
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, label)}</label>
            <select id=id name=format!("form[{name}]")>
                {options.iter().map(|(value, key)| view! { <option value=*value selected=*value == current.as_str()>{t(lang, key)}</option> }).collect_view()}
            </select>
            <FieldError err field=error_field/>
        </div>
    }
}

/// The round's fields, named `form[…]` for the server function's `RoundForm`.
const REVIEW: [(&str, &str); 4] = [("none", "rounds.review_none"), ("score", "rounds.review_score"), ("answers", "rounds.review_answers"), ("full", "rounds.review_full")];

#[component]
pub fn RoundFields(err: Signal<Option<AppError>>, initial: RoundForm) -> impl IntoView {
    let lang = use_lang();
    let input = move |name, label, kind, value, error_field| form_input(lang, err, name, label, kind, value, error_field);
    let area = move |name, label, hint, value| form_area(lang, err, name, label, hint, value, name, 4);
    // The draw-rule builder counts the pool of the audience as chosen now.
    let audience = RwSignal::new(initial.audience.clone());
    view! {
        <FormError err/>
        {input("title", "rounds.title", "text", initial.title.clone(), "title")}
        {input("opens_at", "rounds.opens", "datetime-local", initial.opens_at.clone(), "opens_at")}
        {input("closes_at", "rounds.closes", "datetime-local", initial.closes_at.clone(), "closes_at")}
        <p class="hint">{t(lang, "rounds.timezone_hint")}</p>
        <div on:change=move |ev| audience.set(event_target_value(&ev))>
            {select(lang, "audience", "rounds.audience", &initial.audience, &[("staff", "rounds.audience_staff"), ("public", "rounds.audience_public")], err, "audience")}
        </div>
        <DrawRuleField err initial=initial.draw_rules.clone() audience=audience.into()/>
        <label class="check"><input type="checkbox" name="form[shuffle_questions]" checked=initial.shuffle_questions.is_some()/>" "{t(lang, "rounds.shuffle_questions")}</label>
        <label class="check"><input type="checkbox" name="form[shuffle_options]" checked=initial.shuffle_options.is_some()/>" "{t(lang, "rounds.shuffle_options")}</label>
        {input("time_limit_minutes", "rounds.time_limit_minutes", "number", initial.time_limit_minutes.clone(), "time_limit_secs")}
        {input("max_attempts", "rounds.max_attempts", "number", initial.max_attempts.clone(), "max_attempts")}
        {select(lang, "counting", "rounds.counting", &initial.counting, &[("best", "rounds.counting_best"), ("first", "rounds.counting_first"), ("last", "rounds.counting_last")], err, "counting")}
        {input("grace_minutes", "rounds.grace_minutes", "number", initial.grace_minutes.clone(), "grace_secs")}
        {select(lang, "review_after_submit", "rounds.review_after_submit", &initial.review_after_submit, &REVIEW, err, "review_after_submit")}
        {select(lang, "review_after_close", "rounds.review_after_close", &initial.review_after_close, &REVIEW, err, "review_after_close")}
        {input("prediction_question", "rounds.prediction_question", "text", initial.prediction_question.clone(), "prediction_question")}
        {select(lang, "prediction_metric", "rounds.prediction_metric", &initial.prediction_metric,
            &[("entries", "rounds.metric_entries"), ("participants", "rounds.metric_participants"), ("perfect_entries", "rounds.metric_perfect")], err, "prediction_metric")}
        {area("prizes", "rounds.prizes", "rounds.prizes_hint", initial.prizes.clone())}
    }
}
