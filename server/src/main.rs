//! `server`: the web server and the administration CLI in one binary.

use clap::Parser;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into()))
        .json()
        .with_current_span(true)
        .init();
    if let Err(err) = server::cli::run(server::cli::Cli::parse()).await {
        eprintln!("Lỗi: {err:#}");
        std::process::exit(1);
    }
}
