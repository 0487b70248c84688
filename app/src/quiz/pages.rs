//! Ngân hàng câu hỏi pages: search, add, retire, import with preview, export.

use super::model::{BankQuestion, QuestionImportPreview, QuestionKind, QuestionStatus};
use super::server_fns::{ApplyQuestionImport, CreateQuestion, SetQuestionRetired, list_questions, preview_question_import};
use crate::i18n::{fill, t};
use super::question_form::QuestionFields;
use crate::ui::forms::{FormError, Notice, SearchForm, action_error};
use crate::ui::{ListOf, Loaded, Table, tr, urlencode, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn kind_key(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "quiz.kind_single",
        QuestionKind::Multiple => "quiz.kind_multi",
        QuestionKind::TrueFalse => "quiz.kind_tf",
    }
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn QuestionBank() -> impl IntoView {
    let lang = use_lang();
    let q = crate::ui::query_text("q");
    let imported_count = crate::ui::query_text("imported");
    let edited_id = crate::ui::query_text("edited");
    let imported = move || {
        let imported = Some(imported_count()).filter(|n| !n.is_empty()).map(|n| fill(&t(lang, "quiz.imported"), &[("n", &n)]));
        imported.or_else(|| Some(edited_id()).filter(|n| !n.is_empty()).map(|n| fill(&t(lang, "quiz.edited"), &[("id", &n)])))
    };
    let create = ServerAction::<CreateQuestion>::new();
    let retire = ServerAction::<SetQuestionRetired>::new();
    let create_err = action_error(create.value());
    let questions = Resource::new(move || (q(), create.version().get(), retire.version().get()), |(q, _, _)| list_questions(q));
    view! {
        <section class="card">
            <h1>{t(lang, "quiz.heading")}</h1>
            <Notice text=Signal::derive(imported)/>
            <SearchForm id="question-q" label_key="quiz.search" value=Signal::derive(q)/>
            <p class="actions">
                <a class="button secondary" href="/api/v1/questions/export?format=xlsx" download>{t(lang, "quiz.export_xlsx")}</a>
                <a class="button secondary" href="/api/v1/questions/export?format=gift" download>{t(lang, "quiz.export_gift")}</a>
                <a class="button secondary" href="/api/v1/questions/export?format=moodle-xml" download>{t(lang, "quiz.export_moodle_xml")}</a>
            </p>
            <ListOf resource=questions empty="quiz.none" count="quiz.count" let:list>
                <QuestionTable list retire/>
            </ListOf>
        </section>
        <section class="card" aria-labelledby="q-import">
            <h2 id="q-import">{t(lang, "quiz.import_heading")}</h2>
            <p>{t(lang, "quiz.import_help")}</p>
            <form method="post" action="/admin/questions/import" enctype="multipart/form-data" class="form grid-form">
                <div class="field">
                    <label for="f-q-file">{t(lang, "units.import_file")}</label>
                    <input id="f-q-file" type="file" name="file" required/>
                    <crate::ui::forms::UploadError id="err-q-file"/>
                </div>
                <div class="field">
                    <label for="f-q-format">{t(lang, "quiz.format")}</label>
                    <select id="f-q-format" name="format">
                        <option value="xlsx">"XLSX"</option>
                        <option value="csv">"CSV"</option>
                        <option value="gift">"GIFT (Moodle)"</option>
                        <option value="aiken">"Aiken (Moodle)"</option>
                        <option value="moodle-xml">"Moodle XML"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="f-q-topic">{t(lang, "quiz.default_topic")}</label>
                    <input id="f-q-topic" name="topic" type="text"/>
                </div>
                <button type="submit" class="button">{t(lang, "units.import_preview")}</button>
            </form>
            <p class="actions">
                <a href="/api/v1/questions/import-template" download>{t(lang, "quiz.template_xlsx")}</a>
                <a href="/api/v1/questions/import-template?format=csv" download>{t(lang, "quiz.template_csv")}</a>
            </p>
        </section>
        <section class="card" aria-labelledby="q-new">
            <h2 id="q-new">{t(lang, "quiz.new_heading")}</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <QuestionFields err=create_err/>
                <button type="submit" class="button">{t(lang, "units.create")}</button>
            </ActionForm>
        </section>
    }
}

fn difficulty_key(difficulty: &str) -> &'static str {
    match difficulty {
        "easy" => "quiz.easy",
        "hard" => "quiz.hard",
        _ => "quiz.medium",
    }
}

