//! Metrics for operators (Prometheus): request rate and latency by route, answer saves and the
//! writer's batches, the writer's queue, open attempts, sign-ins by outcome, password-hashing
//! permits in use and the database pool. Exposed on `APP_METRICS_ADDR` (an internal address)
//! and, with `APP_METRICS_TOKEN`, at `/metrics` on the application's own address for a scraper
//! that sends the token. README, "What to watch on a deadline day", says what each means.

use app::infra::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Latency buckets (seconds): from a save's few milliseconds to a report's seconds.
const SECONDS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
const BATCH_SIZES: [f64; 10] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];

/// The process's recorder, installed on first use. Histograms are Prometheus histograms (not
/// summaries), so several nodes' figures add up in a query.
pub fn handle() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&SECONDS)
                .and_then(|b| b.set_buckets_for_metric(Matcher::Full("hp_writer_batch_size".into()), &BATCH_SIZES))
                .expect("valid buckets");
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Another recorder may be installed already (a benchmark's debugging recorder):
            // then this one only renders what it saw, which is nothing.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Records every request's latency under its route pattern (`/api/v1/attempts/{id}/answers/
/// {position}`, never the ids, so the series stay few), method and status class.
pub async fn track_requests(matched: Option<MatchedPath>, req: Request, next: Next) -> Response {
    let route = matched.map(|m| m.as_str().to_string()).unwrap_or_else(|| "other".into());
    let method = req.method().as_str().to_string();
    let started = std::time::Instant::now();
    let response = next.run(req).await;
    let class = match response.status().as_u16() {
        100..=399 => "ok",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::histogram!("hp_http_request_seconds", "route" => route, "method" => method, "status" => class).record(started.elapsed().as_secs_f64());
    response
}

/// The figures read at scrape time rather than counted as they change.
async fn sample(state: &AppState) {
    let pool = &state.db.pool;
    let idle = pool.num_idle() as f64;
    metrics::gauge!("hp_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("hp_db_pool_connections", "state" => "busy").set(pool.size() as f64 - idle);
    metrics::gauge!("hp_db_pool_max").set(pool.options().get_max_connections() as f64);
    let (hashing, hash_max) = state.hasher.in_use();
    metrics::gauge!("hp_hash_permits_in_use").set(hashing as f64);
    metrics::gauge!("hp_hash_permits_max").set(hash_max as f64);
    if let Ok(writer) = state.services.get::<app::rounds::writer::AnswerWriter>() {
        metrics::gauge!("hp_writer_queue_depth").set(writer.queued() as f64);
    }
    match app::rounds::repo::attempts::open_count(&state.db).await {
        Ok(n) => metrics::gauge!("hp_open_attempts").set(n as f64),
        Err(err) => tracing::warn!(%err, "open attempts not counted for the metrics"),
    }
}

/// The Prometheus text, after sampling.
pub async fn render(state: &AppState) -> Response {
    let handle = handle();
    sample(state).await;
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

/// `/metrics` on the application's address: only with the configured token.
pub async fn metrics_page(State(state): State<AppState>, headers: HeaderMap, token: Option<String>) -> Response {
    let Some(token) = token.filter(|t| !t.is_empty()) else { return StatusCode::NOT_FOUND.into_response() };
    // Compared as bytes: a token may hold any character the operator chose.
    let offered = headers.get(header::AUTHORIZATION).and_then(|v| v.as_bytes().strip_prefix(b"Bearer ")).unwrap_or(b"");
    if !constant_time_eq(offered, token.as_bytes()) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    render(&state).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Serves the metrics alone on `addr` (an internal address, no token), until the process ends.
pub async fn serve_internal(addr: std::net::SocketAddr, state: AppState) -> anyhow::Result<()> {
    let router = axum::Router::new().route("/metrics", axum::routing::get(|State(state): State<AppState>| async move { render(&state).await })).with_state(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router).await {
            tracing::error!(%err, "metrics listener stopped");
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_compare_whole() {
        assert!(super::constant_time_eq(b"abc", b"abc"));
        assert!(!super::constant_time_eq(b"abc", b"abd"));
        assert!(!super::constant_time_eq(b"ab", b"abc"));
    }
}
