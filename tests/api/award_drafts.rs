//! A call for entries and its drafts through the API on both backends: closing early and
//! reopening before the deadline, and an entrant deleting a file of a draft (through the API
//! and through the plain form, which saves what was typed along with it).

use crate::award_council::{an_open_call, audit_actions, message, statuses};
use crate::awards::{judge_client, stored_files, upload, wav};
use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

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
    let (stranger, _) = app.client_as("khac@test.vn", &[]).await;
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
    let r = post_with_file(&app, &entrant, &page, fields("Tiêu đề vừa sửa")).await;
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
    let mut refused = fields("Tiêu đề lần ba");
    refused.iter_mut().filter(|(k, _)| k == "form[published_on]").for_each(|(_, v)| *v = "2025-01-01".into());
    let r = post_with_file(&app, &entrant, &page, refused).await;
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

/// The entry page's plain (no-JavaScript) file button: the typed fields and a small WAV, posted
/// together as the browser would.
async fn post_with_file(app: &TestApp, entrant: &reqwest::Client, page: &str, fields: Vec<(String, String)>) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k, v);
    }
    form = form.part("file", reqwest::multipart::Part::bytes(wav(0.5)).file_name("tệp.wav"));
    entrant.post(app.url(&format!("{page}/tep"))).header("origin", app.url("")).header("referer", app.url(page)).multipart(form).send().await.unwrap()
}

on_both_backends!(
    closing_early_can_be_undone_before_judging,
    an_entrant_deletes_a_file_of_a_draft,
    the_plain_entry_form_saves_what_was_typed_with_the_file,
);
