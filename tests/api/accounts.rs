//! Registration, login, sessions, throttling, roles and masking.

use crate::helpers::{TestApp, registration, spawn_app_with, Backend};
use crate::on_both_backends;
use app::accounts::model::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    registration_with_diacritics_then_login_and_logout,
    duplicate_identity_fields_get_field_errors_and_store_nothing,
    malformed_input_and_bad_units_are_refused,
    wrong_password_answer_does_not_reveal_accounts,
    failed_logins_are_throttled_per_account_and_per_ip,
    sessions_live_in_the_database,
    role_checks_happen_on_the_server,
    personal_data_is_masked_except_for_admins,
);

async fn seeded(app: &TestApp) -> i64 {
    app.seed_units().await;
    app.unit_id("Phường Hải An").await
}

async fn registration_with_diacritics_then_login_and_logout(app: TestApp) {
    let unit = seeded(&app).await;
    let r = app.post_json("/api/v1/auth/register", &registration(7, unit)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (status, _) = app.json("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "registering through the API does not sign in");

    // Log in with the phone number in another accepted format.
    let r = app.post_json("/api/v1/auth/login", &json!({ "identifier": "0910000007", "password": "mật-khẩu-đủ-dài" })).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = session_cookie(&r);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let (status, me) = app.json("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["full_name"], "Nguyễn Thị Ánh Dương");
    assert_eq!(me["roles"][0]["role"], "participant");

    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users").fetch_one(&app.state.db.pool).await.unwrap();
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));

    let r = app.client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (status, _) = app.json("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn duplicate_identity_fields_get_field_errors_and_store_nothing(app: TestApp) {
    let unit = seeded(&app).await;
    assert_eq!(app.post_json("/api/v1/auth/register", &registration(1, unit)).await.status(), StatusCode::CREATED);
    let mut again = registration(2, unit);
    again["email"] = "ANH.DUONG1@haiphong.gov.vn".into(); // same e-mail, other case
    again["phone"] = "0910000001".into(); // same phone, national format
    again["cccd"] = registration(1, unit)["cccd"].clone();
    let r = app.post_json("/api/v1/auth/register", &again).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "validation");
    assert_eq!(body["fields"]["email"]["code"], "err.email_taken");
    assert_eq!(body["fields"]["phone"]["code"], "err.phone_taken");
    assert_eq!(body["fields"]["cccd"]["code"], "err.cccd_taken");
    assert!(body["fields"]["cccd"]["message"].as_str().unwrap().contains("CCCD"));
    assert_eq!(app.count("users").await, 1);
}

async fn malformed_input_and_bad_units_are_refused(app: TestApp) {
    let unit = seeded(&app).await;
    let retired = app.unit_id("Trường THPT Thái Phiên").await;
    sqlx::query("UPDATE units SET status = 'retired' WHERE id = $1").bind(retired).execute(&app.state.db.pool).await.unwrap();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("cccd", json!("03109500123"), "err.cccd_format"),
        ("cccd", json!("099095001234"), "err.cccd_province"),
        ("phone", json!("12345"), "err.phone_format"),
        ("email", json!("not-an-email"), "err.email_format"),
        ("unit_id", json!(999_999), "err.unit_unknown"),
        ("unit_id", json!(retired), "err.unit_retired"),
        ("password_confirm", json!("khác-hẳn-mật-khẩu"), "err.password_mismatch"),
    ];
    for (field, value, code) in cases {
        let mut body = registration(3, unit);
        body[field] = value;
        let r = app.post_json("/api/v1/auth/register", &body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["fields"][field]["code"], code, "{field}: {body}");
    }
    assert_eq!(app.count("users").await, 0);
}

async fn wrong_password_answer_does_not_reveal_accounts(app: TestApp) {
    let unit = seeded(&app).await;
    app.post_json("/api/v1/auth/register", &registration(4, unit)).await;
    let wrong = app.post_json("/api/v1/auth/login", &json!({ "identifier": "anh.duong4@haiphong.gov.vn", "password": "sai-mật-khẩu" })).await;
    let unknown = app.post_json("/api/v1/auth/login", &json!({ "identifier": "khong.ton.tai@haiphong.gov.vn", "password": "sai-mật-khẩu" })).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (a, b): (Value, Value) = (wrong.json().await.unwrap(), unknown.json().await.unwrap());
    assert_eq!(a, b);
    assert_eq!(a["message"], "Thông tin đăng nhập hoặc mật khẩu không đúng.");
}

