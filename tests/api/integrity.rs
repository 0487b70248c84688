//! Evidence of proxy-taking end to end: what requests record (the device cookie set on a first
//! visit, sign-ins, registrations, starts and submissions with their address), each signal on
//! its own scenario beside an office of 200 people behind one address that flags nobody, the
//! organizer's dismissal and disqualification through the audited flow, who may see it, and
//! the deletion of device records after the retention period.

use crate::helpers::{TestApp, registration};
use crate::on_both_backends;
use crate::rounds::{call, now, round_settings, setup};
use app::integrity::origin::{Happened, Origin, record};
use app::integrity::signals::EventKind;
use rand::{Rng, SeedableRng};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

on_both_backends!(
    requests_record_their_device_and_address_and_a_first_visit_gets_the_cookie,
    each_signal_flags_its_scenario_and_an_office_of_200_behind_one_address_flags_nobody,
    flags_are_dismissed_with_a_note_or_disqualified_through_the_audited_flow,
    device_records_are_deleted_after_the_retention_period,
);

const PASSWORD: &str = "mật-khẩu-đủ-dài";
const GIVEN: [&str; 12] = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai"];

/// A round drawing every question of the demo bank (24), so two people can give the same
/// answers to the same questions.
async fn round_of_all_questions(app: &TestApp) -> i64 {
    setup(app, round_settings(json!({ "draw_rules": [{ "count": 24 }], "max_attempts": 1 }))).await.1
}

fn form(n: u32) -> Value {
    let mut body = registration(n, 0);
    body["full_name"] = json!(format!("Nguyễn Văn {}", GIVEN[n as usize % GIVEN.len()]));
    body
}

