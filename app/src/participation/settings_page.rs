//! Settings of participation that used to exist only in the API: a unit manager's declared
//! headcount (số CBCCVC khai báo) and the contest's collective-prize rule, each a plain form
//! with its errors beside the fields.

use super::page::staff_text;
use super::rates::Denominator;
use super::server_fns::{SaveCollectiveRule, SetDeclaredHeadcount, collective_rule_form};
use crate::i18n::t;
use crate::ui::forms::{FieldError, FormError, TextField, action_error, field_error};
use crate::ui::{Loaded, use_lang};
use leptos::prelude::*;

/// The managed unit's staff count as the figures use it, and the form for its declared one.
/// `staff`: the unit's own count and its source in the report shown.
#[component]
pub fn HeadcountForm(unit: i64, declared: i64, staff: Option<(i64, Denominator)>, action: ServerAction<SetDeclaredHeadcount>) -> impl IntoView {
    let lang = use_lang();
    let err = action_error(action.value());
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="headcount-heading">
            <h2 id="headcount-heading">{t(lang, "part.headcount_heading")}</h2>
            {staff.map(|(count, source)| view! { <p id="staff-now">{t(lang, "part.headcount_now")}" "<strong>{staff_text(lang, count, source)}</strong></p> })}
            <p class="explain">{t(lang, "part.headcount_help")}</p>
            <ActionForm action attr:class="form grid-form" attr:novalidate=true attr:id="headcount-form">
                <FormError err/>
                <input type="hidden" name="unit" value=unit/>
                <TextField err name="headcount" label_key="part.declared_headcount" kind="number" inputmode="numeric" value=declared.to_string()/>
                <button type="submit" class="button">{t(lang, "common.save")}</button>
                {move || saved().then(|| view! { <p class="notice" role="status" id="headcount-saved">{t(lang, "common.saved")}</p> })}
            </ActionForm>
        </section>
    }
}

/// The contest's collective-prize rule (for every block without its own), for organizers.
#[component]
pub fn CollectiveRuleForm(round: i64) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveCollectiveRule>::new();
    let err = action_error(save.value());
    let current = Resource::new(move || (round, save.version().get()), |(round, _)| collective_rule_form(round));
    let criteria = move |name: &'static str, chosen: String, optional: bool| {
        let id = format!("f-{name}");
        let options = [("rate", "part.criterion_rate"), ("mean_score", "part.criterion_mean_score"), ("participated", "part.criterion_participated")];
        view! {
            <div class="field">
                <label for=id.clone()>{t(lang, &format!("part.{name}"))}</label>
                <select id=id name=name aria-invalid=move || field_error(&err.get(), name).map(|_| "true")>
                    {optional.then(|| view! { <option value="">{t(lang, "part.criterion_none")}</option> })}
                    {options.into_iter().map(|(code, key)| view! { <option value=code selected=chosen == code>{t(lang, key)}</option> }).collect_view()}
                </select>
                <FieldError err field=name/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="collective-rule-heading">
            <h2 id="collective-rule-heading">{t(lang, "part.collective_rule_heading")}</h2>
            <p class="explain">{t(lang, "part.collective_rule_help")}</p>
            <Loaded resource=current let:f>
                <ActionForm action=save attr:class="form grid-form" attr:novalidate=true attr:id="collective-rule-form">
                    <FormError err/>
                    <input type="hidden" name="contest_id" value=f.contest_id/>
                    <TextField err name="min_rate" label_key="part.min_rate" inputmode="decimal" value=f.min_rate_percent.clone() hint_key="part.min_rate_hint"/>
                    {criteria("criterion1", f.criterion1.clone(), false)}
                    {criteria("criterion2", f.criterion2.clone(), true)}
                    <div class="field">
                        <label for="f-prizes">{t(lang, "part.collective_prizes")}</label>
                        <p class="hint" id="hint-prizes">{t(lang, "part.collective_prizes_hint")}</p>
                        <textarea id="f-prizes" name="prizes" rows="4" aria-describedby="hint-prizes" aria-invalid=move || field_error(&err.get(), "prizes").map(|_| "true")>{f.prizes.clone()}</textarea>
                        <FieldError err field="prizes"/>
                    </div>
                    <button type="submit" class="button">{t(lang, "common.save")}</button>
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status" id="collective-rule-saved">{t(lang, "common.saved")}</p> })}
                </ActionForm>
            </Loaded>
        </section>
    }
}
