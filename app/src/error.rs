//! The one error type of the platform, shared by server functions, the JSON API and the pages.
//!
//! Every failure a user can cause maps to a 4xx with enough detail to fix the input; every
//! failure the platform causes maps to a 500 whose details stay in the log, tied to the
//! request id that the user sees.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name → message key (looked up in the locale files). Kept ordered so API answers are
/// stable and tests can compare them.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// 422: the input failed validation; one message key per offending field.
    #[error("invalid input")]
    Validation { fields: FieldErrors },
    /// 401: no session, or the session expired; the UI sends the user to the login page.
    #[error("authentication required")]
    Unauthenticated,
    /// 401 on the login form itself: the same message whether or not the account exists.
    #[error("wrong credentials")]
    BadCredentials,
    /// 403: signed in, but the role or the unit scope does not allow this action.
    #[error("forbidden")]
    Forbidden,
    /// 404: the record does not exist (or is outside the caller's view).
    #[error("not found")]
    NotFound,
    /// 409: the action conflicts with the current state; `message` is a locale key.
    #[error("conflict: {message}")]
    Conflict { message: String },
    /// 413: the request body exceeded the configured limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 429: too many failed logins; retry after the given number of seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: i64 },
    /// 429: too many requests of one kind (e.g. answer saves of one attempt) in a short time;
    /// retry after the given number of seconds.
    #[error("slow down")]
    RateLimited { retry_after_secs: i64 },
    /// 500: something failed inside the platform. Details are logged under `request_id`
    /// and never sent to the client.
    #[error("internal error ({request_id})")]
    Internal { request_id: String },
    /// Transport or (de)serialisation failure between the browser and the server function.
    #[error("transport: {message}")]
    Transport { message: String },
}

impl AppError {
    pub fn field(field: &str, key: &str) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), key.to_string());
        AppError::Validation { fields }
    }

    pub fn conflict(key: &str) -> Self {
        AppError::Conflict { message: key.to_string() }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 422,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::PayloadTooLarge => 413,
            AppError::TooManyAttempts { .. } | AppError::RateLimited { .. } => 429,
            AppError::Internal { .. } | AppError::Transport { .. } => 500,
        }
    }

    /// The message key for the whole error (field errors carry their own keys).
    pub fn message_key(&self) -> &str {
        match self {
            AppError::Validation { .. } => "err.validation",
            AppError::Unauthenticated => "err.unauthenticated",
            AppError::BadCredentials => "err.bad_credentials",
            AppError::Forbidden => "err.forbidden",
            AppError::NotFound => "err.not_found",
            AppError::Conflict { message } => message,
            AppError::PayloadTooLarge => "err.too_large",
            AppError::TooManyAttempts { .. } => "err.too_many_attempts",
            AppError::RateLimited { .. } => "err.rate_limited",
            AppError::Internal { .. } => "err.internal",
            AppError::Transport { .. } => "err.transport",
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation { fields } => Some(fields),
            _ => None,
        }
    }
}

/// Collects field errors while validating a form, so that every problem is reported at once.
#[derive(Debug, Default)]
pub struct Validator {
    fields: FieldErrors,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn check(&mut self, field: &str, result: Result<(), &'static str>) {
        if let Err(key) = result {
            self.add(field, key);
        }
    }

    /// Records the first error of a field; later ones would only repeat the problem.
    pub fn add(&mut self, field: &str, key: &str) {
        self.fields.entry(field.to_string()).or_insert_with(|| key.to_string());
    }

    /// A text that must be given and may be at most `max` characters (trimmed).
    pub fn required_text(&mut self, field: &str, text: &str, max: usize) {
        let len = text.trim().chars().count();
        if len == 0 {
            self.add(field, "err.required");
        } else if len > max {
            self.add(field, "err.too_long");
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.fields.is_empty() { Ok(()) } else { Err(AppError::Validation { fields: self.fields }) }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // A form that fails to deserialize is missing a field or has a malformed value:
            // that is the user's input, not an internal fault.
            E::Args(msg) => {
                let mut fields = FieldErrors::new();
                fields.insert("form".into(), format!("err.form_args:{msg}"));
                AppError::Validation { fields }
            }
            other => AppError::Transport { message: other.to_string() },
        }
    }
}

