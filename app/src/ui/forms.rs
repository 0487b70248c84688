//! Form building blocks: labelled fields with their Vietnamese error next to them, and the
//! form-level message for errors that are not about one field.

use super::{text, tr, use_lang};
use crate::error::AppError;
use crate::i18n::{Lang, fill, t};
use leptos::prelude::*;

/// The message key of `field` in `err`, if any.
pub fn field_error(err: &Option<AppError>, field: &str) -> Option<String> {
    err.as_ref().and_then(|e| e.field_errors()).and_then(|f| f.get(field).cloned())
}

/// The error of a server action's last run.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

#[component]
pub fn FieldError(err: Signal<Option<AppError>>, #[prop(into)] field: String) -> impl IntoView {
    move || {
        field_error(&err.get(), &field).map(|key| {
            view! { <p class="field-error" id=format!("err-{field}") role="alert">{text(&key)}</p> }
        })
    }
}

/// A labelled input with its error. `kind` is the input type.
#[component]
pub fn TextField(
    err: Signal<Option<AppError>>,
    name: &'static str,
    label_key: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] hint_key: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = true)] required: bool,
    /// Distinguishes two fields of the same name on one page (e.g. in two forms).
    #[prop(optional)] id_suffix: Option<&'static str>,
) -> impl IntoView {
    let id = format!("f-{name}{}", id_suffix.unwrap_or(""));
    let invalid = move || field_error(&err.get(), name).map(|_| "true");
    let hint_id = hint_key.map(|_| format!("hint-{name}"));
    let described = move || {
        let mut ids = Vec::new();
        if let Some(h) = &hint_id {
            ids.push(h.clone());
        }
        if field_error(&err.get(), name).is_some() {
            ids.push(format!("err-{name}"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{text(label_key)}</label>
            {hint_key.map(|k| view! { <p class="hint" id=format!("hint-{name}")>{text(k)}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=invalid
                aria-describedby=described
            />
            <FieldError err field=name/>
        </div>
    }
}

/// A labelled input named `form[name]` (a server function's form struct), with its error
/// under `error_field`.
pub fn form_input(lang: Lang, err: Signal<Option<AppError>>, name: &'static str, label: &'static str, kind: &'static str, value: String, error_field: &'static str) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, label)}</label>
            <input id=id name=format!("form[{name}]") type=kind value=value aria-invalid=move || field_error(&err.get(), error_field).map(|_| "true")/>
            <FieldError err field=error_field/>
        </div>
    }
}

/// A labelled textarea named `form[name]`, with an optional hint and its error.
pub fn form_area(lang: Lang, err: Signal<Option<AppError>>, name: &'static str, label: &'static str, hint: &'static str, value: String, error_field: &'static str, rows: u32) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, label)}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{t(lang, hint)}</p> })}
            <textarea id=id name=format!("form[{name}]") rows=rows>{value}</textarea>
            <FieldError err field=error_field/>
        </div>
    }
}

/// The message for errors that concern the whole form (wrong password, throttling, a fault).
#[component]
pub fn FormError(err: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        err.get().and_then(|e| {
            let message = match &e {
                AppError::Validation { fields } => match fields.get("form") {
                    Some(key) => text(key),
                    None => text("err.validation"),
                },
                AppError::TooManyAttempts { retry_after_secs } => {
                    let minutes = ((retry_after_secs + 59) / 60).max(1).to_string();
                    fill(&text("err.too_many_attempts"), &[("minutes", &minutes)])
                }
                AppError::RateLimited { retry_after_secs } if *retry_after_secs >= 60 => {
                    fill(&text("err.rate_limited_minutes"), &[("minutes", &((retry_after_secs + 59) / 60).to_string())])
                }
                AppError::Internal { request_id } => fill(&text("err.internal"), &[("id", request_id)]),
                other => text(other.message_key()),
            };
            // A session that expired while the form was open: offer the way back in, returning
            // to this page afterwards.
            let sign_in = matches!(e, AppError::Unauthenticated).then(|| {
                let here = super::current_path();
                view! { " " <a href=format!("/login?next={}", super::urlencode(&here))>{text("nav.login")}</a> }
            });
            Some(view! { <div class="form-error" role="alert">{message}{sign_in}</div> })
        })
    }
}

/// The error a plain upload form came back with (`?loi=err.…` in the address, put there by the
/// server's upload route), next to the file field it belongs to.
#[component]
pub fn UploadError(id: &'static str) -> impl IntoView {
    let key = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("loi")).filter(|k| k.starts_with("err."));
    key.map(|key| view! { <p class="field-error" id=id role="alert">{tr(&key)}</p> })
}

/// A success notice.
#[component]
pub fn Notice(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    move || text.get().map(|text| view! { <div class="notice" role="status">{text}</div> })
}

/// "Đang tải…" for suspense fallbacks.
pub fn loading() -> impl IntoView {
    view! { <p class="loading">{tr("common.loading")}</p> }
}

/// A GET search box (`?q=`): a plain form, so it works before the WASM loads and the URL can
/// be bookmarked or shared.
#[component]
pub fn SearchForm(id: &'static str, label_key: &'static str, #[prop(into)] value: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form method="get" class="search-form" role="search">
            <label for=id>{t(lang, label_key)}</label>
            <input id=id type="search" name="q" value=move || value.get()/>
            <button type="submit" class="button secondary">{t(lang, "common.search")}</button>
        </form>
    }
}
