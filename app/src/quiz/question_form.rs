//! The question form (new question, and a question's edit page) with each problem next to its
//! field. An edit is saved as the question's next version: attempts store the version they
//! drew and are scored against its own answer key, so editing a question that was already
//! drawn changes no past score (see `bank::update`).

use super::model::{BankQuestion, QuestionKind};
use super::server_fns::{UpdateQuestion, get_question};
use crate::error::AppError;
use crate::i18n::t;
use crate::ui::forms::{FieldError, FormError, TextField, action_error};
use crate::ui::{Loaded, param_id, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;

/// The correct options as the form writes them: letters ("A, C").
fn correct_letters(q: &BankQuestion) -> String {
    q.options.iter().enumerate().filter(|(_, o)| o.correct).map(|(i, _)| ((b'A' + i as u8) as char).to_string()).collect::<Vec<_>>().join(", ")
}

/// A textarea with its label and error; `rows` lines high.
fn area(err: Signal<Option<AppError>>, name: &'static str, label: &'static str, hint: Option<&'static str>, value: String, rows: u32) -> impl IntoView {
    let lang = crate::ui::use_lang();
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, label)}</label>
            {hint.map(|h| view! { <p class="hint">{t(lang, h)}</p> })}
            <textarea id=id name=name rows=rows aria-invalid=move || crate::ui::forms::field_error(&err.get(), name).map(|_| "true")>{value}</textarea>
            <FieldError err field=name/>
        </div>
    }
}

/// The fields of a question, filled from `initial` when editing.
#[component]
pub fn QuestionFields(err: Signal<Option<AppError>>, #[prop(optional)] initial: Option<BankQuestion>) -> impl IntoView {
    let lang = use_lang();
    let difficulty = initial.as_ref().map(|q| q.difficulty.clone()).unwrap_or_else(|| "medium".into());
    let kind = initial.as_ref().map(|q| q.kind).unwrap_or(QuestionKind::Single);
    let options = initial.as_ref().map(|q| q.options.iter().map(|o| o.text.clone()).collect::<Vec<_>>().join("\n")).unwrap_or_default();
    view! {
        <FormError err/>
        <TextField err name="topic" label_key="quiz.topic" required=false value=initial.as_ref().map(|q| q.topic.clone()).unwrap_or_default()/>
        <div class="field">
            <label for="f-q-difficulty">{t(lang, "quiz.difficulty")}</label>
            <select id="f-q-difficulty" name="difficulty">
                {[("easy", "quiz.easy"), ("medium", "quiz.medium"), ("hard", "quiz.hard")].into_iter()
                    .map(|(code, key)| view! { <option value=code selected=difficulty == code>{t(lang, key)}</option> }).collect_view()}
            </select>
            <FieldError err field="difficulty"/>
        </div>
        <div class="field">
            <label for="f-q-kind">{t(lang, "quiz.kind")}</label>
            <select id="f-q-kind" name="kind">
                {[(QuestionKind::Single, "quiz.kind_single"), (QuestionKind::Multiple, "quiz.kind_multi"), (QuestionKind::TrueFalse, "quiz.kind_tf")].into_iter()
                    .map(|(k, key)| view! { <option value=crate::codes::Code::code(k) selected=kind == k>{t(lang, key)}</option> }).collect_view()}
            </select>
        </div>
        {area(err, "text", "quiz.text", None, initial.as_ref().map(|q| q.text.clone()).unwrap_or_default(), 3)}
        {area(err, "options", "quiz.options", Some("quiz.options_hint"), options, 4)}
        <TextField err name="correct" label_key="quiz.correct" hint_key="quiz.correct_hint" value=initial.as_ref().map(correct_letters).unwrap_or_default()/>
        {area(err, "explanation", "quiz.explanation", None, initial.as_ref().map(|q| q.explanation.clone()).unwrap_or_default(), 2)}
    }
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn QuestionEdit() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let update = ServerAction::<UpdateQuestion>::new();
    let err = action_error(update.value());
    let question = Resource::new(id, get_question);
    view! {
        <section class="card">
            <p><A href="/admin/questions">{t(lang, "quiz.back")}</A></p>
            <h1>{t(lang, "quiz.edit_heading")}</h1>
            <Loaded resource=question let:q>
                <p class="hint" id="edit-versions">{crate::i18n::fill(&t(lang, "quiz.edit_versions"), &[("v", &q.version.to_string())])}</p>
                <ActionForm action=update attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=q.id.to_string()/>
                    <QuestionFields err initial=q.clone()/>
                    <button type="submit" class="button">{t(lang, "common.save")}</button>
                </ActionForm>
            </Loaded>
        </section>
    }
}
