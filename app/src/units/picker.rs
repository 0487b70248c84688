//! Unit pickers. `UnitPicker` is the searchable one of the registration form: a plain `<select>`
//! that works before the WASM loads, plus a search box that, once hydrated, narrows the list
//! accent-insensitively ("hai an" finds "Phường Hải An").

use super::model::UnitNode;
use crate::error::AppError;
use crate::i18n::{fill, t};
use crate::text;
use crate::ui::forms::{FieldError, field_error};
use crate::ui::{use_hydrated, use_lang};
use leptos::prelude::*;

fn option_label(node: &UnitNode) -> String {
    match (&node.parent_name, node.depth) {
        (Some(parent), d) if d >= 2 => format!("{} — {}", node.unit.name, parent),
        _ => node.unit.name.clone(),
    }
}

#[component]
pub fn UnitPicker(err: Signal<Option<AppError>>, name: &'static str, units: Vec<UnitNode>) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let (query, set_query) = signal(String::new());
    let (selected, set_selected) = signal(String::new());
    // The city itself is not a workplace; people register in one of its units.
    let options: Vec<(String, String, String)> = units
        .iter()
        .filter(|n| n.unit.parent_id.is_some())
        .map(|n| (n.unit.id.to_string(), option_label(n), text::fold(&format!("{} {}", n.unit.name, n.unit.code))))
        .collect();
    let total = options.len();
    let options = StoredValue::new(options);
    let visible = Memo::new(move |_| {
        let q = text::fold(&query.get());
        let words: Vec<String> = q.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
        let sel = selected.get();
        options.with_value(|all| {
            all.iter()
                .filter(|(id, _, key)| *id == sel || words.iter().all(|w| key.contains(w.as_str())))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let count_text = move || {
        let n = visible.get().len().to_string();
        fill(&t(lang, "picker.count"), &[("n", &n), ("total", &total.to_string())])
    };
    let invalid = move || field_error(&err.get(), name).map(|_| "true");
    view! {
        <div class="field unit-picker">
            <label for="f-unit-search">{t(lang, "picker.search")}</label>
            <input
                id="f-unit-search"
                type="search"
                autocomplete="off"
                placeholder=t(lang, "picker.placeholder")
                disabled=move || !hydrated.get()
                aria-controls=format!("f-{name}")
                on:input=move |ev| set_query.set(event_target_value(&ev))
                prop:value=query
            />
            <p class="hint" aria-live="polite" id="unit-count">{count_text}</p>
            <label for=format!("f-{name}")>{t(lang, "register.unit")}</label>
            <select
                id=format!("f-{name}")
                name=name
                required=true
                aria-invalid=invalid
                on:change=move |ev| set_selected.set(event_target_value(&ev))
            >
                <option value="">{t(lang, "picker.choose")}</option>
                <For
                    each=move || visible.get()
                    key=|option| option.0.clone()
                    children=move |(id, label, _)| {
                        let is_selected = {
                            let id = id.clone();
                            move || selected.get() == id
                        };
                        view! { <option value=id selected=is_selected>{label}</option> }
                    }
                />
            </select>
            <FieldError err field=name/>
        </div>
    }
}

/// A plain select of active units, for organizer forms.
#[component]
pub fn UnitSelect(
    err: Signal<Option<AppError>>,
    name: &'static str,
    label_key: &'static str,
    units: Vec<UnitNode>,
    #[prop(default = false)] optional: bool,
    #[prop(optional)] id_suffix: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{name}{}", id_suffix.unwrap_or(""));
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, label_key)}</label>
            <select id=id name=name required=!optional>
                <option value="">{t(lang, "picker.choose")}</option>
                {units.iter().filter(|n| n.unit.status == super::model::UnitStatus::Active).map(|n| {
                    let indent = "\u{a0}\u{a0}".repeat(n.depth);
                    view! { <option value=n.unit.id.to_string()>{format!("{indent}{} ({})", n.unit.name, n.unit.code)}</option> }
                }).collect_view()}
            </select>
            <FieldError err field=name/>
        </div>
    }
}
