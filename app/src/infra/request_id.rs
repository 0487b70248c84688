//! The id of the request being served, so that an internal error logged deep in a service can
//! be tied to the id shown to the user ("Mã lỗi …") without threading it through every call.

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: std::future::Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// The current request id, or `-` outside a request (CLI commands, background jobs).
pub fn current() -> String {
    REQUEST_ID.try_with(|id| id.clone()).unwrap_or_else(|_| "-".to_string())
}
