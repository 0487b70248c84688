//! Citizens and public rounds: the light sign-up with a texted code (wrong, expired, worn-out
//! codes, throttling, one account per phone), what a citizen may and may not open, a civil
//! servant taking a public round with their own account, the per-commune counts, and the HTTP
//! SMS sender against a small gateway.

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::on_both_backends;
use crate::rounds::{call, participant, round_settings, take};
use app::infra::sms::SmsSender;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

on_both_backends!(a_citizen_signs_up_by_phone_and_takes_only_public_rounds, codes_are_checked_expire_wear_out_and_are_throttled);

/// The public pool: six questions, organizers only.
async fn public_questions(app: &TestApp) {
    for n in 0..6 {
        let q = json!({ "topic": "Dịch vụ công", "difficulty": "easy", "audience": "public", "kind": "single", "text": format!("Câu hỏi cho người dân số {n}?"),
            "options": ["Đúng là thế này", "Không phải", "Cũng không phải"], "correct": [0] });
        let r = app.post_json("/api/v1/questions", &q).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    }
}

/// Units, an organizer on `app.client`, the staff pool (the demo questions), the public pool,
/// one contest with a staff round and a public round. Returns (staff round, public round).
async fn two_rounds(app: &TestApp) -> (i64, i64) {
    let (contest, staff) = crate::rounds::setup(app, round_settings(json!({}))).await;
    public_questions(app).await;
    let public = round_settings(json!({ "title": "Đợt cho người dân", "audience": "public", "draw_rules": [{ "count": 5 }], "review_after_submit": "full" }));
    let r = app.post_json(&format!("/api/v1/contests/{contest}/rounds"), &public).await;
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (staff, body["id"].as_i64().unwrap())
}

fn sign_up_form(phone: &str, residence: i64) -> Value {
    json!({ "full_name": "Đỗ Thị Thu Hương", "phone": phone, "residence_unit_id": residence, "password": "mật-khẩu-người-dân", "password_confirm": "mật-khẩu-người-dân" })
}

/// The code in the newest message the development sender kept for `phone`.
fn last_code(app: &TestApp, phone: &str) -> String {
    let sender = app.state.services.get::<Arc<SmsSender>>().unwrap();
    let message = sender.recent().into_iter().find(|m| m.phone == phone).expect("a message to the phone").message;
    code_in(&message)
}

fn code_in(message: &str) -> String {
    let digits: Vec<String> = message.split(|c: char| !c.is_ascii_digit()).filter(|w| w.len() == 6).map(str::to_string).collect();
    assert_eq!(digits.len(), 1, "one 6-digit code in {message:?}");
    digits[0].clone()
}