async fn failed_logins_are_throttled_per_account_and_per_ip(app: TestApp) {
    let unit = seeded(&app).await;
    app.post_json("/api/v1/auth/register", &registration(5, unit)).await;
    let max = app.state.settings.login_max_failures_per_account;
    for _ in 0..max {
        let r = app.post_json("/api/v1/auth/login", &json!({ "identifier": "anh.duong5@haiphong.gov.vn", "password": "sai" })).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while the account is locked.
    let r = app.post_json("/api/v1/auth/login", &json!({ "identifier": "anh.duong5@haiphong.gov.vn", "password": "mật-khẩu-đủ-dài" })).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= app.state.settings.login_window_secs);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("thử lại sau 15 phút"), "{body}");
    // The same account under another name (its phone, in another spelling) is locked too.
    let r = app.post_json("/api/v1/auth/login", &json!({ "identifier": "+84 91 000 0005", "password": "mật-khẩu-đủ-dài" })).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);

    // Per IP: many accounts guessed from one address lock the address.
    let per_ip = app.state.settings.login_max_failures_per_ip;
    let mut last = StatusCode::OK;
    // The account's failures above came from this address too.
    for i in 0..(per_ip - max) {
        last = app.post_json("/api/v1/auth/login", &json!({ "identifier": format!("guess{i}@x.vn"), "password": "sai" })).await.status();
    }
    assert_eq!(last, StatusCode::UNAUTHORIZED);
    let r = app.post_json("/api/v1/auth/login", &json!({ "identifier": "someone.else@x.vn", "password": "sai" })).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn sessions_live_in_the_database(app: TestApp) {
    app.sign_in_organizer().await;
    let table = match app.backend {
        Backend::Sqlite => "tower_sessions",
        Backend::Postgres => "tower_sessions.session",
    };
    let stored = match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.state_url()).await.unwrap();
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&pool).await.unwrap()
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.state_url()).await.unwrap();
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&pool).await.unwrap()
        }
    };
    assert_eq!(stored, 1, "the session is a row in {table}");
}

