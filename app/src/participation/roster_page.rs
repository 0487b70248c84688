//! The roster preview: every person the file adds, every problem by line, and one button that
//! applies the whole file (or nothing, if anything is wrong).

use super::server_fns::{ApplyRoster, preview_roster};
use crate::ui::{Loaded, Table, use_lang};
use crate::i18n::{fill, t};
use crate::ui::forms::{FormError, action_error};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A problem's column as the file's header names it ("Số điện thoại", not `phone`).
fn column_name(lang: crate::i18n::Lang, field: &str) -> String {
    let header = super::roster::HEADER;
    match field {
        "full_name" => header[0].to_string(),
        "cccd" => header[1].to_string(),
        "email" => header[2].to_string(),
        "phone" => header[3].to_string(),
        "position" => header[4].to_string(),
        "sub_unit" => header[5].to_string(),
        _ => t(lang, "import.whole_file"),
    }
}

#[component]
pub fn RosterPreviewPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (p.get("unit").and_then(|v| v.parse().ok()).unwrap_or(0i64), p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0i64))
    };
    let apply = ServerAction::<ApplyRoster>::new();
    let err = action_error(apply.value());
    let preview = Resource::new(ids, |(unit, id)| preview_roster(unit, id));
    view! {
        <Loaded resource=preview let:p>
            {
                let (unit, id) = ids();
                let clean = p.plan.errors.is_empty();
                view! {
                    <section class="card">
                        <h1>{t(lang, "part.roster_preview")}</h1>
                        <p>{fill(&t(lang, "part.roster_counts"), &[("n", &p.accepted.to_string()), ("e", &p.plan.errors.len().to_string())])}</p>
                        <FormError err/>
                        {(!clean).then(|| view! {
                            <Table heads=&["import.line", "import.column", "import.problem", "import.value"] class="errors" id="roster-errors">
                                {p.plan.errors.iter().map(|e| view! {
                                    <tr><td class="num">{e.line}</td><td>{column_name(lang, &e.field)}</td><td>{t(lang, &e.message)}</td><td>{e.detail.clone()}</td></tr>
                                }).collect_view()}
                            </Table>
                        })}
                        {clean.then(|| view! {
                            <ActionForm action=apply>
                                <input type="hidden" name="unit" value=unit/>
                                <input type="hidden" name="import_id" value=id/>
                                <button type="submit" class="button">{t(lang, "part.roster_apply")}</button>
                            </ActionForm>
                        })}
                        <Table heads=&["import.line", "rounds.name", "part.position", "part.unit", "part.email", "part.phone"]>
                            {p.plan.rows.iter().map(|r| view! {
                                <tr><td class="num">{r.line}</td><td>{r.full_name.clone()}</td><td>{r.position.clone()}</td><td>{r.unit_name.clone()}</td>
                                    <td>{r.email.clone()}</td><td>{r.phone.clone()}</td></tr>
                            }).collect_view()}
                        </Table>
                        <p><a href="/tham-gia">{t(lang, "part.back")}</a></p>
                    </section>
                }
            }
        </Loaded>
    }
}
