//! "Quên mật khẩu" and "Đặt lại mật khẩu": plain forms (no WASM on these pages), so they work
//! on any phone. The rules are in `accounts::reset`.

use super::auth_ui::use_auth;
use super::model::UserSummary;
use super::server_fns::{AdminResetLink, RequestPasswordReset, ResetPassword, reset_link_usable};
use crate::i18n::t;
use crate::ui::forms::{FormError, TextField, action_error};
use crate::ui::{Loaded, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let ask = ServerAction::<RequestPasswordReset>::new();
    let err = action_error(ask.value());
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    view! {
        <section class="card narrow">
            <h1>{t(lang, "reset.forgot_heading")}</h1>
            {if sent {
                view! { <p class="notice" role="status" id="reset-sent">{t(lang, "reset.sent")}</p> }.into_any()
            } else {
                view! {
                    <p>{t(lang, "reset.forgot_intro")}</p>
                    <ActionForm action=ask attr:class="form" attr:novalidate=true>
                        <FormError err/>
                        <TextField err name="email" kind="email" label_key="register.email" autocomplete="email"/>
                        <button type="submit" class="button">{t(lang, "reset.send")}</button>
                    </ActionForm>
                    <p class="hint">{t(lang, "reset.no_email_hint")}</p>
                }.into_any()
            }}
            <p><A href="/login">{t(lang, "reset.back_to_login")}</A></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_query_map().with_untracked(|q| q.get("token").unwrap_or_default());
    let set = ServerAction::<ResetPassword>::new();
    let err = action_error(set.value());
    let usable = Resource::new({ let token = token.clone(); move || token.clone() }, reset_link_usable);
    let token = StoredValue::new(token);
    view! {
        <section class="card narrow">
            <h1>{t(lang, "reset.heading")}</h1>
            <Loaded resource=usable let:ok>
                {if ok {
                    view! {
                        <ActionForm action=set attr:class="form" attr:novalidate=true>
                            <FormError err/>
                            <input type="hidden" name="token" value=token.get_value()/>
                            <TextField err name="password" kind="password" label_key="register.password" autocomplete="new-password" hint_key="register.password_hint"/>
                            <TextField err name="password_confirm" kind="password" label_key="register.password_confirm" autocomplete="new-password"/>
                            <button type="submit" class="button">{t(lang, "reset.save")}</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    crate::ui::set_response_status(410);
                    view! {
                        <p class="form-error" role="alert" id="reset-invalid">{t(lang, "err.reset_link_invalid")}</p>
                        <p><A href="/quen-mat-khau">{t(lang, "reset.ask_again")}</A></p>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}

/// On the user list, for admins: a one-day reset link for someone who cannot read the mailbox
/// they registered with. The admin passes it on; making it is recorded in the audit log.
#[component]
pub fn AdminResetLinkForm(users: Vec<UserSummary>) -> impl IntoView {
    let lang = use_lang();
    let make = ServerAction::<AdminResetLink>::new();
    let err = action_error(make.value());
    let made = move || make.value().get().and_then(Result::ok);
    let user = use_auth().user;
    let users = StoredValue::new(users);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let admin = user.await.ok().flatten().is_some_and(|u| u.is_admin());
                admin.then(|| view! {
                    <h2>{t(lang, "reset.admin_make")}</h2>
                    <ActionForm action=make attr:class="form grid-form">
                        <FormError err/>
                        <div class="field">
                            <label for="reset-user">{t(lang, "users.user")}</label>
                            <select id="reset-user" name="user_id" required>
                                {users.with_value(|list| list.iter().map(|u| view! { <option value=u.id.to_string()>{format!("{} — {}", u.full_name, u.contact())}</option> }).collect_view())}
                            </select>
                        </div>
                        <button type="submit" class="button secondary">{t(lang, "reset.admin_make")}</button>
                    </ActionForm>
                    {move || made().map(|link| view! {
                        <p class="notice" role="status">{t(lang, "reset.admin_made")}</p>
                        <label class="visually-hidden" for="reset-link">{t(lang, "reset.admin_make")}</label>
                        <input id="reset-link" type="text" readonly value=link/>
                    })}
                })
            })}
        </Suspense>
    }
}
