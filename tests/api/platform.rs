//! Platform plumbing: health, schema parity of the two backends, SQLite durability settings,
//! the OpenAPI document, body limits and CSRF.

use crate::helpers::{Backend, TestApp, fresh_database, spawn_app};
use crate::on_both_backends;
use reqwest::StatusCode;
use std::collections::BTreeMap;

on_both_backends!(health_reports_app_and_database, openapi_document_lists_the_api, cross_site_posts_are_refused);

async fn health_reports_app_and_database(app: TestApp) {
    let (status, body) = app.json("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["status"], "ok");
    let expected = if app.backend == Backend::Sqlite { "sqlite" } else { "postgres" };
    assert_eq!(body["database"]["backend"], expected);
}

async fn openapi_document_lists_the_api(app: TestApp) {
    let (status, doc) = app.json("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/units", "/api/v1/units/{id}/merge", "/api/v1/units/import", "/api/v1/users"] {
        assert!(doc["paths"][path].is_object(), "{path} missing from OpenAPI");
    }
    assert!(doc["components"]["schemas"]["Registration"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_get_413() {
    // A small limit, so the whole body fits in socket buffers and the client reads the answer
    // instead of seeing the connection closed mid-upload.
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |c| c.max_body_kib = 4).await.unwrap();
    let big = "x".repeat(8 * 1024);
    let r = app.client.post(app.url("/api/v1/auth/register")).header("content-type", "application/json").body(big).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["message"], "Dữ liệu gửi lên quá lớn.");
    assert_eq!(app.count("users").await, 0);
}

async fn cross_site_posts_are_refused(app: TestApp) {
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await;
    let body = crate::helpers::registration(1, unit);
    let r = app.client.post(app.url("/api/v1/auth/register")).header("origin", "http://evil.example").json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.client.post(app.url("/api/v1/auth/register")).header("sec-fetch-site", "cross-site").json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("users").await, 0, "a refused request changes nothing");
    let same = app.client.post(app.url("/api/v1/auth/register")).header("origin", app.base.clone()).json(&body).send().await.unwrap();
    assert_eq!(same.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn sqlite_is_durable_wal_with_full_sync() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await.unwrap();
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await.unwrap();
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut *conn).await.unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert!(busy >= 5000);
}

/// Columns of every table, with types reduced to what the two schemas must agree on.
async fn schema_of(backend: Backend, url: &str) -> BTreeMap<String, Vec<(String, String, bool)>> {
    let db = app::infra::db::Db::connect(url, 2).await.unwrap();
    db.migrate().await.unwrap();
    let norm = |t: &str| match t.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer".to_string(),
        "blob" | "bytea" => "bytes".to_string(),
        "text" => "text".to_string(),
        other => other.to_string(),
    };
    let mut out = BTreeMap::new();
    use sqlx::Row;
    let tables: Vec<String> = match backend {
        Backend::Sqlite => sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name").fetch_all(&db.pool).await.unwrap(),
        Backend::Postgres => sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name").fetch_all(&db.pool).await.unwrap(),
    };
    for table in tables {
        let cols: Vec<(String, String, bool)> = match backend {
            Backend::Sqlite => sqlx::query(&format!("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info('{table}') ORDER BY cid")).fetch_all(&db.pool).await.unwrap()
                .iter().map(|r| (r.get::<String, _>("name"), norm(&r.get::<String, _>("type")), r.get::<i64, _>("nn") == 1 || r.get::<i64, _>("pk") > 0)).collect(),
            Backend::Postgres => sqlx::query("SELECT column_name::text AS name, data_type::text AS type, is_nullable::text AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position")
                .bind(&table).fetch_all(&db.pool).await.unwrap()
                .iter().map(|r| (r.get::<String, _>("name"), norm(&r.get::<String, _>("type")), r.get::<String, _>("nullable") == "NO")).collect(),
        };
        out.insert(table, cols);
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let Some(pg) = fresh_database(Backend::Postgres).await else { return };
    let sqlite = fresh_database(Backend::Sqlite).await.unwrap();
    let (a, b) = (schema_of(Backend::Sqlite, &sqlite).await, schema_of(Backend::Postgres, &pg).await);
    assert!(!a.is_empty());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "same tables");
    for (table, cols) in &a {
        assert_eq!(cols, &b[table], "columns of {table}");
    }
}
