//! Server functions called as the hydrated page calls them (no `Accept: text/html`): a
//! validation error or a refused sign-in answers with its own 4xx status and the platform's
//! JSON error body, not with 500.

use crate::helpers::TestApp;
use crate::on_both_backends;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::Value;

on_both_backends!(server_function_errors_carry_their_own_status);

async fn call(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let r = app.client.post(app.url(path)).header("origin", app.base.clone()).form(form).send().await.unwrap();
    let status = r.status();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    (status, r.json().await.unwrap())
}

async fn server_function_errors_carry_their_own_status(app: TestApp) {
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await.to_string();
    let register = [("full_name", "Trần Văn Bình"), ("unit_id", unit.as_str()), ("position", "Chuyên viên"), ("phone", "0912 345 678"),
        ("email", "binh@haiphong.gov.vn"), ("cccd", "12345"), ("password", "mật-khẩu-đủ-dài"), ("password_confirm", "mật-khẩu-đủ-dài")];
    let (status, body) = call(&app, app::accounts::server_fns::Register::PATH, &register).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"], "validation");
    assert_eq!(body["fields"]["cccd"], "err.cccd_format", "{body}");
    assert_eq!(app.count("users").await, 0);

    let login = [("identifier", "khong-co@haiphong.gov.vn"), ("password", "sai mật khẩu")];
    let (status, body) = call(&app, app::accounts::server_fns::Login::PATH, &login).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "bad_credentials");

    let (status, body) = call(&app, app::accounts::server_fns::GetProfile::PATH, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "unauthenticated");

    // A success is untouched.
    let (status, body) = call(&app, app::accounts::server_fns::GetCurrentUser::PATH, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_null(), "{body}");
}
