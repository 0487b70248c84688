//! The award's organizer safeguards through the JSON API, on both backends: closing a call early
//! and reopening it, a tie at a prize cut-off that the council must resolve or accept before
//! publication, and an entrant deleting a file of a draft (through the API and the plain form).

use crate::awards::{competition, entry, judge_client, stored_files, upload, wav};
use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn message(key: &str) -> String {
    app::i18n::t(app::i18n::Lang::Vi, key)
}

async fn audit_actions(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn statuses(app: &TestApp, cid: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT status FROM award_entries WHERE competition_id = $1 ORDER BY id")
        .bind(cid)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

/// An edition (plan: 1 Giải A, 1 Giải B) with three submitted entries and a draft, by an
/// entrant; returns the edition, the submitted entries' ids and the entrant.
async fn an_open_call(app: &TestApp) -> (i64, Vec<i64>, reqwest::Client) {
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await;
    app.sign_in_organizer().await;
    let mut c = competition(app::vn_time::now_secs() + 3600);
    c["required_fields"] = json!([]);
    c["judges_per_entry"] = json!(1);
    c["prize_plan"] = json!([{ "name": "Giải A", "count": 1 }, { "name": "Giải B", "count": 1 }]);
    c["max_entries_per_author"] = json!(5);
    let cid = app
        .post_json("/api/v1/award-competitions", &c)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let entrant = app.new_client();
    app::accounts::service::create_staff_account(
        &app.state,
        "Trạm Truyền Thanh",
        "tram@test.vn",
        "mật khẩu kiểm thử".into(),
        &[],
    )
    .await
    .unwrap();
    entrant
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "identifier": "tram@test.vn", "password": "mật khẩu kiểm thử" }))
        .send()
        .await
        .unwrap();
    let mut ids = vec![];
    for (i, title) in [
        "Một cửa điện tử",
        "Dịch vụ công",
        "Chính quyền số",
        "Bản nháp chưa nộp",
    ]
    .into_iter()
    .enumerate()
    {
        let r = entrant
            .post(app.url(&format!("/api/v1/award-competitions/{cid}/entries")))
            .json(&entry(
                title,
                "Trần Thị Mai",
                unit,
                &format!("2026-0{}-15", i + 1),
            ))
            .send()
            .await
            .unwrap();
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        if i < 3 {
            assert_eq!(
                entrant
                    .post(app.url(&format!("/api/v1/award-entries/{id}/submit")))
                    .send()
                    .await
                    .unwrap()
                    .status(),
                StatusCode::OK
            );
            ids.push(id);
        }
    }
    (cid, ids, entrant)
}