async fn role_checks_happen_on_the_server(app: TestApp) {
    let unit = seeded(&app).await;
    app.post_json("/api/v1/auth/register", &registration(6, unit)).await;
    app.post_json("/api/v1/auth/login", &json!({ "identifier": "anh.duong6@haiphong.gov.vn", "password": "mật-khẩu-đủ-dài" })).await;
    let city = app.unit_id("Thành phố Hải Phòng").await;
    let r = app.post_json("/api/v1/units", &json!({ "code": "X1", "name": "Đơn vị lạ", "block": "so_nganh", "parent_id": city })).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/users").await.status(), StatusCode::FORBIDDEN);
    let r = app.client.put(app.url("/api/v1/users/1/roles/admin")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a participant cannot make itself admin");

    // A unit manager may set headcounts inside their subtree only.
    let manager = app.new_client();
    let health = app.unit_id("Sở Y tế").await;
    let hospital = app.unit_id("Bệnh viện Hữu nghị Việt Tiệp").await;
    app::accounts::service::create_staff_account(&app.state, "Đầu Mối Y Tế", "dm@syt.vn", "mật khẩu đầu mối".into(), &[(Role::UnitManager, Some(health))]).await.unwrap();
    manager.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": "dm@syt.vn", "password": "mật khẩu đầu mối" })).send().await.unwrap();
    let inside = manager.patch(app.url(&format!("/api/v1/units/{hospital}"))).json(&json!({ "headcount": 850 })).send().await.unwrap();
    assert_eq!(inside.status(), StatusCode::OK);
    let outside = manager.patch(app.url(&format!("/api/v1/units/{unit}"))).json(&json!({ "headcount": 5 })).send().await.unwrap();
    assert_eq!(outside.status(), StatusCode::FORBIDDEN);
    let rename = manager.patch(app.url(&format!("/api/v1/units/{hospital}"))).json(&json!({ "name": "Tên khác" })).send().await.unwrap();
    assert_eq!(rename.status(), StatusCode::FORBIDDEN, "managers cannot rename");
}

async fn personal_data_is_masked_except_for_admins(app: TestApp) {
    let unit = seeded(&app).await;
    app.post_json("/api/v1/auth/register", &registration(8, unit)).await;
    let organizer = app.new_client();
    app::accounts::service::create_staff_account(&app.state, "Ban Tổ Chức", "btc@x.vn", "mật khẩu btc 1".into(), &[(Role::Organizer, None)]).await.unwrap();
    organizer.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": "btc@x.vn", "password": "mật khẩu btc 1" })).send().await.unwrap();
    let list: Value = organizer.get(app.url("/api/v1/users?q=anh duong")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["cccd"], "031*******08");
    assert_eq!(list[0]["phone"], "091****008");
    // Organizers cannot search by phone: prefix searches would reveal the masked digits.
    let by_phone: Value = organizer.get(app.url("/api/v1/users?q=0910000008")).send().await.unwrap().json().await.unwrap();
    assert_eq!(by_phone.as_array().unwrap().len(), 0);

    app.sign_in_as("admin@x.vn", &[(Role::Admin, None)]).await;
    let list: Value = app.get("/api/v1/users?q=anh duong").await.json().await.unwrap();
    assert_eq!(list[0]["cccd"], "031095000008");
    assert_eq!(list[0]["phone"], "0910000008");
    let by_phone: Value = app.get("/api/v1/users?q=0910000008").await.json().await.unwrap();
    assert_eq!(by_phone.as_array().unwrap().len(), 1, "admins can");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_at_their_absolute_lifetime() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.session.absolute_hours = 0).await.unwrap();
    app.sign_in_organizer().await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, _) = app.json("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// "Ghi nhớ thiết bị này": a participant's remembered device outlives the usual absolute limit
/// and keeps a 30-day cookie; an organizer asking for it gets the usual session; a participant
/// given another role loses the remembered session at the next request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_device_lasts_for_participants_only() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.session.absolute_hours = 0).await.unwrap();
    let unit = seeded(&app).await;
    let r = app.post_json("/api/v1/auth/register", &registration(31, unit)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let participant_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let login = |remember: bool| {
        let client = app.new_client();
        let url = app.url("/api/v1/auth/login");
        async move {
            let r = client.post(url).json(&json!({ "identifier": "anh.duong31@haiphong.gov.vn", "password": "mật-khẩu-đủ-dài", "remember": remember })).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            let cookie = session_cookie(&r);
            (client, cookie)
        }
    };
    let (remembered, cookie) = login(true).await;
    assert!(cookie.contains("Max-Age=2592000"), "a 30-day cookie: {cookie}");
    let (usual, cookie) = login(false).await;
    assert!(cookie.contains("Max-Age=7200"), "the usual 2-hour cookie: {cookie}");
    app.sign_in_organizer().await;
    let r = app.post_json("/api/v1/auth/login", &json!({ "identifier": "bantochuc@test.vn", "password": "mật khẩu kiểm thử", "remember": true })).await;
    let cookie = session_cookie(&r);
    assert!(cookie.contains("Max-Age=7200"), "organizers keep the usual session: {cookie}");

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let me = |client: &reqwest::Client| client.get(app.url("/api/v1/me")).send();
    assert_eq!(me(&remembered).await.unwrap().status(), StatusCode::OK, "the remembered device is still signed in");
    assert_eq!(me(&usual).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "the organizer's session ended at its limit");

    // Made a unit manager: the remembered session ends at once.
    let mut tx = app.state.db.begin_write().await.unwrap();
    app::accounts::repo::grant_role(&mut tx, participant_id, Role::UnitManager, Some(unit)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(me(&remembered).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

/// The session cookie a response sets (a sign-in also sets the device cookie).
fn session_cookie(r: &reqwest::Response) -> String {
    r.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_string()).find(|c| c.starts_with("hp_session=")).expect("a session cookie")
}