/// Registers person `n` from `device` (a client: one browser, one cookie jar).
async fn register_on(app: &TestApp, device: &Client, n: u32) -> i64 {
    let mut body = form(n);
    body["unit_id"] = json!(app.unit_id("Phường Hồng Bàng").await);
    let r = device.post(app.url("/api/v1/auth/register")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn sign_in_on(app: &TestApp, device: &Client, n: u32) {
    let r = device.post(app.url("/api/v1/auth/login")).json(&json!({ "identifier": form(n)["email"], "password": PASSWORD })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// Person `n`, registered and signed in on a browser of their own.
async fn person(app: &TestApp, n: u32) -> (Client, i64) {
    let device = app.new_client();
    let id = register_on(app, &device, n).await;
    sign_in_on(app, &device, n).await;
    (device, id)
}

async fn start(app: &TestApp, device: &Client, round: i64) -> i64 {
    let (status, view) = call(app, device, "POST", &format!("/api/v1/rounds/{round}/attempts"), None).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view["id"].as_i64().unwrap()
}

/// Answers every question: wrongly (the first wrong option) for the questions at the indices
/// `wrong` of the attempt's questions in id order, so two people with the same `wrong` give
/// identical answers; then submits.
async fn answer_and_submit(app: &TestApp, device: &Client, attempt: i64, wrong: &[usize]) {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT i.position, i.question_id, i.option_order, v.answer_key FROM attempt_items i JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version \
         WHERE i.attempt_id = $1 ORDER BY i.question_id",
    )
    .bind(attempt)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    for (k, (position, _, order, key)) in rows.iter().enumerate() {
        let order: Vec<usize> = serde_json::from_str(order).unwrap();
        let key: Vec<Value> = serde_json::from_str(key).unwrap();
        let stored: Vec<usize> = if wrong.contains(&k) { vec![(0..key.len()).find(|i| key[*i]["correct"] != true).unwrap()] } else { (0..key.len()).filter(|i| key[*i]["correct"] == true).collect() };
        let shown: Vec<usize> = order.iter().enumerate().filter(|(_, s)| stored.contains(s)).map(|(i, _)| i).collect();
        let (status, ack) = call(app, device, "PUT", &format!("/api/v1/attempts/{attempt}/answers/{position}"), Some(json!({ "answer": shown }))).await;
        assert_eq!(status, StatusCode::OK, "{ack}");
    }
    let (status, result) = call(app, device, "POST", &format!("/api/v1/attempts/{attempt}/submit"), None).await;
    assert_eq!(status, StatusCode::OK, "{result}");
}

async fn take(app: &TestApp, device: &Client, round: i64, wrong: &[usize]) -> i64 {
    let attempt = start(app, device, round).await;
    answer_and_submit(app, device, attempt, wrong).await;
    attempt
}

/// 200 colleagues of one department behind the office's single public address, each on their
/// own computer, at a normal spread of times (6 to 18 minutes, over the morning) and answers
/// (each person's ability, their own mistakes). Some signed in on their phone earlier in the
/// day; some started on the phone and moved to the computer. Written directly (200 password
/// hashes and 5,000 answer saves would only slow the test down). Returns the attempt ids.
async fn office(app: &TestApp, round: i64) -> Vec<i64> {
    use app::rounds::repo::attempts::{FinishedAttempt, FinishedItem};
    use app::rounds::scoring::{FULL_CREDIT, Key, credit};
    let keys: Vec<(i64, Key)> =
        app::quiz::repo::current_keys(&app.state.db).await.unwrap().into_iter().map(|(id, kind, key)| (id, Key::from_stored(kind, &key, false).unwrap())).collect();
    let versions: BTreeMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>("SELECT id, current_version FROM questions").fetch_all(&app.state.db.pool).await.unwrap().into_iter().collect();
    let unit = app.unit_id("Phường Hồng Bàng").await;
    let hash = app.state.hasher.hash("mật khẩu văn phòng".into()).await.unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(200);
    let address = "113.160.50.10".to_string();
    let morning = (now() - 5 * 3600) * 1000;
    let mut attempts = Vec::new();
    let mut tx = app.state.db.begin_write().await.unwrap();
    for k in 0..200 {
        let name = format!("Trần Thị {}", GIVEN[k % GIVEN.len()]);
        let email = format!("vanphong{k}@haiphong.gov.vn");
        let user = app::accounts::repo::NewUser { full_name: &name, email: &email, phone: None, cccd: None, position: "Chuyên viên", unit_id: Some(unit), hash: &hash };
        let user_id = app::accounts::repo::insert_user_at(&mut tx, &user, now() - 30 * 86_400).await.unwrap();
        let (pc, phone) = (Origin { device_hash: format!("office-pc-{k}"), client_ip: address.clone() }, Origin { device_hash: format!("office-phone-{k}"), client_ip: address.clone() });
        let ability: f64 = rng.gen_range(0.55..0.98);
        let started = morning + rng.gen_range(0..4 * 3600) * 1000;
        let taken = rng.gen_range(6 * 60..18 * 60) * 1000;
        let mut items = Vec::new();
        let (mut score, mut correct) = (0, 0);
        let mut digest = app::integrity::digest::AnswerDigest::default();
        for (question_id, key) in &keys {
            let wrong: Vec<usize> = (0..key.correct.len()).filter(|i| !key.correct[*i]).collect();
            let answer = if rng.gen_bool(ability) || wrong.is_empty() { key.correct_indices() } else { vec![wrong[rng.gen_range(0..wrong.len())]] };
            let points = credit(key, &answer);
            score += points;
            correct += (points == FULL_CREDIT) as i64;
            digest.add(*question_id, &answer, points == FULL_CREDIT);
            items.push(FinishedItem { question_id: *question_id, version: versions[question_id], option_order: (0..key.correct.len()).collect(), answer, answered_at_ms: started + taken / 2, points });
        }
        let finished = FinishedAttempt {
            round_id: round,
            user_id,
            unit_id: Some(unit),
            started_at_ms: started,
            deadline_ms: started + 900_000,
            submitted_at_ms: started + taken,
            prediction: Some(250),
            score,
            max_score: keys.len() as i64 * FULL_CREDIT,
            correct_count: correct,
        };
        let id = app::rounds::repo::attempts::insert_finished(&mut tx, &finished, &items).await.unwrap();
        if let Some(d) = digest.finish(2) {
            app::integrity::repo::set_answer_digest(&mut tx, id, &d).await.unwrap();
        }
        let at = |kind, attempt: Option<i64>, at_ms| Happened { kind, user_id, round_id: attempt.map(|_| round), attempt_id: attempt, at_ms };
        record(&mut tx, Some(&pc), at(EventKind::Register, None, morning - 20 * 86_400_000)).await.unwrap();
        if k % 5 == 0 {
            // Checked the contest on the phone over breakfast.
            record(&mut tx, Some(&phone), at(EventKind::SignIn, None, started - 2 * 3600 * 1000)).await.unwrap();
        }
        if k % 20 == 1 {
            // Started on the phone, then moved to the computer for good.
            record(&mut tx, Some(&phone), at(EventKind::Start, Some(id), started)).await.unwrap();
            record(&mut tx, Some(&pc), at(EventKind::SignIn, None, started + 60_000)).await.unwrap();
        } else {
            record(&mut tx, Some(&pc), at(EventKind::SignIn, None, started - 60_000)).await.unwrap();
            record(&mut tx, Some(&pc), at(EventKind::Start, Some(id), started)).await.unwrap();
        }
        record(&mut tx, Some(&pc), at(EventKind::Submit, Some(id), started + taken)).await.unwrap();
        attempts.push(id);
    }
    tx.commit().await.unwrap();
    attempts
}

/// The report's flags as attempt id → (signal codes, risk).
fn flags(report: &Value) -> BTreeMap<i64, (Vec<String>, String)> {
    report["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let kinds = f["evidence"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string()).collect();
            (f["attempt_id"].as_i64().unwrap(), (kinds, f["risk"].as_str().unwrap().to_string()))
        })
        .collect()
}

async fn events_of(app: &TestApp, user: i64) -> Vec<(String, Option<i64>, String, String)> {
    sqlx::query_as("SELECT kind, attempt_id, device_hash, client_ip FROM device_events WHERE user_id = $1 ORDER BY id").bind(user).fetch_all(&app.state.db.pool).await.unwrap()
}

async fn requests_record_their_device_and_address_and_a_first_visit_gets_the_cookie(app: TestApp) {
    let round = setup(&app, round_settings(json!({}))).await.1;
    let browser = app.new_client();
    let r = browser.get(app.url("/login")).send().await.unwrap();
    let cookie = r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|v| v.starts_with("hp_device=")).map(str::to_string);
    let cookie = cookie.expect("the first visit gets the device cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Max-Age="), "{cookie}");
    let token = cookie.trim_start_matches("hp_device=").split(';').next().unwrap().to_string();
    assert_eq!(token.len(), 32);
    let again = browser.get(app.url("/login")).send().await.unwrap();
    assert!(!again.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap_or("").starts_with("hp_device=")), "set once, then kept");

    let user = register_on(&app, &browser, 1).await;
    sign_in_on(&app, &browser, 1).await;
    let attempt = take(&app, &browser, round, &[]).await;
    let device = app::accounts::devices::hash(&token);
    let kinds: Vec<(String, Option<i64>)> = events_of(&app, user).await.into_iter().map(|(kind, attempt, hash, ip)| {
        assert_eq!((hash.as_str(), ip.as_str()), (device.as_str(), "127.0.0.1"), "the token's hash (never the token) and the address");
        (kind, attempt)
    }).collect();
    assert_eq!(kinds, vec![("register".into(), None), ("sign_in".into(), None), ("start".into(), Some(attempt)), ("submit".into(), Some(attempt))]);
    // The same cookie is the trusted device of the sign-in throttle.
    let trusted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM trusted_devices WHERE token_hash = $1 AND user_id = $2").bind(&device).bind(user).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(trusted, 1);
    let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM device_events WHERE device_hash = $1").bind(&token).fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(raw, 0, "the token itself is never stored");

    // The server's own submission of an overdue attempt involves no device: nothing recorded.
    let (late, late_user) = person(&app, 2).await;
    let open = start(&app, &late, round).await;
    sqlx::query("UPDATE attempts SET deadline_ms = $1 WHERE id = $2").bind((now() - 600) * 1000).bind(open).execute(&app.state.db.pool).await.unwrap();
    app::sweeper::sweep(&app.state).await.unwrap();
    let kinds: Vec<String> = events_of(&app, late_user).await.into_iter().map(|e| e.0).collect();
    assert_eq!(kinds, vec!["register", "sign_in", "start"]);
}

