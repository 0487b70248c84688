//! Contest rounds end to end through the API: setup, taking a round, the deadline, ranking with
//! the prediction tie-break, disqualification, publication, statistics and export.

use crate::helpers::{TestApp, registration};
use crate::on_both_backends;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

on_both_backends!(
    a_participant_takes_a_round_and_never_sees_a_key_before_submitting,
    bad_answers_are_refused_and_change_nothing,
    the_deadline_is_the_servers_and_it_submits_by_itself,
    ranking_prizes_disqualification_publication_statistics_and_export,
    round_setup_is_validated_and_for_organizers_only,
    concurrent_saves_from_two_tabs_are_all_kept,
);

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Demo questions, units, an organizer signed in on `app.client`, a contest and an open round.
pub(crate) async fn setup(app: &TestApp, round: Value) -> (i64, i64) {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let demo = include_bytes!("../../server/seed/demo-questions-cchc.csv").to_vec();
    let r = app.client.post(app.url("/api/v1/questions/import?format=csv&dry_run=false")).body(demo).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.post_json("/api/v1/contests", &json!({ "title": "Hội thi trực tuyến tìm hiểu công tác cải cách hành chính năm 2026", "year": 2026 })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let contest = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app.post_json(&format!("/api/v1/contests/{contest}/rounds"), &round).await;
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (contest, body["id"].as_i64().unwrap())
}

pub(crate) fn round_settings(extra: Value) -> Value {
    let mut round = json!({
        "title": "Đợt 1",
        "opens_at": now() - 60,
        "closes_at": now() + 3600,
        "draw_rules": [{ "count": 6, "topic": "", "difficulty": "" }, { "count": 4 }],
        "time_limit_secs": 900,
        "prediction_question": "Đợt thi này có bao nhiêu lượt dự thi?",
        "prizes": [{ "name": "Giải Nhất", "count": 1 }, { "name": "Giải Nhì", "count": 1 }, { "name": "Giải Ba", "count": 1 }],
    });
    for (k, v) in extra.as_object().unwrap() {
        round[k] = v.clone();
    }
    round
}

/// A registered civil servant of a commune, signed in on their own client.
pub(crate) async fn participant(app: &TestApp, n: u32) -> (Client, i64) {
    let unit = app.unit_id("Phường Hồng Bàng").await;
    let mut body = registration(n, unit);
    const NAMES: [&str; 4] = ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Minh Châu", "Phạm Quốc Dũng"];
    body["full_name"] = json!(NAMES[(n as usize - 1) % NAMES.len()]);
    let r = app.post_json("/api/v1/auth/register", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let client = app.new_client();
    let r = client.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": body["email"], "password": body["password"] })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    (client, id)
}

pub(crate) async fn call(app: &TestApp, client: &Client, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let req = match method {
        "GET" => client.get(app.url(path)),
        "PUT" => client.put(app.url(path)),
        _ => client.post(app.url(path)),
    };
    let req = if let Some(b) = body { req.json(&b) } else { req };
    let r = req.send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

/// The correct options of each position, as shown in this attempt (read from the database, as
/// only the server knows them).
pub(crate) async fn keys(app: &TestApp, attempt: i64) -> Vec<(i64, Vec<usize>)> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT i.position, i.option_order, v.answer_key FROM attempt_items i JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version
         WHERE i.attempt_id = $1 ORDER BY i.position",
    )
    .bind(attempt)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let order: Vec<usize> = serde_json::from_str(&r.get::<String, _>("option_order")).unwrap();
            let key: Vec<Value> = serde_json::from_str(&r.get::<String, _>("answer_key")).unwrap();
            let shown = order.iter().enumerate().filter(|(_, stored)| key[**stored]["correct"] == true).map(|(i, _)| i).collect();
            (r.get("position"), shown)
        })
        .collect()
}

