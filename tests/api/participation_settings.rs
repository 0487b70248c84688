//! Issue 13's participation settings through the API: registered people on no roster (listed
//! for their unit manager, added so they count, or rejected), the collective-prize rule read
//! back, and a unit's retirement asked about, done and undone.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::participation::{manager_of, staff, unit_rate, upload};
use crate::rounds::{call, round_settings, setup, take};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    registered_people_off_the_roster_are_added_or_rejected_by_their_manager,
    collective_rules_are_read_back_as_saved,
    a_retired_unit_can_be_reinstated_and_retiring_says_what_it_touches,
    the_page_forms_work_without_javascript_and_refuse_bad_input_by_field,
);

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap().to_string()).collect()
}

fn ids_of(list: &Value, name: &str) -> i64 {
    list.as_array().unwrap().iter().find(|p| p["full_name"] == name).unwrap_or_else(|| panic!("{name} in {list}"))["user_id"].as_i64().unwrap()
}

async fn audited(app: &TestApp, action: &str, user: i64) -> Vec<Option<i64>> {
    sqlx::query_scalar("SELECT actor_id FROM audit_log WHERE action = $1 AND entity = 'user' AND entity_id = $2").bind(action).bind(user).fetch_all(&app.state.db.pool).await.unwrap()
}

