//! Ngoài danh sách: on the participation page, the people registered in the viewer's units who
//! are on no roster, each with "add to the roster" and "not eligible staff" (a plain form each,
//! so it works before the page hydrates), and once hydrated, both for a selection.

use super::server_fns::DecideUnrostered;
use super::unrostered::Unrostered;
use crate::i18n::{fill, t};
use crate::ui::forms::{FormError, action_error};
use crate::ui::{use_hydrated, use_lang};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn UnrosteredList(unit: i64, people: Vec<Unrostered>, decide: ServerAction<DecideUnrostered>) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let err = action_error(decide.value());
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let done = move || match decide.value().get() {
        Some(Ok(n)) => Some(fill(&t(lang, "part.unrostered_done"), &[("n", &n.to_string())])),
        _ => None,
    };
    let count = people.len();
    let for_selection = move |add: bool| {
        let user_ids: Vec<i64> = selected.get_untracked().into_iter().collect();
        selected.set(BTreeSet::new());
        decide.dispatch(DecideUnrostered { unit, user_ids, add });
    };
    view! {
        <section class="card" aria-labelledby="unrostered">
            <h2 id="unrostered">{fill(&t(lang, "part.unrostered_heading"), &[("n", &count.to_string())])}</h2>
            <p class="hint">{t(lang, "part.unrostered_help")}</p>
            <FormError err/>
            {move || done().map(|text| view! { <p class="notice" role="status" id="unrostered-done">{text}</p> })}
            {(count == 0).then(|| view! { <p class="empty">{t(lang, "part.unrostered_none")}</p> })}
            {(count > 0).then(|| view! {
                <p class="actions selection-bar" hidden=move || !hydrated.get()>
                    <button type="button" class="button" id="unrostered-add-selected" disabled=move || selected.with(|s| s.is_empty()) on:click=move |_| for_selection(true)>
                        {move || fill(&t(lang, "part.unrostered_add_selected"), &[("n", &selected.with(|s| s.len()).to_string())])}
                    </button>
                    <button type="button" class="button secondary" id="unrostered-reject-selected" disabled=move || selected.with(|s| s.is_empty()) on:click=move |_| for_selection(false)>
                        {move || fill(&t(lang, "part.unrostered_reject_selected"), &[("n", &selected.with(|s| s.len()).to_string())])}
                    </button>
                </p>
            })}
            <ul class="person-list" id="unrostered-list">
                {people.into_iter().map(|p| {
                    let id = p.user_id;
                    let check_id = format!("pick-{id}");
                    let add_label = fill(&t(lang, "part.unrostered_add_one"), &[("name", &p.full_name)]);
                    let reject_label = fill(&t(lang, "part.unrostered_reject_one"), &[("name", &p.full_name)]);
                    let details = [Some(p.unit_name.clone()), (!p.position.is_empty()).then(|| p.position.clone()), Some(p.email.clone()),
                        p.phone.as_ref().map(|ph| ph.shown()), p.cccd.as_ref().map(|c| format!("CCCD {}", c.shown()))]
                        .into_iter().flatten().collect::<Vec<_>>().join(" · ");
                    view! {
                        <li data-user=id>
                            <p class="person">
                                <input type="checkbox" id=check_id.clone() hidden=move || !hydrated.get()
                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                    on:change=move |_| selected.update(|s| if !s.remove(&id) { s.insert(id); })/>
                                <label for=check_id><strong>{p.full_name.clone()}</strong></label>
                            </p>
                            <p class="hint">{details}</p>
                            <div class="actions">
                                <ActionForm action=decide attr:class="inline-form">
                                    <input type="hidden" name="unit" value=unit/>
                                    <input type="hidden" name="user_ids[0]" value=id/>
                                    <input type="hidden" name="add" value="true"/>
                                    <button type="submit" class="button small" aria-label=add_label>{t(lang, "part.unrostered_add")}</button>
                                </ActionForm>
                                <ActionForm action=decide attr:class="inline-form">
                                    <input type="hidden" name="unit" value=unit/>
                                    <input type="hidden" name="user_ids[0]" value=id/>
                                    <input type="hidden" name="add" value="false"/>
                                    <button type="submit" class="button small secondary" aria-label=reject_label>{t(lang, "part.unrostered_reject")}</button>
                                </ActionForm>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
