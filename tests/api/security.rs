//! What a security review of the running platform found (issue 11), one test per finding,
//! each through the real API on both backends.

use crate::helpers::{Backend, TestApp, registration, spawn_app_with};
use crate::on_both_backends;
use crate::rounds::{participant, round_settings, setup, take};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const EVIL: &str = "=HYPERLINK(\"http://evil.example\",\"Bấm\")";

on_both_backends!(exports_neutralise_formulas_in_every_csv_and_xlsx, names_refuse_invisible_and_look_alike_characters, award_texts_are_capped_and_the_author_quota_cannot_be_dodged, answers_are_held_back_while_another_attempt_is_left, a_unit_manager_cannot_claim_another_units_people, personal_data_leaving_the_platform_is_recorded_for_admins, storage_cannot_be_filled, pages_and_answers_carry_the_security_headers,);

async fn exports_neutralise_formulas_in_every_csv_and_xlsx(app: TestApp) {
    let (contest, round) = setup(&app, round_settings(json!({}))).await;
    // A participant whose name is a formula takes the round.
    let unit = app.unit_id("Phường Hồng Bàng").await;
    let mut body = registration(41, unit);
    body["full_name"] = json!(EVIL);
    let r = app.post_json("/api/v1/auth/register", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "a name may hold these characters; the exports must cope");
    let evil = app.new_client();
    let r = evil.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": body["email"], "password": body["password"] })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    take(&app, &evil, round, 3, 100).await;
    let (other, _) = participant(&app, 42).await;
    take(&app, &other, round, 2, 5).await;

    let csv = app.get(&format!("/api/v1/rounds/{round}/ranking.csv")).await.text().await.unwrap();
    assert!(csv.contains(&format!("'{}", EVIL.replace('"', "\"\""))), "the name is neutralised: {csv}");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"), "no cell begins with '=': {csv}");
    assert!(csv.lines().nth(1).is_some_and(|l| l.starts_with("1,")), "numbers stay numbers: {csv}");

    // Unit names: the units CSV and XLSX, and the participation CSV.
    let parent = app.unit_id("Sở Nội vụ").await;
    for (code, name) in [("X-PLUS", "+Ngô Quyền"), ("X-AT", "@SUM Lê")] {
        let r = app.post_json("/api/v1/units", &json!({ "code": code, "name": name, "block": "so_nganh", "parent_id": parent, "headcount": 3 })).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let units_csv = app.get("/api/v1/units/export?format=csv").await.text().await.unwrap();
    assert!(units_csv.contains(",'+Ngô Quyền,") && units_csv.contains(",'@SUM Lê,"), "{units_csv}");
    let xlsx = app.get("/api/v1/units/export?format=xlsx").await.bytes().await.unwrap().to_vec();
    let (values, formulas) = xlsx_cells(xlsx);
    assert!(values.iter().any(|v| v == "+Ngô Quyền"), "the XLSX keeps the text as typed");
    assert!(formulas == 0, "the XLSX holds no formula");
    // Re-importing the CSV export gives the names back as they were.
    let r = app.client.post(app.url("/api/v1/units/import?dry_run=true")).body(units_csv.into_bytes()).send().await.unwrap();
    let preview: Value = r.json().await.unwrap();
    assert!(!preview.to_string().contains("'+Ngô Quyền"), "the apostrophe is the export's, not part of the name: {preview}");
    let part = app.get(&format!("/api/v1/contests/{contest}/participation.csv")).await.text().await.unwrap();
    assert!(part.contains(",'+Ngô Quyền,") && !part.contains(",+Ngô Quyền,"), "{part}");
}

/// The text values of the first sheet, and how many of its cells hold a formula.
fn xlsx_cells(bytes: Vec<u8>) -> (Vec<String>, usize) {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let values = book.worksheet_range(&name).unwrap().cells().map(|(_, _, v)| v.to_string()).collect();
    let formulas = book.worksheet_formula(&name).unwrap().used_cells().filter(|(_, _, f)| !f.is_empty()).count();
    (values, formulas)
}

async fn names_refuse_invisible_and_look_alike_characters(app: TestApp) {
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await;
    for (n, name) in [(91, "Nguyễn \u{202E}Văn An"), (92, "Trần\u{200B}Thị Bình"), (93, "Lê Văn １２"), (94, "Phạm Văn ٣")] {
        let mut body = registration(n, unit);
        body["full_name"] = json!(name);
        let r = app.post_json("/api/v1/auth/register", &body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        let answer: Value = r.json().await.unwrap();
        assert_eq!(answer["fields"]["full_name"]["code"], "err.name_format", "{name:?}");
    }
    // Typed in decomposed form (as some phones send it), stored composed (NFC).
    let mut body = registration(95, unit);
    body["full_name"] = json!("Nguye\u{0302}\u{0303}n Thi\u{0323} Hoa");
    assert_eq!(app.post_json("/api/v1/auth/register", &body).await.status(), StatusCode::CREATED);
    let stored: String = sqlx::query_scalar("SELECT full_name FROM users WHERE email = $1").bind(body["email"].as_str().unwrap()).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(stored, "Nguyễn Thị Hoa");
    assert_eq!(stored.chars().count(), 14, "composed, one code point per letter");
}

async fn award_texts_are_capped_and_the_author_quota_cannot_be_dodged(app: TestApp) {
    use crate::awards::{competition, entry, field};
    app.seed_units().await;
    let ward = app.unit_id("Phường Hải An").await;
    app.sign_in_organizer().await;
    let mut settings = competition(app::vn_time::now_secs() + 3600);
    settings["max_entries_per_author"] = json!(1);
    settings["required_fields"] = json!([]);
    let r = app.post_json("/api/v1/award-competitions", &settings).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let cid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let post = |body: Value| app.client.post(app.url(&format!("/api/v1/award-competitions/{cid}/entries"))).json(&body).send();

    let r = post(entry("Tác phẩm dài", &"Nguyễn Văn A ".repeat(8_000), ward, "2026-03-01")).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "an author name of 100,000 characters is refused");
    assert_eq!(field(&r.json().await.unwrap(), "authors"), "err.name_format");
    let mut long = entry("Kịch bản dài", "Lê Thị Hoa", ward, "2026-03-01");
    long["title"] = json!("T".repeat(501));
    let r = post(long).await.unwrap();
    assert_eq!(field(&r.json().await.unwrap(), "title"), "err.too_long");

    // One entry per author: the same name with a zero-width space, Cyrillic look-alike
    // letters or full-width letters is the same author.
    let first = post(entry("Một cửa", "Lê Thị Hoa", ward, "2026-03-01")).await.unwrap().json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app.client.post(app.url(&format!("/api/v1/award-entries/{first}/submit"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the first entry is within the quota");
    for (i, dodge) in ["Lê Thị\u{200B} Hoa", "Lê Thị Hоа", "Ｌê Thị Hoa", "LÊ THỊ HOA"].into_iter().enumerate() {
        let r = post(entry(&format!("Thử lách {i}"), dodge, ward, "2026-03-02")).await.unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // Invisible characters are refused in a name outright.
            assert_eq!(field(&body, "authors"), "err.name_format", "{dodge:?}");
            continue;
        }
        assert_eq!(status, StatusCode::CREATED, "{dodge:?}: {body}");
        let id = body["id"].as_i64().unwrap();
        let r = app.client.post(app.url(&format!("/api/v1/award-entries/{id}/submit"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{dodge:?} is the same author");
        assert!(field(&r.json().await.unwrap(), "authors").starts_with("err.award_quota"), "{dodge:?}");
    }
    // A real namesake with other diacritics is another person.
    let other = post(entry("Người khác", "Lê Thị Hòa", ward, "2026-03-03")).await.unwrap().json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.client.post(app.url(&format!("/api/v1/award-entries/{other}/submit"))).send().await.unwrap().status(), StatusCode::OK);

    // Drafts per person are bounded.
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM award_entries WHERE competition_id = $1 AND status = 'draft'").bind(cid).fetch_one(&app.state.db.pool).await.unwrap();
    for i in drafts..app::awards::entries::MAX_DRAFTS_PER_PERSON {
        assert_eq!(post(entry(&format!("Nháp {i}"), "Vũ Văn Nháp", ward, "2026-03-04")).await.unwrap().status(), StatusCode::CREATED);
    }
    let r = post(entry("Nháp thừa", "Vũ Văn Nháp", ward, "2026-03-04")).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("10 bản nháp"));
}

async fn answers_are_held_back_while_another_attempt_is_left(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({ "max_attempts": 2, "review_after_submit": "full" }))).await;
    let (client, _) = participant(&app, 96).await;
    let first = take(&app, &client, round, 2, 10).await;
    let result: Value = client.get(app.url(&format!("/api/v1/attempts/{first}/result"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(result["attempts_left"], 1);
    assert_eq!(result["review_level"], "score", "only the score while an attempt is left: {result}");
    assert!(result["review"].as_array().unwrap().is_empty());
    assert!(!result.to_string().contains("\"correct\""), "no right answer reaches the participant: {result}");
    let page = client.get(app.url(&format!("/bai-thi/{first}/ket-qua"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Xem lại bài làm") && !page.contains("đáp án đúng"), "nor on the result page");

    take(&app, &client, round, 3, 10).await;
    let result: Value = client.get(app.url(&format!("/api/v1/attempts/{first}/result"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(result["review_level"], "full", "the last attempt used: the round's policy applies");
    assert!(result["review"][0]["correct"].is_array());
}

async fn a_unit_manager_cannot_claim_another_units_people(app: TestApp) {
    use crate::participation::{manager_of, staff, unit_rate, upload};
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let health = app.unit_id("Sở Y tế").await;
    let ward = app.unit_id("Phường Hải An").await;
    let manager = manager_of(&app, health).await;
    let ours = staff(&app, 61, health, "Nguyễn Văn Nhà").await;
    let theirs = staff(&app, 62, ward, "Trần Thị Phường").await;
    take(&app, &ours, round, 3, 10).await;
    take(&app, &theirs, round, 3, 10).await;
    // The ward's participant's CCCD on the department's roster.
    let roster = format!(
        "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\nNguyễn Văn Nhà,{},,,Chuyên viên,\nTrần Thị Phường,{},,,Chuyên viên,\n",
        registration(61, health)["cccd"].as_str().unwrap(),
        registration(62, ward)["cccd"].as_str().unwrap()
    );
    let (status, body) = upload(&app, &manager, health, &roster, false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: Value = manager.get(app.url(&format!("/api/v1/participation/rounds/{round}"))).send().await.unwrap().json().await.unwrap();
    let unit = unit_rate(&report, "Sở Y tế");
    assert_eq!((unit["eligible"].as_i64(), unit["participated"].as_i64()), (Some(2), Some(1)), "the other unit's participant does not count: {unit}");

    let matching: Value = manager.get(app.url(&format!("/api/v1/units/{health}/matching?round={round}"))).send().await.unwrap().json().await.unwrap();
    let cross = matching["cross_unit"].as_array().unwrap();
    assert_eq!(cross.len(), 1, "{matching}");
    let (entry, user) = (cross[0]["roster_entry_id"].as_i64().unwrap(), cross[0]["user_id"].as_i64().unwrap());
    let decide = |client: &Client, user: i64| client.post(app.url(&format!("/api/v1/roster-entries/{entry}/decision"))).json(&json!({ "user_id": user, "confirm": true })).send();
    assert_eq!(decide(&manager, user).await.unwrap().status(), StatusCode::FORBIDDEN, "only an organizer confirms someone of another unit");
    // Not a candidate at all, and no such account.
    let organizer_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'bantochuc@test.vn'").fetch_one(&app.state.db.pool).await.unwrap();
    let r = decide(&manager, organizer_id).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json::<Value>().await.unwrap()["fields"]["user_id"]["code"], "err.not_a_candidate");
    assert_eq!(decide(&manager, 999_999).await.unwrap().status(), StatusCode::NOT_FOUND, "an unknown account is not a 500");
    let report: Value = manager.get(app.url(&format!("/api/v1/participation/rounds/{round}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(unit_rate(&report, "Sở Y tế")["participated"], 1, "nothing changed");

    // The organizer confirms: now it counts.
    assert_eq!(decide(&app.client, user).await.unwrap().status(), StatusCode::NO_CONTENT);
    let report: Value = manager.get(app.url(&format!("/api/v1/participation/rounds/{round}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(unit_rate(&report, "Sở Y tế")["participated"], 2);
}

async fn personal_data_leaving_the_platform_is_recorded_for_admins(app: TestApp) {
    use crate::participation::{manager_of, staff, upload};
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let health = app.unit_id("Sở Y tế").await;
    let manager = manager_of(&app, health).await;
    staff(&app, 63, health, "Nguyễn Văn Chưa").await;
    let roster = format!("Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\nNguyễn Văn Chưa,{},,0912000063,Chuyên viên,\nLê Thị Vắng,SYT-9,,0912000064,Chuyên viên,\n", registration(63, health)["cccd"].as_str().unwrap());
    assert_eq!(upload(&app, &manager, health, &roster, false).await.0, StatusCode::OK);
    // The manager still sees their own staff's contacts, as JSON and as XLSX…
    let list: Value = manager.get(app.url(&format!("/api/v1/units/{health}/non-participants?round={round}"))).send().await.unwrap().json().await.unwrap();
    assert!(list.to_string().contains("0912000064"), "{list}");
    let r = manager.get(app.url(&format!("/api/v1/units/{health}/non-participants?round={round}&format=xlsx"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // …and every time is in the log, which only admins read.
    assert_eq!(app.get("/api/v1/personal-data-log").await.status(), StatusCode::FORBIDDEN, "organizers do not read the log");
    assert_eq!(manager.get(app.url("/api/v1/personal-data-log")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let admin = app.new_client();
    app::accounts::service::create_staff_account(&app.state, "Quản Trị", "quantri@test.vn", "mật khẩu kiểm thử".into(), &[(app::accounts::model::Role::Admin, None)]).await.unwrap();
    admin.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": "quantri@test.vn", "password": "mật khẩu kiểm thử" })).send().await.unwrap();
    let users: Value = admin.get(app.url("/api/v1/users?q=Chưa")).send().await.unwrap().json().await.unwrap();
    assert_eq!(users[0]["cccd"], registration(63, health)["cccd"], "admins see the CCCD whole");
    let log: Value = admin.get(app.url("/api/v1/personal-data-log")).send().await.unwrap().json().await.unwrap();
    let entries: Vec<(String, String, i64)> = log.as_array().unwrap().iter().map(|e| (e["what"].as_str().unwrap().into(), e["channel"].as_str().unwrap().into(), e["records"].as_i64().unwrap())).collect();
    assert_eq!(entries[0], ("users".into(), "json".into(), 1), "the admin's own unmasked search: {log}");
    assert!(entries.contains(&("non_participants".into(), "xlsx".into(), 2)), "{log}");
    assert!(entries.contains(&("non_participants".into(), "json".into(), 2)), "{log}");
    assert!(entries.contains(&("roster_preview".into(), "upload".into(), 2)), "{log}");
    assert!(log.as_array().unwrap().iter().all(|e| e["actor"].as_str().is_some_and(|a| !a.is_empty())), "each with who took it");
    let page = admin.get(app.url("/admin/nhat-ky-du-lieu")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Nhật ký truy cập dữ liệu cá nhân") && page.contains("Danh sách chưa tham gia"), "the admins' page lists it");
}

async fn storage_cannot_be_filled(app: TestApp) {
    use crate::awards::{competition, entry, stored_files, upload, wav};
    app.seed_units().await;
    let ward = app.unit_id("Phường Hải An").await;
    let organizer = app.sign_in_organizer().await;
    let r = app.post_json("/api/v1/award-competitions", &competition(app::vn_time::now_secs() + 3600)).await;
    let cid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app.client.post(app.url(&format!("/api/v1/award-competitions/{cid}/entries"))).json(&entry("Rút lại", "Lê Thị Hoa", ward, "2026-03-01")).send().await.unwrap();
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let before = stored_files(&app);
    assert_eq!(upload(&app, &app.client, id, "a.wav", wav(0.5)).await.status(), StatusCode::CREATED);
    assert_eq!(upload(&app, &app.client, id, "b.wav", wav(0.5)).await.status(), StatusCode::CREATED);
    assert_eq!(stored_files(&app), before + 2);
    let r = app.post_json(&format!("/api/v1/award-entries/{id}/withdraw"), &json!({ "reason": "Gửi nhầm" })).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(stored_files(&app), before, "a withdrawn entry's files are deleted");
    assert_eq!(app.count("award_files").await, 0);

    // Uploaded imports waiting for their preview: a few per person, and never for long.
    for i in 0..(app::uploads::PENDING_PER_PERSON + 3) {
        app::uploads::stage(&app.state.db, organizer, "units", &format!("don-vi-{i}.csv"), b"code,name\n".to_vec()).await.unwrap();
    }
    assert_eq!(app.count("pending_imports").await, app::uploads::PENDING_PER_PERSON, "older uploads give way");
    let id = app::uploads::stage(&app.state.db, organizer, "units", "cu.csv", b"code,name\n".to_vec()).await.unwrap();
    sqlx::query("UPDATE pending_imports SET created_at = created_at - $1").bind(app::uploads::PENDING_SECS + 1).execute(&app.state.db.pool).await.unwrap();
    assert!(matches!(app::uploads::load(&app.state.db, organizer, "units", id).await, Err(app::error::AppError::NotFound)), "an expired upload is gone for its preview");
    assert_eq!(app::uploads::expire(&app.state.db).await.unwrap(), app::uploads::PENDING_PER_PERSON as u64);
    assert_eq!(app.count("pending_imports").await, 0);
}

async fn pages_and_answers_carry_the_security_headers(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    // Light pages, a page with an island, and pages of the whole hydrated app with resources.
    for path in ["/", "/login", "/register", "/thi", "/admin/units", "/admin/contests", "/tham-gia"] {
        let r = app.get(path).await;
        let csp = r.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        assert!(csp.contains("script-src 'self' 'nonce-") && csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).unwrap().to_string();
        let html = r.text().await.unwrap();
        // Every inline script of the page carries this response's nonce.
        for tag in html.split("<script").skip(1) {
            let tag = tag.split('>').next().unwrap();
            assert!(tag.contains(" src=") || tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: an inline script without the nonce: <script{tag}>");
        }
        let again = app.get(path).await.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert_ne!(again, csp, "a new nonce per response");
    }
    let r = app.get("/api/v1/units").await;
    assert_eq!(r.headers()["content-security-policy"], "script-src 'none'; frame-ancestors 'none'");
    assert_eq!(r.headers()["referrer-policy"], "same-origin");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert!(r.headers().get("strict-transport-security").is_none(), "no HSTS over plain http");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_when_served_over_https() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.public_url = "https://thi.haiphong.gov.vn".into()).await.unwrap();
    let r = app.get("/healthz").await;
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}
