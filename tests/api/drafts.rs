//! Drafts: a round or contest an organizer prepares is hidden from participants until it is
//! announced, can go back to draft while nobody has started it, and a draft nobody has taken
//! can be deleted. Every refusal is a 409 that changes nothing.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::rounds::{call, participant, round_settings, setup};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(a_draft_round_is_hidden_until_announced_and_locked_once_taken, a_draft_contest_hides_its_rounds_and_deletes_with_them,);

async fn listed(app: &TestApp, client: &reqwest::Client, round: i64) -> bool {
    let (status, list) = call(app, client, "GET", "/api/v1/rounds", None).await;
    assert_eq!(status, StatusCode::OK);
    list.as_array().unwrap().iter().any(|r| r["id"] == round)
}

async fn delete(app: &TestApp, path: &str) -> StatusCode {
    app.client.delete(app.url(path)).send().await.unwrap().status()
}

async fn a_draft_round_is_hidden_until_announced_and_locked_once_taken(app: TestApp) {
    let (contest, public_round) = setup(&app, round_settings(json!({}))).await;
    let r = app.post_json(&format!("/api/v1/contests/{contest}/rounds"), &round_settings(json!({ "title": "Đợt 2 (nháp)", "draft": true }))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let draft: Value = r.json().await.unwrap();
    let round = draft["id"].as_i64().unwrap();
    assert_eq!(draft["draft"], true);
    let (person, _) = participant(&app, 1).await;

    // Hidden: not listed, no entry page, cannot be started; the organizer sees it marked.
    assert!(listed(&app, &person, public_round).await);
    assert!(!listed(&app, &person, round).await);
    assert!(listed(&app, &app.client, round).await);
    assert_eq!(call(&app, &person, "GET", &format!("/api/v1/rounds/{round}/entry"), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, &person, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await.0, StatusCode::NOT_FOUND);
    // Participants cannot announce it.
    assert_eq!(call(&app, &person, "POST", &format!("/api/v1/rounds/{round}/announce"), None).await.0, StatusCode::FORBIDDEN);

    // Announced: listed and open.
    let (status, announced) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/announce"), None).await;
    assert_eq!(status, StatusCode::OK, "{announced}");
    assert_eq!(announced["draft"], false);
    assert!(listed(&app, &person, round).await);
    // Not a draft any more: deleting is refused until it goes back to draft.
    assert_eq!(delete(&app, &format!("/api/v1/rounds/{round}")).await, StatusCode::CONFLICT);
    let (status, back) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/draft"), None).await;
    assert_eq!((status, back["draft"].clone()), (StatusCode::OK, json!(true)));
    call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/announce"), None).await;

    // Once someone has started it, it can neither go back to draft nor be deleted.
    let (status, attempt) = call(&app, &person, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    assert_eq!(status, StatusCode::OK, "{attempt}");
    let (status, body) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/draft"), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"].as_str().unwrap_or_default().contains("vào thi"), "{body}");
    assert!(listed(&app, &person, round).await, "a refused change changes nothing");

    // A closed draft cannot be announced; a draft nobody took is deleted, and is gone.
    let r = app.post_json(&format!("/api/v1/contests/{contest}/rounds"), &round_settings(json!({ "title": "Đợt cũ", "draft": true, "opens_at": crate::rounds::now() - 7200, "closes_at": crate::rounds::now() - 3600 }))).await;
    let old = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(call(&app, &app.client, "POST", &format!("/api/v1/rounds/{old}/announce"), None).await.0, StatusCode::CONFLICT);
    assert_eq!(delete(&app, &format!("/api/v1/rounds/{old}")).await, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &app.client, "GET", &format!("/api/v1/rounds/{old}"), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(delete(&app, &format!("/api/v1/rounds/{old}")).await, StatusCode::NOT_FOUND);
}

async fn a_draft_contest_hides_its_rounds_and_deletes_with_them(app: TestApp) {
    let (_, public_round) = setup(&app, round_settings(json!({}))).await;
    let r = app.post_json("/api/v1/contests", &json!({ "title": "Hội thi năm sau", "year": 2027, "draft": true })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let contest: Value = r.json().await.unwrap();
    assert_eq!(contest["draft"], true);
    let contest = contest["id"].as_i64().unwrap();
    // The round itself is public, but its contest is a draft: participants do not see it.
    let r = app.post_json(&format!("/api/v1/contests/{contest}/rounds"), &round_settings(json!({ "title": "Đợt 1 năm sau" }))).await;
    let round: Value = r.json().await.unwrap();
    assert_eq!((round["draft"].clone(), round["contest_draft"].clone()), (json!(false), json!(true)), "{round}");
    let round = round["id"].as_i64().unwrap();
    let (person, _) = participant(&app, 2).await;
    assert!(!listed(&app, &person, round).await);
    assert_eq!(call(&app, &person, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await.0, StatusCode::NOT_FOUND);

    let (status, _) = call(&app, &app.client, "POST", &format!("/api/v1/contests/{contest}/announce"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(listed(&app, &person, round).await);
    let (status, _) = call(&app, &app.client, "POST", &format!("/api/v1/contests/{contest}/draft"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!listed(&app, &person, round).await);

    // Deleting the draft contest deletes its round; the other contest's round is untouched.
    assert_eq!(delete(&app, &format!("/api/v1/contests/{contest}")).await, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &app.client, "GET", &format!("/api/v1/contests/{contest}"), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, &app.client, "GET", &format!("/api/v1/rounds/{round}"), None).await.0, StatusCode::NOT_FOUND);
    assert!(listed(&app, &person, public_round).await);
    // The audit log keeps who did what.
    for action in ["contest.announce", "contest.back_to_draft", "contest.delete_draft"] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_id = $2 AND actor_id IS NOT NULL")
            .bind(action)
            .bind(contest)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(n, 1, "{action}");
    }
}
