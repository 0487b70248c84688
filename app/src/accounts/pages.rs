//! Pages: đăng nhập, đăng ký, hồ sơ and the admin user list.

use super::model::{Profile, Role, UserSummary};
use super::server_fns::{Login, Register, SetUserRole, get_profile, list_users};
use crate::error::AppError;
use crate::i18n::t;
use crate::ui::forms::{table_head, SearchForm, FieldError, FormError, Notice, TextField, action_error, loading};
use crate::ui::{format_time, tr, urlencode, use_auth, use_lang};
use crate::units::picker::{UnitPicker, UnitSelect};
use crate::units::server_fns::list_units;
use leptos::prelude::*;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::{use_location, use_query_map};

/// "Đầu mối đơn vị (Sở Y tế)": a role with its unit scope, if any.
fn role_text(lang: crate::i18n::Lang, grant: &super::model::RoleGrant) -> String {
    match &grant.unit_name {
        Some(unit) => format!("{} ({unit})", t(lang, &grant.role.label_key())),
        None => t(lang, &grant.role.label_key()),
    }
}

/// Sends a signed-out visitor to the login page, which brings them back here afterwards.
pub fn login_redirect() -> impl IntoView {
    let location = use_location();
    let here = format!("{}{}", location.pathname.get_untracked(), {
        let s = location.search.get_untracked();
        if s.is_empty() { String::new() } else { format!("?{s}") }
    });
    view! { <Redirect path=format!("/login?next={}", urlencode(&here))/> }
}

/// Renders the error of a page's data load, redirecting to login when the session is gone.
pub fn load_error(err: AppError) -> AnyView {
    match err {
        AppError::Unauthenticated => login_redirect().into_any(),
        AppError::Forbidden => view! { <section class="card"><h1>{tr("err.forbidden")}</h1></section> }.into_any(),
        other => {
            let err = Signal::derive(move || Some(other.clone()));
            view! { <FormError err/> }.into_any()
        }
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
            <ActionForm action=login attr:class="form" attr:novalidate=true>
                <FormError err/>
                <TextField err name="identifier" label_key="login.identifier" autocomplete="username"/>
                <TextField err name="password" kind="password" label_key="login.password" autocomplete="current-password"/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button">{t(lang, "login.submit")}</button>
            </ActionForm>
            <p>{t(lang, "login.no_account")} " " <A href="/register">{t(lang, "nav.register")}</A></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let register = ServerAction::<Register>::new();
    let auth = use_auth();
    Effect::new(move |_| {
        if let Some(Ok(())) = register.value().get() {
            auth.signed_in_or_out();
        }
    });
    let err = action_error(register.value());
    let units = Resource::new(|| (), |_| list_units(String::new(), false));
    view! {
        <section class="card narrow">
            <h1>{t(lang, "register.heading")}</h1>
            <p>{t(lang, "register.intro")}</p>
            <ActionForm action=register attr:class="form" attr:novalidate=true>
                <FormError err/>
                <TextField err name="full_name" label_key="register.full_name" autocomplete="name"/>
                <Suspense fallback=loading>
                    {move || Suspend::new(async move {
                        match units.await {
                            Ok(units) => view! { <UnitPicker err name="unit_id" units/> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
                <TextField err name="position" label_key="register.position" autocomplete="organization-title"/>
                <TextField err name="phone" kind="tel" label_key="register.phone" autocomplete="tel" inputmode="tel" hint_key="register.phone_hint"/>
                <TextField err name="email" kind="email" label_key="register.email" autocomplete="email"/>
                <TextField err name="cccd" label_key="register.cccd" inputmode="numeric" hint_key="register.cccd_hint"/>
                <TextField err name="password" kind="password" label_key="register.password" autocomplete="new-password" hint_key="register.password_hint"/>
                <TextField err name="password_confirm" kind="password" label_key="register.password_confirm" autocomplete="new-password"/>
                <button type="submit" class="button">{t(lang, "register.submit")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let welcome = move || query.read().get("welcome").map(|_| t(lang, "profile.welcome"));
    let profile = Resource::new(|| (), |_| get_profile());
    view! {
        <Notice text=Signal::derive(welcome)/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => view! { <ProfileCard p/> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
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
                <dt>{t(lang, "register.email")}</dt><dd>{p.email.clone()}</dd>
                <dt>{t(lang, "register.phone")}</dt><dd>{p.phone.clone().unwrap_or_default()}</dd>
                <dt>{t(lang, "register.cccd")}</dt><dd data-field="cccd">{p.cccd.clone().unwrap_or_default()}</dd>
                <dt>{t(lang, "register.unit")}</dt><dd>{p.unit_name.clone().unwrap_or_default()}</dd>
                <dt>{t(lang, "register.position")}</dt><dd>{p.position.clone()}</dd>
                <dt>{t(lang, "profile.roles")}</dt><dd>{roles}</dd>
                <dt>{t(lang, "profile.since")}</dt><dd>{format_time(p.created_at)}</dd>
            </dl>
            <ActionForm action=logout>
                <button type="submit" class="button secondary">{t(lang, "nav.logout")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    view! { <RequireOrganizer><UsersAdmin/></RequireOrganizer> }
}

#[component]
fn UsersAdmin() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
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
                        (Ok(users), Ok(units)) => view! {
                            <UserTable users=users.clone()/>
                            <h2>{t(lang, "users.roles_heading")}</h2>
                            <Notice text=saved/>
                            <ActionForm action=set_role attr:class="form grid-form">
                                <FormError err/>
                                <div class="field">
                                    <label for="role-user">{t(lang, "users.user")}</label>
                                    <select id="role-user" name="user_id" required>
                                        {users.iter().map(|u| view! { <option value=u.id.to_string()>{format!("{} — {}", u.full_name, u.email)}</option> }).collect_view()}
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
                        }.into_any(),
                        (Err(e), _) | (_, Err(e)) => load_error(e),
                    }
                })}
            </Suspense>
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
        <div class="table-wrap">
            <table>
                {table_head(lang, &["register.full_name", "register.email", "register.phone", "register.cccd", "register.unit", "profile.roles"])}
                <tbody>
                    {users.into_iter().map(|u| {
                        let roles = u.roles.iter().map(|g| role_text(lang, g)).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr>
                                <td>{u.full_name}</td>
                                <td>{u.email}</td>
                                <td>{u.phone.unwrap_or_default()}</td>
                                <td class="mono">{u.cccd.unwrap_or_default()}</td>
                                <td>{u.unit_name.unwrap_or_default()}</td>
                                <td>{roles}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
