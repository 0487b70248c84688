//! Pages: the citizens' sign-up and code confirmation (light pages for a phone), the admin
//! screen of codes the development sender kept, and the per-commune report of public rounds.

use super::model::PublicRoundReport;
use super::server_fns::{CitizenSignUp, ConfirmPhone, get_sent_codes, get_commune_report};
use crate::error::AppError;
use crate::i18n::{Texts, fill, t};
use crate::quiz::model::Audience;
use crate::ui::forms::{FormError, TextField, action_error};
use crate::ui::{Loaded, Table, TableOf, use_lang};
use crate::units::model::{Block, UnitNode};
use crate::units::picker::{PickerOption, UnitPicker, picker_options};
use crate::units::server_fns::list_units;
use crate::vn_time::show_secs;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The places a citizen may live in: the active communes, wards and special zones.
pub fn residence_options(units: &[UnitNode]) -> Vec<PickerOption> {
    let communes: Vec<UnitNode> = units.iter().filter(|n| n.unit.block == Block::XaPhuong).cloned().collect();
    picker_options(&communes)
}

#[component]
pub fn CitizenSignupPage() -> impl IntoView {
    let lang = use_lang();
    let units = Resource::new(|| (), |_| list_units(String::new(), false));
    // Without the WASM the form posts to the server function, which comes back here with its
    // error in the address; the island shows it beside the field.
    let error = ServerAction::<CitizenSignUp>::new().value().get_untracked().and_then(Result::err);
    view! {
        <section class="card narrow">
            <h1>{t(lang, "citizen.heading")}</h1>
            <p>{t(lang, "citizen.intro")}</p>
            <Loaded resource=units let:units>
                <CitizenSignupForm options=residence_options(&units) texts=Texts::with_prefixes(lang, CITIZEN_TEXTS) error=error.clone()/>
            </Loaded>
            <p>{t(lang, "citizen.have_account")} " " <A href="/login">{t(lang, "nav.login")}</A></p>
            <p class="hint">{t(lang, "citizen.staff_hint")} " " <A href="/register">{t(lang, "nav.register")}</A></p>
        </section>
    }
}

/// The texts the sign-up island shows: its labels, the picker's and every error message.
const CITIZEN_TEXTS: &[&str] = &["citizen.", "register.", "picker.", "err."];

/// Đăng ký công dân: an island of the registration page's light bundle, so the commune search
/// narrows the list in the browser (accents optional). The form itself is a plain post to the
/// `CitizenSignUp` server function, which sends the person on to type the code.
#[cfg_attr(any(not(feature = "islands"), feature = "bundle-register"), island)]
#[cfg_attr(all(feature = "islands", not(feature = "bundle-register")), component)]
pub fn CitizenSignupForm(options: Vec<PickerOption>, texts: Texts, error: Option<AppError>) -> impl IntoView {
    provide_context(texts);
    let (hydrated, set_hydrated) = signal(false);
    provide_context(crate::ui::Hydrated(hydrated));
    Effect::new(move |_| set_hydrated.set(true));
    let url = <CitizenSignUp as leptos::server_fn::ServerFn>::url();
    let err: RwSignal<Option<AppError>> = RwSignal::new(error);
    view! {
        <form method="post" action=url class="form" novalidate=true data-hydrated=move || hydrated.get().to_string()>
            <FormError err=err.into()/>
            <TextField err=err.into() name="full_name" label_key="register.full_name" autocomplete="name"/>
            <TextField err=err.into() name="phone" kind="tel" label_key="citizen.phone" autocomplete="tel" inputmode="tel" hint_key="citizen.phone_hint"/>
            <UnitPicker err=err.into() name="residence_unit_id" options label_key="citizen.residence" search_key="citizen.residence_search"/>
            <TextField err=err.into() name="password" kind="password" label_key="register.password" autocomplete="new-password" hint_key="register.password_hint"/>
            <TextField err=err.into() name="password_confirm" kind="password" label_key="register.password_confirm" autocomplete="new-password"/>
            <button type="submit" class="button">{crate::ui::text("citizen.send_code")}</button>
        </form>
    }
}

