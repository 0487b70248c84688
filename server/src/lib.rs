//! The server: configuration, the HTTP application and the CLI commands. `main.rs` only parses
//! the command line; tests build the same application with [`build_app`].

pub mod api;
pub mod attempt_form;
pub mod backup;
pub mod cli;
pub mod config;
pub mod error_answers;
pub mod seed;
pub mod seed_awards;
pub mod seed_contest;
pub mod seed_public;
pub mod seed_integrity;
pub mod session_store;
pub mod telemetry;
pub mod web;

use app::infra::db::Db;
use app::infra::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use config::Config;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use session_store::DbSessionStore;
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("app")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.bind.parse::<std::net::SocketAddr>().unwrap_or_else(|_| ([127, 0, 0, 1], 3000).into()))
        .build()
}

/// Connects to the configured database and runs migrations when asked to.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url, config.max_connections).await?;
    if config.auto_migrate {
        db.migrate().await?;
        // The participation counters, when a migration has just created them.
        if app::counters::rebuild_if_missing(&db).await? {
            tracing::info!("participation counters rebuilt");
        }
    }
    Ok(db)
}

/// The application state on a connected database: the plumbing, and the domains' services
/// (the answer writer starts on the current runtime). `reports`: where heavy reports run.
pub fn app_state(config: &Config, db: Db, reports: app::infra::report_lane::ReportLane) -> anyhow::Result<AppState> {
    use app::rounds::attempts::{SAVE_BURST, SAVES_PER_SECOND};
    Ok(AppState {
        db: db.clone(),
        hasher: app::infra::hashing::PasswordHasher::new(config.max_concurrent_hashes),
        settings: Arc::new(config.settings()),
        leptos_options: leptos_options(config),
        services: app::infra::services::Services::default()
            .with(app::rounds::writer::AnswerWriter::spawn(db))
            .with(Arc::new(app::infra::mail::Mailer::new(config.smtp_url.as_deref(), &config.mail_from).map_err(anyhow::Error::msg)?))
            .with(Arc::new(app::infra::sms::SmsSender::new(config.sms.url.as_deref(), config.sms.token.as_deref()).map_err(anyhow::Error::msg)?)),
        save_limiter: Arc::new(app::infra::rate_limit::KeyedLimiter::new(SAVES_PER_SECOND, SAVE_BURST)),
        files: match &config.s3 {
            Some(s3) => {
                let key = s3.access_key_id.as_deref().zip(s3.secret_access_key.as_deref());
                app::infra::storage::FileStore::s3(&s3.bucket, s3.endpoint.as_deref(), &s3.region, key)?
            }
            None => app::infra::storage::FileStore::local(std::path::Path::new(&config.files_dir))?,
        },
        reports,
    })
}

/// Builds the whole HTTP application on a connected, migrated database.
pub async fn build_app(config: &Config, db: Db) -> anyhow::Result<(Router, AppState)> {
    let settings = config.settings();
    let state = app_state(config, db.clone(), app::infra::report_lane::ReportLane::start(&config.database_url))?;

    // Attempts whose time ran out are submitted by the server even when no browser is left.
    app::sweeper::spawn_sweeper(state.clone(), std::time::Duration::from_secs(2));

    let store = DbSessionStore::connect(&db, &config.database_url).await?;
    spawn_expired_session_cleanup(store.clone(), db.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name("hp_session")
        .with_secure(config.secure_cookies())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::seconds(settings.session_idle_secs)));

    let routes = page_routes();
    let pkg = ServeDir::new(format!("{}/pkg", config.site_root)).precompressed_br().precompressed_gzip();
    let router = Router::new()
        .route("/healthz", get(web::healthz))
        .route("/readyz", get(web::readyz))
        .route("/metrics", get({
            let token = config.metrics_token.clone();
            move |state, headers| telemetry::metrics_page(state, headers, token.clone())
        }))
        .route("/api/openapi.json", get(api::openapi_json))
        .route("/lang/{code}", get(web::switch_lang))
        .route("/admin/units/import", post(web::upload_unit_import))
        .route("/admin/questions/import", post(web::upload_question_import))
        .route("/bai-thi/{id}/gui", post(attempt_form::attempt_form))
        .route("/don-vi/{unit}/danh-sach", post(web::upload_roster))
        .route("/admin/giai-thuong/{id}/tieu-ban", post(web::set_award_panel))
        .route("/tac-pham/{id}/tep/{file}/xoa", post(web::delete_entry_file))
        .merge(api::router())
        .nest_service("/pkg", pkg)
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(settings.max_body_bytes))
        // Entry files stream to storage under each edition's own size limit (up to gigabytes
        // of video), so their two routes sit outside the general body limit.
        .merge(
            Router::new()
                .route("/api/v1/award-entries/{id}/files", post(api::award_files::upload))
                .route("/tac-pham/{id}/tep", post(web::upload_entry_file))
                .layer(DefaultBodyLimit::disable())
                // Their own bound: the largest file an edition may allow, plus the framing.
                .layer(RequestBodyLimitLayer::new(app::awards::setup::MAX_FILE_BYTES as usize)),
        )
        .layer(sessions)
        .layer(axum::middleware::from_fn(error_answers::server_fn_status))
        // Pages and larger API answers go compressed to phones on slow networks; the bundles
        // are precompressed already, and small answers (an answer save's acknowledgement) are
        // not worth the CPU.
        // Brotli at quality 4, not tower-http's default (async-compression's default level,
        // which for brotli is 11: a hundred times the CPU for a few percent fewer bytes, on
        // every page and report while people are saving answers).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)).compress_when(SizeAbove::new(1024).and(compressible)))
        .layer(axum::middleware::from_fn(web::render_to_end))
        .layer(axum::middleware::from_fn(web::csrf_guard))
        .layer(axum::middleware::from_fn(error_answers::json_errors))
        .layer(axum::middleware::from_fn({
            let https = config.secure_cookies();
            move |req, next| web::security_headers(https, req, next)
        }))
        .layer(axum::middleware::from_fn({
            let (settings, https) = (state.settings.clone(), config.secure_cookies());
            move |req, next| web::device_cookie(settings.clone(), https, req, next)
        }))
        .layer(axum::middleware::from_fn(web::request_id));
    // Requests are timed by route only when someone collects the figures.
    let metrics_on = config.metrics_addr.is_some() || config.metrics_token.as_deref().is_some_and(|t| !t.is_empty());
    let router = if metrics_on {
        telemetry::handle();
        router.layer(axum::middleware::from_fn(telemetry::track_requests))
    } else {
        router
    };
    Ok((router.with_state(state.clone()), state))
}

