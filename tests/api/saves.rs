//! Answer saves on a bad network: sequence numbers decide which choice wins whatever order
//! requests arrive in, replays are harmless, a closed attempt refuses with 409, and a client
//! flooding saves is slowed down alone.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::rounds::{call, participant, round_settings, setup};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(an_older_save_arriving_late_never_overwrites_a_newer_one, a_save_for_a_closed_attempt_is_refused, a_flooding_client_is_slowed_down_alone,);

async fn an_older_save_arriving_late_never_overwrites_a_newer_one(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let (p, _) = participant(&app, 1).await;
    let (_, view) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let attempt = view["id"].as_i64().unwrap();
    let q = view["questions"].as_array().unwrap().iter().find(|q| q["kind"] == "single").unwrap();
    let position = q["position"].as_i64().unwrap();
    assert_eq!(q["seq"], 0, "never saved");
    let path = format!("/api/v1/attempts/{attempt}/answers/{position}");
    let t = super::rounds::now() * 1000;

    // The newer choice (option 2) arrives first, the older one (option 1) after it.
    let (status, ack) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [2], "seq": t + 200 }))).await;
    assert_eq!((status, ack["applied"].as_bool(), ack["seq"].as_i64()), (StatusCode::OK, Some(true), Some(t + 200)));
    let (status, ack) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [1], "seq": t + 100 }))).await;
    assert_eq!((status, ack["applied"].as_bool(), ack["seq"].as_i64()), (StatusCode::OK, Some(false), Some(t + 200)), "{ack}");
    // The same save again (an acknowledgement lost on the way): harmless, and acknowledged.
    let (status, ack) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [2], "seq": t + 200 }))).await;
    assert_eq!((status, ack["applied"].as_bool()), (StatusCode::OK, Some(true)));
    // Another choice under an already used number is not applied either.
    let (_, ack) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [0], "seq": t + 200 }))).await;
    assert_eq!(ack["applied"], false);
    let (_, view) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}"), None).await;
    let stored = view["questions"].as_array().unwrap().iter().find(|q| q["position"] == position).unwrap();
    assert_eq!((stored["answer"].clone(), stored["seq"].as_i64()), (json!([2]), Some(t + 200)));

    // Out of order, many at once: the highest number wins, whatever the commit order.
    let sends = (0..12).map(|k| {
        let (client, url) = (p.clone(), app.url(&path));
        tokio::spawn(async move {
            let r = client.put(url).json(&json!({ "answer": [k % 3], "seq": t + 1_000 + (k * 7 % 12) })).send().await.unwrap();
            r.status()
        })
    });
    for s in sends.collect::<Vec<_>>() {
        assert_eq!(s.await.unwrap(), StatusCode::OK);
    }
    let (_, view) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}"), None).await;
    let stored = view["questions"].as_array().unwrap().iter().find(|q| q["position"] == position).unwrap();
    // seq t+1011 was sent by k with k*7 % 12 == 11, i.e. k = 5: option 5 % 3 = 2.
    assert_eq!((stored["answer"].clone(), stored["seq"].as_i64()), (json!([2]), Some(t + 1_011)));

    // A save without a number (an API client, the plain form) wins over everything stored.
    let (_, ack) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [0] }))).await;
    assert_eq!(ack["applied"], true);
    assert!(ack["seq"].as_i64().unwrap() > t + 1_011);
    // The prediction follows the same rule.
    let pred = format!("/api/v1/attempts/{attempt}/prediction");
    let (_, ack) = call(&app, &p, "PUT", &pred, Some(json!({ "value": 5000, "seq": t + 50 }))).await;
    assert_eq!(ack["applied"], true);
    let (_, ack) = call(&app, &p, "PUT", &pred, Some(json!({ "value": 4000, "seq": t + 40 }))).await;
    assert_eq!(ack["applied"], false);
    let (_, view) = call(&app, &p, "GET", &format!("/api/v1/attempts/{attempt}"), None).await;
    assert_eq!((view["prediction"].as_i64(), view["prediction_seq"].as_i64()), (Some(5000), Some(t + 50)));

    // Numbers far ahead of the server's clock are refused (they would block later saves).
    let (status, err) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [1], "seq": t + 3 * 24 * 3600 * 1000 }))).await;
    assert_eq!((status, err["fields"]["seq"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.seq_range")));
}

async fn a_save_for_a_closed_attempt_is_refused(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let (p, _) = participant(&app, 1).await;
    let (_, view) = call(&app, &p, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let attempt = view["id"].as_i64().unwrap();
    let path = format!("/api/v1/attempts/{attempt}/answers/1");
    let t = super::rounds::now() * 1000;
    let (status, _) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [0], "seq": t }))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&app, &p, "POST", &format!("/api/v1/attempts/{attempt}/submit"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, err) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [1], "seq": t + 10 }))).await;
    assert_eq!((status, err["error"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
    assert!(err["message"].as_str().unwrap().contains("đã được nộp"), "{err}");
    // A replay of a save made before the submission is still acknowledged: it did count.
    let (status, ack) = call(&app, &p, "PUT", &path, Some(json!({ "answer": [0], "seq": t }))).await;
    assert_eq!((status, ack["applied"].as_bool()), (StatusCode::OK, Some(true)));
    let (status, _) = call(&app, &p, "PUT", &format!("/api/v1/attempts/{attempt}/prediction"), Some(json!({ "value": 1 }))).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn a_flooding_client_is_slowed_down_alone(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({}))).await;
    let (flood, _) = participant(&app, 1).await;
    let (calm, _) = participant(&app, 2).await;
    let (_, view) = call(&app, &flood, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let flooded = view["id"].as_i64().unwrap();
    let (_, view) = call(&app, &calm, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    let quiet = view["id"].as_i64().unwrap();
    let sends = (0..120).map(|_| {
        let (client, url) = (flood.clone(), app.url(&format!("/api/v1/attempts/{flooded}/answers/1")));
        tokio::spawn(async move {
            let r = client.put(url).json(&json!({ "answer": [0] })).send().await.unwrap();
            (r.status(), r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string()))
        })
    });
    let mut limited = 0;
    for s in sends.collect::<Vec<_>>() {
        let (status, retry) = s.await.unwrap();
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
            assert_eq!(retry.as_deref(), Some("1"));
        } else {
            assert_eq!(status, StatusCode::OK);
        }
    }
    assert!(limited >= 40, "a flood beyond the burst is refused, {limited} of 120 were");
    // Someone else answering meanwhile is not affected.
    for position in 1..=5 {
        let (status, _) = call(&app, &calm, "PUT", &format!("/api/v1/attempts/{quiet}/answers/{position}"), Some(json!({ "answer": [0] }))).await;
        assert_eq!(status, StatusCode::OK);
    }
}