/// Nhập mã xác nhận: a plain form (no WASM), the phone carried from the sign-up.
#[component]
pub fn ConfirmPhonePage() -> impl IntoView {
    let lang = use_lang();
    let confirm = ServerAction::<ConfirmPhone>::new();
    let err = action_error(confirm.value());
    let phone = use_query_map().with_untracked(|q| q.get("phone").unwrap_or_default());
    let sent = fill(&t(lang, "citizen.code_sent"), &[("phone", &phone), ("minutes", &(super::rules::CODE_VALID_SECS / 60).to_string())]);
    view! {
        <section class="card narrow">
            <h1>{t(lang, "citizen.confirm_heading")}</h1>
            <p role="status" id="code-sent">{sent}</p>
            <ActionForm action=confirm attr:class="form" attr:novalidate=true>
                <FormError err/>
                <input type="hidden" name="phone" value=phone/>
                <TextField err name="code" label_key="citizen.code" inputmode="numeric" autocomplete="one-time-code"/>
                <button type="submit" class="button">{t(lang, "citizen.confirm")}</button>
            </ActionForm>
            <p class="hint">{t(lang, "citizen.no_code")} " " <A href="/dang-ky-cong-dan">{t(lang, "citizen.again")}</A></p>
        </section>
    }
}

/// Mã xác nhận đã gửi: what the development sender wrote to the log instead of texting it.
#[component]
pub fn SentCodesPage() -> impl IntoView {
    let lang = use_lang();
    let codes = Resource::new(|| (), |_| get_sent_codes());
    view! {
        <section class="card">
            <h1>{t(lang, "codes.heading")}</h1>
            <p class="hint">{t(lang, "codes.hint")}</p>
            <TableOf resource=codes empty="codes.none" heads=&["codes.at", "codes.phone", "codes.message"] let:m>
                <tr class="sent-code">
                    <td>{show_secs(m.at)}</td>
                    <td class="mono">{m.phone}</td>
                    <td>{m.message}</td>
                </tr>
            </TableOf>
        </section>
    }
}

/// Tham gia của người dân: a public round's entries and people per commune, ward and special
/// zone (organizers), with its CSV.
#[component]
pub fn PublicParticipationPage() -> impl IntoView {
    let lang = use_lang();
    let rounds = Resource::new(|| (), |_| crate::rounds::server_fns::public_rounds());
    let query = use_query_map();
    let chosen = move || query.with(|q| q.get("round").and_then(|r| r.parse::<i64>().ok()));
    view! {
        <section class="card">
            <h1>{t(lang, "citizen.report_heading")}</h1>
            <p class="hint">{t(lang, "citizen.report_hint")}</p>
            <Loaded resource=rounds let:rounds>
                {
                    let public: Vec<_> = rounds.into_iter().filter(|r| r.audience == Audience::Public).collect();
                    let round = chosen().or_else(|| public.first().map(|r| r.id));
                    let links = public.into_iter().map(|r| view! { <li><A href=format!("/tham-gia-cong-dan?round={}", r.id)>{r.title}</A></li> }).collect_view();
                    let table = match round {
                        Some(id) => view! { <CommuneTable round_id=id/> }.into_any(),
                        None => view! { <p class="empty">{t(lang, "citizen.no_public_round")}</p> }.into_any(),
                    };
                    view! { <ul class="links">{links}</ul> {table} }
                }
            </Loaded>
        </section>
    }
}

#[component]
fn CommuneTable(round_id: i64) -> impl IntoView {
    let report = Resource::new(move || round_id, get_commune_report);
    view! {
        <Loaded resource=report let:r>
            <CommuneReport report=r/>
        </Loaded>
    }
}

#[component]
fn CommuneReport(report: PublicRoundReport) -> impl IntoView {
    let lang = use_lang();
    let PublicRoundReport { round_id, round_title, communes, entries, people } = report;
    let totals = fill(&t(lang, "citizen.totals"), &[("entries", &entries.to_string()), ("people", &people.to_string())]);
    let rows = communes
        .into_iter()
        .map(|c| view! {
            <tr>
                <td>{c.unit_name.unwrap_or_else(|| t(lang, "citizen.no_residence"))}</td>
                <td class="num">{c.entries}</td>
                <td class="num">{c.people}</td>
            </tr>
        })
        .collect_view();
    view! {
        <h2>{round_title}</h2>
        <p id="public-totals">{totals}</p>
        <p><a href=format!("/api/v1/rounds/{round_id}/communes.csv") download="">{t(lang, "citizen.csv")}</a></p>
        <Table heads=&["citizen.commune", "citizen.entries", "citizen.people"] num=&["citizen.entries", "citizen.people"] id="commune-table">
            {rows}
        </Table>
    }
}