async fn each_signal_flags_its_scenario_and_an_office_of_200_behind_one_address_flags_nobody(app: TestApp) {
    let round = round_of_all_questions(&app).await;
    let office = office(&app, round).await;
    let (_, report) = call(&app, &app.client, "GET", &format!("/api/v1/rounds/{round}/integrity"), None).await;
    assert_eq!(report["attempts_checked"], 200);
    assert_eq!(flags(&report), BTreeMap::new(), "the office alone flags nobody: {report}");

    // One phone passed round: three accounts take the round on it (three mistakes each, their
    // own ones).
    let phone = app.new_client();
    let mut shared = Vec::new();
    for (n, wrong) in [(10, [0, 1, 2]), (11, [3, 4, 5]), (12, [6, 7, 8])] {
        person(&app, n).await;
        sign_in_on(&app, &phone, n).await;
        shared.push(take(&app, &phone, round, &wrong).await);
    }
    // A laptop takes the attempt while its owner signs in on their own phone.
    let (laptop, _) = person(&app, 20).await;
    let both = start(&app, &laptop, round).await;
    sign_in_on(&app, &app.new_client(), 20).await;
    answer_and_submit(&app, &laptop, both, &[9, 10, 11]).await;
    // Two people, one answer sheet: the same three mistakes, a moment apart.
    let (first, _) = person(&app, 30).await;
    let (second, _) = person(&app, 31).await;
    let identical = vec![take(&app, &first, round, &[12, 13, 14]).await, take(&app, &second, round, &[12, 13, 14]).await];
    // A perfect score in seconds, in a round where people take about twelve minutes.
    let (fast, _) = person(&app, 40).await;
    let too_fast = take(&app, &fast, round, &[]).await;
    // One phone registers three accounts, each then taken on its own computer.
    let registrar = app.new_client();
    let mut registered = Vec::new();
    for (n, wrong) in [(50, [15, 16, 17, 18]), (51, [19, 20, 21, 22]), (52, [0, 5, 10, 15])] {
        register_on(&app, &registrar, n).await;
        let own = app.new_client();
        sign_in_on(&app, &own, n).await;
        registered.push(take(&app, &own, round, &wrong).await);
    }

    let (status, report) = call(&app, &app.client, "GET", &format!("/api/v1/rounds/{round}/integrity"), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["attempts_checked"], 210);
    let mut expected: BTreeMap<i64, (Vec<String>, String)> = BTreeMap::new();
    for a in &shared {
        expected.insert(*a, (vec!["shared_device".into()], "medium".into()));
    }
    expected.insert(both, (vec!["two_devices".into()], "medium".into()));
    for a in &identical {
        expected.insert(*a, (vec!["identical_answers".into()], "high".into()));
    }
    expected.insert(too_fast, (vec!["too_fast".into()], "low".into()));
    for a in &registered {
        expected.insert(*a, (vec!["registrations_from_device".into()], "low".into()));
    }
    assert_eq!(flags(&report), expected, "{report}");
    let office: BTreeSet<i64> = office.into_iter().collect();
    assert!(report["flagged"].as_array().unwrap().iter().all(|f| !office.contains(&f["attempt_id"].as_i64().unwrap())));
    assert_eq!(report["flagged"][0]["risk"], "high", "highest risk first");

    // Each is explained in words, naming the accounts and the figures.
    let explained = |attempt: i64| -> String {
        report["flagged"].as_array().unwrap().iter().find(|f| f["attempt_id"] == attempt).unwrap()["explanations"][0].as_str().unwrap().to_string()
    };
    let text = explained(shared[0]);
    assert!(text.contains("được 3 tài khoản dùng") && text.contains("Nguyễn Văn Mai") && text.contains("127.0.0.1"), "{text}");
    assert!(explained(both).contains("cùng lúc trên 2 thiết bị"), "{}", explained(both));
    let text = explained(identical[0]);
    assert!(text.contains("kể cả 3 câu sai giống nhau") && text.contains("Nguyễn Văn Hùng"), "{text}");
    let text = explained(too_fast);
    assert!(text.contains("24/24") && text.contains("thời gian trung vị"), "{text}");
    assert!(explained(registered[0]).contains("đã đăng ký 3 tài khoản"), "{}", explained(registered[0]));
}