/// The page routes, listed once per process. Listing them renders the app with resource
/// loading switched off through a process-wide flag in leptos_server
/// (`SuppressResourceLoad`): a page rendered by another app in the same process at that
/// moment (the test suite runs many at once) would wait forever for its data. Listing once,
/// before any app of the process serves, keeps that window closed.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Text worth compressing: pages, JSON, CSV. Never files served by range (audio, video, PDF),
/// nor formats already compressed (XLSX, images).
fn compressible(status: axum::http::StatusCode, _: axum::http::Version, headers: &axum::http::HeaderMap, _: &axum::http::Extensions) -> bool {
    let kind = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    status != axum::http::StatusCode::PARTIAL_CONTENT && (kind.starts_with("text/") || kind.starts_with("application/json"))
}

/// Housekeeping every ten minutes: expired sessions, and uploaded files whose preview was
/// never applied (safe on several nodes: each delete is idempotent).
fn spawn_expired_session_cleanup(store: DbSessionStore, db: Db) {
    use tower_sessions::ExpiredDeletion;
    tokio::spawn(async move {
        loop {
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            match app::uploads::expire(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired pending imports"),
                Err(e) => tracing::warn!(error = %e, "could not expire pending imports"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    });
}

/// Raises the limit of open files (each connection is one) from its soft value to the hard
/// limit, and returns it. With the usual soft limit of 1,024, a deadline with thousands of
/// phones connected fails with "Too many open files" long before the CPU is busy.
pub fn raise_open_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(e) => {
            tracing::warn!(error = %e, "could not raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft).unwrap_or(0)
        }
    }
}

/// Ctrl-C, or SIGTERM (what systemd, Docker and a rolling restart send): the listener stops
/// taking connections and the requests in flight finish. Every answer acknowledged before then
/// was already committed (the writer acknowledges only after its commit).
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Serves until Ctrl-C / SIGTERM.
pub async fn serve(config: &Config, router: Router, state: AppState) -> anyhow::Result<()> {
    let files = raise_open_file_limit();
    // Each connection holds a file; the database, logs and the rest need a few hundred more.
    tracing::info!(open_files = files, connections_at_most = files.saturating_sub(256), "open-file limit");
    if files < 4096 {
        tracing::warn!(open_files = files, "the open-file limit is low for a deadline day: raise the hard limit (LimitNOFILE=65536 in the systemd unit)");
    }
    if let Some(addr) = &config.metrics_addr {
        let addr: std::net::SocketAddr = addr.parse()?;
        telemetry::serve_internal(addr, state).await?;
        tracing::info!(address = %addr, "metrics for Prometheus at /metrics");
    }
    let listener = tokio::net::TcpListener::bind(&config.bind).await?;
    tracing::info!(address = %config.bind, "serving");
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

