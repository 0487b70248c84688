//! The one application state, handed to axum handlers and (through Leptos context) to server
//! functions. Nothing here is global, so each test can build its own app on its own database.

use super::db::Db;
use super::hashing::PasswordHasher;
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
    /// Failed logins on one account from every source but its known devices, within
    /// `login_account_window_secs`, before such sources are refused for the window.
    pub login_max_failures_all_sources: i64,
    pub login_account_window_secs: i64,
    /// Registrations per client IP per hour.
    pub register_max_per_ip: i64,
    /// Registrations per client IP answered "already registered", per login window.
    pub register_max_taken_per_ip: i64,
    /// Largest accepted request body (bytes); bigger ones get 413.
    pub max_body_bytes: usize,
    /// Behind a reverse proxy: the header it writes the client address into (the last entry
    /// counts, as the proxy appends it). Without it the socket address is the client.
    pub client_ip_header: Option<String>,
    /// The address users reach the platform at, for links sent outside it (reminders, QR codes).
    pub public_url: String,
    /// The thresholds of the signals of proxy-taking (`integrity::signals`).
    pub integrity: crate::integrity::model::Thresholds,
    /// Days after a contest's last round closes before device tokens and addresses recorded
    /// for it are deleted.
    pub integrity_retention_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle_secs: 2 * 60 * 60,
            session_absolute_secs: 12 * 60 * 60,
            login_max_failures_per_account: 5,
            // An office NAT puts hundreds of civil servants behind one address.
            login_max_failures_per_ip: 200,
            login_window_secs: 15 * 60,
            login_max_failures_all_sources: 20,
            login_account_window_secs: 60 * 60,
            register_max_per_ip: 300,
            register_max_taken_per_ip: 5,
            max_body_bytes: 10 * 1024 * 1024,
            client_ip_header: None,
            public_url: "http://127.0.0.1:3000".into(),
            integrity: Default::default(),
            integrity_retention_days: 180,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub hasher: PasswordHasher,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    /// The domains' own services (the answer writer), registered by type.
    pub services: super::services::Services,
    /// The limit on answer saves per attempt.
    pub save_limiter: Arc<super::rate_limit::KeyedLimiter>,
    /// Stored files (the award's entry files).
    pub files: super::storage::FileStore,
    /// Where heavy reports run: at the lowest CPU priority, on connections of their own.
    pub reports: super::report_lane::ReportLane,
}

impl super::report_lane::OnLane for AppState {
    fn with_db(self, db: Db) -> Self {
        AppState { db, ..self }
    }
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

/// The client address of a request: the configured proxy header's last entry, else the socket.
pub fn client_ip(settings: &Settings, headers: &axum::http::HeaderMap, socket: Option<std::net::SocketAddr>) -> String {
    let from_header = settings.client_ip_header.as_deref().and_then(|name| headers.get(name)).and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next()).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    from_header.or_else(|| socket.map(|s| s.ip().to_string())).unwrap_or_else(|| "unknown".into())
}