async fn flags_are_dismissed_with_a_note_or_disqualified_through_the_audited_flow(app: TestApp) {
    let round = round_of_all_questions(&app).await;
    let phone = app.new_client();
    let mut people = Vec::new();
    for (n, wrong) in [(1, [0, 1, 2]), (2, [3, 4, 5]), (3, [6, 7, 8])] {
        let (own, id) = person(&app, n).await;
        sign_in_on(&app, &phone, n).await;
        people.push((own, id, take(&app, &phone, round, &wrong).await));
    }
    let path = format!("/api/v1/rounds/{round}/integrity");
    // Participants (the flagged ones included) never see who used which device.
    let (status, _) = call(&app, &people[0].0, "GET", &path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &people[0].0, "POST", &format!("{path}/{}/dismiss", people[0].2), Some(json!({ "note": "Không có gì sai cả" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let page = people[0].0.get(app.url(&format!("/admin/rounds/{round}/gian-lan"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Nguyễn Văn Châu"), "the page shows a participant nothing");

    // A note is required; an attempt of another round is not found.
    let (status, err) = call(&app, &app.client, "POST", &format!("{path}/{}/dismiss", people[0].2), Some(json!({ "note": " " }))).await;
    assert_eq!((status, err["fields"]["note"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err.reason_required")));
    let (status, _) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{}/integrity/{}/dismiss", round + 1000, people[0].2), Some(json!({ "note": "Sai đợt thi" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = app.post_json(&format!("{path}/{}/dismiss", people[0].2), &json!({ "note": "Máy tính chung của bộ phận một cửa" })).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Disqualifying goes through the round's own flow.
    let (status, ranking) = call(&app, &app.client, "POST", &format!("/api/v1/rounds/{round}/disqualifications"), Some(json!({ "user_id": people[1].1, "reason": "Thi hộ: một điện thoại, ba tài khoản" }))).await;
    assert_eq!(status, StatusCode::OK, "{ranking}");

    let (_, report) = call(&app, &app.client, "GET", &path, None).await;
    let of = |attempt: i64| report["flagged"].as_array().unwrap().iter().find(|f| f["attempt_id"] == attempt).cloned().unwrap();
    let dismissed = of(people[0].2);
    assert_eq!(dismissed["dismissal"]["note"], "Máy tính chung của bộ phận một cửa");
    assert_eq!(dismissed["dismissal"]["decided_by"], "Cán Bộ Kiểm Thử");
    assert_eq!(dismissed["disqualified"], false);
    assert_eq!(of(people[1].2)["disqualified"], true);
    assert_eq!((of(people[2].2)["dismissal"].clone(), of(people[2].2)["disqualified"].clone()), (Value::Null, json!(false)), "nothing is decided automatically");
    let audited: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE action IN ('integrity.dismiss', 'round.disqualify') ORDER BY id").fetch_all(&app.state.db.pool).await.unwrap();
    assert_eq!(audited, vec!["integrity.dismiss", "round.disqualify"]);

    // The organizer's page shows the same, in words, with the actions.
    let page = app.get(&format!("/admin/rounds/{round}/gian-lan")).await.text().await.unwrap();
    assert!(page.contains("Dấu hiệu thi hộ") && page.contains("Một thiết bị, nhiều tài khoản") && page.contains("Máy tính chung của bộ phận một cửa"), "{page}");
    assert!(page.contains(&format!("/bai-thi/{}/ket-qua", people[2].2)) && page.contains("Đã loại khỏi bảng xếp hạng"));
}

async fn device_records_are_deleted_after_the_retention_period(app: TestApp) {
    let (contest, open) = setup(&app, round_settings(json!({}))).await;
    let r = app.post_json("/api/v1/contests", &json!({ "title": "Hội thi năm trước", "year": 2025 })).await;
    let old_contest = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app.post_json(&format!("/api/v1/contests/{old_contest}/rounds"), &round_settings(json!({ "title": "Đợt cũ" }))).await;
    let old = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let day = 86_400;
    // The old contest closed 200 days ago; it was announced 300 days ago.
    sqlx::query("UPDATE rounds SET opens_at = $1, closes_at = $2 WHERE id = $3").bind(now() - 210 * day).bind(now() - 200 * day).bind(old).execute(&app.state.db.pool).await.unwrap();
    sqlx::query("UPDATE contests SET created_at = $1 WHERE id = $2").bind(now() - 300 * day).bind(old_contest).execute(&app.state.db.pool).await.unwrap();
    let (_, user) = person(&app, 1).await;
    let origin = Origin { device_hash: "d".into(), client_ip: "10.0.0.1".into() };
    let ms = |days: i64| (now() - days * day) * 1000;
    let events = [
        ("old round", Some(old), ms(205)),
        ("open round", Some(open), ms(0)),
        ("sign-in during the old contest", None, ms(205)),
        ("recent sign-in", None, ms(10)),
    ];
    let mut tx = app.state.db.begin_write().await.unwrap();
    for (_, round, at_ms) in &events {
        record(&mut tx, Some(&origin), Happened { kind: if round.is_some() { EventKind::Start } else { EventKind::SignIn }, user_id: user, round_id: *round, attempt_id: None, at_ms: *at_ms }).await.unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("DELETE FROM device_events WHERE device_hash <> 'd'").execute(&app.state.db.pool).await.unwrap();
    let left = || async { sqlx::query_as::<_, (Option<i64>, i64)>("SELECT round_id, at_ms FROM device_events ORDER BY at_ms").fetch_all(&app.state.db.pool).await.unwrap() };

    // 180 days (the default) after the old contest: its records go, the rest stay.
    assert_eq!(app::sweeper::purge_evidence(&app.state).await.unwrap(), 2);
    assert_eq!(left().await, vec![(None, ms(10)), (Some(open), ms(0))]);
    // A configured period longer than 200 days would have kept them all.
    let mut tx = app.state.db.begin_write().await.unwrap();
    record(&mut tx, Some(&origin), Happened { kind: EventKind::Start, user_id: user, round_id: Some(old), attempt_id: None, at_ms: ms(205) }).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app::integrity::retention::purge(&app.state.db, 365, now()).await.unwrap(), 0);
    // An old sign-in stays while a contest that was under way then is not long over.
    sqlx::query("UPDATE contests SET created_at = $1 WHERE id = $2").bind(now() - 300 * day).bind(contest).execute(&app.state.db.pool).await.unwrap();
    let mut tx = app.state.db.begin_write().await.unwrap();
    record(&mut tx, Some(&origin), Happened { kind: EventKind::SignIn, user_id: user, round_id: None, attempt_id: None, at_ms: ms(250) }).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app::sweeper::purge_evidence(&app.state).await.unwrap(), 1, "only the old round's record");
    assert_eq!(left().await.len(), 3);
}
