//! Pages: đăng nhập, đăng ký, hồ sơ and the admin user list.

use crate::vn_time::show_secs;
use super::model::{Profile, Role, UserSummary};
use crate::codes::Code;
#[cfg(feature = "hydrate")]
use super::model::Registration;
use super::server_fns::{Login, Register, SetUserRole, get_personal_data_log, get_profile, list_users};
use crate::error::AppError;
use crate::i18n::t;
use crate::ui::forms::{SearchForm, FieldError, FormError, Notice, TextField, action_error, loading};
use super::auth_ui::use_auth;
use crate::ui::{Loaded, Table, TableOf, load_error, use_lang};
use crate::i18n::Texts;
use crate::units::picker::{PickerOption, UnitPicker, UnitSelect, picker_options};
use crate::units::server_fns::list_units;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// "Đầu mối đơn vị (Sở Y tế)": a role with its unit scope, if any.
fn role_text(lang: crate::i18n::Lang, grant: &super::model::RoleGrant) -> String {
    match &grant.unit_name {
        Some(unit) => format!("{} ({unit})", t(lang, &grant.role.label_key())),
        None => t(lang, &grant.role.label_key()),
    }
}

/// Shows `children` to organizers (and admins) only: others get the login page or a refusal.
/// The server functions check roles again; this only decides what the page shows.
#[component]
pub fn RequireOrganizer(children: ChildrenFn) -> impl IntoView {
    let user = use_auth().user;
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if u.is_organizer() => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => load_error(AppError::Forbidden),
                    Ok(None) => load_error(AppError::Unauthenticated),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let login = ServerAction::<Login>::new();
    let auth = use_auth();
    Effect::new(move |_| {
        if let Some(Ok(())) = login.value().get() {
            auth.signed_in_or_out();
        }
    });
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let asked_to_sign_in = move || query.read().get("next").is_some();
    let err = action_error(login.value());
    view! {
        <section class="card narrow">
            <h1>{t(lang, "login.heading")}</h1>
            <Show when=asked_to_sign_in>
                <p class="notice" role="status">{t(lang, "login.please_sign_in")}</p>
            </Show>
            <Show when=move || query.read().get("reset").is_some()>
                <p class="notice" role="status" id="reset-done">{t(lang, "reset.done")}</p>
            </Show>
            <ActionForm action=login attr:class="form" attr:novalidate=true>
                <FormError err/>
                <TextField err name="identifier" label_key="login.identifier" autocomplete="username"/>
                <TextField err name="password" kind="password" label_key="login.password" autocomplete="current-password"/>
                <input type="hidden" name="next" value=next/>
                <div class="field">
                    <label class="check"><input type="checkbox" name="remember" value="1"/>" "{t(lang, "login.remember")}</label>
                    <p class="hint">{t(lang, "login.remember_hint")}</p>
                </div>
                <button type="submit" class="button">{t(lang, "login.submit")}</button>
            </ActionForm>
            <p><A href="/quen-mat-khau">{t(lang, "reset.forgot_link")}</A></p>
            <p>{t(lang, "login.no_account")} " " <A href="/register">{t(lang, "nav.register")}</A></p>
            <p>{t(lang, "login.citizen")} " " <A href="/dang-ky-cong-dan">{t(lang, "nav.citizen_signup")}</A></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let units = Resource::new(|| (), |_| list_units(String::new(), false));
    // Without JavaScript the form posts to the server function, which comes back here with
    // its error in the address; the island shows it beside the field.
    let error = ServerAction::<Register>::new().value().get_untracked().and_then(Result::err);
    view! {
        <section class="card narrow">
            <h1>{t(lang, "register.heading")}</h1>
            <p>{t(lang, "register.intro")}</p>
            <Loaded resource=units let:units>
                <RegisterForm options=picker_options(&units) texts=Texts::with_prefixes(lang, REGISTER_TEXTS) error=error.clone()/>
            </Loaded>
        </section>
    }
}

/// The texts the registration island shows: its labels and hints, and every error message.
const REGISTER_TEXTS: &[&str] = &["register.", "picker.", "err.", "nav.login"];

/// Đăng ký: an island of the light bundle, so the unit search narrows the list in the
/// browser and a refused field keeps everything typed. Without the WASM it is a plain form
/// posting to the `Register` server function, which answers with the page and its errors.
// An island everywhere but in the other light bundles, which leave it out (see `ui::Bundle`).
#[cfg_attr(any(not(feature = "islands"), feature = "bundle-register"), island)]
#[cfg_attr(all(feature = "islands", not(feature = "bundle-register")), component)]
pub fn RegisterForm(options: Vec<PickerOption>, texts: Texts, error: Option<AppError>) -> impl IntoView {
    provide_context(texts);
    let (hydrated, set_hydrated) = signal(false);
    provide_context(crate::ui::Hydrated(hydrated));
    Effect::new(move |_| set_hydrated.set(true));
    let register_url = <Register as leptos::server_fn::ServerFn>::url();
    let err: RwSignal<Option<AppError>> = RwSignal::new(error);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            if !busy.get_untracked() {
                busy.set(true);
                leptos::task::spawn_local(register_client::send(ev, err, busy));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, busy);
    };
    view! {
        <form method="post" action=register_url class="form" novalidate=true on:submit=on_submit data-hydrated=move || hydrated.get().to_string()>
            <FormError err=err.into()/>
            <TextField err=err.into() name="full_name" label_key="register.full_name" autocomplete="name"/>
            <UnitPicker err=err.into() name="unit_id" options/>
            <TextField err=err.into() name="position" label_key="register.position" autocomplete="organization-title"/>
            <TextField err=err.into() name="phone" kind="tel" label_key="register.phone" autocomplete="tel" inputmode="tel" hint_key="register.phone_hint"/>
            <TextField err=err.into() name="email" kind="email" label_key="register.email" autocomplete="email"/>
            <TextField err=err.into() name="cccd" label_key="register.cccd" inputmode="numeric" hint_key="register.cccd_hint"/>
            <TextField err=err.into() name="password" kind="password" label_key="register.password" autocomplete="new-password" hint_key="register.password_hint"/>
            <TextField err=err.into() name="password_confirm" kind="password" label_key="register.password_confirm" autocomplete="new-password"/>
            <button type="submit" class="button" disabled=move || busy.get()>{crate::ui::text("register.submit")}</button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod register_client {
    //! The registration island's submit: the form as JSON to `POST /api/v1/auth/register`
    //! (`sign_in=true`: the new account is signed in), then the profile; or the errors beside
    //! their fields.

    use super::*;
    use crate::ui::browser;
    use std::collections::BTreeMap;

    #[derive(serde::Deserialize)]
    struct FieldMessage {
        code: String,
    }

    #[derive(serde::Deserialize)]
    struct ErrorAnswer {
        #[serde(default)]
        error: String,
        #[serde(default)]
        fields: Option<BTreeMap<String, FieldMessage>>,
        #[serde(default)]
        retry_after_secs: Option<i64>,
        #[serde(default)]
        request_id: Option<String>,
    }

    fn field(form: &web_sys::FormData, name: &str) -> String {
        form.get(name).as_string().unwrap_or_default()
    }

    pub async fn send(ev: leptos::ev::SubmitEvent, err: RwSignal<Option<AppError>>, busy: RwSignal<bool>) {
        use wasm_bindgen::JsCast;
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()).and_then(|f| web_sys::FormData::new_with_form(&f).ok()) else {
            busy.set(false);
            return;
        };
        let registration = Registration {
            full_name: field(&form, "full_name"),
            unit_id: field(&form, "unit_id").trim().parse().ok(),
            position: field(&form, "position"),
            phone: field(&form, "phone"),
            email: field(&form, "email"),
            cccd: field(&form, "cccd"),
            password: field(&form, "password"),
            password_confirm: field(&form, "password_confirm"),
        };
        let body = serde_json::to_string(&registration).unwrap_or_default();
        let answer = browser::fetch_json("POST", "/api/v1/auth/register?sign_in=true", Some(body), 30_000).await;
        busy.set(false);
        let Some(answer) = answer else {
            err.set(Some(AppError::Transport { message: String::new() }));
            return;
        };
        if answer.status == 201 {
            browser::go_to("/profile?welcome=1");
            return;
        }
        let parsed: Option<ErrorAnswer> = serde_json::from_str(&answer.body).ok();
        err.set(Some(match parsed {
            Some(ErrorAnswer { fields: Some(fields), .. }) => AppError::Validation { fields: fields.into_iter().map(|(k, v)| (k, v.code)).collect() },
            Some(ErrorAnswer { retry_after_secs: Some(s), error, .. }) if error == "too_many_attempts" => AppError::TooManyAttempts { retry_after_secs: s },
            Some(ErrorAnswer { retry_after_secs: Some(s), error, .. }) if error == "rate_limited" => AppError::RateLimited { retry_after_secs: s },
            Some(ErrorAnswer { request_id: Some(id), .. }) => AppError::Internal { request_id: id },
            _ => AppError::Transport { message: String::new() },
        }));
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| get_profile());
    view! {
        <Loaded resource=profile let:p>
            <ProfileCard p/>
        </Loaded>
    }
}

#[component]
fn ProfileCard(p: Profile) -> impl IntoView {
    let lang = use_lang();
    let logout = use_auth().logout;
    let roles = p.roles.iter().map(|g| role_text(lang, g)).collect::<Vec<_>>().join(", ");
    view! {
        <section class="card">
            <h1>{p.full_name.clone()}</h1>
            <dl class="facts">
                {if p.is_citizen() {
                    // A citizen gave a phone and a residence, nothing else: no placeholder e-mail
                    // or empty staff rows.
                    view! {
                        <dt>{t(lang, "register.phone")}</dt><dd>{p.phone.as_ref().map(|x| x.shown()).unwrap_or_default()}</dd>
                        <dt>{t(lang, "citizen.residence")}</dt><dd data-field="residence">{p.residence_name.clone().unwrap_or_default()}</dd>
                    }.into_any()
                } else {
                    view! {
                        <dt>{t(lang, "register.email")}</dt><dd>{p.email.clone()}</dd>
                        <dt>{t(lang, "register.phone")}</dt><dd>{p.phone.as_ref().map(|x| x.shown()).unwrap_or_default()}</dd>
                        <dt>{t(lang, "register.cccd")}</dt><dd data-field="cccd">{p.cccd.as_ref().map(|x| x.shown()).unwrap_or_default()}</dd>
                        <dt>{t(lang, "register.unit")}</dt><dd>{p.unit_name.clone().unwrap_or_default()}</dd>
                        <dt>{t(lang, "register.position")}</dt><dd>{p.position.clone()}</dd>
                    }.into_any()
                }}
                <dt>{t(lang, "profile.roles")}</dt><dd>{roles}</dd>
                <dt>{t(lang, "profile.since")}</dt><dd>{show_secs(p.created_at)}</dd>
            </dl>
            <ActionForm action=logout>
                <button type="submit" class="button secondary">{t(lang, "nav.logout")}</button>
            </ActionForm>
        </section>
    }
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn UsersAdmin() -> impl IntoView {
    let lang = use_lang();
    let q = crate::ui::query_text("q");
    let set_role = ServerAction::<SetUserRole>::new();
    let err = action_error(set_role.value());
    let users = Resource::new(move || (q(), set_role.version().get()), |(q, _)| list_users(q));
    let units = Resource::new(|| (), |_| list_units(String::new(), false));
    let saved = Signal::derive(move || matches!(set_role.value().get(), Some(Ok(()))).then(|| t(lang, "common.saved")));
    view! {
        <section class="card">
            <h1>{t(lang, "users.heading")}</h1>
            <SearchForm id="user-q" label_key="users.search" value=Signal::derive(q)/>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let (users, units) = (users.await, units.await);
                    match (users, units) {
                        (Ok(users), Ok(units)) => { let for_reset = users.clone(); view! {
                            <UserTable users=users.clone()/>
                            <h2>{t(lang, "users.roles_heading")}</h2>
                            <Notice text=saved/>
                            <ActionForm action=set_role attr:class="form grid-form">
                                <FormError err/>
                                <div class="field">
                                    <label for="role-user">{t(lang, "users.user")}</label>
                                    <select id="role-user" name="user_id" required>
                                        {users.iter().map(|u| view! { <option value=u.id.to_string()>{format!("{} — {}", u.full_name, u.contact())}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="role-role">{t(lang, "users.role")}</label>
                                    <select id="role-role" name="role">
                                        {Role::ALL.iter().map(|r| view! { <option value=r.code()>{t(lang, &r.label_key())}</option> }).collect_view()}
                                    </select>
                                    <FieldError err field="role"/>
                                </div>
                                <UnitSelect err name="unit_id" label_key="users.scope" units optional=true/>
                                <div class="field">
                                    <span class="label">{t(lang, "users.action")}</span>
                                    <label><input type="radio" name="grant" value="1" checked=true/> {t(lang, "users.grant")}</label>
                                    <label><input type="radio" name="grant" value="0"/> {t(lang, "users.revoke")}</label>
                                </div>
                                <button type="submit" class="button">{t(lang, "common.save")}</button>
                            </ActionForm>
                            <super::reset_pages::AdminResetLinkForm users=for_reset/>
                        }.into_any() }
                        (Err(e), _) | (_, Err(e)) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Nhật ký truy cập dữ liệu cá nhân: every time CCCDs, phones or e-mails left the platform.
/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn PersonalDataLog() -> impl IntoView {
    let lang = use_lang();
    let log = Resource::new(|| (), |_| get_personal_data_log());
    view! {
        <section class="card">
            <h1>{t(lang, "datalog.heading")}</h1>
            <p class="hint">{t(lang, "datalog.hint")}</p>
            <TableOf resource=log empty="datalog.none" heads=&["datalog.at", "datalog.actor", "datalog.what", "datalog.subject", "datalog.records", "datalog.channel"] let:r>
                <tr>
                    <td>{show_secs(r.at)}</td>
                    <td>{r.actor}<br/><span class="hint">{r.actor_email}</span></td>
                    <td>{t(lang, &format!("datalog.what_{}", r.what))}</td>
                    <td>{r.subject}</td>
                    <td class="num">{r.records}</td>
                    <td>{t(lang, &format!("datalog.channel_{}", r.channel))}</td>
                </tr>
            </TableOf>
        </section>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>) -> impl IntoView {
    let lang = use_lang();
    if users.is_empty() {
        return view! { <p class="empty">{t(lang, "users.none")}</p> }.into_any();
    }
    view! {
        <Table heads=&["register.full_name", "register.email", "register.phone", "register.cccd", "register.unit", "profile.roles"]>
            {users.into_iter().map(|u| {
                let roles = u.roles.iter().map(|g| role_text(lang, g)).collect::<Vec<_>>().join(", ");
                // A citizen's stored e-mail is a placeholder; say what the account is instead,
                // and show where they live in the unit column.
                let (email, unit) = if u.is_citizen() {
                    (t(lang, "citizen.account"), u.residence_name.unwrap_or_default())
                } else {
                    (u.email, u.unit_name.unwrap_or_default())
                };
                view! {
                    <tr>
                        <td>{u.full_name}</td>
                        <td>{email}</td>
                        <td>{u.phone.map(|x| x.shown()).unwrap_or_default()}</td>
                        <td class="mono">{u.cccd.map(|x| x.shown()).unwrap_or_default()}</td>
                        <td>{unit}</td>
                        <td>{roles}</td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
    .into_any()
}
