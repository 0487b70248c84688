//! The demo contest that `seed-demo` creates: simulated entries, frozen truth and participation,
//! published results and exports, and a second seeding that keeps what is there.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::rounds::call;
use reqwest::StatusCode;

on_both_backends!(the_demo_contest_has_simulated_entries_published_results_and_exports);

async fn the_demo_contest_has_simulated_entries_published_results_and_exports(app: TestApp) {
    use app::rounds::model::RoundPhase;
    app.seed_units().await;
    server::seed::seed_demo_accounts(&app.state).await.unwrap();
    server::seed::seed_demo_questions(&app.state).await.unwrap();
    let demo = server::seed_contest::seed_demo_contest(&app.state, 150).await.unwrap();
    assert!(demo.created);
    assert_eq!(demo.round_ids.len(), 4);
    let phases: Vec<RoundPhase> = futures_phases(&app, &demo.round_ids).await;
    assert_eq!(phases, vec![RoundPhase::Closed, RoundPhase::Closed, RoundPhase::Open, RoundPhase::Upcoming]);
    let closed = app::rounds::setup::get_round(&app.state, demo.round_ids[0]).await.unwrap();
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1").bind(closed.id).fetch_one(&app.state.db.pool).await.unwrap();
    assert!(entries > 50 && entries < 150, "most of the 150 took part: {entries}");
    assert_eq!(closed.prediction_truth, Some(entries), "the true value (entries) is frozen");
    assert!(closed.published_at.is_some());

    let csv = app::rounds::export::export_csv(&app.state, closed.id, app::cells::Headers::Codes).await.unwrap();
    assert_eq!(csv.lines().count() as i64, entries + 1, "a header and one line per simulated participant");
    let anonymous = app.new_client();
    let (status, public) = call(&app, &anonymous, "GET", &format!("/api/v1/rounds/{}/results", closed.id), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(public["winners"].as_array().unwrap().len(), 16, "1 + 2 + 3 + 10 prizes");
    // Realistic spread: several score levels, predictions that differ.
    let organizer = app::accounts::repo::current_user(&app.state.db, sqlx::query_scalar("SELECT id FROM users WHERE email = 'bantochuc@demo.haiphong.gov.vn'").fetch_one(&app.state.db.pool).await.unwrap()).await.unwrap().unwrap();
    let stats = app::rounds::results::statistics(&app.state, &organizer, closed.id).await.unwrap();
    assert!(stats.score_distribution.iter().filter(|n| **n > 0).count() >= 3, "{:?}", stats.score_distribution);
    let predictions: std::collections::BTreeSet<i64> = sqlx::query_scalar("SELECT prediction FROM attempts WHERE round_id = $1").bind(closed.id).fetch_all(&app.state.db.pool).await.unwrap().into_iter().collect();
    assert!(predictions.len() > 10, "{} distinct predictions", predictions.len());
    // Participation: frozen, with units at 100% and units below.
    let report = app::participation::service::report(&app.state, &organizer, closed.id).await.unwrap();
    assert!(report.frozen);
    let with_staff: Vec<_> = report.units.iter().filter(|u| u.own_eligible > 0 && u.source == app::participation::rates::Denominator::Roster).collect();
    assert!(with_staff.iter().any(|u| u.own_participated == u.own_eligible), "some units at 100%");
    assert!(with_staff.iter().any(|u| u.own_participated < u.own_eligible), "some units below");
    // What a participant sees of it: the open round first, a closed round's page pointing to
    // its results and saying which attempt counts, the results readable on a phone.
    let unit = app.unit_id("Phường Hải An").await;
    let r = app.post_json("/api/v1/auth/register?sign_in=true", &crate::helpers::registration(41, unit)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (open, closed_id) = (demo.round_ids[2], closed.id);
    let list = app.get("/thi").await.text().await.unwrap();
    let (at_open, at_closed) = (list.find(&format!("/thi/{open}\"")).expect("the open round is listed"), list.find(&format!("/ket-qua/{closed_id}\"")).expect("the published round is listed"));
    assert!(at_open < at_closed, "the open round comes before closed ones");
    let round_page = app.get(&format!("/thi/{closed_id}")).await.text().await.unwrap();
    assert!(round_page.contains(&format!("href=\"/ket-qua/{closed_id}\"")), "a closed round links to its published results");
    assert!(round_page.contains("Lượt thi được tính") && round_page.contains("Lượt có kết quả cao nhất"), "the round says which attempt counts");
    let results = app.get(&format!("/ket-qua/{closed_id}")).await.text().await.unwrap();
    assert!(results.contains("Đáp án câu hỏi dự đoán"), "the true prediction value is labelled");
    assert!(results.contains("data-label=\"Đơn vị\"") && results.contains("class=\"stack\""), "results stack into labelled cards on a phone");
    let welcome = app.get("/profile?welcome=1").await.text().await.unwrap();
    assert!(welcome.contains("id=\"welcome-rounds\"") && welcome.contains(&format!("/thi/{open}")), "after registering, the open round is one tap away");
    // Seeding again keeps what is there.
    let again = server::seed_contest::seed_demo_contest(&app.state, 150).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.round_ids, demo.round_ids);
}

async fn futures_phases(app: &TestApp, ids: &[i64]) -> Vec<app::rounds::model::RoundPhase> {
    let mut out = vec![];
    for id in ids {
        out.push(app::rounds::setup::get_round(&app.state, *id).await.unwrap().phase);
    }
    out
}