async fn closing_early_can_be_undone_before_judging(app: TestApp) {
    let app = &app;
    let (cid, ids, entrant) = an_open_call(&app).await;
    let close = |path: &'static str| async move {
        app.client
            .post(app.url(&format!("/api/v1/award-competitions/{cid}/{path}")))
            .json(&json!({}))
            .send()
            .await
            .unwrap()
    };
    // Reopening a call that is open is refused.
    assert_eq!(close("reopen-call").await.status(), StatusCode::CONFLICT);
    assert_eq!(close("close-call").await.status(), StatusCode::OK);
    assert_eq!(
        statuses(&app, cid).await,
        vec!["eligible", "eligible", "eligible", "draft"]
    );
    // Only an organizer may reopen.
    let r = entrant
        .post(app.url(&format!("/api/v1/award-competitions/{cid}/reopen-call")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = close("reopen-call").await;
    assert_eq!(r.status(), StatusCode::OK);
    let c: Value = r.json().await.unwrap();
    assert_eq!(
        (c["phase"].as_str(), c["call_closed_at"].is_null()),
        (Some("entries"), true)
    );
    assert_eq!(
        statuses(&app, cid).await,
        vec!["submitted", "submitted", "submitted", "draft"],
        "admitted entries are submitted again, the draft stays"
    );
    assert_eq!(audit_actions(&app, "award.reopen_call").await, 1);
    // The draft can be submitted again now.
    let draft: i64 = sqlx::query_scalar(
        "SELECT id FROM award_entries WHERE competition_id = $1 AND status = 'draft'",
    )
    .bind(cid)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(
        entrant
            .post(app.url(&format!("/api/v1/award-entries/{draft}/submit")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Closed again and judges assigned: no more reopening.
    assert_eq!(close("close-call").await.status(), StatusCode::OK);
    let (_, judge) = judge_client(&app, "gk@test.vn", None).await;
    app.client
        .put(app.url(&format!(
            "/api/v1/award-competitions/{cid}/panels/preliminary/radio"
        )))
        .json(&json!({ "judges": [judge] }))
        .send()
        .await
        .unwrap();
    let r = app
        .post_json(
            &format!("/api/v1/award-competitions/{cid}/assignments/auto"),
            &json!({ "stage": "preliminary" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = close("reopen-call").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        message("err.award_reopen_judging")
    );
    assert_eq!(
        statuses(&app, cid)
            .await
            .iter()
            .filter(|s| *s == "eligible")
            .count(),
        ids.len() + 1
    );
}

/// Takes the edition through both stages with one judge: entry 0 scores 94, entries 1 and 2
/// tie at 80, so with 1 A and 1 B both tied entries get B (2 B instead of 1).
async fn to_the_council_with_a_tie(app: &TestApp, cid: i64, ids: &[i64]) {
    assert_eq!(
        app.post_json(
            &format!("/api/v1/award-competitions/{cid}/close-call"),
            &json!({})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let (judge, judge_id) = judge_client(app, "gk@test.vn", None).await;
    for stage in ["preliminary", "final"] {
        app.client
            .put(app.url(&format!(
                "/api/v1/award-competitions/{cid}/panels/{stage}/radio"
            )))
            .json(&json!({ "judges": [judge_id] }))
            .send()
            .await
            .unwrap();
        app.post_json(
            &format!("/api/v1/award-competitions/{cid}/assignments/auto"),
            &json!({ "stage": stage }),
        )
        .await;
        let list: Value = judge
            .get(app.url("/api/v1/award-assignments"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for a in list
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["stage"] == stage)
        {
            let (x, y, z) = if a["entry"]["id"] == ids[0] {
                (3800, 2800, 2800)
            } else {
                (3000, 2500, 2500)
            };
            let r = judge
                .put(app.url(&format!("/api/v1/award-assignments/{}/score", a["id"])))
                .json(&json!({ "criteria": { "c1": x, "c2": y, "c3": z }, "submit": true }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
        let panels: Value = app
            .json(&format!("/api/v1/award-competitions/{cid}/panels"))
            .await
            .1;
        let panel = panels
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["stage"] == stage)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            app.post_json(&format!("/api/v1/award-panels/{panel}/close"), &json!({}))
                .await
                .status(),
            StatusCode::NO_CONTENT
        );
        if stage == "preliminary" {
            assert_eq!(
                app.post_json(
                    &format!("/api/v1/award-competitions/{cid}/shortlist"),
                    &json!({})
                )
                .await
                .status(),
                StatusCode::OK
            );
        }
    }
}

async fn a_tie_at_a_cut_off_is_accepted_explicitly(app: TestApp) {
    let app = &app;
    let (cid, ids, _) = an_open_call(&app).await;
    to_the_council_with_a_tie(&app, cid, &ids).await;
    let (_, alloc) = app
        .json(&format!("/api/v1/award-competitions/{cid}/allocation"))
        .await;
    let tie = &alloc["pools"][0]["tie"];
    assert_eq!(tie["tiers"], json!(["Giải B"]));
    assert_eq!(tie["entry_ids"], json!([ids[1], ids[2]]));
    assert_eq!(
        (
            tie["planned"][1]["count"].as_i64(),
            tie["resulting"][1]["count"].as_i64()
        ),
        (Some(1), Some(2))
    );
    let publish = || async move {
        app.client
            .post(app.url(&format!("/api/v1/award-competitions/{cid}/publish")))
            .json(&json!({}))
            .send()
            .await
            .unwrap()
    };
    let r = publish().await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "an open tie stops publication"
    );
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        message("err.award_tie_open")
    );
    let decide = |body: Value| async move {
        app.client
            .post(app.url(&format!("/api/v1/award-competitions/{cid}/decisions")))
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    // Acceptance needs a reason and a pool that exists.
    assert_eq!(
        decide(json!({ "kind": "accept_tie", "pool": "all", "reason": "" }))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        decide(json!({ "kind": "accept_tie", "pool": "khác", "reason": "Đồng ý" }))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let reason = "Hai tác phẩm ngang nhau, Hội đồng thống nhất cùng trao giải B";
    let r = decide(json!({ "kind": "accept_tie", "pool": "all", "reason": reason })).await;
    assert_eq!(r.status(), StatusCode::OK);
    let alloc: Value = r.json().await.unwrap();
    assert_eq!(alloc["pools"][0]["tie"]["accepted"], reason);
    assert_eq!(
        alloc["decisions"].as_array().unwrap().last().unwrap()["kind"],
        "accept_tie"
    );
    assert_eq!(
        audit_actions(&app, "award.decision").await,
        1,
        "the acceptance is in the audit trail"
    );
    // Nothing left to accept.
    let r = decide(json!({ "kind": "accept_tie", "pool": "all", "reason": reason })).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        message("err.award_no_open_tie")
    );
    // A later change in the pool asks the council again: with 1 A, 1 B, 1 C the tie still
    // straddles B, and the acceptance was for the earlier counts.
    let counts = json!([{ "name": "Giải A", "count": 1 }, { "name": "Giải B", "count": 1 }, { "name": "Giải C", "count": 1 }]);
    let alloc: Value = decide(json!({ "kind": "tier_counts", "pool": "all", "counts": counts, "reason": "Thêm một giải C" })).await.json().await.unwrap();
    assert!(alloc["pools"][0]["tie"]["accepted"].is_null());
    assert_eq!(publish().await.status(), StatusCode::CONFLICT);
    decide(json!({ "kind": "accept_tie", "pool": "all", "reason": reason })).await;
    assert_eq!(publish().await.status(), StatusCode::OK);
    let public: Value = app
        .new_client()
        .get(app.url(&format!("/api/v1/award-competitions/{cid}/published")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let prizes: Vec<&str> = public["winners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["prize"].as_str().unwrap())
        .collect();
    assert_eq!(
        prizes,
        vec!["Giải A", "Giải B", "Giải B"],
        "the accepted result is what is published"
    );
    // The minutes say what the council accepted.
    let minutes = app
        .get(&format!("/api/v1/award-competitions/{cid}/minutes.pdf"))
        .await;
    assert_eq!(minutes.status(), StatusCode::OK);
}

async fn a_tie_is_resolved_by_changing_the_counts(app: TestApp) {
    let (cid, ids, _) = an_open_call(&app).await;
    to_the_council_with_a_tie(&app, cid, &ids).await;
    // The council gives two B, as the tie does: no tie at a cut-off any more.
    let counts = json!([{ "name": "Giải A", "count": 1 }, { "name": "Giải B", "count": 2 }]);
    let r = app.post_json(&format!("/api/v1/award-competitions/{cid}/decisions"), &json!({ "kind": "tier_counts", "pool": "all", "counts": counts, "reason": "Trao hai giải B" })).await;
    let alloc: Value = r.json().await.unwrap();
    assert!(alloc["pools"][0]["tie"].is_null(), "{alloc}");
    assert_eq!(
        app.post_json(
            &format!("/api/v1/award-competitions/{cid}/publish"),
            &json!({})
        )
        .await
        .status(),
        StatusCode::OK
    );
}

async fn an_entrant_deletes_a_file_of_a_draft(app: TestApp) {
    let (cid, ids, entrant) = an_open_call(&app).await;
    let draft: i64 = sqlx::query_scalar(
        "SELECT id FROM award_entries WHERE competition_id = $1 AND status = 'draft'",
    )
    .bind(cid)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    let before = stored_files(&app);
    let file = upload(&app, &entrant, draft, "phóng sự.wav", wav(1.0))
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(stored_files(&app), before + 1);
    // Someone else cannot; the owner can, and the stored object goes too.
    let stranger = app.new_client();
    app::accounts::service::create_staff_account(
        &app.state,
        "Người Khác",
        "khac@test.vn",
        "mật khẩu kiểm thử".into(),
        &[],
    )
    .await
    .unwrap();
    stranger
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "identifier": "khac@test.vn", "password": "mật khẩu kiểm thử" }))
        .send()
        .await
        .unwrap();
    let r = stranger
        .delete(app.url(&format!("/api/v1/award-files/{file}")))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
    let r = entrant
        .delete(app.url(&format!("/api/v1/award-files/{file}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        (app.count("award_files").await, stored_files(&app)),
        (0, before)
    );
    // A submitted entry's files stay.
    let submitted = upload(&app, &entrant, draft, "b.wav", wav(0.5))
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    entrant
        .post(app.url(&format!("/api/v1/award-entries/{draft}/submit")))
        .send()
        .await
        .unwrap();
    let r = entrant
        .delete(app.url(&format!("/api/v1/award-files/{submitted}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("award_files").await, 1);
    let _ = ids;
}

async fn the_plain_entry_form_saves_what_was_typed_with_the_file(app: TestApp) {
    let (cid, _, entrant) = an_open_call(&app).await;
    let draft: i64 = sqlx::query_scalar(
        "SELECT id FROM award_entries WHERE competition_id = $1 AND status = 'draft'",
    )
    .bind(cid)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    let page = format!("/tac-pham/{draft}");
    let fields = |title: &str| {
        let id = draft.to_string();
        vec![
            ("form[id]".to_string(), id),
            ("form[genre]".into(), "radio".into()),
            ("form[title]".into(), title.to_string()),
            ("form[authors]".into(), "Trần Thị Mai | 100".into()),
            ("form[outlet]".into(), "Đài phường".into()),
            ("form[published_on]".into(), "2026-04-15".into()),
            ("form[duration]".into(), "5:00".into()),
            ("form[script]".into(), "Kịch bản mới gõ".into()),
        ]
    };
    // The file button posts the typed fields first, then the file: both are kept.
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields("Tiêu đề vừa sửa") {
        form = form.text(k, v);
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(wav(0.5)).file_name("tệp.wav"),
    );
    let r = entrant
        .post(app.url(&format!("{page}/tep")))
        .header("origin", app.url(""))
        .header("referer", app.url(&page))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"].to_str().unwrap().contains("tep=ok"));
    let (title, script): (String, String) =
        sqlx::query_as("SELECT title, script FROM award_entries WHERE id = $1")
            .bind(draft)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), script.as_str()),
        ("Tiêu đề vừa sửa", "Kịch bản mới gõ")
    );
    let file: i64 = sqlx::query_scalar("SELECT id FROM award_files WHERE entry_id = $1")
        .bind(draft)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    // Its delete button posts the typed fields too, then the file goes.
    let pairs = fields("Tiêu đề lần hai");
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .form_post_as(
            &entrant,
            &format!("{page}/tep/{file}/xoa"),
            &page,
            &borrowed,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"].to_str().unwrap().contains("xoa=ok"));
    assert_eq!(app.count("award_files").await, 0);
    let title: String = sqlx::query_scalar("SELECT title FROM award_entries WHERE id = $1")
        .bind(draft)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(title, "Tiêu đề lần hai");
    // A refused field (a date outside the window) stores nothing and says why.
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields("Tiêu đề lần ba") {
        form = form.text(
            k.clone(),
            if k == "form[published_on]" {
                "2025-01-01".to_string()
            } else {
                v
            },
        );
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(wav(0.5)).file_name("tệp.wav"),
    );
    let r = entrant
        .post(app.url(&format!("{page}/tep")))
        .header("origin", app.url(""))
        .header("referer", app.url(&page))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .contains("loi=err.award_date_window"),
        "{:?}",
        r.headers()["location"]
    );
    assert_eq!(app.count("award_files").await, 0);
}

on_both_backends!(
    closing_early_can_be_undone_before_judging,
    a_tie_at_a_cut_off_is_accepted_explicitly,
    a_tie_is_resolved_by_changing_the_counts,
    an_entrant_deletes_a_file_of_a_draft,
    the_plain_entry_form_saves_what_was_typed_with_the_file,
);