#[cfg(feature = "ssr")]
mod server_impls {
    use super::AppError;

    impl AppError {
        /// Logs an internal failure with the current request id and hides it from the client.
        pub fn internal(err: impl std::fmt::Display) -> Self {
            let request_id = crate::infra::request_id::current();
            tracing::error!(request_id = %request_id, error = %err, "internal error");
            AppError::Internal { request_id }
        }
    }

    /// JSON answer of the `/api/v1` handlers: `{"error": "...", "message": "...", ...}` with the
    /// Vietnamese message beside the machine-readable code, and one message per field.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            use crate::i18n::{Lang, t};
            let status = axum::http::StatusCode::from_u16(self.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut body = serde_json::to_value(&self).unwrap_or_default();
            if let Some(obj) = body.as_object_mut() {
                let message = match &self {
                    AppError::TooManyAttempts { retry_after_secs } => crate::i18n::fill(
                        &t(Lang::Vi, "err.too_many_attempts"),
                        &[("minutes", &((retry_after_secs + 59) / 60).max(1).to_string())],
                    ),
                    AppError::RateLimited { retry_after_secs } if *retry_after_secs >= 60 => crate::i18n::fill(
                        &t(Lang::Vi, "err.rate_limited_minutes"),
                        &[("minutes", &((retry_after_secs + 59) / 60).to_string())],
                    ),
                    AppError::Internal { request_id } => crate::i18n::fill(&t(Lang::Vi, "err.internal"), &[("id", request_id)]),
                    // Transport errors carry library text; the client gets the generic message.
                    AppError::Transport { .. } => t(Lang::Vi, "err.transport"),
                    other => t(Lang::Vi, other.message_key()),
                };
                obj.insert("message".into(), message.into());
                if let Some(fields) = self.field_errors() {
                    let messages: serde_json::Map<String, serde_json::Value> =
                        fields.iter().map(|(f, k)| (f.clone(), serde_json::json!({ "code": k, "message": t(Lang::Vi, k) }))).collect();
                    obj.insert("fields".into(), messages.into());
                }
            }
            let mut response = (status, axum::Json(body)).into_response();
            if let AppError::TooManyAttempts { retry_after_secs } | AppError::RateLimited { retry_after_secs } = self {
                if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
                }
            }
            response
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            AppError::internal(err)
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        fn from(err: tower_sessions::session::Error) -> Self {
            AppError::internal(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_maps_to_its_status() {
        let cases = [
            (AppError::field("cccd", "err.cccd_format"), 422),
            (AppError::Unauthenticated, 401),
            (AppError::BadCredentials, 401),
            (AppError::Forbidden, 403),
            (AppError::NotFound, 404),
            (AppError::conflict("err.unit_has_children"), 409),
            (AppError::PayloadTooLarge, 413),
            (AppError::TooManyAttempts { retry_after_secs: 60 }, 429),
            (AppError::RateLimited { retry_after_secs: 1 }, 429),
            (AppError::Internal { request_id: "r".into() }, 500),
        ];
        for (err, status) in cases {
            assert_eq!(err.status(), status, "{err:?}");
        }
    }

    #[test]
    fn validator_keeps_first_error_per_field() {
        let mut v = Validator::new();
        v.add("phone", "err.required");
        v.add("phone", "err.phone_format");
        v.check("email", Ok(()));
        let err = v.finish().unwrap_err();
        let fields = err.field_errors().unwrap();
        assert_eq!(fields.len(), 1);
        assert_eq!(fields["phone"], "err.required");
    }

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn internal_errors_show_only_the_request_id() {
        use axum::response::IntoResponse;
        let err = crate::infra::request_id::scope("req-42".into(), async { AppError::internal("password authentication failed for user app at 10.0.0.5") }).await;
        assert_eq!(err, AppError::Internal { request_id: "req-42".into() });
        let response = err.into_response();
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("req-42") && text.contains("Hệ thống gặp sự cố"), "{text}");
        assert!(!text.contains("password") && !text.contains("10.0.0.5"), "{text}");
    }

    #[test]
    fn errors_round_trip_through_json() {
        let err = AppError::TooManyAttempts { retry_after_secs: 90 };
        let json = serde_json::to_string(&err).unwrap();
        assert!(json.contains("\"error\":\"too_many_attempts\""));
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err);
    }
}