/// The bank as a table: each question's state in its own column ("Đang dùng" / "Ngừng dùng"),
/// and the actions (edit, retire or restore) in another, named as actions.
#[component]
fn QuestionTable(list: Vec<BankQuestion>, retire: ServerAction<SetQuestionRetired>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Table heads=&["quiz.text", "quiz.topic", "quiz.difficulty", "quiz.kind", "quiz.correct", "quiz.version", "units.status", "quiz.action"] num=&["quiz.version"] id="question-table">
            {list.into_iter().map(|q| {
                let retired = q.status == QuestionStatus::Retired;
                let correct = q.options.iter().filter(|o| o.correct).map(|o| o.text.clone()).collect::<Vec<_>>().join("; ");
                view! {
                    <tr class=if retired { "inactive" } else { "" }>
                        <td>{q.text.clone()}</td>
                        <td>{q.topic.clone()}</td>
                        <td>{t(lang, difficulty_key(&q.difficulty))}</td>
                        <td>{t(lang, kind_key(q.kind))}</td>
                        <td>{correct}</td>
                        <td class="num">{q.version}</td>
                        <td class="status">{t(lang, if retired { "quiz.status_retired" } else { "quiz.status_active" })}</td>
                        <td>
                            <A href=format!("/admin/questions/{}", q.id) attr:class="edit-question">{t(lang, "quiz.edit_action")}</A>
                            <ActionForm action=retire attr:class="inline-form">
                                <input type="hidden" name="id" value=q.id.to_string()/>
                                <input type="hidden" name="retired" value=(!retired).to_string()/>
                                <button type="submit" class="link-button">{t(lang, if retired { "quiz.restore_action" } else { "quiz.retire_action" })}</button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn QuestionImport() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let format = move || query.read().get("format").unwrap_or_default();
    let topic = move || query.read().get("topic").unwrap_or_default();
    let apply = ServerAction::<ApplyQuestionImport>::new();
    let apply_err = action_error(apply.value());
    let preview = Resource::new(move || (id(), format(), topic(), apply.version().get()), |(id, f, t, _)| preview_question_import(id, f, t));
    view! {
        <section class="card">
            <h1>{t(lang, "quiz.import_heading")}</h1>
            <FormError err=apply_err/>
            <Loaded resource=preview let:p>
                <ImportPreviewView p apply import_id=id() format=format() topic=topic()/>
            </Loaded>
            <p><A href="/admin/questions">{tr("quiz.back")}</A></p>
        </section>
    }
}

#[component]
fn ImportPreviewView(p: QuestionImportPreview, apply: ServerAction<ApplyQuestionImport>, import_id: i64, format: String, topic: String) -> impl IntoView {
    let lang = use_lang();
    let summary = fill(&t(lang, "quiz.import_summary"), &[("accepted", &p.accepted.to_string()), ("errors", &p.errors.len().to_string())]);
    let can_apply = p.errors.is_empty() && p.accepted > 0;
    view! {
        <p class="import-summary">{summary}</p>
        {(!p.errors.is_empty()).then(|| view! {
            <Table heads=&["import.line", "import.problem", "quiz.import_field", "quiz.import_value"] class="errors" id="import-errors">
                {p.errors.iter().map(|e| view! {
                    <tr>
                        <td class="num">{e.line}</td>
                        <td>{t(lang, &e.message)}</td>
                        <td class="import-field">{e.field.as_deref().map(|f| t(lang, field_key(f))).unwrap_or_else(|| "—".into())}</td>
                        <td class="import-value">{e.detail.clone()}</td>
                    </tr>
                }).collect_view()}
            </Table>
            <p>{t(lang, "units.import_fix")}</p>
        })}
        {can_apply.then(|| view! {
            <ActionForm action=apply>
                <input type="hidden" name="import_id" value=import_id.to_string()/>
                <input type="hidden" name="format" value=format.clone()/>
                <input type="hidden" name="topic" value=topic.clone()/>
                <button type="submit" class="button" id="apply-import">{t(lang, "units.import_apply")}</button>
            </ActionForm>
        })}
        <ol class="question-preview">
            {p.questions.iter().map(|q| view! {
                <li>
                    <p>{format!("{} {}", t(lang, "import.line"), q.line)} " — " {q.text.clone()}</p>
                    <ul>{q.options.iter().map(|o| view! { <li class=if o.correct { "correct" } else { "" }>{o.text.clone()}{o.correct.then_some(" ✓")}</li> }).collect_view()}</ul>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The label of the column or field an import problem is about.
fn field_key(field: &str) -> &'static str {
    match field {
        "type" | "kind" => "quiz.kind",
        "difficulty" => "quiz.difficulty",
        "correct" => "quiz.correct",
        "options" => "quiz.options",
        "topic" => "quiz.topic",
        "explanation" => "quiz.explanation",
        _ => "quiz.text",
    }
}

/// The preview address after an upload.
pub fn preview_path(id: i64, format: &str, topic: &str) -> String {
    format!("/admin/questions/import/{id}?format={}&topic={}", urlencode(format), urlencode(topic))
}
