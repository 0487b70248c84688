//! Platform plumbing: health, schema parity of the two backends, SQLite durability settings,
//! the OpenAPI document, body limits and CSRF.

use crate::helpers::{Backend, TestApp, fresh_database, spawn_app};
use crate::on_both_backends;
use reqwest::StatusCode;
use std::collections::BTreeMap;

on_both_backends!(health_reports_app_and_database, readiness_needs_the_database_and_current_migrations, openapi_document_lists_the_api, cross_site_posts_are_refused);

async fn health_reports_app_and_database(app: TestApp) {
    let (status, body) = app.json("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["status"], "ok");
    let expected = if app.backend == Backend::Sqlite { "sqlite" } else { "postgres" };
    assert_eq!(body["database"]["backend"], expected);
}

async fn readiness_needs_the_database_and_current_migrations(app: TestApp) {
    let (status, body) = app.json("/readyz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ready");
    assert_eq!(body["migrations"], "current");
    // A database one migration behind this build (as during a rolling upgrade): not ready, so
    // the proxy sends people to a node that is.
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)").execute(&app.state.db.pool).await.unwrap();
    let (status, body) = app.json("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["migrations"], "behind");
    let (status, _) = app.json("/healthz").await;
    assert_eq!(status, StatusCode::OK, "liveness does not depend on migrations");
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
/// A column as both backends can describe it: name, type, not null, default.
type Column = (String, String, bool, Option<String>);

/// What the two migration dialects must agree on, normalised so that spelling differences
/// between SQLite and PostgreSQL do not count: columns with their type, nullability and
/// default; indexes by table, columns, uniqueness and whether partial (not by name, which the
/// two name differently for UNIQUE constraints); foreign keys by column and target.
#[derive(Debug, Default)]
struct Schema {
    columns: BTreeMap<String, Vec<Column>>,
    indexes: std::collections::BTreeSet<(String, Vec<String>, bool, bool)>,
    foreign_keys: std::collections::BTreeSet<(String, String, String, String)>,
}

fn normal_type(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer".into(),
        "blob" | "bytea" => "bytes".into(),
        "real" | "double precision" => "real".into(),
        other => other.into(),
    }
}

/// A default as written by either dialect: PostgreSQL's casts (`'open'::text`) and
/// parentheses go; a sequence (BIGSERIAL) is the row id SQLite gives INTEGER PRIMARY KEY.
fn normal_default(d: Option<String>) -> Option<String> {
    let d = d?;
    if d.starts_with("nextval(") {
        return None;
    }
    let mut d = d.trim().trim_start_matches('(').trim_end_matches(')').to_string();
    if let Some(cast) = d.rfind("::") {
        d.truncate(cast);
    }
    Some(d.trim_start_matches('(').trim_end_matches(')').to_string())
}

async fn schema_of(backend: Backend, url: &str) -> Schema {
    let db = app::infra::db::Db::connect(url, 2).await.unwrap();
    db.migrate().await.unwrap();
    let pool = &db.pool;
    let mut out = Schema::default();
    let tables: Vec<String> = match backend {
        Backend::Sqlite => sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name").fetch_all(pool).await.unwrap(),
        Backend::Postgres => sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name").fetch_all(pool).await.unwrap(),
    };
    for table in tables {
        let cols: Vec<Column> = match backend {
            Backend::Sqlite => sqlx::query_as::<_, (String, String, i64, i64, Option<String>)>(&format!("SELECT name, type, \"notnull\", pk, dflt_value FROM pragma_table_info('{table}') ORDER BY cid"))
                .fetch_all(pool).await.unwrap()
                .into_iter().map(|(name, ty, nn, pk, default)| (name, normal_type(&ty), nn == 1 || pk > 0, normal_default(default))).collect(),
            Backend::Postgres => sqlx::query_as::<_, (String, String, String, Option<String>)>("SELECT column_name::text, data_type::text, is_nullable::text, column_default::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position")
                .bind(&table).fetch_all(pool).await.unwrap()
                .into_iter().map(|(name, ty, nullable, default)| (name, normal_type(&ty), nullable == "NO", normal_default(default))).collect(),
        };
        match backend {
            Backend::Sqlite => {
                // Indexes other than the primary key's, with their columns in order.
                let list: Vec<(String, i64, String, i64)> = sqlx::query_as(&format!("SELECT name, \"unique\", origin, partial FROM pragma_index_list('{table}')")).fetch_all(pool).await.unwrap();
                for (name, unique, origin, partial) in list.into_iter().filter(|(_, _, origin, _)| origin != "pk") {
                    let _ = origin;
                    let columns: Vec<Option<String>> = sqlx::query_scalar(&format!("SELECT name FROM pragma_index_info('{name}') ORDER BY seqno")).fetch_all(pool).await.unwrap();
                    out.indexes.insert((table.clone(), columns.into_iter().map(|c| c.unwrap_or_else(|| "<expression>".into())).collect(), unique == 1, partial == 1));
                }
                let fks: Vec<(String, String, Option<String>)> = sqlx::query_as(&format!("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{table}')")).fetch_all(pool).await.unwrap();
                for (from, target, to) in fks {
                    out.foreign_keys.insert((table.clone(), from, target, to.unwrap_or_else(|| "id".into())));
                }
            }
            Backend::Postgres => {
                let list: Vec<(String, bool, bool)> = sqlx::query_as(
                    "SELECT array_to_string(ARRAY(SELECT COALESCE(a.attname::text, '<expression>') FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                       LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n), ','),
                     i.indisunique, i.indpred IS NOT NULL
                     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                     WHERE n.nspname = 'public' AND t.relname = $1 AND NOT i.indisprimary",
                )
                .bind(&table).fetch_all(pool).await.unwrap();
                for (columns, unique, partial) in list {
                    out.indexes.insert((table.clone(), columns.split(',').map(str::to_string).collect(), unique, partial));
                }
                let fks: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT kcu.column_name::text, ccu.table_name::text, ccu.column_name::text FROM information_schema.table_constraints tc
                     JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
                     JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
                     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public' AND tc.table_name = $1",
                )
                .bind(&table).fetch_all(pool).await.unwrap();
                for (from, target, to) in fks {
                    out.foreign_keys.insert((table.clone(), from, target, to));
                }
            }
        }
        out.columns.insert(table, cols);
    }
    out
}

/// What one set holds and the other does not.
fn only<T: Ord + Clone>(x: &std::collections::BTreeSet<T>, y: &std::collections::BTreeSet<T>) -> Vec<T> {
    x.difference(y).cloned().collect()
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let Some(pg) = fresh_database(Backend::Postgres).await else { return };
    let sqlite = fresh_database(Backend::Sqlite).await.unwrap();
    let (a, b) = (schema_of(Backend::Sqlite, &sqlite).await, schema_of(Backend::Postgres, &pg).await);
    assert!(!a.columns.is_empty() && !a.indexes.is_empty() && !a.foreign_keys.is_empty());
    assert_eq!(a.columns.keys().collect::<Vec<_>>(), b.columns.keys().collect::<Vec<_>>(), "same tables");
    for (table, cols) in &a.columns {
        assert_eq!(cols, &b.columns[table], "columns of {table} (name, type, not null, default)");
    }
    assert_eq!((only(&a.indexes, &b.indexes), only(&b.indexes, &a.indexes)), (vec![], vec![]), "indexes only on SQLite, only on PostgreSQL");
    assert_eq!((only(&a.foreign_keys, &b.foreign_keys), only(&b.foreign_keys, &a.foreign_keys)), (vec![], vec![]), "foreign keys only on SQLite, only on PostgreSQL");
}