/// Starts an attempt and answers `right` questions correctly and the rest wrongly.
pub(crate) async fn take(app: &TestApp, client: &Client, round: i64, right: usize, prediction: i64) -> i64 {
    let (status, view) = call(app, client, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let attempt = view["id"].as_i64().unwrap();
    for (i, (position, correct)) in keys(app, attempt).await.into_iter().enumerate() {
        let q = &view["questions"][i];
        let n = q["options"].as_array().unwrap().len();
        let answer = if i < right { correct } else { vec![(0..n).find(|o| !correct.contains(o)).unwrap()] };
        let (status, ack) = call(app, client, "PUT", &format!("/api/v1/attempts/{attempt}/answers/{position}"), Some(json!({ "answer": answer }))).await;
        assert_eq!(status, StatusCode::OK, "{ack}");
    }
    let (status, _) = call(app, client, "PUT", &format!("/api/v1/attempts/{attempt}/prediction"), Some(json!({ "value": prediction }))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, result) = call(app, client, "POST", &format!("/api/v1/attempts/{attempt}/submit"), None).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    attempt
}

async fn a_participant_takes_a_round_and_never_sees_a_key_before_submitting(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({ "review_after_submit": "full" }))).await;
    let (p, _) = participant(&app, 1).await;
    let (status, view) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["questions"].as_array().unwrap().len(), 10);
    let text = view.to_string();
    for leak in ["correct", "weight", "answer_key", "explanation", "points"] {
        assert!(!text.contains(leak), "the attempt view must not carry `{leak}`: {text}");
    }
    let attempt = view["id"].as_i64().unwrap();
    assert!(view["deadline_ms"].as_i64().unwrap() - view["server_now_ms"].as_i64().unwrap() > 890_000);

    // A second tab (or device) resumes the same attempt.
    let (_, again) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    assert_eq!(again["id"], attempt);

    let keys = keys(&app, attempt).await;
    let (position, right) = keys[0].clone();
    let (status, ack) = call(&app, &p, "PUT", &format!("/api/v1/attempts/{attempt}/answers/{position}"), Some(json!({ "answer": right }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ack["position"], position);
    call(&app, &p, "PUT", &format!("/api/v1/attempts/{attempt}/prediction"), Some(json!({ "value": 12345 }))).await;

    // A reload shows the saved answer and prediction.
    let (_, view) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}"), None).await;
    assert_eq!(view["questions"][0]["answer"], json!(right));
    assert_eq!(view["prediction"], 12345);
    let (status, _) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}/result"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "no result before submitting");

    let (status, result) = call(&app, &p, "POST", &format!("/api/v1/attempts/{attempt}/submit"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result["score"], 100);
    assert_eq!(result["max_score"], 1000);
    assert_eq!(result["correct_count"], 1);
    assert_eq!(result["prediction"], 12345);
    assert_eq!(result["submitted_by"], "participant");
    assert!(result["time_taken_ms"].as_i64().unwrap() >= 0);
    // Full review after submitting, as this round allows: the key is shown now.
    assert_eq!(result["review"][0]["correct"], json!(right));
    assert_eq!(result["review"][0]["is_correct"], true);
    assert_eq!(result["review"][1]["is_correct"], false);

    // Double submit: the same result. Saving afterwards: refused, nothing changes.
    let (status, twice) = call(&app, &p, "POST", &format!("/api/v1/attempts/{attempt}/submit"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(twice["submitted_at_ms"], result["submitted_at_ms"]);
    let (status, err) = call(&app, &p, "PUT", &format!("/api/v1/attempts/{attempt}/answers/{}", keys[1].0), Some(json!({ "answer": keys[1].1 }))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"], "conflict");
    let (_, after) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}/result"), None).await;
    assert_eq!(after["score"], 100);

    // One attempt allowed: a second start is refused.
    let (status, err) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(err["message"].as_str().unwrap().contains("hết số lượt"), "{err}");
    assert_eq!(app.count("attempts").await, 1);
}

async fn bad_answers_are_refused_and_change_nothing(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let (p, _) = participant(&app, 1).await;
    let (other, _) = participant(&app, 2).await;
    let (_, view) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let attempt = view["id"].as_i64().unwrap();
    let single = view["questions"].as_array().unwrap().iter().find(|q| q["kind"] == "single").unwrap()["position"].as_i64().unwrap();
    let path = |pos: i64| format!("/api/v1/attempts/{attempt}/answers/{pos}");

    let (status, err) = call(&app, &p, "PUT", &path(99), Some(json!({ "answer": [0] }))).await;
    assert_eq!((status, err["fields"]["position"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.question_not_in_attempt")));
    let (status, err) = call(&app, &p, "PUT", &path(single), Some(json!({ "answer": [7] }))).await;
    assert_eq!((status, err["fields"]["answer"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.option_unknown")));
    let (status, err) = call(&app, &p, "PUT", &path(single), Some(json!({ "answer": [0, 1] }))).await;
    assert_eq!((status, err["fields"]["answer"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.single_one_answer")));
    let (status, _) = call(&app, &p, "PUT", &format!("/api/v1/attempts/{attempt}/prediction"), Some(json!({ "value": -5 }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Someone else's attempt does not exist for them.
    let (status, _) = call(&app, &other, "PUT", &path(single), Some(json!({ "answer": [0] }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, &other, "GET", &format!("/api/v1/attempts/{attempt}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, &other, "POST", &format!("/api/v1/attempts/{attempt}/submit"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempt_items WHERE answer IS NOT NULL").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(saved, 0, "no refused answer was stored");
    let (_, view) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}"), None).await;
    assert_eq!(view["status"], "open");
    assert_eq!(view["prediction"], Value::Null);
}

async fn the_deadline_is_the_servers_and_it_submits_by_itself(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let (p, _) = participant(&app, 1).await;
    let (_, view) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let attempt = view["id"].as_i64().unwrap();
    let keys = keys(&app, attempt).await;
    call(&app, &p, "PUT", &format!("/api/v1/attempts/{attempt}/answers/{}", keys[0].0), Some(json!({ "answer": keys[0].1 }))).await;
    // Move the deadline into the past, as if the time limit had run out with the browser gone.
    let past = (now() - 60) * 1000;
    sqlx::query("UPDATE attempts SET deadline_ms = $1, started_at_ms = $2 WHERE id = $3").bind(past).bind(past - 900_000).bind(attempt).execute(&app.state.db.pool).await.unwrap();
    let (status, err) = call(&app, &p, "PUT", &format!("/api/v1/attempts/{attempt}/answers/{}", keys[1].0), Some(json!({ "answer": keys[1].1 }))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(err["message"].as_str().unwrap().contains("hết thời gian"), "{err}");
    // The server's sweep submits it with what was saved, timed to the deadline.
    let mut status = String::new();
    for _ in 0..50 {
        status = sqlx::query_scalar("SELECT status FROM attempts WHERE id = $1").bind(attempt).fetch_one(&app.state.db.pool).await.unwrap();
        if status == "submitted" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(status, "submitted", "the sweeper submits overdue attempts");
    let (_, result) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}/result"), None).await;
    assert_eq!(result["submitted_by"], "server");
    assert_eq!(result["score"], 100, "the answer saved before the deadline counts, the late one does not");
    assert_eq!(result["time_taken_ms"], 900_000);
    assert_eq!(result["review"], json!([]), "review policy `score` shows no answers");
}

async fn ranking_prizes_disqualification_publication_statistics_and_export(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({ "review_after_close": "full" }))).await;
    let mut people = vec![];
    // (right answers, prediction): truth will be 4 entries.
    for (n, (right, prediction)) in [(10, 10), (10, 4), (7, 4), (10, 5)].into_iter().enumerate() {
        let (client, id) = participant(&app, n as u32 + 1).await;
        take(&app, &client, round, right, prediction).await;
        people.push((client, id));
    }
    let r = app.post_json(&format!("/api/v1/rounds/{round}/publish"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "no publishing before the round closes");

    // Close the round (the organizer moves the closing time) and let the server freeze the value.
    let (_, mut settings) = app.json(&format!("/api/v1/rounds/{round}")).await;
    settings["closes_at"] = json!(now() - 10);
    let r = app.client.put(app.url(&format!("/api/v1/rounds/{round}"))).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    app::sweeper::sweep(&app.state).await.unwrap();
    let (_, ranking) = app.json(&format!("/api/v1/rounds/{round}/ranking")).await;
    assert_eq!(ranking["prediction_truth"], 4);
    assert!(ranking["truth_frozen_at"].as_i64().is_some());
    let ids: Vec<i64> = ranking["entries"].as_array().unwrap().iter().map(|e| e["user_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![people[1].1, people[3].1, people[0].1, people[2].1]);
    let first = &ranking["entries"][0];
    assert_eq!((first["prize"].as_str(), first["decided_by"].as_str(), first["prediction_gap"].as_i64()), (Some("Giải Nhất"), Some("prediction_gap"), Some(0)));
    assert_eq!(ranking["entries"][2]["decided_by"], "score");
    assert_eq!(ranking["entries"][3]["prize"], Value::Null);

    // Disqualify the runner-up: the ranking recomputes and the decision is audited.
    let (status, err) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/disqualifications"), Some(json!({ "user_id": people[3].1, "reason": "" }))).await;
    assert_eq!((status, err["fields"]["reason"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.reason_required")));
    let (status, ranking) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/disqualifications"), Some(json!({ "user_id": people[3].1, "reason": "Dùng hai tài khoản" }))).await;
    assert_eq!(status, StatusCode::OK);
    let prizes: Vec<(i64, Option<&str>)> = ranking["entries"].as_array().unwrap().iter().map(|e| (e["user_id"].as_i64().unwrap(), e["prize"].as_str())).collect();
    assert_eq!(prizes, vec![(people[1].1, Some("Giải Nhất")), (people[0].1, Some("Giải Nhì")), (people[2].1, Some("Giải Ba"))]);
    assert_eq!(ranking["disqualified"][0]["reason"], "Dùng hai tài khoản");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'round.disqualify' AND detail LIKE '%hai tài khoản%'").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(audited, 1);

    // Participants cannot see the ranking; the public sees nothing until it is published.
    let (status, _) = call(&app, &people[0].0, "GET", &format!("/api/v1/rounds/{round}/ranking"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let anonymous = app.new_client();
    let (status, _) = call(&app, &anonymous, "GET", &format!("/api/v1/rounds/{round}/results"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/publish"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, public) = call(&app, &anonymous, "GET", &format!("/api/v1/rounds/{round}/results"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(public["winners"].as_array().unwrap().len(), 3);
    assert_eq!(public["winners"][0]["name"], "Trần T. B. N**");
    assert_eq!(public["winners"][0]["unit_name"], "Phường Hồng Bàng");
    assert!(!public.to_string().contains("Ngọc"), "names are masked");

    // After closing, the review policy shows the keys to participants.
    let (_, mine) = call(&app, &people[2].0, "GET", "/api/v1/rounds", None).await;
    assert_eq!(mine[0]["phase"], "closed");

    // Statistics.
    let (_, stats) = app.json(&format!("/api/v1/rounds/{round}/statistics")).await;
    assert_eq!((stats["entries"].as_i64(), stats["participants"].as_i64()), (Some(4), Some(4)));
    assert_eq!(stats["perfect_share"], 0.75);
    assert_eq!(stats["score_distribution"][10], 3);
    assert_eq!(stats["score_distribution"][7], 1);
    // Each participant drew their own 10 of the 24 questions: facility × answered adds up to
    // the 37 right answers given.
    let right: f64 = stats["questions"].as_array().unwrap().iter().map(|q| q["facility"].as_f64().unwrap() * q["answered"].as_f64().unwrap()).sum();
    assert!((right - 37.0).abs() < 1e-6, "{right}");

    // The CSV export as people open it: Vietnamese headers, values as they read them.
    let r = app.get(&format!("/api/v1/rounds/{round}/ranking.csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next().unwrap(), "Hạng,Họ và tên,Đơn vị,Mã tài khoản,Điểm,Dự đoán,Chênh lệch dự đoán,Thời gian làm bài,Nộp lúc,Giải");
    let first = lines.next().unwrap();
    assert!(first.starts_with("1,") && first.ends_with(",Giải Nhất"), "{first}");
    assert!(first.contains(" phút ") && regex_like_date(first), "a duration and a dd/mm/yyyy time: {first}");
    // And for programs: machine codes.
    let r = app.get(&format!("/api/v1/rounds/{round}/ranking.csv?headers=codes")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().starts_with("rank,account_id,unit_code,score,prediction,prediction_gap,time_taken_ms,submitted_at,prize"));
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!((first[0], first[1], first[3], first[4], first[5], first[8]), ("1", people[1].1.to_string().as_str(), "10", "4", "0", "Giải Nhất"));
    assert!(first[7].ends_with("+07:00"), "{}", first[7]);
}

async fn round_setup_is_validated_and_for_organizers_only(app: TestApp) {
    let (contest, round) = setup(&app, round_settings(json!({}))).await;
    let bad = round_settings(json!({ "closes_at": now() - 7200, "draw_rules": [{ "count": 500 }], "time_limit_secs": 5, "prizes": [{ "name": "", "count": 1 }] }));
    let (status, err) = call(&app, &app.client, "POST", &format!("/api/v1/contests/{contest}/rounds"), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["closes_at", "draw_rules", "time_limit_secs", "prizes"] {
        assert!(err["fields"][field]["message"].is_string(), "{field}: {err}");
    }
    let too_many = round_settings(json!({ "draw_rules": [{ "count": 30, "topic": "Không có chủ đề này" }] }));
    let (_, err) = call(&app, &app.client, "POST", &format!("/api/v1/contests/{contest}/rounds"), Some(too_many)).await;
    assert_eq!(err["fields"]["draw_rules"]["code"], "err.draw_rule_short:1");
    assert!(err["fields"]["draw_rules"]["message"].as_str().unwrap().starts_with("Dòng 1: "), "{err}");

    let (p, _) = participant(&app, 1).await;
    let (status, _) = call(&app, &p, "POST", "/api/v1/contests", Some(json!({ "title": "X", "year": 2026 }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &p, "GET", &format!("/api/v1/rounds/{round}"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Once someone has started, the draw cannot change under them.
    call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let (_, mut settings) = app.json(&format!("/api/v1/rounds/{round}")).await;
    settings["draw_rules"] = json!([{ "count": 5 }]);
    let (status, _) = call(&app, &app.client, "PUT", &format!("/api/v1/rounds/{round}"), Some(settings)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, entry) = call(&app, &p, "GET", &format!("/api/v1/rounds/{round}/entry"), None).await;
    assert_eq!(entry["question_count"], 10);
    assert_eq!(entry["attempts"].as_array().unwrap().len(), 1);
    // The OpenAPI document describes the attempt lifecycle.
    let (_, doc) = app.json("/api/openapi.json").await;
    for path in ["/api/v1/rounds/{id}/attempts", "/api/v1/attempts/{id}/answers/{position}", "/api/v1/attempts/{id}/submit", "/api/v1/rounds/{id}/statistics"] {
        assert!(doc["paths"][path].is_object(), "{path} in OpenAPI");
    }
}

async fn concurrent_saves_from_two_tabs_are_all_kept(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let (p, _) = participant(&app, 1).await;
    let (_, view) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let attempt = view["id"].as_i64().unwrap();
    let keys = keys(&app, attempt).await;
    // Every answer at once, half from each "tab" (the same session), as a burst.
    let saves = keys.iter().map(|(position, right)| {
        let (client, url, answer) = (p.clone(), app.url(&format!("/api/v1/attempts/{attempt}/answers/{position}")), right.clone());
        tokio::spawn(async move { client.put(url).json(&json!({ "answer": answer })).send().await.unwrap().status() })
    });
    for s in saves.collect::<Vec<_>>() {
        assert_eq!(s.await.unwrap(), StatusCode::OK);
    }
    let (_, view) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}"), None).await;
    for (i, (_, right)) in keys.iter().enumerate() {
        assert_eq!(view["questions"][i]["answer"], json!(right), "every acknowledged answer is stored");
    }
    let (_, result) = call(&app, &p, "POST", &format!("/api/v1/attempts/{attempt}/submit"), None).await;
    assert_eq!(result["score"], 1000);
}

/// Whether `line` holds a time written "dd/mm/yyyy HH:MM".
fn regex_like_date(line: &str) -> bool {
    line.split(',').any(|cell| {
        let b = cell.as_bytes();
        b.len() == 16 && b[2] == b'/' && b[5] == b'/' && b[10] == b' ' && b[13] == b':' && cell.chars().filter(|c| c.is_ascii_digit()).count() == 12
    })
}
