//! The one application state, handed to axum handlers and (through Leptos context) to server
//! functions. Nothing here is global, so each test can build its own app on its own database.

use super::db::Db;
use crate::accounts::password::PasswordHasher;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Rules that come from configuration rather than code.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Sessions end after this long without a request (seconds).
    pub session_idle_secs: i64,
    /// Sessions end this long after login, however active (seconds).
    pub session_absolute_secs: i64,
    /// Failed logins per account within the window before it is locked for the window.
    pub login_max_failures_per_account: i64,
    /// Failed logins per client IP within the window before the IP is locked for the window.
    pub login_max_failures_per_ip: i64,
    /// Length of the failure window and of the lock (seconds).
    pub login_window_secs: i64,
    /// Largest accepted request body (bytes); bigger ones get 413.
    pub max_body_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle_secs: 2 * 60 * 60,
            session_absolute_secs: 12 * 60 * 60,
            login_max_failures_per_account: 5,
            login_max_failures_per_ip: 30,
            login_window_secs: 15 * 60,
            max_body_bytes: 10 * 1024 * 1024,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub hasher: PasswordHasher,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function (provided by `leptos_routes_with_context`).
pub fn expect_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("AppState missing from server function context"))
}