async fn registered_people_off_the_roster_are_added_or_rejected_by_their_manager(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let health = app.unit_id("Sở Y tế").await;
    let hospital = app.unit_id("Bệnh viện Hữu nghị Việt Tiệp").await;
    let ward = app.unit_id("Phường Hải An").await;
    let manager = manager_of(&app, health).await;
    let _on_roster = staff(&app, 1, health, "Nguyễn Văn An").await;
    let self_registered = staff(&app, 2, hospital, "Trần Thị Bình").await;
    let _not_staff = staff(&app, 3, health, "Lê Văn Cường").await;
    let _elsewhere = staff(&app, 4, ward, "Phạm Thị Dung").await;
    // Before any roster, nobody is listed: everyone who takes part counts against the declared headcount.
    let (status, list) = call(&app, &manager, "GET", &format!("/api/v1/units/{health}/unrostered"), None).await;
    assert_eq!((status, names(&list).len()), (StatusCode::OK, 0), "{list}");
    let roster = "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n\
        Nguyễn Văn An,031095000001,,,Chuyên viên,\n\
        Hoàng Văn Em,BV-0005,,,Bác sĩ,Bệnh viện Hữu nghị Việt Tiệp\n";
    assert_eq!(upload(&app, &manager, health, roster, false).await.0, StatusCode::OK);

    let (status, list) = call(&app, &manager, "GET", &format!("/api/v1/units/{health}/unrostered"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&list), vec!["Lê Văn Cường", "Trần Thị Bình"], "the subtree's registered people on no roster, by name; not the ward's");
    let binh = &list.as_array().unwrap()[1];
    assert_eq!(binh["unit_name"], "Bệnh viện Hữu nghị Việt Tiệp");
    assert!(binh["cccd"].as_str().unwrap().contains('*') && binh["phone"].as_str().unwrap().contains('*'), "personal numbers masked for a manager: {binh}");
    let (binh, cuong) = (ids_of(&list, "Trần Thị Bình"), ids_of(&list, "Lê Văn Cường"));

    // She takes the round: the hospital's rate does not move, as she is not on its roster.
    take(&app, &self_registered, round, 10, 100).await;
    let path = format!("/api/v1/participation/rounds/{round}");
    let (_, report) = call(&app, &manager, "GET", &path, None).await;
    let bv = unit_rate(&report, "Bệnh viện Hữu nghị Việt Tiệp");
    assert_eq!((bv["own_eligible"].as_i64(), bv["own_participated"].as_i64(), bv["source"].as_str()), (Some(1), Some(0), Some("roster")));

    // Refusals change nothing: no one chosen, someone not on the list, a unit outside the scope.
    let add = format!("/api/v1/units/{health}/unrostered/add");
    let (status, body) = call(&app, &manager, "POST", &add, Some(json!({ "user_ids": [] }))).await;
    assert_eq!((status, body["fields"]["user_ids"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.choose_someone")), "{body}");
    let on_roster = sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE full_name = 'Nguyễn Văn An'").fetch_one(&app.state.db.pool).await.unwrap();
    let (status, body) = call(&app, &manager, "POST", &add, Some(json!({ "user_ids": [binh, on_roster] }))).await;
    assert_eq!((status, body["fields"]["user_ids"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.not_unrostered")), "{body}");
    let (status, _) = call(&app, &manager, "POST", &format!("/api/v1/units/{ward}/unrostered/add"), Some(json!({ "user_ids": [binh] }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another unit's people are not the manager's");
    let (status, _) = call(&app, &self_registered, "GET", &format!("/api/v1/units/{health}/unrostered"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("roster_entries").await, 2, "nothing half-applied");

    // Added: she counts at once, and leaves the list.
    let (status, body) = call(&app, &manager, "POST", &add, Some(json!({ "user_ids": [binh] }))).await;
    assert_eq!((status, body["changed"].as_i64()), (StatusCode::OK, Some(1)), "{body}");
    let (_, report) = call(&app, &manager, "GET", &path, None).await;
    let bv = unit_rate(&report, "Bệnh viện Hữu nghị Việt Tiệp");
    assert_eq!((bv["own_eligible"].as_i64(), bv["own_participated"].as_i64()), (Some(2), Some(1)));
    assert_eq!(bv["rate"].as_f64(), Some(0.5));
    let live = app::participation::live::own_figures(&app.state, round, None).await.unwrap();
    let reference = app::participation::matching::reference_figures(&app.state, app::participation::matching::Period::Round(round), None).await.unwrap();
    let key = |mut v: Vec<app::participation::rates::OwnFigures>| { v.sort_by_key(|f| f.unit_id); v };
    assert_eq!(key(live), key(reference), "the live counters still equal the definition");
    let manager_id = sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = 'daumoi@syt.test.vn'").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(audited(&app, "roster.add_registered", binh).await, vec![Some(manager_id)], "who added her");

    // Rejected: the account stays, is not counted, and leaves the list.
    let reject = format!("/api/v1/units/{health}/unrostered/reject");
    let (status, body) = call(&app, &manager, "POST", &reject, Some(json!({ "user_ids": [cuong] }))).await;
    assert_eq!((status, body["changed"].as_i64()), (StatusCode::OK, Some(1)), "{body}");
    let (_, list) = call(&app, &manager, "GET", &format!("/api/v1/units/{health}/unrostered"), None).await;
    assert!(names(&list).is_empty(), "{list}");
    assert_eq!(audited(&app, "roster.reject_registered", cuong).await, vec![Some(manager_id)]);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE id = $1 AND status = 'active'").bind(cuong).fetch_one(&app.state.db.pool).await.unwrap(), 1);
    let (_, report) = call(&app, &manager, "GET", &path, None).await;
    assert_eq!(unit_rate(&report, "Sở Y tế")["own_eligible"].as_i64(), Some(1), "a rejected person is not counted");
    // Choosing them again is refused: they are no longer on the list.
    let (status, _) = call(&app, &manager, "POST", &add, Some(json!({ "user_ids": [cuong] }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Organizers see any unit's list.
    let (status, all) = app.json(&format!("/api/v1/units/{health}/unrostered")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(all.as_array().unwrap().is_empty());
}

async fn collective_rules_are_read_back_as_saved(app: TestApp) {
    let (contest, _) = setup(&app, round_settings(json!({}))).await;
    let (status, rules) = app.json(&format!("/api/v1/contests/{contest}/collective-rules")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rules["default"]["min_rate"].as_f64(), Some(0.5), "the default rule before any is saved: {rules}");
    let rule = json!({ "default": { "min_rate": 0.8, "criteria": ["rate", "mean_score"], "prizes": [{ "name": "Giải Nhất", "count": 1 }] }, "blocks": {} });
    let r = app.client.put(app.url(&format!("/api/v1/contests/{contest}/collective-rules"))).json(&rule).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (_, rules) = app.json(&format!("/api/v1/contests/{contest}/collective-rules")).await;
    assert_eq!(rules["default"]["min_rate"].as_f64(), Some(0.8));
    let bad = json!({ "default": { "min_rate": 1.5, "criteria": ["rate"], "prizes": [] }, "blocks": {} });
    let r = app.client.put(app.url(&format!("/api/v1/contests/{contest}/collective-rules"))).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.json(&format!("/api/v1/contests/{contest}/collective-rules")).await.1["default"]["min_rate"].as_f64(), Some(0.8), "a refused rule changes nothing");
    assert_eq!(app.json("/api/v1/contests/999999/collective-rules").await.0, StatusCode::NOT_FOUND);
}

async fn a_retired_unit_can_be_reinstated_and_retiring_says_what_it_touches(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let school = app.unit_id("Trường THPT Thái Phiên").await;
    staff(&app, 7, school, "Vũ Thị Giang").await;
    let (status, facts) = app.json(&format!("/api/v1/units/{school}/retire")).await;
    assert_eq!(status, StatusCode::OK, "{facts}");
    assert_eq!((facts["accounts"].as_i64(), facts["roster_entries"].as_i64(), facts["active_children"].as_i64()), (Some(1), Some(0), Some(0)));
    let education = app.unit_id("Sở Giáo dục và Đào tạo").await;
    assert!(app.json(&format!("/api/v1/units/{education}/retire")).await.1["active_children"].as_i64().unwrap() > 0);

    let r = app.post_json(&format!("/api/v1/units/{school}/reinstate"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "an active unit is not reinstated");
    assert_eq!(app.post_json(&format!("/api/v1/units/{school}/retire"), &json!({})).await.status(), StatusCode::OK);
    let r = app.post_json(&format!("/api/v1/units/{school}/reinstate"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let unit: Value = r.json().await.unwrap();
    assert_eq!((unit["status"].as_str(), unit["parent_id"].as_i64()), (Some("active"), Some(education)));
    let (_, history) = app.json(&format!("/api/v1/units/{school}/history")).await;
    assert_eq!(history[0]["action"], "unit.reinstate");
}

async fn the_page_forms_work_without_javascript_and_refuse_bad_input_by_field(app: TestApp) {
    use leptos::server_fn::ServerFn;
    use app::participation::server_fns::{DecideUnrostered, SaveCollectiveRule, SetDeclaredHeadcount};
    let (contest, _) = setup(&app, round_settings(json!({}))).await;
    let health = app.unit_id("Sở Y tế").await;
    let manager = manager_of(&app, health).await;
    staff(&app, 1, health, "Nguyễn Văn An").await;
    let roster = "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\nHoàng Văn Em,SYT-0005,,,Lái xe,\n";
    assert_eq!(upload(&app, &manager, health, roster, false).await.0, StatusCode::OK);
    let (_, list) = call(&app, &manager, "GET", &format!("/api/v1/units/{health}/unrostered"), None).await;
    let an = ids_of(&list, "Nguyễn Văn An").to_string();
    let unit = health.to_string();
    // One person's button is a plain form: it adds her and comes back to the page.
    let r = app.form_post_as(&manager, DecideUnrostered::PATH, "/tham-gia", &[("unit", &unit), ("user_ids[0]", &an), ("add", "true")]).send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let (_, list) = call(&app, &manager, "GET", &format!("/api/v1/units/{health}/unrostered"), None).await;
    assert!(names(&list).is_empty(), "{list}");
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT active_entries FROM unit_roster_sizes WHERE unit_id = $1").bind(health).fetch_one(&app.state.db.pool).await.unwrap(), 2);

    // The declared headcount: a bad value is an error on its field, a good one is saved.
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let client = manager.clone();
        let app = &app;
        async move {
            let r = client.post(app.url(path)).header("origin", app.base.clone()).form(&form).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, body) = post(SetDeclaredHeadcount::PATH, vec![("unit", unit.clone()), ("headcount", "-3".into())]).await;
    assert_eq!((status, body["fields"]["headcount"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.headcount_format")), "{body}");
    let (status, _) = post(SetDeclaredHeadcount::PATH, vec![("unit", unit.clone()), ("headcount", "40".into())]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.json(&format!("/api/v1/units/{health}")).await.1["headcount"].as_i64(), Some(40));
    // A unit manager may not set the collective rule.
    let rule = |min: &str| vec![("contest_id", contest.to_string()), ("min_rate", min.to_string()), ("criterion1", "rate".into()), ("criterion2", "mean_score".into()), ("prizes", "Giải Nhất | 1".into())];
    assert_eq!(post(SaveCollectiveRule::PATH, rule("60")).await.0, StatusCode::FORBIDDEN);

    // The organizer's collective-rule form: errors by field, nothing saved; then saved.
    let organizer = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let r = app.client.post(app.url(SaveCollectiveRule::PATH)).header("origin", app.base.clone()).form(&form).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, body) = organizer(rule("150")).await;
    assert_eq!((status, body["fields"]["min_rate"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.collective_min_rate")), "{body}");
    assert_eq!(app.json(&format!("/api/v1/contests/{contest}/collective-rules")).await.1["default"]["min_rate"].as_f64(), Some(0.5));
    let (status, body) = organizer(rule("72,5")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rules = app.json(&format!("/api/v1/contests/{contest}/collective-rules")).await.1;
    assert_eq!((rules["default"]["min_rate"].as_f64(), rules["default"]["criteria"].clone()), (Some(0.725), json!(["rate", "mean_score"])));
}
