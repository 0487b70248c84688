//! The press and broadcast award through the JSON API, on both backends: a whole edition from
//! the call for entries to published prizes with a council override, and the bad inputs.

use crate::helpers::TestApp;
use crate::on_both_backends;
use app::accounts::model::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

pub(crate) fn wav(seconds: f64) -> Vec<u8> {
    server::seed_awards::tone_wav(440.0, seconds)
}

pub(crate) fn competition(deadline: i64) -> Value {
    let rubric = json!([{ "code": "x", "label": "Nội dung", "max": 40 }, { "code": "y", "label": "Hình thức", "max": 30 }, { "code": "z", "label": "Hiệu quả", "max": 30 }]);
    json!({
        "edition": 2026, "title": "Giải phát thanh cơ sở 2026", "genres": ["radio", "print"],
        "window_from": "2025-11-01", "window_to": "2026-10-31", "deadline": deadline,
        "max_entries_per_author": 2, "max_file_mb": 1, "required_fields": ["outlet", "file"],
        "prize_per_genre": false,
        "prize_plan": [{ "name": "Giải A", "count": 1 }, { "name": "Giải B", "count": 1 }, { "name": "Giải C", "count": 1 }],
        "rubric_preliminary": rubric, "rubric_final": rubric, "judges_per_entry": 2,
        "aggregation": "mean", "normalise": false, "shortlist": { "rule": "top", "value": 3 }, "blind": true,
    })
}

pub(crate) fn entry(title: &str, author: &str, unit: i64, date: &str) -> Value {
    json!({ "genre": "radio", "title": title, "authors": [{ "full_name": author, "share_percent": 100 }], "unit_id": unit,
        "outlet": "Đài truyền thanh phường", "published_on": date, "duration_secs": 300, "script": "Kịch bản phát thanh" })
}

pub(crate) async fn upload(app: &TestApp, client: &reqwest::Client, entry: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    client.post(app.url(&format!("/api/v1/award-entries/{entry}/files"))).multipart(form).send().await.unwrap()
}

pub(crate) fn field(body: &Value, name: &str) -> String {
    body["fields"][name]["code"].as_str().unwrap_or_default().to_string()
}

/// Files left in the store (to check nothing is orphaned).
pub(crate) fn stored_files(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p).map(|d| d.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()).unwrap_or(0)
    }
    walk(std::path::Path::new(&app.files_dir))
}

pub(crate) async fn judge_client(app: &TestApp, email: &str, unit: Option<i64>) -> (reqwest::Client, i64) {
    let id = app::accounts::service::create_staff_account(&app.state, "Giám Khảo Kiểm Thử", email, "mật khẩu kiểm thử".into(), &[(Role::Judge, None)]).await.unwrap();
    sqlx::query("UPDATE users SET unit_id = $1 WHERE id = $2").bind(unit).bind(id).execute(&app.state.db.pool).await.unwrap();
    let c = app.new_client();
    let r = c.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": email, "password": "mật khẩu kiểm thử" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    (c, id)
}

