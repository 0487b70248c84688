//! Unit pickers. `UnitPicker` is the searchable one of the registration form: a plain `<select>`
//! that works before the WASM loads, plus a search box that, once hydrated, narrows the list
//! accent-insensitively ("hai an" finds "Phường Hải An").

use super::model::UnitNode;
use crate::error::AppError;
use crate::i18n::{fill, t};
use crate::text;
use crate::ui::forms::{FieldError, field_error};
use crate::ui::{text as tx, use_hydrated, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

fn option_label(node: &UnitNode) -> String {
    match (&node.parent_name, node.depth) {
        (Some(parent), d) if d >= 2 => format!("{} — {}", node.unit.name, parent),
        _ => node.unit.name.clone(),
    }
}

/// One unit a person may register in: its id, how it is shown, and its search key (folded
/// name and code), computed on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickerOption {
    pub id: i64,
    pub label: String,
    pub key: String,
}

/// The units people register in. The city itself is not a workplace; people register in one
/// of its units.
pub fn picker_options(units: &[UnitNode]) -> Vec<PickerOption> {
    units
        .iter()
        .filter(|n| n.unit.parent_id.is_some())
        .map(|n| PickerOption { id: n.unit.id, label: option_label(n), key: text::fold(&format!("{} {}", n.unit.name, n.unit.code)) })
        .collect()
}

#[component]
pub fn UnitPicker(
    err: Signal<Option<AppError>>,
    name: &'static str,
    options: Vec<PickerOption>,
    /// The list's label and the search box's: the workplace by default; a citizen picks the
    /// commune they live in.
    #[prop(optional)]
    label_key: Option<&'static str>,
    #[prop(optional)]
    search_key: Option<&'static str>,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let (query, set_query) = signal(String::new());
    let (selected, set_selected) = signal(String::new());
    let total = options.len();
    let options = StoredValue::new(options);
    let visible = Memo::new(move |_| {
        let q = text::fold(&query.get());
        let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
        let sel = selected.get();
        options.with_value(|all| {
            all.iter().filter(|o| o.id.to_string() == sel || words.iter().all(|w| o.key.contains(w))).map(|o| (o.id.to_string(), o.label.clone())).collect::<Vec<_>>()
        })
    });
    let count_text = move || {
        let n = visible.get().len().to_string();
        fill(&tx("picker.count"), &[("n", &n), ("total", &total.to_string())])
    };
    let invalid = move || field_error(&err.get(), name).map(|_| "true");
    view! {
        <div class="field unit-picker">
            <label for="f-unit-search">{tx(search_key.unwrap_or("picker.search"))}</label>
            <input
                id="f-unit-search"
                type="search"
                autocomplete="off"
                placeholder=tx("picker.placeholder")
                disabled=move || !hydrated.get()
                aria-controls=format!("f-{name}")
                on:input=move |ev| set_query.set(event_target_value(&ev))
                prop:value=query
            />
            <p class="hint" aria-live="polite" id="unit-count">{count_text}</p>
            <label for=format!("f-{name}")>{tx(label_key.unwrap_or("register.unit"))}</label>
            <select
                id=format!("f-{name}")
                name=name
                required=true
                aria-invalid=invalid
                on:change=move |ev| set_selected.set(event_target_value(&ev))
            >
                <option value="">{tx("picker.choose")}</option>
                // Rebuilt on each keystroke rather than keyed: a few thousand options at most,
                // and the light bundle stays smaller without the keyed diff.
                {move || {
                    let sel = selected.get_untracked();
                    visible.get().into_iter().map(|(id, label)| {
                        let is_selected = id == sel;
                        view! { <option value=id selected=is_selected>{label}</option> }
                    }).collect_view()
                }}
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
