//! Server-side plumbing shared by every domain, knowing none of them: the database, the state
//! handed to handlers, password hashing, stored files, outgoing e-mail and text messages, rate limits, request ids, the
//! Content-Security-Policy and the report lane.
pub mod csp;
pub mod db;
pub mod hashing;
pub mod mail;
pub mod rate_limit;
pub mod report_lane;
pub mod request_id;
pub mod services;
pub mod sms;
pub mod state;
pub mod storage;

/// The client address of the current server-function request, for login throttling.
pub async fn client_ip(settings: &state::Settings) -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let socket = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|ConnectInfo(addr)| addr);
    let headers = leptos::prelude::use_context::<axum::http::request::Parts>().map(|p| p.headers).unwrap_or_default();
    state::client_ip(settings, &headers, socket)
}
