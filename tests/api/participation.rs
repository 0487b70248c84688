//! Participation end to end through the API: a unit manager uploads a roster, sees the rate
//! rise as staff take a round, lists and exports who is missing, decides a same-name match;
//! figures freeze at the round's close; nobody sees outside their subtree.

use crate::helpers::{TestApp, registration};
use crate::on_both_backends;
use crate::rounds::{call, now, round_settings, setup, take};
use app::accounts::model::Role;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

on_both_backends!(
    a_unit_manager_uploads_a_roster_and_watches_the_rate_rise,
    roster_errors_are_reported_by_line_and_change_nothing,
    the_annual_report_exports_as_xlsx_and_pdf_in_vietnamese,
);

/// A civil servant of `unit`, registered with registration(n)'s identity and signed in.
pub(crate) async fn staff(app: &TestApp, n: u32, unit: i64, name: &str) -> Client {
    let mut body = registration(n, unit);
    body["full_name"] = json!(name);
    let r = app.post_json("/api/v1/auth/register", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let client = app.new_client();
    let r = client.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": body["email"], "password": body["password"] })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    client
}

pub(crate) async fn manager_of(app: &TestApp, unit: i64) -> Client {
    app::accounts::service::create_staff_account(&app.state, "Lê Văn Đầu Mối", "daumoi@syt.test.vn", "mật khẩu kiểm thử".into(), &[(Role::UnitManager, Some(unit))]).await.unwrap();
    let client = app.new_client();
    let r = client.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": "daumoi@syt.test.vn", "password": "mật khẩu kiểm thử" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    client
}

pub(crate) async fn upload(app: &TestApp, client: &Client, unit: i64, csv: &str, dry_run: bool) -> (StatusCode, Value) {
    let r = client.post(app.url(&format!("/api/v1/units/{unit}/roster?dry_run={dry_run}"))).body(csv.as_bytes().to_vec()).send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

pub(crate) fn unit_rate<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["units"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap_or_else(|| panic!("{name} in {report}"))
}

async fn a_unit_manager_uploads_a_roster_and_watches_the_rate_rise(app: TestApp) {
    let (contest, round) = setup(&app, round_settings(json!({}))).await;
    let health = app.unit_id("Sở Y tế").await;
    let hospital = app.unit_id("Bệnh viện Hữu nghị Việt Tiệp").await;
    let manager = manager_of(&app, health).await;
    // Staff with accounts: matched by CCCD, by e-mail, by phone; one same-name account.
    let p1 = staff(&app, 1, health, "Nguyễn Văn An").await;
    let p2 = staff(&app, 2, hospital, "Trần Thị Bình").await;
    let _p3 = staff(&app, 3, health, "Lê Văn Cường").await;
    let p4 = staff(&app, 4, health, "Phạm Thị Dung").await;
    let roster = "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n\
        Nguyễn Văn An,031095000001,,,Chuyên viên,\n\
        Trần Thị Bình,BV-0002,anh.duong2@haiphong.gov.vn,,Bác sĩ,Bệnh viện Hữu nghị Việt Tiệp\n\
        Lê Văn Cường,SYT-0003,,+84 91 000 0003,Chuyên viên,\n\
        Phạm Thị Dung,SYT-0004,,,Kế toán,\n\
        Hoàng Văn Em,SYT-0005,em.hv@syt.haiphong.gov.vn,0987 654 321,Lái xe,\n";
    let (status, preview) = upload(&app, &manager, health, roster, true).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!((preview["accepted"].as_i64(), preview["applied"].as_bool()), (Some(5), Some(false)));
    assert_eq!(app.count("roster_entries").await, 0, "a preview stores nothing");
    let (status, applied) = upload(&app, &manager, health, roster, false).await;
    assert_eq!((status, applied["applied"].as_bool()), (StatusCode::OK, Some(true)));

    let (_, report) = call(&app, &manager, "GET", &format!("/api/v1/participation/rounds/{round}"), None).await;
    assert_eq!(report["frozen"], false);
    assert_eq!((unit_rate(&report, "Sở Y tế")["eligible"].as_i64(), unit_rate(&report, "Sở Y tế")["participated"].as_i64()), (Some(5), Some(0)));
    assert!(report["units"].as_array().unwrap().iter().all(|u| u["name"] != "Phường Hải An"), "a manager sees only their subtree");

    // Staff take the round: the rate rises live, the hospital counts toward the department.
    take(&app, &p1, round, 10, 100).await;
    take(&app, &p2, round, 5, 100).await;
    let (_, report) = call(&app, &manager, "GET", &format!("/api/v1/participation/rounds/{round}"), None).await;
    let syt = unit_rate(&report, "Sở Y tế");
    assert_eq!((syt["own_eligible"].as_i64(), syt["own_participated"].as_i64(), syt["eligible"].as_i64(), syt["participated"].as_i64()), (Some(4), Some(1), Some(5), Some(2)));
    assert_eq!(syt["rate"], 0.4);
    assert_eq!(unit_rate(&report, "Bệnh viện Hữu nghị Việt Tiệp")["rate"], 1.0);
    assert_eq!(report["per_day"].as_array().unwrap().iter().map(|d| d["entries"].as_i64().unwrap()).sum::<i64>(), 2);

    // Who is missing, with contacts; as a spreadsheet too.
    let (status, missing) = call(&app, &manager, "GET", &format!("/api/v1/units/{health}/non-participants?round={round}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = missing.as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Hoàng Văn Em", "Lê Văn Cường", "Phạm Thị Dung"], "sorted the Vietnamese way");
    assert_eq!(missing[0]["phone"], "0987654321");
    let r = manager.get(app.url(&format!("/api/v1/units/{health}/non-participants?round={round}&format=xlsx"))).send().await.unwrap();
    let bytes = r.bytes().await.unwrap().to_vec();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.get_size().0, 4, "a header and three people");
    assert_eq!(sheet.get_value((1, 1)).unwrap().to_string(), "Hoàng Văn Em");

    // Phạm Thị Dung has an account under the same name in the unit, but no shared identity:
    // a candidate, counted only once the manager confirms.
    take(&app, &p4, round, 3, 100).await;
    let (_, anomalies) = call(&app, &manager, "GET", &format!("/api/v1/units/{health}/matching?round={round}"), None).await;
    let candidate = anomalies["candidates"].as_array().unwrap().iter().find(|c| c["full_name"] == "Phạm Thị Dung").unwrap().clone();
    assert!(anomalies["unmatched_participants"].as_array().unwrap().iter().any(|p| p["full_name"] == "Phạm Thị Dung"));
    let (status, _) = call(
        &app,
        &manager,
        "POST",
        &format!("/api/v1/roster-entries/{}/decision", candidate["roster_entry_id"]),
        Some(json!({ "user_id": candidate["user_id"], "confirm": true })),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, report) = call(&app, &manager, "GET", &format!("/api/v1/participation/rounds/{round}"), None).await;
    assert_eq!(unit_rate(&report, "Sở Y tế")["participated"], 3);

    // Over the whole contest (one round so far): the same three of five.
    let (_, whole) = call(&app, &manager, "GET", &format!("/api/v1/participation/contests/{contest}"), None).await;
    assert_eq!((whole["eligible"].as_i64(), whole["participated"].as_i64()), (Some(5), Some(3)), "{whole}");

    // Outside the subtree: not found; participants do not see reports.
    let ward = app.unit_id("Phường Hải An").await;
    let (status, _) = call(&app, &manager, "GET", &format!("/api/v1/units/{ward}/non-participants?round={round}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = upload(&app, &manager, ward, roster, false).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, &p1, "GET", &format!("/api/v1/participation/rounds/{round}"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The round closes: its figures freeze, and a later roster does not rewrite them.
    let (_, mut settings) = app.json(&format!("/api/v1/rounds/{round}")).await;
    settings["closes_at"] = json!(now() - 10);
    app.client.put(app.url(&format!("/api/v1/rounds/{round}"))).json(&settings).send().await.unwrap();
    app::sweeper::sweep(&app.state).await.unwrap();
    let bigger = format!("{roster}Vũ Thị Giang,SYT-0006,,,Văn thư,\n");
    assert_eq!(upload(&app, &manager, health, &bigger, false).await.0, StatusCode::OK);
    let (_, report) = call(&app, &manager, "GET", &format!("/api/v1/participation/rounds/{round}"), None).await;
    assert_eq!(report["frozen"], true);
    assert_eq!((unit_rate(&report, "Sở Y tế")["eligible"].as_i64(), unit_rate(&report, "Sở Y tế")["participated"].as_i64()), (Some(5), Some(3)));

    // The contest's CSV, one row per unit and round: for people, Vietnamese headers and labels.
    let people = app.get(&format!("/api/v1/contests/{contest}/participation.csv")).await.text().await.unwrap();
    let mut lines = people.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next().unwrap(), "Mã đơn vị,Đơn vị,Mã đơn vị cấp trên,Khối,Đợt thi,Thuộc diện tham gia,Đã tham gia,Tỷ lệ,Nguồn số CBCCVC");
    let syt = lines.find(|l| l.contains(",Sở Y tế,")).unwrap().to_string();
    assert!(syt.contains(",\"Sở, ban, ngành\",") && syt.ends_with(",5,3,\"60,0%\",Danh sách cán bộ"), "{syt}");
    // For programs: machine codes.
    let r = app.get(&format!("/api/v1/contests/{contest}/participation.csv?headers=codes")).await;
    let csv = r.text().await.unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().starts_with("unit_code,unit_name,parent_code,block,round_id,eligible,participated,rate"));
    let syt = lines.find(|l| l.contains(",Sở Y tế,")).unwrap().to_string();
    assert!(syt.ends_with(&format!(",so_nganh,{round},5,3,0.6000,roster")), "{syt}");
}

async fn roster_errors_are_reported_by_line_and_change_nothing(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let health = app.unit_id("Sở Y tế").await;
    let bad = "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n\
        Nguyễn Văn An,031095000001,,,,\n\
        Trần Thị Bình,031095000001,,,,\n\
        Lê Văn Cường,99,,,,\n\
        Phạm Thị Dung,SYT-4,,0912,,\n\
        Hoàng Văn Em,SYT-5,,,,Phường Hải An\n";
    let (status, preview) = upload(&app, &app.client, health, bad, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let lines: Vec<(i64, &str)> = preview["plan"]["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap())).collect();
    assert_eq!(lines, vec![(3, "cccd"), (4, "cccd"), (5, "phone"), (6, "sub_unit")]);
    assert_eq!(preview["applied"], false);
    assert_eq!(app.count("roster_entries").await, 0);
    let (status, preview) = upload(&app, &app.client, health, "Tên,Mã\nA,B\n", false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(preview["plan"]["errors"][0]["message"], "err.roster_columns");
    let r = app.get(&format!("/api/v1/units/{health}/roster/template")).await;
    assert_eq!(r.status(), StatusCode::OK);
    // The template re-imports: its example row is a valid person.
    let template = r.bytes().await.unwrap().to_vec();
    let r = app.client.post(app.url(&format!("/api/v1/units/{health}/roster?dry_run=true"))).body(template).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn the_annual_report_exports_as_xlsx_and_pdf_in_vietnamese(app: TestApp) {
    app.seed_units().await;
    server::seed::seed_demo_accounts(&app.state).await.unwrap();
    server::seed::seed_demo_questions(&app.state).await.unwrap();
    server::seed_contest::seed_demo_contest(&app.state, 200).await.unwrap();
    // A merge after the rounds: the year's figures map the old ward to the new one.
    let organizer = app.sign_in_organizer().await;
    let _ = organizer;
    let old = app.unit_id("Phường Lê Chân").await;
    let new = app.unit_id("Phường An Biên").await;
    let r = app.post_json(&format!("/api/v1/units/{old}/merge"), &json!({ "target_id": new })).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    let (status, report) = app.json("/api/v1/reports/annual?year=2026").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let stats = &report["statistics"];
    assert_eq!((stats["contests"].as_i64(), stats["rounds"].as_i64()), (Some(1), Some(3)), "two closed rounds and the open one");
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE status = 'submitted'").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(stats["entries"].as_i64(), Some(entries));
    assert!(stats["units_at_100"].as_i64().unwrap() > 0);
    assert!(report["merged"].as_array().unwrap().iter().any(|m| m["old_name"] == "Phường Lê Chân" && m["new_name"] == "Phường An Biên"));
    assert!(report["units"].as_array().unwrap().iter().any(|u| u["unit_name"] == "Sở Y tế"));

    // XLSX: opened and read back, diacritics intact.
    let r = app.get("/api/v1/reports/annual?year=2026&format=xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(book.sheet_names(), vec!["Thong ke nam", "Theo don vi", "Theo khoi", "Dat 100%", "Sap nhap"]);
    let stats_sheet = book.worksheet_range("Thong ke nam").unwrap();
    assert!(stats_sheet.get_value((0, 0)).unwrap().to_string().contains("cải cách hành chính năm 2026"));
    assert_eq!(stats_sheet.get_value((5, 0)).unwrap().to_string(), "Số lượt dự thi");
    assert_eq!(stats_sheet.get_value((5, 1)).unwrap().to_string(), entries.to_string());
    let units = book.worksheet_range("Theo don vi").unwrap();
    assert!(units.rows().any(|row| row[1].to_string().trim() == "Sở Y tế"));
    let merged = book.worksheet_range("Sap nhap").unwrap();
    assert!(merged.rows().any(|row| row[1].to_string() == "Phường Lê Chân" && row[3].to_string() == "Phường An Biên"));

    // PDF: a real PDF whose text extracts back as Vietnamese (the font's glyphs map to Unicode);
    // its layout is checked in `documents`.
    let r = app.get("/api/v1/reports/annual?year=2026&format=pdf").await;
    assert_eq!(r.status(), StatusCode::OK);
    let pdf = crate::pdf_check::ReadPdf::new("annual", &r.bytes().await.unwrap());
    pdf.assert_unbroken(&["BÁO CÁO", "Số lượt dự thi", "Xã, phường, đặc khu", "Sở Y tế", "Phường Lê Chân", "Tỷ lệ tham gia các đơn vị"]);
    pdf.assert_whole(&["Kết quả tham gia Hội thi trực tuyến về cải cách hành chính năm 2026"]);
    // Collective prizes: the default formula (rate ≥ 50%, then rate, then mean score), and a
    // block with its own.
    let closed: i64 = sqlx::query_scalar("SELECT MIN(id) FROM rounds").fetch_one(&app.state.db.pool).await.unwrap();
    let contest: i64 = sqlx::query_scalar("SELECT contest_id FROM rounds WHERE id = $1").bind(closed).fetch_one(&app.state.db.pool).await.unwrap();
    let rules = json!({ "default": { "min_rate": 0.5, "criteria": ["rate", "mean_score"], "prizes": [{ "name": "Giải Nhất", "count": 1 }, { "name": "Giải Nhì", "count": 2 }] },
        "blocks": { "xa_phuong": { "min_rate": 0.0, "criteria": ["participated"], "prizes": [{ "name": "Giải Nhất", "count": 1 }] } } });
    let r = app.client.put(app.url(&format!("/api/v1/contests/{contest}/collective-rules"))).json(&rules).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Some people took the round twice and did worse the second time: their best counts.
    sqlx::query(
        "INSERT INTO attempts (round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, submitted_at_ms, submitted_by, prediction, score, max_score, correct_count, time_taken_ms)
         SELECT round_id, user_id, unit_id, 2, status, started_at_ms + 1000, deadline_ms + 1000, submitted_at_ms + 1000, submitted_by, prediction, 0, max_score, 0, time_taken_ms
         FROM attempts WHERE round_id = $1 AND number = 1 AND score > 0 AND id % 3 = 0",
    )
    .bind(closed)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    let (status, ranking) = app.json(&format!("/api/v1/participation/rounds/{closed}/collective")).await;
    assert_eq!(status, StatusCode::OK, "{ranking}");
    let so = ranking.as_array().unwrap().iter().find(|b| b["block"] == "so_nganh").unwrap();
    let entries = so["entries"].as_array().unwrap();
    assert!(entries[0]["computation"].as_str().unwrap().starts_with("Tỷ lệ "), "{}", entries[0]);
    assert_eq!(entries[0]["prize"], "Giải Nhất");
    let rates: Vec<f64> = entries.iter().filter(|e| e["excluded"] == false).map(|e| e["rate"].as_f64().unwrap()).collect();
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "ranked by rate: {rates:?}");
    assert!(entries.iter().filter(|e| e["excluded"] == true).all(|e| e["rate"].as_f64().unwrap_or(0.0) < 0.5 && e["computation"].as_str().unwrap().contains("dưới ngưỡng")));
    // A unit's mean score is made of each person's counting attempt (the round counts the
    // best), as in the individual ranking, not of every attempt.
    let round = app::rounds::setup::get_round(&app.state, closed).await.unwrap();
    assert_eq!(round.settings.counting, app::rounds::model::Counting::Best);
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT unit_id, user_id, score FROM attempts WHERE round_id = $1 AND status = 'submitted' AND unit_id IS NOT NULL")
        .bind(closed)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    let mut best: std::collections::BTreeMap<(i64, i64), i64> = Default::default();
    for (unit, user, score) in rows {
        let b = best.entry((unit, user)).or_insert(score);
        *b = (*b).max(score);
    }
    let xa_block = ranking.as_array().unwrap().iter().find(|b| b["block"] == "xa_phuong").unwrap();
    let mut checked = 0;
    for e in xa_block["entries"].as_array().unwrap() {
        let unit = e["unit"]["unit_id"].as_i64().unwrap();
        let mine: Vec<i64> = best.iter().filter(|((u, _), _)| *u == unit).map(|(_, s)| *s).collect();
        if mine.is_empty() {
            continue;
        }
        let expected = mine.iter().sum::<i64>() as f64 / 100.0 / mine.len() as f64;
        assert!((e["unit"]["mean_score"].as_f64().unwrap() - expected).abs() < 1e-9, "{e} vs {expected}");
        checked += 1;
    }
    assert!(checked > 3, "mean scores checked for {checked} wards");
    let xa = ranking.as_array().unwrap().iter().find(|b| b["block"] == "xa_phuong").unwrap();
    assert_eq!(xa["rule"]["criteria"], json!(["participated"]));
    let bad = json!({ "default": { "min_rate": 2.0, "criteria": [], "prizes": [] } });
    let r = app.client.put(app.url(&format!("/api/v1/contests/{contest}/collective-rules"))).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Participants cannot export the report.
    let (p, _) = (app.new_client(), ());
    let r = p.get(app.url("/api/v1/reports/annual?year=2026")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
