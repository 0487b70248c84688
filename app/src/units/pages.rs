//! Admin pages of the unit tree: list and search, create, rename, move, merge, retire,
//! import with preview, export.

use super::model::{Block, ImportPreview, UnitNode, UnitStatus};
use crate::codes::Code;
use super::picker::UnitSelect;
use super::server_fns::{ApplyUnitImport, CreateUnit, MergeUnits, MoveUnit, ReinstateUnit, RetireUnit, UpdateUnit, list_units, unit_history, unit_import_preview};
use super::retire_page::RetireSection;
use crate::i18n::{Lang, fill, t};
use crate::ui::forms::{SearchForm, FieldError, FormError, Notice, TextField, action_error, loading};
use crate::ui::{ListOf, Loaded, Table, tr, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;

fn block_options(lang: Lang) -> impl IntoView {
    Block::ALL.iter().filter(|b| **b != Block::City).map(|b| view! { <option value=b.code()>{t(lang, &b.label_key())}</option> }).collect_view()
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn UnitsAdmin() -> impl IntoView {
    let lang = use_lang();
    let q = crate::ui::query_text("q");
    let imported_count = crate::ui::query_text("imported");
    let imported = move || Some(imported_count()).filter(|n| !n.is_empty()).map(|n| fill(&t(lang, "units.imported"), &[("n", &n)]));
    let create = ServerAction::<CreateUnit>::new();
    let update = ServerAction::<UpdateUnit>::new();
    let move_action = ServerAction::<MoveUnit>::new();
    let merge = ServerAction::<MergeUnits>::new();
    let retire = ServerAction::<RetireUnit>::new();
    let reinstate = ServerAction::<ReinstateUnit>::new();
    let versions = move || (create.version().get(), update.version().get(), move_action.version().get(), merge.version().get(), retire.version().get(), reinstate.version().get());
    let units = Resource::new(move || (q(), versions()), |(q, _)| list_units(q, true));
    let all_units = Resource::new(versions, |_| list_units(String::new(), false));
    let done = Signal::derive(move || {
        let ok = matches!(create.value().get(), Some(Ok(_))) || matches!(update.value().get(), Some(Ok(_)))
            || matches!(move_action.value().get(), Some(Ok(_))) || matches!(merge.value().get(), Some(Ok(_)));
        ok.then(|| t(lang, "common.saved"))
    });

    view! {
        <section class="card">
            <h1>{t(lang, "units.heading")}</h1>
            <Notice text=Signal::derive(imported)/>
            <Notice text=done/>
            <SearchForm id="unit-q" label_key="units.search" value=Signal::derive(q)/>
            <p class="actions">
                <a class="button secondary" href="/api/v1/units/export?format=xlsx" download>{t(lang, "units.export_xlsx")}</a>
                <a class="button secondary" href="/api/v1/units/export?format=csv" download>{t(lang, "units.export_csv")}</a>
            </p>
            <ListOf resource=units empty="units.none" count="units.count" let:list>
                <UnitTable units=list/>
            </ListOf>
        </section>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match all_units.await {
                    Ok(list) => view! {
                        <UnitForms units=list create update move_action merge retire reinstate/>
                    }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
        <section class="card" aria-labelledby="import-heading">
            <h2 id="import-heading">{t(lang, "units.import_heading")}</h2>
            <p>{t(lang, "units.import_help")}</p>
            <form method="post" action="/admin/units/import" enctype="multipart/form-data" class="form">
                <div class="field">
                    <label for="f-file">{t(lang, "units.import_file")}</label>
                    <input id="f-file" type="file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                    <crate::ui::forms::UploadError id="err-file"/>
                </div>
                <button type="submit" class="button">{t(lang, "units.import_preview")}</button>
                " "
                <a href="/api/v1/units/import-template" download>{t(lang, "units.template")}</a>
            </form>
        </section>
    }
}

#[component]
fn UnitTable(units: Vec<UnitNode>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Table heads=&["units.code", "units.name", "units.block", "units.staff", "units.status"] num=&["units.staff"] class="unit-table">
            {units.into_iter().map(|n| {
                let status = match n.unit.status {
                    UnitStatus::Active => t(lang, "units.status_active"),
                    UnitStatus::Retired => t(lang, "units.status_retired"),
                    UnitStatus::Merged => fill(&t(lang, "units.status_merged"), &[("target", &n.merged_into_name.clone().unwrap_or_default())]),
                };
                let class = if n.unit.status == UnitStatus::Active { "" } else { "inactive" };
                view! {
                    <tr class=class data-code=n.unit.code.clone()>
                        <td class="mono">{n.unit.code.clone()}</td>
                        <td style=format!("padding-left:{}rem", 0.5 + n.depth as f32 * 1.2)>
                            <A href=format!("/admin/units/{}", n.unit.id)>{n.unit.name.clone()}</A>
                        </td>
                        <td>{t(lang, &n.unit.block.label_key())}</td>
                        <td class="num staff">{match n.staff {
                            Some(s) => {
                                // The declared figure too when a roster overrides it, so the two are never confused.
                                let declared = (s.source == crate::participation::rates::Denominator::Roster && n.unit.headcount > 0)
                                    .then(|| view! { <span class="hint">{format!(" ({})", fill(&t(lang, "units.staff_declared_hint"), &[("n", &n.unit.headcount.to_string())]))}</span> });
                                view! { {crate::participation::page::staff_text(lang, s.count, s.source)}{declared} }.into_any()
                            }
                            None => view! { {n.unit.headcount} }.into_any(),
                        }}</td>
                        <td class="status">{status}</td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
}

#[component]
fn UnitForms(
    units: Vec<UnitNode>,
    create: ServerAction<CreateUnit>,
    update: ServerAction<UpdateUnit>,
    move_action: ServerAction<MoveUnit>,
    merge: ServerAction<MergeUnits>,
    retire: ServerAction<RetireUnit>,
    reinstate: ServerAction<ReinstateUnit>,
) -> impl IntoView {
    let lang = use_lang();
    let create_err = action_error(create.value());
    let update_err = action_error(update.value());
    let move_err = action_error(move_action.value());
    let merge_err = action_error(merge.value());
    // Each form's children own their copy of the list.
    let (u_new, u_edit, u_move, u_move_to, u_merge, u_merge_to) =
        (units.clone(), units.clone(), units.clone(), units.clone(), units.clone(), units.clone());
    let u_retire = units;
    view! {
        <section class="card" aria-labelledby="create-heading">
            <h2 id="create-heading">{t(lang, "units.create_heading")}</h2>
            <ActionForm action=create attr:class="form grid-form" attr:novalidate=true>
                <FormError err=create_err/>
                <TextField err=create_err name="code" label_key="units.code"/>
                <TextField err=create_err name="name" label_key="units.name"/>
                <div class="field">
                    <label for="f-block-new">{t(lang, "units.block")}</label>
                    <select id="f-block-new" name="block">{block_options(lang)}</select>
                    <FieldError err=create_err field="block"/>
                </div>
                <UnitSelect err=create_err name="parent_id" label_key="units.parent" units=u_new id_suffix="-new"/>
                <TextField err=create_err name="headcount" label_key="units.headcount" kind="number" inputmode="numeric" required=false/>
                <button type="submit" class="button">{t(lang, "units.create")}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">{t(lang, "units.edit_heading")}</h2>
            <ActionForm action=update attr:class="form grid-form" attr:novalidate=true>
                <FormError err=update_err/>
                <UnitSelect err=update_err name="id" label_key="units.unit" units=u_edit id_suffix="-edit"/>
                <TextField err=update_err name="name" label_key="units.new_name" id_suffix="-edit" required=false hint_key="units.keep_hint"/>
                <div class="field">
                    <label for="f-block-edit">{t(lang, "units.block")}</label>
                    <select id="f-block-edit" name="block">
                        <option value="">{t(lang, "units.keep")}</option>
                        {block_options(lang)}
                    </select>
                </div>
                <TextField err=update_err name="headcount" label_key="units.headcount" kind="number" inputmode="numeric" id_suffix="-edit" required=false/>
                <button type="submit" class="button">{t(lang, "common.save")}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="move-heading">
            <h2 id="move-heading">{t(lang, "units.move_heading")}</h2>
            <ActionForm action=move_action attr:class="form grid-form">
                <FormError err=move_err/>
                <UnitSelect err=move_err name="id" label_key="units.unit" units=u_move id_suffix="-move"/>
                <UnitSelect err=move_err name="parent_id" label_key="units.new_parent" units=u_move_to id_suffix="-move"/>
                <button type="submit" class="button">{t(lang, "units.move")}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="merge-heading">
            <h2 id="merge-heading">{t(lang, "units.merge_heading")}</h2>
            <p class="hint">{t(lang, "units.merge_help")}</p>
            <ActionForm action=merge attr:class="form grid-form" attr:id="merge-form">
                <FormError err=merge_err/>
                <UnitSelect err=merge_err name="source_id" label_key="units.merge_source" units=u_merge/>
                <UnitSelect err=merge_err name="target_id" label_key="units.merge_target" units=u_merge_to/>
                <button type="submit" class="button danger">{t(lang, "units.merge")}</button>
            </ActionForm>
        </section>
        <RetireSection units=u_retire retire reinstate/>
    }
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn ImportPreviewView() -> impl IntoView {
    let lang = use_lang();
    let id = crate::ui::param_id("id");
    let apply = ServerAction::<ApplyUnitImport>::new();
    let apply_err = action_error(apply.value());
    let preview = Resource::new(move || (id(), apply.version().get()), |(id, _)| unit_import_preview(id));
    view! {
        <section class="card">
            <h1>{t(lang, "units.import_heading")}</h1>
            <FormError err=apply_err/>
            <Loaded resource=preview let:p>
                <PreviewTable p apply/>
            </Loaded>
            <p><A href="/admin/units">{tr("units.back")}</A></p>
        </section>
    }
}

#[component]
fn PreviewTable(p: ImportPreview, apply: ServerAction<ApplyUnitImport>) -> impl IntoView {
    let lang = use_lang();
    let summary = fill(&t(lang, "units.import_summary"), &[
        ("file", &p.filename),
        ("create", &p.count("create").to_string()),
        ("update", &p.count("update").to_string()),
        ("unchanged", &p.count("unchanged").to_string()),
        ("errors", &p.errors.len().to_string()),
    ]);
    let can_apply = p.errors.is_empty() && (p.count("create") + p.count("update")) > 0;
    let import_id = p.import_id.unwrap_or(0).to_string();
    view! {
        <p class="import-summary">{summary}</p>
        {(!p.errors.is_empty()).then(|| view! {
            <h2>{t(lang, "units.import_errors")}</h2>
            <Table heads=&["import.line", "import.column", "import.problem"] class="errors" id="import-errors">
                {p.errors.iter().map(|e| view! {
                    <tr><td class="num">{e.line}</td><td class="mono">{e.field.clone()}</td><td>{t(lang, &e.message)}</td></tr>
                }).collect_view()}
            </Table>
            <p>{t(lang, "units.import_fix")}</p>
        })}
        {can_apply.then(|| view! {
            <ActionForm action=apply>
                <input type="hidden" name="import_id" value=import_id.clone()/>
                <button type="submit" class="button" id="apply-import">{t(lang, "units.import_apply")}</button>
            </ActionForm>
        })}
        <Table heads=&["import.line", "units.code", "units.name", "units.parent", "units.block", "units.headcount", "import.action"] num=&["units.headcount"] id="import-rows">
            {p.rows.iter().map(|r| view! {
                <tr class=format!("action-{}", r.action)>
                    <td class="num">{r.line}</td>
                    <td class="mono">{r.code.clone()}</td>
                    <td>{r.name.clone()}</td>
                    <td class="mono">{r.parent_code.clone()}</td>
                    <td>{Block::parse(&r.block).map(|b| t(lang, &b.label_key())).unwrap_or_else(|| r.block.clone())}</td>
                    <td class="num">{r.headcount}</td>
                    <td>{t(lang, &format!("import.action_{}", r.action))}</td>
                </tr>
            }).collect_view()}
        </Table>
    }
}

/// Lịch sử đơn vị: every change to one unit, newest first, with who made it.
/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn UnitHistoryView() -> impl IntoView {
    let lang = use_lang();
    let id = crate::ui::param_id("id");
    let events = Resource::new(id, unit_history);
    view! {
        <section class="card">
            <h1>{t(lang, "units.history")}</h1>
            <ListOf resource=events empty="units.history_none" let:events>
                <ol class="history">
                    {events.into_iter().map(|e| view! {
                        <li>
                            <strong>{t(lang, &format!("history.{}", e.action))}</strong>
                            " — " {crate::vn_time::show_secs(e.at)}
                            {e.actor_name.map(|n| format!(" — {n}"))}
                            <pre class="mono detail">{e.detail}</pre>
                        </li>
                    }).collect_view()}
                </ol>
            </ListOf>
            <p><A href="/admin/units">{tr("units.back")}</A></p>
        </section>
    }
}
