//! Giải thể: retiring a unit asks first, in the page: the button opens a box that says what
//! happens to the unit's people, roster and sub-units (from the server), with Confirm and
//! Cancel; focus moves into the box and back. Once retired, the notice offers the undo
//! (reinstating the unit).

use super::model::UnitNode;
use super::server_fns::{ReinstateUnit, RetireUnit, retire_facts};
use crate::i18n::{fill, t};
use crate::ui::forms::{FormError, action_error};
use crate::ui::{use_hydrated, use_lang};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn RetireSection(units: Vec<UnitNode>, retire: ServerAction<RetireUnit>, reinstate: ServerAction<ReinstateUnit>) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let retire_err = action_error(retire.value());
    let reinstate_err = action_error(reinstate.value());
    let chosen = RwSignal::new(String::new());
    // The unit whose confirmation box is open.
    let asking = RwSignal::new(None::<i64>);
    let facts = Resource::new(move || asking.get(), |id| async move {
        match id {
            Some(id) => retire_facts(id).await.ok(),
            None => None,
        }
    });
    let ask_button = NodeRef::<html::Button>::new();
    let cancel = move |_| {
        asking.set(None);
        if let Some(b) = ask_button.get() {
            let _ = b.focus();
        }
    };
    let options: Vec<(i64, String)> = units.iter().filter(|n| n.unit.parent_id.is_some()).map(|n| (n.unit.id, n.unit.name.clone())).collect();
    view! {
        <section class="card" aria-labelledby="retire-heading">
            <h2 id="retire-heading">{t(lang, "units.retire_heading")}</h2>
            <FormError err=retire_err/>
            <FormError err=reinstate_err/>
            {move || match retire.value().get() {
                Some(Ok(unit)) if !matches!(reinstate.value().get(), Some(Ok(ref u)) if u.id == unit.id) => Some(view! {
                    <div class="notice" role="status" id="retired-notice">
                        {fill(&t(lang, "units.retired_notice"), &[("unit", &unit.name)])}" "
                        <button type="button" class="button secondary" id="reinstate-unit" on:click=move |_| { reinstate.dispatch(ReinstateUnit { id: unit.id }); }>{t(lang, "units.reinstate")}</button>
                    </div>
                }.into_any()),
                _ => None,
            }}
            {move || match reinstate.value().get() {
                Some(Ok(unit)) => Some(view! { <p class="notice" role="status" id="reinstated-notice">{fill(&t(lang, "units.reinstated_notice"), &[("unit", &unit.name)])}</p> }),
                _ => None,
            }}
            <div class="form grid-form">
                <div class="field">
                    <label for="f-id-retire">{t(lang, "units.unit")}</label>
                    <select id="f-id-retire" on:change=move |ev| { chosen.set(event_target_value(&ev)); asking.set(None); }>
                        <option value="">"—"</option>
                        {options.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </div>
                <button type="button" class="button danger" id="retire-ask" node_ref=ask_button
                    disabled=move || !hydrated.get() || chosen.with(|c| c.is_empty())
                    aria-expanded=move || asking.get().is_some().to_string() aria-controls="retire-confirm"
                    on:click=move |_| asking.set(chosen.get_untracked().parse().ok())>{t(lang, "units.retire_ask")}</button>
            </div>
            <Suspense fallback=|| ()>
                {move || facts.get().flatten().map(|f| {
                    let blocked = f.active_children > 0;
                    // Focus moves into the box as soon as it is on the page.
                    let box_heading = NodeRef::<html::H3>::new();
                    box_heading.on_load(|h| {
                        let _ = h.focus();
                    });
                    view! {
                        <div class="confirm-box" id="retire-confirm" role="group" aria-labelledby="retire-confirm-heading">
                            <h3 id="retire-confirm-heading" tabindex="-1" node_ref=box_heading>{fill(&t(lang, "units.retire_confirm_heading"), &[("unit", &f.name)])}</h3>
                            <p>{fill(&t(lang, "units.retire_facts"), &[("accounts", &f.accounts.to_string()), ("entries", &f.roster_entries.to_string())])}</p>
                            {blocked.then(|| view! { <p class="form-error" role="alert">{fill(&t(lang, "units.retire_children"), &[("n", &f.active_children.to_string())])}</p> })}
                            <p class="actions">
                                <button type="button" class="button danger" id="retire-confirm-button" disabled=blocked on:click=move |_| {
                                    retire.dispatch(RetireUnit { id: f.unit_id });
                                    asking.set(None);
                                }>{t(lang, "units.retire_confirm")}</button>
                                <button type="button" class="button secondary" id="retire-cancel" on:click=cancel>{t(lang, "common.cancel_action")}</button>
                            </p>
                        </div>
                    }
                })}
            </Suspense>
        </section>
    }
}
