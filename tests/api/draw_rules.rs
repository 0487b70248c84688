//! Draw rules as organizers build them: the pool's counts by topic and difficulty that the
//! round form's builder shows, and the round form's text (what the builder writes, and what a
//! browser without JavaScript sends) with Vietnamese difficulties and errors by line.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::rounds::{call, now, participant};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(the_draw_pool_counts_active_questions_by_topic_and_difficulty, the_round_form_reads_vietnamese_difficulties_and_names_bad_lines);

/// The demo questions in the bank; an organizer signed in.
async fn demo_bank(app: &TestApp) -> Vec<Value> {
    app.seed_units().await;
    app.sign_in_organizer().await;
    let demo = include_bytes!("../../server/seed/demo-questions-cchc.csv").to_vec();
    let r = app.client.post(app.url("/api/v1/questions/import?format=csv&dry_run=false")).body(demo).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    app.json("/api/v1/questions").await.1.as_array().unwrap().clone()
}

fn count_of(pool: &Value, topic: &str, difficulty: &str) -> i64 {
    pool["groups"].as_array().unwrap().iter().filter(|g| g["topic"] == topic && g["difficulty"] == difficulty).map(|g| g["count"].as_i64().unwrap()).sum()
}

async fn the_draw_pool_counts_active_questions_by_topic_and_difficulty(app: TestApp) {
    let bank = demo_bank(&app).await;
    let (status, pool) = app.json("/api/v1/rounds/draw-pool?audience=staff").await;
    assert_eq!(status, StatusCode::OK, "{pool}");
    assert_eq!(pool["total"], bank.len() as i64);
    // Every topic of the bank once, and each group's count is the bank's own.
    let mut topics: Vec<&str> = bank.iter().map(|q| q["topic"].as_str().unwrap()).collect();
    topics.sort_by_key(|t| app::text::fold(t));
    topics.dedup();
    assert_eq!(pool["topics"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect::<Vec<_>>(), topics);
    for q in &bank {
        let (topic, difficulty) = (q["topic"].as_str().unwrap(), q["difficulty"].as_str().unwrap());
        let expected = bank.iter().filter(|o| o["topic"] == topic && o["difficulty"] == difficulty).count() as i64;
        assert_eq!(count_of(&pool, topic, difficulty), expected, "{topic} / {difficulty}");
    }

    // A retired question is no longer counted; the public pool is a pool of its own.
    let first = &bank[0];
    let before = count_of(&pool, first["topic"].as_str().unwrap(), first["difficulty"].as_str().unwrap());
    assert_eq!(app.post_json(&format!("/api/v1/questions/{}/retire", first["id"]), &json!({})).await.status(), StatusCode::OK);
    let (_, pool) = app.json("/api/v1/rounds/draw-pool").await;
    assert_eq!(pool["total"], bank.len() as i64 - 1);
    assert_eq!(count_of(&pool, first["topic"].as_str().unwrap(), first["difficulty"].as_str().unwrap()), before - 1);
    let (_, public) = app.json("/api/v1/rounds/draw-pool?audience=public").await;
    assert_eq!((public["total"].as_i64(), public["groups"].as_array().map(Vec::len)), (Some(0), Some(0)));

    // The builder's server function answers the same; participants get neither.
    let r = app.client.post(app.url(app::rounds::server_fns::LoadDrawPool::PATH)).header("origin", app.base.clone()).form(&[("audience", "staff")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), pool);
    let (p, _) = participant(&app, 1).await;
    let (status, _) = call(&app, &p, "GET", "/api/v1/rounds/draw-pool", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The API document describes it, and every schema it refers to is there.
    let (_, doc) = app.json("/api/openapi.json").await;
    let operation = doc["paths"]["/api/v1/rounds/draw-pool"]["get"].to_string();
    assert!(operation.contains("audience"), "{operation}");
    let refs: Vec<&str> = operation.split("#/components/schemas/").skip(1).map(|r| r.split('"').next().unwrap()).collect();
    assert!(refs.contains(&"DrawPool"), "{operation}");
    for name in refs.iter().chain(&["PoolGroup"]) {
        assert!(doc["components"]["schemas"][*name].is_object(), "{name} is described");
    }
}

/// The round form as a browser without JavaScript posts it.
fn round_form<'a>(contest: &'a str, opens: &'a str, closes: &'a str, rules: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("contest_id", contest), ("form[title]", "Đợt thử"), ("form[opens_at]", opens), ("form[closes_at]", closes), ("form[audience]", "staff"),
        ("form[draw_rules]", rules), ("form[time_limit_minutes]", "20"), ("form[max_attempts]", "1"), ("form[counting]", "best"),
        ("form[grace_minutes]", "5"), ("form[review_after_submit]", "score"), ("form[review_after_close]", "full"),
        ("form[prediction_question]", "Bao nhiêu lượt dự thi?"), ("form[prediction_metric]", "entries"), ("form[prizes]", "Giải Nhất | 1"),
    ]
}

