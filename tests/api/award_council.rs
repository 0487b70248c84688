//! The council and a tie at a prize cut-off, through the JSON API on both backends: the tie is
//! reported with its entries and counts, stops publication, and is accepted (with a reason, in
//! the audit trail) or resolved by the council. Also the shared set-up of these award tests.

use crate::awards::{competition, entry, judge_client};
use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(crate) fn message(key: &str) -> String {
    app::i18n::t(app::i18n::Lang::Vi, key)
}

pub(crate) async fn audit_actions(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

pub(crate) async fn statuses(app: &TestApp, cid: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT status FROM award_entries WHERE competition_id = $1 ORDER BY id")
        .bind(cid)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

/// An edition (plan: 1 Giải A, 1 Giải B) with three submitted entries and a draft, by an
/// entrant; returns the edition, the submitted entries' ids and the entrant.
pub(crate) async fn an_open_call(app: &TestApp) -> (i64, Vec<i64>, reqwest::Client) {
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
    let (entrant, _) = app.client_as("tram@test.vn", &[]).await;
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

on_both_backends!(
    a_tie_at_a_cut_off_is_accepted_explicitly,
    a_tie_is_resolved_by_changing_the_counts
);