async fn a_citizen_signs_up_by_phone_and_takes_only_public_rounds(app: TestApp) {
    let (staff_round, public_round) = two_rounds(&app).await;
    let commune = app.unit_id("Xã An Lão").await;
    let citizen = app.new_client();

    let (status, sent) = call(&app, &citizen, "POST", "/api/v1/citizens/sign-up", Some(sign_up_form("+84 912 000 111", commune))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
    assert_eq!(sent["phone"], "0912000111");
    assert_eq!(sent["expires_in_secs"], 600);
    assert_eq!(app.count("users WHERE phone = '0912000111'").await, 0, "no account before the code is confirmed");
    let code = last_code(&app, "0912000111");
    let stored: String = sqlx::query_scalar("SELECT code_hash FROM phone_signups WHERE phone = '0912000111'").fetch_one(&app.state.db.pool).await.unwrap();
    assert!(!stored.contains(&code), "only the code's hash is stored");
    // The organizer's screen of codes the development sender kept; not for the citizen.
    let (status, codes) = call(&app, &app.client, "GET", "/api/v1/citizens/sent-codes", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code_in(codes[0]["message"].as_str().unwrap()), code);
    assert_eq!(call(&app, &citizen, "GET", "/api/v1/citizens/sent-codes", None).await.0, StatusCode::UNAUTHORIZED);

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, err) = call(&app, &citizen, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": "0912 000 111", "code": wrong }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["fields"]["code"]["code"], "err.code_wrong", "{err}");
    let (status, made) = call(&app, &citizen, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": "0912 000 111", "code": code }))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (_, me) = call(&app, &citizen, "GET", "/api/v1/me", None).await;
    assert_eq!((me["citizen"].as_bool(), me["unit_id"].is_null(), me["full_name"].as_str()), (Some(true), true, Some("Đỗ Thị Thu Hương")));
    // The code works once.
    let (status, err) = call(&app, &app.new_client(), "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": "0912000111", "code": code }))).await;
    assert_eq!((status, err["fields"]["code"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.code_expired")));

    // Only public rounds are listed and taken; a staff round does not exist for a citizen.
    let (_, listed) = call(&app, &citizen, "GET", "/api/v1/rounds", None).await;
    let ids: Vec<i64> = listed.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![public_round]);
    let (status, _) = call(&app, &citizen, "POST", &format!("/api/v1/rounds/{staff_round}/attempts"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(citizen.get(app.url(&format!("/thi/{staff_round}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let attempt = take(&app, &citizen, public_round, 4, 10).await;
    let (status, result) = call(&app, &citizen, "GET", &format!("/api/v1/attempts/{attempt}/result"), None).await;
    assert_eq!((status, result["correct_count"].as_i64()), (StatusCode::OK, Some(4)), "{result}");
    // Staff-only pages and data stay closed.
    for path in ["/api/v1/users", "/api/v1/participation/rounds/1", &format!("/api/v1/rounds/{public_round}/communes")] {
        assert_eq!(call(&app, &citizen, "GET", path, None).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    for page in ["/tham-gia", "/admin/users", "/tham-gia-cong-dan", "/admin/ma-xac-nhan"] {
        let status = citizen.get(app.url(page)).send().await.unwrap().status();
        assert!(status == StatusCode::FORBIDDEN || status.is_redirection(), "{page}: {status}");
    }

    // A civil servant takes the public round with their own account; the sign-up tells a
    // phone that has an account to sign in.
    let (servant, servant_id) = participant(&app, 7).await;
    let servant_phone: String = sqlx::query_scalar("SELECT phone FROM users WHERE id = $1").bind(servant_id).fetch_one(&app.state.db.pool).await.unwrap();
    take(&app, &servant, public_round, 5, 20).await;
    take(&app, &servant, staff_round, 3, 20).await;
    for phone in [servant_phone.as_str(), "0912000111"] {
        let (status, err) = call(&app, &app.new_client(), "POST", "/api/v1/citizens/sign-up", Some(sign_up_form(phone, commune))).await;
        assert_eq!((status, err["fields"]["phone"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.phone_has_account")), "{phone}");
    }
    // The admin's user list says what the account is and where the person lives; the
    // placeholder e-mail the users table needs is never what anyone reads.
    let (status, users) = call(&app, &app.client, "GET", "/api/v1/users?q=0912000111", None).await;
    assert_eq!(status, StatusCode::OK, "{users}");
    let listed = users.as_array().unwrap().iter().find(|u| u["full_name"] == "Đỗ Thị Thu Hương").cloned().unwrap_or_default();
    assert_eq!((listed["kind"].as_str(), listed["residence_name"].as_str()), (Some("citizen"), Some("Xã An Lão")), "{users}");
    let page = app.client.get(app.url("/admin/users?q=0912000111")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Người dân (không dùng email)") && !page.contains("cong-dan.invalid"), "the user list shows the kind of account, not the placeholder");
    let profile = citizen.get(app.url("/profile")).send().await.unwrap().text().await.unwrap();
    assert!(profile.contains("Xã An Lão") && !profile.contains("cong-dan.invalid"), "the citizen's profile shows the residence, not the placeholder");

    // The citizen signs in again like everyone else: phone and password.
    let again = app.new_client();
    let (status, _) = call(&app, &again, "POST", "/api/v1/auth/login", Some(json!({ "identifier": "0912 000 111", "password": "mật-khẩu-người-dân" }))).await;
    assert_eq!(status, StatusCode::OK);

    // Per commune: entries and people, nobody's unit counted for the public round.
    let (status, report) = call(&app, &app.client, "GET", &format!("/api/v1/rounds/{public_round}/communes"), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["entries"].as_i64(), report["people"].as_i64()), (Some(2), Some(2)));
    let communes = report["communes"].as_array().unwrap();
    assert_eq!(communes.len(), 114 + 1, "every commune, ward and special zone, and the civil servants without a residence");
    assert_eq!((communes[0]["unit_name"].as_str(), communes[0]["entries"].as_i64(), communes[0]["people"].as_i64()), (Some("Xã An Lão"), Some(1), Some(1)), "{}", communes[0]);
    let unplaced = communes.iter().find(|c| c["unit_id"].is_null()).unwrap();
    assert_eq!((unplaced["entries"].as_i64(), unplaced["people"].as_i64()), (Some(1), Some(1)));
    assert_eq!(communes.iter().map(|c| c["entries"].as_i64().unwrap()).sum::<i64>(), 2);
    let csv = app.client.get(app.url(&format!("/api/v1/rounds/{public_round}/communes.csv"))).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("Xã An Lão,1,1") && csv.contains("Tổng cộng,2,2"), "{csv}");
    let (status, _) = call(&app, &app.client, "GET", &format!("/api/v1/rounds/{staff_round}/communes"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "a staff round has its units' report");
    let public_units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND unit_id IS NOT NULL").bind(public_round).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(public_units, 0, "a public round's entries count for no unit");
    let declared: i64 = sqlx::query_scalar("SELECT COALESCE(CAST(SUM(declared_participated) AS BIGINT), 0) FROM round_unit_counts WHERE round_id = $1").bind(public_round).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(declared, 0, "nor in any unit's staff participation");
    let staff_declared: i64 = sqlx::query_scalar("SELECT COALESCE(CAST(SUM(declared_participated) AS BIGINT), 0) FROM round_unit_counts WHERE round_id = $1").bind(staff_round).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(staff_declared, 1, "the civil servant counts for their unit in the staff round (and only there)");
    // The organizers' pages: the report and the codes.
    let page = app.get(&format!("/tham-gia-cong-dan?round={public_round}")).await.text().await.unwrap();
    assert!(page.contains("Xã An Lão") && page.contains("Tổng cộng: 2 lượt bài nộp, 2 người."), "the report page");
    let page = app.get("/admin/ma-xac-nhan").await.text().await.unwrap();
    assert!(page.contains(&code), "the codes page shows the code");
}

async fn codes_are_checked_expire_wear_out_and_are_throttled(app: TestApp) {
    app.seed_units().await;
    let commune = app.unit_id("Phường Hải An").await;
    let department = app.unit_id("Sở Tư pháp").await;
    let client = app.new_client();
    // Every field problem at once; nothing stored, nothing sent.
    let bad = json!({ "full_name": " ", "phone": "0225 3842 123", "residence_unit_id": department, "password": "ngắn", "password_confirm": "khác" });
    let (status, err) = call(&app, &client, "POST", "/api/v1/citizens/sign-up", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &err["fields"];
    assert_eq!(fields["phone"]["code"], "err.phone_not_mobile", "{err}");
    assert_eq!(fields["residence_unit_id"]["code"], "err.not_a_commune");
    assert!(fields["full_name"].is_object() && fields["password"].is_object() && fields["password_confirm"].is_object(), "{err}");
    assert_eq!(app.count("phone_signups").await, 0);
    let (status, err) = call(&app, &client, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": "0912000222", "code": "12 34" }))).await;
    assert_eq!((status, err["fields"]["code"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.otp_format")));

    // An expired code.
    let phone = "0912000222";
    assert_eq!(call(&app, &client, "POST", "/api/v1/citizens/sign-up", Some(sign_up_form(phone, commune))).await.0, StatusCode::ACCEPTED);
    let code = last_code(&app, phone);
    sqlx::query("UPDATE phone_signups SET expires_at = expires_at - 601 WHERE phone = $1").bind(phone).execute(&app.state.db.pool).await.unwrap();
    let (status, err) = call(&app, &client, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": phone, "code": code }))).await;
    assert_eq!((status, err["fields"]["code"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.code_expired")));

    // A code worn out by five wrong tries; only the newest code works.
    assert_eq!(call(&app, &client, "POST", "/api/v1/citizens/sign-up", Some(sign_up_form(phone, commune))).await.0, StatusCode::ACCEPTED);
    let code = last_code(&app, phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (_, err) = call(&app, &client, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": phone, "code": wrong }))).await;
        assert_eq!(err["fields"]["code"]["code"], "err.code_wrong");
    }
    let (_, err) = call(&app, &client, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": phone, "code": code }))).await;
    assert_eq!(err["fields"]["code"]["code"], "err.code_used_up", "the right code after five wrong ones");
    assert_eq!(app.count("users WHERE phone = '0912000222'").await, 0);

    // The third code of the hour still goes; the fourth waits.
    assert_eq!(call(&app, &client, "POST", "/api/v1/citizens/sign-up", Some(sign_up_form(phone, commune))).await.0, StatusCode::ACCEPTED);
    let third = last_code(&app, phone);
    let r = client.post(app.url("/api/v1/citizens/sign-up")).json(&sign_up_form(phone, commune)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = r.json::<Value>().await.unwrap()["retry_after_secs"].as_i64().unwrap();
    assert!(wait > 3000 && wait <= 3600, "about an hour: {wait}");
    assert_eq!(app.count("phone_signups").await, 3, "the refused one stored nothing");
    // The third code still works.
    let (status, _) = call(&app, &client, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": phone, "code": third }))).await;
    assert_eq!(status, StatusCode::CREATED);
}

/// A tiny SMS gateway: keeps what it was sent, refuses the phone 0999999999.
async fn gateway() -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    use axum::http::HeaderMap;
    let seen: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let kept = seen.clone();
    let router = axum::Router::new().route(
        "/send",
        axum::routing::post(move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
            let kept = kept.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                let refused = body["phone"] == "0999999999";
                kept.lock().unwrap().push((auth, body));
                if refused { axum::http::StatusCode::SERVICE_UNAVAILABLE } else { axum::http::StatusCode::OK }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, seen)
}

mod the_http_sender_posts_each_code_to_the_gateway {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres).await;
    }

    async fn run(backend: Backend) {
        let (url, seen) = gateway().await;
        let Some(app) = spawn_app_with(backend, |c| c.sms = server::config::SmsConfig { url: Some(url), token: Some("tok-3f9a".into()) }).await else { return };
        app.seed_units().await;
        let commune = app.unit_id("Đặc khu Cát Hải").await;
        let client: Client = app.new_client();
        let (status, _) = call(&app, &client, "POST", "/api/v1/citizens/sign-up", Some(sign_up_form("0987 654 321", commune))).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let (auth, body) = seen.lock().unwrap()[0].clone();
        assert_eq!(auth, "Bearer tok-3f9a");
        assert_eq!(body["phone"], "0987654321");
        let code = code_in(body["message"].as_str().unwrap());
        assert!(app.state.services.get::<Arc<SmsSender>>().unwrap().recent().is_empty(), "a gateway keeps nothing in memory");
        let (status, _) = call(&app, &client, "POST", "/api/v1/citizens/confirm", Some(json!({ "phone": "0987654321", "code": code }))).await;
        assert_eq!(status, StatusCode::CREATED);

        // The gateway refuses: the person is told to try again; the unsent code never works.
        let (status, err) = call(&app, &app.new_client(), "POST", "/api/v1/citizens/sign-up", Some(sign_up_form("0999999999", commune))).await;
        assert_eq!((status, err["message"].as_str().map(|m| m.contains("thử lại"))), (StatusCode::CONFLICT, Some(true)), "{err}");
        assert_eq!(seen.lock().unwrap().len(), 2);
        let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM phone_signups WHERE phone = '0999999999' AND used_at IS NULL").fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(open, 0);
    }
}
