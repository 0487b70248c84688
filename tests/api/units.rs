//! The unit tree: seed, create, rename, move, merge, retire, history, import and export.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    seed_builds_the_real_tree_and_is_idempotent,
    organizers_create_rename_move_and_retire,
    merging_keeps_history_and_old_records_resolve,
    import_reports_errors_by_line_and_changes_nothing,
    clean_import_applies_all_rows_and_export_round_trips,
    accent_insensitive_search,
);

async fn seed_builds_the_real_tree_and_is_idempotent(app: TestApp) {
    app.seed_units().await;
    let communes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE block = 'xa_phuong'").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(communes, 114);
    let total = app.count("units").await;
    app.seed_units().await;
    assert_eq!(app.count("units").await, total, "seeding again adds nothing");
    let kinds: Vec<String> = sqlx::query_scalar("SELECT DISTINCT kind FROM units ORDER BY kind").fetch_all(&app.state.db.pool).await.unwrap();
    assert_eq!(kinds, vec!["city", "commune", "department", "special_zone", "subordinate", "ward"]);
}

async fn organizers_create_rename_move_and_retire(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let health = app.unit_id("Sở Y tế").await;
    let r = app.post_json("/api/v1/units", &json!({ "code": "S10-03", "name": "Bệnh viện Trẻ em", "block": "đơn vị sự nghiệp", "parent_id": health, "headcount": 420 })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["block"], "su_nghiep");

    // The same code again is a field error.
    let r = app.post_json("/api/v1/units", &json!({ "code": "S10-03", "name": "Khác", "block": "su_nghiep", "parent_id": health })).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"]["code"]["code"], "err.code_taken");

    let r = app.client.patch(app.url(&format!("/api/v1/units/{id}"))).json(&json!({ "name": "Bệnh viện Trẻ em Hải Phòng" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Moving a unit under its own descendant is refused; a real move works.
    let r = app.post_json(&format!("/api/v1/units/{health}/move"), &json!({ "parent_id": id })).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let education = app.unit_id("Sở Giáo dục và Đào tạo").await;
    let r = app.post_json(&format!("/api/v1/units/{id}/move"), &json!({ "parent_id": education })).await;
    assert_eq!(r.status(), StatusCode::OK);

    // A unit with active sub-units cannot be retired; a leaf can.
    let r = app.post_json(&format!("/api/v1/units/{education}/retire"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = app.post_json(&format!("/api/v1/units/{id}/retire"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let (_, unit) = app.json(&format!("/api/v1/units/{id}")).await;
    assert_eq!(unit["status"], "retired");
    let (_, history) = app.json(&format!("/api/v1/units/{id}/history")).await;
    let actions: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["unit.retire", "unit.move", "unit.update", "unit.create"]);
}

async fn merging_keeps_history_and_old_records_resolve(app: TestApp) {
    app.seed_units().await;
    let source = app.unit_id("Phường Hải An").await;
    let target = app.unit_id("Phường Đông Hải").await;
    sqlx::query("UPDATE units SET headcount = 40 WHERE id = $1").bind(source).execute(&app.state.db.pool).await.unwrap();
    sqlx::query("UPDATE units SET headcount = 60 WHERE id = $1").bind(target).execute(&app.state.db.pool).await.unwrap();
    // A participant registered in the old ward.
    app.post_json("/api/v1/auth/register", &crate::helpers::registration(11, source)).await;
    // And a focal point managing it.
    let manager = app::accounts::service::create_staff_account(&app.state, "Đầu Mối Hải An", "dm@haian.vn", "mật khẩu đầu mối".into(),
        &[(app::accounts::model::Role::UnitManager, Some(source))]).await.unwrap();
    app.sign_in_organizer().await;

    let r = app.post_json(&format!("/api/v1/units/{source}/merge"), &json!({ "target_id": source })).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post_json(&format!("/api/v1/units/{source}/merge"), &json!({ "target_id": target })).await;
    assert_eq!(r.status(), StatusCode::OK);
    let merged_into: Value = r.json().await.unwrap();
    assert_eq!(merged_into["headcount"], 100);

    let grant: i64 = sqlx::query_scalar("SELECT unit_id FROM user_roles WHERE user_id = $1 AND role = 'unit_manager'")
        .bind(manager).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(grant, target, "the focal point now manages the receiving ward");
    let (_, old) = app.json(&format!("/api/v1/units/{source}")).await;
    assert_eq!(old["status"], "merged");
    assert_eq!(old["merged_into_id"], target);
    assert_eq!(old["name"], "Phường Hải An", "the old unit still resolves by id");
    let users: Value = app.get("/api/v1/users?q=anh duong").await.json().await.unwrap();
    assert_eq!(users[0]["unit_name"], "Phường Hải An", "the participant's record still names their unit");

    // Merged units leave the registration picker but stay in the organizer's full list.
    let (_, active) = app.json("/api/v1/units?q=hai an").await;
    assert!(active.as_array().unwrap().iter().all(|n| n["unit"]["id"] != source));
    let (_, all) = app.json("/api/v1/units?q=hai an&include_inactive=true").await;
    assert!(all.as_array().unwrap().iter().any(|n| n["unit"]["id"] == source));
    // The history page shows the merge, with the names of both wards.
    let page = app.get(&format!("/admin/units/{source}")).await.text().await.unwrap();
    assert!(page.contains("Sáp nhập vào đơn vị khác") && page.contains("Phường Đông Hải"), "history page");
    let again = app.post_json(&format!("/api/v1/units/{source}/merge"), &json!({ "target_id": target })).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "a merged unit cannot merge again");
}

async fn import_reports_errors_by_line_and_changes_nothing(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let before = app.count("units").await;
    let csv = "code,name,parent_code,block,headcount\nS10-09,Bệnh viện Mới,S10,su_nghiep,10\nS10-09,Trùng mã,S10,su_nghiep,1\nS10-10,Cha không tồn tại,NOPE,su_nghiep,1\nS10-11,Khối sai,S10,khối lạ,1\n";
    let r = app.client.post(app.url("/api/v1/units/import?dry_run=false&filename=sai.csv")).body(csv).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let preview: Value = r.json().await.unwrap();
    let errors: Vec<(i64, &str)> = preview["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap())).collect();
    assert_eq!(errors, vec![(3, "code"), (4, "parent_code"), (5, "block")]);
    assert_eq!(preview["applied"], false);
    assert_eq!(app.count("units").await, before, "nothing was applied");
}

async fn clean_import_applies_all_rows_and_export_round_trips(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let before = app.count("units").await;
    // Children listed before their parent, and an update of an existing unit.
    let csv = "\u{feff}code,name,parent_code,block,headcount\nS10-03-01,Khoa Nhi,S10-03,su_nghiep,35\nS10-03,Bệnh viện Trẻ em,S10,su_nghiep,400\nS10,Sở Y tế,HP,so_nganh,120\n";
    let r = app.client.post(app.url("/api/v1/units/import?dry_run=true&filename=ok.csv")).body(csv).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.count("units").await, before, "a dry run changes nothing");
    let r = app.client.post(app.url("/api/v1/units/import?dry_run=false&filename=ok.csv")).body(csv).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let preview: Value = r.json().await.unwrap();
    assert_eq!(preview["applied"], true);
    assert_eq!(app.count("units").await, before + 2);
    let (_, tree) = app.json("/api/v1/units?q=khoa nhi").await;
    assert_eq!(tree[0]["parent_name"], "Bệnh viện Trẻ em");

    // The XLSX export opens and lists the units with their diacritics.
    let r = app.get("/api/v1/units/export?format=xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap().to_vec();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a real XLSX file");
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][..5], ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Khối", "Số CBCCVC khai báo"]);
    assert!(rows.iter().any(|r| r[1] == "Phường Hải An" && r[3] == "Xã, phường, đặc khu"));
    assert!(rows.iter().any(|r| r[0] == "S10-03-01" && r[2] == "S10-03" && r[4] == "35"));
    assert_eq!(rows.len() as i64, app.count("units").await + 1);

    // The CSV export can be imported back unchanged, merged units included.
    let merged = app.unit_id("Phường Lê Chân").await;
    let into = app.unit_id("Phường An Biên").await;
    assert_eq!(app.post_json(&format!("/api/v1/units/{merged}/merge"), &json!({ "target_id": into })).await.status(), StatusCode::OK);
    // Both header sets: Vietnamese for people (the default), machine codes on request.
    for query in ["", "&headers=codes"] {
        let csv_export = app.get(&format!("/api/v1/units/export?format=csv{query}")).await.bytes().await.unwrap();
        let r = app.client.post(app.url("/api/v1/units/import?dry_run=true&filename=export.csv")).body(csv_export).send().await.unwrap();
        let preview: Value = r.json().await.unwrap();
        assert!(preview["errors"].as_array().unwrap().is_empty(), "{query} {preview}");
        assert!(preview["rows"].as_array().unwrap().iter().all(|r| r["action"] == "unchanged"), "{query}");
    }
    let people = app.get("/api/v1/units/export?format=csv").await.text().await.unwrap();
    let header = people.trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
    assert_eq!(header, "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Khối,Số CBCCVC khai báo,Loại đơn vị,Trạng thái,Sáp nhập vào (mã),Số CBCCVC tính tỷ lệ,Nguồn số CBCCVC");
    assert!(people.lines().any(|l| l.contains("Phường Lê Chân,") && l.contains(",Đã sáp nhập vào ")), "{people}");
    assert!(people.contains(",Số khai báo"), "the staff count's source: {people}");
    let codes = app.get("/api/v1/units/export?format=csv&headers=codes").await.text().await.unwrap();
    assert!(codes.trim_start_matches('\u{feff}').starts_with("code,name,parent_code,block,headcount,kind,status,merged_into_code,staff,staff_source\n"), "{codes}");
    assert!(codes.contains(",xa_phuong,") && codes.contains(",merged,") && codes.contains(",declared"), "{codes}");
}

async fn accent_insensitive_search(app: TestApp) {
    app.seed_units().await;
    let (_, found) = app.json("/api/v1/units?q=hai%20an").await;
    let names: Vec<&str> = found.as_array().unwrap().iter().map(|n| n["unit"]["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Phường Hải An"), "{names:?}");
    let (_, found) = app.json("/api/v1/units?q=BACH%20LONG%20VI").await;
    assert_eq!(found[0]["unit"]["name"], "Đặc khu Bạch Long Vĩ");
}
