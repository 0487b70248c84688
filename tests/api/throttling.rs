//! Signing in and registering under attack (issue 11, findings 2 to 4): the throttle cannot be
//! raced, a stranger cannot lock the owner out, and registration is not a fast lookup of who is
//! registered. Each test plays several sources through `X-Forwarded-For`, as behind the proxy.

use crate::helpers::{Backend, TestApp, registration, spawn_app_with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// Runs `test` on both backends with the client address taken from `X-Forwarded-For` (as
/// behind the reverse proxy), so one test can play several sources.
macro_rules! behind_a_proxy {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = spawn_app_with(Backend::Sqlite, |c| c.client_ip_header = Some("x-forwarded-for".into())).await.unwrap();
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = spawn_app_with(Backend::Postgres, |c| c.client_ip_header = Some("x-forwarded-for".into())).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

behind_a_proxy!(
    parallel_wrong_passwords_cannot_race_the_limit,
    a_strangers_failures_do_not_lock_the_owner_out,
    registration_cannot_be_used_as_a_fast_lookup,
);

async fn login_from(app: &TestApp, client: &Client, ip: &str, identifier: &str, password: &str) -> reqwest::Response {
    client.post(app.url("/api/v1/auth/login")).header("x-forwarded-for", ip).json(&json!({ "identifier": identifier, "password": password })).send().await.unwrap()
}

async fn registered(app: &TestApp, n: u32) -> Value {
    app.seed_units().await;
    let body = registration(n, app.unit_id("Phường Hải An").await);
    let r = app.client.post(app.url("/api/v1/auth/register")).header("x-forwarded-for", "192.0.2.200").json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    body
}

async fn parallel_wrong_passwords_cannot_race_the_limit(app: TestApp) {
    let body = registered(&app, 51).await;
    let email = body["email"].as_str().unwrap().to_string();
    let tries: Vec<_> = (0..40)
        .map(|_| {
            let (client, url, email) = (app.new_client(), app.url("/api/v1/auth/login"), email.clone());
            tokio::spawn(async move {
                client.post(url).header("x-forwarded-for", "203.0.113.9").json(&json!({ "identifier": email, "password": "sai mật khẩu" })).send().await.unwrap().status()
            })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for t in tries {
        match t.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    let max = app.state.settings.login_max_failures_per_account as usize;
    assert_eq!(checked, max, "exactly the limit was checked, however many arrived at once");
    assert_eq!(refused, 40 - max);
}

async fn a_strangers_failures_do_not_lock_the_owner_out(app: TestApp) {
    let body = registered(&app, 52).await;
    let (email, password) = (body["email"].as_str().unwrap(), body["password"].as_str().unwrap());
    let stranger = app.new_client();
    for _ in 0..app.state.settings.login_max_failures_per_account {
        assert_eq!(login_from(&app, &stranger, "203.0.113.7", email, "đoán bừa").await.status(), StatusCode::UNAUTHORIZED);
    }
    let r = login_from(&app, &stranger, "203.0.113.7", email, "đoán bừa").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the stranger is slowed down");
    // The owner, from their own phone's address, signs in; their browser gets a device cookie.
    let owner = app.new_client();
    let r = login_from(&app, &owner, "198.51.100.2", email, password).await;
    assert_eq!(r.status(), StatusCode::OK, "the owner is not locked out by the stranger");
    assert!(r.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("hp_device=")));

    // Guesses spread over many addresses hit the slower limit on the account from unknown
    // sources; the owner's known device still gets in, from any address.
    // (The stranger's failures above count here too.)
    let all_sources = app.state.settings.login_max_failures_all_sources - app.state.settings.login_max_failures_per_account;
    for i in 0..all_sources {
        let r = login_from(&app, &app.new_client(), &format!("203.0.114.{i}"), email, "đoán bừa").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "guess {i}");
    }
    let r = login_from(&app, &app.new_client(), "203.0.115.1", email, password).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "an unknown device waits while the account is under attack");
    let r = login_from(&app, &owner, "100.64.0.9", email, password).await;
    assert_eq!(r.status(), StatusCode::OK, "the owner's known device signs in from a new address");
}

async fn registration_cannot_be_used_as_a_fast_lookup(app: TestApp) {
    let body = registered(&app, 53).await;
    let unit = app.unit_id("Phường Hải An").await;
    let max = app.state.settings.register_max_taken_per_ip;
    let probe = |n: u32| {
        let mut b = registration(n, unit);
        b["cccd"] = body["cccd"].clone();
        b
    };
    for i in 0..max {
        let r = app.client.post(app.url("/api/v1/auth/register")).header("x-forwarded-for", "203.0.113.50").json(&probe(60 + i as u32)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let answer: Value = r.json().await.unwrap();
        assert_eq!(answer["fields"]["cccd"]["code"], "err.cccd_taken", "a real person still learns they have an account");
    }
    let r = app.client.post(app.url("/api/v1/auth/register")).header("x-forwarded-for", "203.0.113.50").json(&probe(70)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "more lookups from the same source are refused");
    assert!(r.headers().contains_key("retry-after"));
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["error"], "rate_limited", "a registration is not a failed sign-in: {answer}");
    assert!(answer["message"].as_str().unwrap().contains("phút"), "the wait is said in minutes: {answer}");
    // Someone else, elsewhere, still gets the answer they need; and registrations that succeed
    // do not count as lookups.
    let r = app.client.post(app.url("/api/v1/auth/register")).header("x-forwarded-for", "198.51.100.77").json(&probe(71)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for n in 80..(80 + max as u32 + 2) {
        let r = app.client.post(app.url("/api/v1/auth/register")).header("x-forwarded-for", "198.51.100.78").json(&registration(n, unit)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "an office registering its staff is not slowed down");
    }
}