async fn a_whole_edition(app: TestApp) {
    app.seed_units().await;
    let (ward_a, ward_b, ward_c) = (app.unit_id("Phường Hải An").await, app.unit_id("Phường Lê Chân").await, app.unit_id("Phường Ngô Quyền").await);
    app.sign_in_organizer().await;
    let now = app::vn_time::now_secs();
    let r = app.post_json("/api/v1/award-competitions", &competition(now + 3600)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let c: Value = r.json().await.unwrap();
    let cid = c["id"].as_i64().unwrap();
    assert_eq!(c["settings"]["rubric_preliminary"][1]["code"], "c2", "criteria are numbered");

    // An entrant's drafts: one outside the window is refused on the field.
    let entrant = app.new_client();
    app::accounts::service::create_staff_account(&app.state, "Trạm Truyền Thanh", "tram@test.vn", "mật khẩu kiểm thử".into(), &[]).await.unwrap();
    entrant.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": "tram@test.vn", "password": "mật khẩu kiểm thử" })).send().await.unwrap();
    let post = |body: Value| entrant.post(app.url(&format!("/api/v1/award-competitions/{cid}/entries"))).json(&body).send();
    let r = post(entry("Ngoài thời gian", "Trần Thị Mai", ward_a, "2025-10-31")).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(field(&body, "published_on").starts_with("err.award_date_window"), "{body}");
    assert!(body["fields"]["published_on"]["message"].as_str().unwrap().contains("01/11/2025 – 31/10/2026"));
    assert_eq!(app.count("award_entries").await, 0, "nothing stored");

    let mut ids = vec![];
    for (i, (title, author, unit)) in [
        ("Một cửa điện tử", "Trần Thị Mai", ward_a),
        ("Dịch vụ công", "Phạm Văn Đức", ward_b),
        ("Chính quyền hai cấp", "Ngô Thị Hồng", ward_c),
        ("Chuyển đổi số", "Trần Thị Mai", ward_b),
    ]
    .into_iter()
    .enumerate()
    {
        let r = post(entry(title, author, unit, &format!("2026-0{}-15", i + 1))).await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    // Submitting without the required file names the field.
    let r = entrant.post(app.url(&format!("/api/v1/award-entries/{}/submit", ids[0]))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r.json().await.unwrap(), "file"), "err.award_file_required");

    // Files: content must match the extension; too large is refused; neither leaves a file.
    let before = stored_files(&app);
    let r = upload(&app, &entrant, ids[0], "phong-su.mp3", b"%PDF-1.7 not audio at all".to_vec()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r.json().await.unwrap(), "file"), "err.award_file_content");
    let r = upload(&app, &entrant, ids[0], "phong-su.wav", wav(140.0)).await; // 1.1 MB > 1 MB
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let r = upload(&app, &entrant, ids[0], "phong-su.exe", wav(0.1)).await;
    assert_eq!(field(&r.json().await.unwrap(), "file"), "err.award_file_type");
    assert_eq!(app.count("award_files").await, 0);
    assert_eq!(stored_files(&app), before, "refused uploads leave no file behind");

    for id in &ids {
        let r = upload(&app, &entrant, *id, "Trần Thị Mai - phóng sự.wav", wav(2.0)).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    }
    // Range requests: the player can seek.
    let file: i64 = sqlx::query_scalar("SELECT id FROM award_files WHERE entry_id = $1").bind(ids[0]).fetch_one(&app.state.db.pool).await.unwrap();
    let r = entrant.get(app.url(&format!("/api/v1/award-files/{file}"))).header("Range", "bytes=100-199").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.headers()["content-range"], format!("bytes 100-199/{}", 44 + 16000));
    let part = r.bytes().await.unwrap();
    assert_eq!(&part[..], &wav(2.0)[100..200]);
    let r = entrant.get(app.url(&format!("/api/v1/award-files/{file}"))).header("Range", "bytes=999999-").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(app.new_client().get(app.url(&format!("/api/v1/award-files/{file}"))).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    for id in &ids[..3] {
        let r = entrant.post(app.url(&format!("/api/v1/award-entries/{id}/submit"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    // The per-author quota (2) is not reached by Trần Thị Mai's second entry…
    let r = entrant.post(app.url(&format!("/api/v1/award-entries/{}/submit", ids[3]))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // …but a third one is refused, naming her.
    let r = post(entry("Thêm nữa", "Trần  Thị MAI", ward_c, "2026-06-01")).await.unwrap();
    let extra = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    upload(&app, &entrant, extra, "a.wav", wav(0.5)).await;
    let r = entrant.post(app.url(&format!("/api/v1/award-entries/{extra}/submit"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(field(&body, "authors").starts_with("err.award_quota:Trần Thị MAI"), "{body}: the name as stored (single spaces)");

    // Eligibility, then the call closes.
    let r = app.post_json(&format!("/api/v1/award-entries/{}/eligibility", ids[3]), &json!({ "eligible": false, "reason": "" })).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post_json(&format!("/api/v1/award-entries/{}/eligibility", ids[3]), &json!({ "eligible": false, "reason": "Trùng tác phẩm đã đạt giải năm trước" })).await;
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "ineligible");
    assert_eq!(app.post_json(&format!("/api/v1/award-competitions/{cid}/close-call"), &json!({})).await.status(), StatusCode::OK);
    let r = entrant.post(app.url(&format!("/api/v1/award-entries/{extra}/submit"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "late submissions are refused");

    // Judges: one from ward A (conflicted with entry 0), three others.
    let (j_a, j_a_id) = judge_client(&app, "gk.a@test.vn", Some(ward_a)).await;
    let (j_b, j_b_id) = judge_client(&app, "gk.b@test.vn", Some(ward_b)).await;
    let (j_x, j_x_id) = judge_client(&app, "gk.x@test.vn", None).await;
    let (j_y, j_y_id) = judge_client(&app, "gk.y@test.vn", None).await;
    let judges = vec![j_a_id, j_b_id, j_x_id, j_y_id];
    // Before any panel exists, automatic assignment says what is missing (not "0 short").
    let r = app.post_json(&format!("/api/v1/award-competitions/{cid}/assignments/auto"), &json!({ "stage": "preliminary" })).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("chưa có tiểu ban chấm"));
    for stage in ["preliminary", "final"] {
        let r = app.client.put(app.url(&format!("/api/v1/award-competitions/{cid}/panels/{stage}/radio"))).json(&json!({ "judges": judges })).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = app.post_json(&format!("/api/v1/award-competitions/{cid}/assignments/auto"), &json!({ "stage": "preliminary" })).await;
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["created"], 6, "3 eligible entries × 2 judges: {report}");
    // Never a judge on an entry of their own unit.
    let conflicted: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE judge_id = $1 AND entry_id = $2")
        .bind(j_a_id)
        .bind(ids[0])
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(conflicted, 0);
    let r = app.post_json(&format!("/api/v1/award-competitions/{cid}/assignments"), &json!({ "entry_id": ids[0], "stage": "preliminary", "judge_id": j_a_id })).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "conflict");

    // Blind mode: a judge sees no author, unit or file name.
    let clients = [(&j_a, j_a_id), (&j_b, j_b_id), (&j_x, j_x_id), (&j_y, j_y_id)];
    let mine = |c: &reqwest::Client| c.get(app.url("/api/v1/award-assignments")).send();
    let list: Value = mine(&j_x).await.unwrap().json().await.unwrap();
    let first = &list[0];
    assert!(first["entry"]["authors"].is_null() && first["entry"]["unit_name"].is_null());
    assert!(first["entry"]["outlet"].is_null(), "the outlet names the unit: hidden too");
    assert!(first["entry"]["files"][0]["original_name"].as_str().unwrap().starts_with("Tệp 1"));
    assert!(!list.to_string().contains("Trần Thị Mai"));

    // Out-of-range and unassigned scores are refused; nothing is stored.
    let aid = first["id"].as_i64().unwrap();
    let score = |c: &reqwest::Client, id: i64, body: Value| c.put(app.url(&format!("/api/v1/award-assignments/{id}/score"))).json(&body).send();
    let r = score(&j_x, aid, json!({ "criteria": { "c1": 4100, "c2": 2000, "c3": 2000 }, "submit": true })).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r.json().await.unwrap(), "criteria.c1"), "err.award_score_range:0–40");
    let not_mine: i64 = sqlx::query_scalar("SELECT id FROM award_assignments WHERE judge_id <> $1 ORDER BY id LIMIT 1").bind(j_x_id).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(score(&j_x, not_mine, json!({ "criteria": { "c1": 100 }, "submit": false })).await.unwrap().status(), StatusCode::FORBIDDEN);
    let scored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE total IS NOT NULL").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(scored, 0);

    // A recusal with its reason, then the gap is filled.
    let r = j_x.post(app.url(&format!("/api/v1/award-assignments/{aid}/recuse"))).json(&json!({ "reason": "" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = j_x.post(app.url(&format!("/api/v1/award-assignments/{aid}/recuse"))).json(&json!({ "reason": "Tác giả là người thân" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let report: Value = app.post_json(&format!("/api/v1/award-competitions/{cid}/assignments/auto"), &json!({ "stage": "preliminary" })).await.json().await.unwrap();
    assert_eq!(report["created"], 1);

    // Everyone scores; a draft first. Entry quality: ids[0] best, ids[1] and ids[2] tie.
    let points = |entry: i64| {
        if entry == ids[0] { (3800, 2800, 2800) } else { (3000, 2500, 2500) }
    };
    for (c, _) in clients {
        let list: Value = mine(c).await.unwrap().json().await.unwrap();
        for a in list.as_array().unwrap().iter().filter(|a| a["status"] != "recused") {
            let (x, y, z) = points(a["entry"]["id"].as_i64().unwrap());
            let id = a["id"].as_i64().unwrap();
            assert_eq!(score(c, id, json!({ "criteria": { "c1": x }, "submit": false })).await.unwrap().status(), StatusCode::OK);
            let r = score(c, id, json!({ "criteria": { "c1": x, "c2": y, "c3": z }, "submit": true })).await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
    }
    // Organizers see progress, not scores, until the panel closes.
    let panels: Value = app.json(&format!("/api/v1/award-competitions/{cid}/panels")).await.1;
    let judged: i64 = panels[1]["judges"].as_array().unwrap().iter().map(|j| j["scored"].as_i64().unwrap()).sum::<i64>()
        + panels[0]["judges"].as_array().unwrap().iter().map(|j| j["scored"].as_i64().unwrap()).sum::<i64>();
    assert_eq!(judged, 6);
    let (_, results) = app.json(&format!("/api/v1/award-competitions/{cid}/results/preliminary")).await;
    assert_eq!(results["complete"], false);
    assert!(results["pools"][0]["rows"].as_array().unwrap().iter().all(|r| r["final_score"].is_null()));
    let prelim_panel = panels.as_array().unwrap().iter().find(|p| p["stage"] == "preliminary").unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.post_json(&format!("/api/v1/award-panels/{prelim_panel}/close"), &json!({})).await.status(), StatusCode::NO_CONTENT);
    let (_, results) = app.json(&format!("/api/v1/award-competitions/{cid}/results/preliminary")).await;
    let rows = results["pools"][0]["rows"].as_array().unwrap();
    assert_eq!(rows[0]["entry_id"], ids[0]);
    assert_eq!(rows[0]["final_score"], 94.0);
    assert_eq!((rows[1]["rank"].as_i64(), rows[1]["tied"].as_bool(), rows[2]["rank"].as_i64()), (Some(2), Some(true), Some(2)), "ties are shown");
    // A closed panel takes no more scores.
    let y_first: i64 = sqlx::query_scalar("SELECT id FROM award_assignments WHERE judge_id = $1 ORDER BY id LIMIT 1").bind(j_y_id).fetch_one(&app.state.db.pool).await.unwrap();
    let r = score(&j_y, y_first, json!({ "criteria": { "c1": 100 }, "submit": true })).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(r.json::<Value>().await.unwrap()["message"], app::i18n::t(app::i18n::Lang::Vi, "err.award_panel_closed"));

    // Final: all three go through (top 3), are judged, and the council decides.
    assert_eq!(app.post_json(&format!("/api/v1/award-competitions/{cid}/shortlist"), &json!({})).await.status(), StatusCode::OK);
    app.post_json(&format!("/api/v1/award-competitions/{cid}/assignments/auto"), &json!({ "stage": "final" })).await;
    for (c, _) in clients {
        let list: Value = mine(c).await.unwrap().json().await.unwrap();
        for a in list.as_array().unwrap().iter().filter(|a| a["stage"] == "final") {
            let (x, y, z) = points(a["entry"]["id"].as_i64().unwrap());
            score(c, a["id"].as_i64().unwrap(), json!({ "criteria": { "c1": x, "c2": y, "c3": z }, "submit": true })).await.unwrap();
        }
    }
    let panels: Value = app.json(&format!("/api/v1/award-competitions/{cid}/panels")).await.1;
    let final_panel = panels.as_array().unwrap().iter().find(|p| p["stage"] == "final").unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.post_json(&format!("/api/v1/award-panels/{final_panel}/close"), &json!({})).await.status(), StatusCode::NO_CONTENT);
    let (_, alloc) = app.json(&format!("/api/v1/award-competitions/{cid}/allocation")).await;
    let pool = &alloc["pools"][0];
    // The tie for 2nd straddles the B/C cut-off: both get B, C is empty, B is flagged.
    let decided: Vec<&str> = pool["rows"].as_array().unwrap().iter().map(|r| r["decided"].as_str().unwrap_or("")).collect();
    assert_eq!(decided, vec!["Giải A", "Giải B", "Giải B"]);
    assert_eq!(pool["ties_at_cutoff"], json!(["Giải B"]));
    // The tie is laid out for the council, and publication waits for its decision.
    assert_eq!(pool["tie"]["entry_ids"], json!([ids[1], ids[2]]));
    assert_eq!((pool["tie"]["resolved"].as_bool(), pool["tie"]["accepted"].is_null()), (Some(false), true));
    let counts = |v: &Value| v.as_array().unwrap().iter().map(|t| t["count"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!((counts(&pool["tie"]["planned"]), counts(&pool["tie"]["resulting"])), (vec![1, 1, 1], vec![1, 2, 0]));
    let r = app.post_json(&format!("/api/v1/award-competitions/{cid}/publish"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(r.json::<Value>().await.unwrap()["message"], app::i18n::t(app::i18n::Lang::Vi, "err.award_tie_open"));
    // The council: a move without a reason is refused; with one it is recorded.
    let r = app.post_json(&format!("/api/v1/award-competitions/{cid}/decisions"), &json!({ "kind": "move", "entry_id": ids[2], "tier": "Giải C", "reason": "" })).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post_json(&format!("/api/v1/award-competitions/{cid}/decisions"), &json!({ "kind": "move", "entry_id": ids[2], "tier": "Giải D", "reason": "Không có" })).await;
    assert_eq!(field(&r.json().await.unwrap(), "tier"), "err.award_tier");
    let r = app
        .post_json(
            &format!("/api/v1/award-competitions/{cid}/decisions"),
            &json!({ "kind": "move", "entry_id": ids[2], "tier": "Giải C", "reason": "Hội đồng biểu quyết tách đồng hạng" }),
        )
        .await;
    let alloc: Value = r.json().await.unwrap();
    let row = alloc["pools"][0]["rows"].as_array().unwrap().iter().find(|r| r["entry_id"] == ids[2]).unwrap().clone();
    assert_eq!((row["proposed"].as_str(), row["decided"].as_str(), row["reason"].as_str()), (Some("Giải B"), Some("Giải C"), Some("Hội đồng biểu quyết tách đồng hạng")));
    // Placing one tied entry lower settles the tie: the counts hold again.
    assert_eq!(alloc["pools"][0]["tie"]["resolved"], true);

    // Minutes, publication, results, certificates, CSV.
    let r = app.get(&format!("/api/v1/award-competitions/{cid}/minutes.pdf")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let minutes = crate::pdf_check::ReadPdf::new("minutes", &r.bytes().await.unwrap());
    minutes.assert_unbroken(&["BIÊN BẢN", "Một cửa điện tử", "Giải A", "Giải B", "Giải C"]);
    minutes.assert_whole(&["Lý do: Hội đồng biểu quyết tách đồng hạng"]);
    assert_eq!(app.new_client().get(app.url(&format!("/api/v1/award-competitions/{cid}/published"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.post_json(&format!("/api/v1/award-competitions/{cid}/publish"), &json!({})).await.status(), StatusCode::OK);
    let public: Value = app.new_client().get(app.url(&format!("/api/v1/award-competitions/{cid}/published"))).send().await.unwrap().json().await.unwrap();
    let prizes: Vec<&str> = public["winners"].as_array().unwrap().iter().map(|w| w["prize"].as_str().unwrap()).collect();
    assert_eq!(prizes, vec!["Giải A", "Giải B", "Giải C"]);
    assert_eq!(public["winners"][0]["authors"][0]["full_name"], "Trần Thị Mai");
    let r = app.new_client().get(app.url(&format!("/api/v1/award-entries/{}/certificate.pdf", ids[0]))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let certificate = crate::pdf_check::ReadPdf::new("certificate", &r.bytes().await.unwrap());
    certificate.assert_unbroken(&["GIẤY CHỨNG NHẬN", "Trần Thị Mai", "Đạt Giải A"]);
    let csv = app.get(&format!("/api/v1/award-competitions/{cid}/judging.csv?headers=codes")).await.text().await.unwrap();
    assert!(csv.trim_start_matches('\u{feff}').starts_with("entry_id,code,title,genre,pool,stage,judge_count,mean_score,final_score,rank,prize"));
    assert!(csv.contains(&format!("{},TP-{:04},Một cửa điện tử,radio,all,final,2,94.00,94.00,1,Giải A", ids[0], ids[0])), "{csv}");
    // For people (the default): Vietnamese headers, labels and decimal commas.
    let csv = app.get(&format!("/api/v1/award-competitions/{cid}/judging.csv")).await.text().await.unwrap();
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("Mã số tác phẩm,Số phách,Tên tác phẩm,Thể loại,Nhóm xét giải,Vòng chấm,Số giám khảo,Điểm trung bình,Điểm cuối cùng,Thứ hạng,Giải"),
        "{csv}"
    );
    assert!(csv.contains(&format!("{},TP-{:04},Một cửa điện tử,Phát thanh,Tất cả thể loại,Chung khảo,2,\"94,00\",\"94,00\",1,Giải A", ids[0], ids[0])), "{csv}");
}

async fn interrupted_uploads_leave_nothing(app: TestApp) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let now = app::vn_time::now_secs();
    let mut c = competition(now + 3600);
    c["max_file_mb"] = json!(50);
    let cid = app.post_json("/api/v1/award-competitions", &c).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let unit = app.unit_id("Phường Hải An").await;
    let e: Value = app.post_json(&format!("/api/v1/award-competitions/{cid}/entries"), &entry("Phóng sự", "Lê Văn Tâm", unit, "2026-03-01")).await.json().await.unwrap();
    let eid = e["id"].as_i64().unwrap();
    let dir = std::path::PathBuf::from(&app.files_dir).join("awards/entries").join(eid.to_string());
    // A body that stops after 6 MB of a declared 20 MB: the connection drops mid-upload.
    let head = wav(1.0);
    let stream = futures_util::stream::iter((0..7).map(move |i| {
        if i < 6 {
            Ok::<Vec<u8>, std::io::Error>(if i == 0 {
                let mut v = head.clone();
                v.resize(1 << 20, 0);
                v
            } else {
                vec![0u8; 1 << 20]
            })
        } else {
            Err(std::io::Error::other("cable pulled"))
        }
    }));
    let boundary = "XBOUNDARYX";
    let prefix = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n").into_bytes();
    let body = futures_util::StreamExt::chain(futures_util::stream::iter(vec![Ok(prefix)]), stream);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/award-entries/{eid}/files")))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await;
    assert!(r.is_err() || !r.unwrap().status().is_success());
    // The server notices the broken body and aborts; give it a moment.
    let mut left = usize::MAX;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        if left == 0 {
            break;
        }
    }
    assert_eq!(left, 0, "no partial file in {}", dir.display());
    assert_eq!(app.count("award_files").await, 0);
    // And a complete upload still works afterwards.
    let r = upload(&app, &app.client, eid, "b.wav", wav(1.0)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

on_both_backends!(a_whole_edition, interrupted_uploads_leave_nothing);
