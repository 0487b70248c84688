//! What an operator runs the platform by: Prometheus metrics at `/metrics` behind a token, with
//! request latency by route, answer saves, the writer's queue, open attempts, sign-ins by
//! outcome, hashing permits and the database pool.

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::rounds::{call, participant, round_settings, setup};
use reqwest::StatusCode;
use serde_json::json;

const TOKEN: &str = "bí-mật-của-prometheus-0123456789";

macro_rules! with_metrics {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = spawn_app_with(Backend::Sqlite, |c| c.metrics_token = Some(TOKEN.into())).await.unwrap();
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = spawn_app_with(Backend::Postgres, |c| c.metrics_token = Some(TOKEN.into())).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

with_metrics!(metrics_need_the_token_and_show_what_operators_watch);

async fn metrics_need_the_token_and_show_what_operators_watch(app: TestApp) {
    // Without the token, or with a wrong one: nothing.
    assert_eq!(app.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    let wrong = app.client.get(app.url("/metrics")).bearer_auth("not-the-token").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    // Some traffic: a failed and a good sign-in, an attempt with a saved answer.
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let r = app.client.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": "khong-ai@haiphong.gov.vn", "password": "sai-mật-khẩu" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (person, _) = participant(&app, 1).await;
    let (status, attempt) = call(&app, &person, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    assert_eq!(status, StatusCode::OK);
    let attempt = attempt["id"].as_i64().unwrap();
    let (status, _) = call(&app, &person, "PUT", &format!("/api/v1/attempts/{attempt}/answers/1"), Some(json!({ "answer": [0] }))).await;
    assert_eq!(status, StatusCode::OK);

    let r = app.client.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain"));
    let text = r.text().await.unwrap();
    let has = |needle: &str| text.lines().any(|l| !l.starts_with('#') && l.contains(needle));
    // Requests by route pattern, never by id.
    assert!(has(r#"hp_http_request_seconds_bucket{route="/api/v1/attempts/{id}/answers/{position}",method="PUT",status="ok""#), "{text}");
    assert!(!text.contains(&format!("/api/v1/attempts/{attempt}/")), "ids stay out of the series");
    for needle in [
        "hp_save_seconds",
        "hp_writer_batch_size_bucket",
        "hp_writer_queue_depth",
        r#"hp_sign_ins_total{outcome="wrong_password"}"#,
        r#"hp_sign_ins_total{outcome="signed_in"}"#,
        "hp_hash_permits_in_use",
        "hp_hash_permits_max",
        r#"hp_db_pool_connections{state="busy"}"#,
        "hp_db_pool_max",
    ] {
        assert!(has(needle), "{needle} missing from:\n{text}");
    }
    // The open attempt is counted (other tests of this process may have theirs open too).
    let open = text.lines().find(|l| l.starts_with("hp_open_attempts ")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok());
    assert!(open.is_some_and(|n| n >= 1.0), "hp_open_attempts: {open:?}");
}