async fn the_round_form_reads_vietnamese_difficulties_and_names_bad_lines(app: TestApp) {
    let bank = demo_bank(&app).await;
    let r = app.post_json("/api/v1/contests", &json!({ "title": "Hội thi CCHC 2026", "year": 2026 })).await;
    let contest = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap().to_string();
    let referer = format!("/admin/contests/{contest}");
    let local = |secs: i64| app::vn_time::local_input_of_secs(secs);
    let (opens, closes) = (local(now() + 3600), local(now() + 7 * 86_400));
    let topic = bank.iter().find(|q| q["difficulty"] == "easy").unwrap()["topic"].as_str().unwrap().to_string();
    let post = |rules: String| {
        let form: Vec<(String, String)> = round_form(&contest, &opens, &closes, "").into_iter().map(|(k, v)| (k.to_string(), if k == "form[draw_rules]" { rules.clone() } else { v.to_string() })).collect();
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.form_post(app::rounds::server_fns::CreateRound::PATH, &referer, &pairs).send()
    };

    // Vietnamese difficulties, any case, with or without accents, and an "any" row.
    let r = post(format!("1 | {topic} | DỄ\n\n2 | | trung binh\n3")).await.unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let round: i64 = location.strip_prefix("/admin/rounds/").and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("{location}"));
    let (_, saved) = app.json(&format!("/api/v1/rounds/{round}")).await;
    assert_eq!(saved["draw_rules"], json!([
        { "count": 1, "topic": topic, "difficulty": "easy" }, { "count": 2, "topic": "", "difficulty": "medium" }, { "count": 3, "topic": "", "difficulty": "" },
    ]));
    // The form shows them back in Vietnamese, as the builder and the text box read them.
    let page = app.get(&location).await.text().await.unwrap();
    assert!(page.contains(&format!("1 | {topic} | dễ\n2 |  | trung bình\n3")), "the saved rules in the text box");

    // Each problem names its line; nothing is created.
    let rounds_before = app.count("rounds").await;
    let cases = [
        ("5\n\nhai | Chuyển đổi số", "Dòng 3: số câu ở đầu dòng phải là số nguyên từ 1 trở lên."),
        ("5\n2 | Chuyển đổi số | rất khó", "Dòng 2: độ khó phải là dễ, trung bình hoặc khó"),
        ("2\n50 | Không có chủ đề này", "Dòng 2: ngân hàng không đủ câu hỏi đang dùng phù hợp"),
    ];
    for (rules, message) in cases {
        let r = post(rules.to_string()).await.unwrap();
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains("__err="), "{rules:?}: {location}");
        let back = app.client.get(&location).send().await.unwrap().text().await.unwrap();
        assert!(back.contains(message), "{rules:?}: {message}");
        assert!(back.contains("id=\"err-draw_rules\""), "next to the field");
    }
    assert_eq!(app.count("rounds").await, rounds_before);
}
