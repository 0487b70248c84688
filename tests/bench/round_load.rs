//! The `round` scenario: N civil servants take one round at once, as on a closing day.
//!
//! Each simulated participant waits a random moment within the ramp, logs in (argon2id),
//! starts an attempt, answers every question with think time between answers, saves a
//! prediction and submits. Afterwards every answer the server acknowledged is looked up in the
//! database: an acknowledged answer that is not there is a lost answer.

use super::Stats;
use rand::Rng;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub struct RoundArgs {
    pub participants: usize,
    /// The first account to use (`thisinh{first}`), so two runs can use different people.
    pub first: usize,
    pub ramp_secs: u64,
    pub think_ms: (u64, u64),
}

const PASSWORD: &str = "mật khẩu đo tải";
const DEMO_QUESTIONS: &[u8] = include_bytes!("../../server/seed/demo-questions-cchc.csv");

/// An open round of 20 questions from the demo bank, and `n` participant accounts.
pub async fn setup(state: &app::infra::state::AppState, n: usize) -> i64 {
    use app::accounts::model::Role;
    let organizer_id = app::accounts::service::create_staff_account(state, "Ban Tổ Chức Đo Tải", "btc-bench@haiphong.gov.vn", PASSWORD.into(), &[(Role::Organizer, None)]).await.unwrap();
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await.unwrap().unwrap();
    app::quiz::bank::import(state, &organizer, app::quiz::bank::ImportFormat::Table, DEMO_QUESTIONS, "", true).await.unwrap();
    let contest = app::rounds::setup::create_contest(state, &organizer, serde_json::from_value(json!({ "title": "Hội thi đo tải", "year": 2026 })).unwrap()).await.unwrap();
    let now = app::vn_time::now_secs();
    let round: app::rounds::model::RoundInput = serde_json::from_value(json!({
        "title": "Đợt đo tải", "opens_at": now - 60, "closes_at": now + 3 * 3600, "draw_rules": [{ "count": 20 }],
        "time_limit_secs": 3600, "prediction_question": "Bao nhiêu lượt dự thi?",
    }))
    .unwrap();
    let round = app::rounds::setup::create_round(state, &organizer, contest.id, round).await.unwrap();
    // Every account shares one hash of the same password: logins still verify argon2id each
    // time, but setting up 2,000 accounts does not take 2,000 hashes.
    let hash = state.hasher.hash(PASSWORD.into()).await.unwrap().0;
    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetch_one(&state.db.pool).await.unwrap();
    let mut tx = state.db.pool.begin().await.unwrap();
    for i in 0..n {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (full_name, search_key, email, position, unit_id, password_hash, status, created_at, updated_at) VALUES ($1, $2, $3, 'Chuyên viên', $4, $5, 'active', $6, $6) RETURNING id",
        )
        .bind("Cán Bộ Đo Tải")
        .bind("can bo do tai")
        .bind(format!("thisinh{i}@bench.haiphong.gov.vn"))
        .bind(unit)
        .bind(&hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query("INSERT INTO user_roles (user_id, role, unit_id, granted_at) VALUES ($1, 'participant', NULL, $2)").bind(id).bind(now).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    round.id
}

#[derive(Default)]
struct Outcome {
    login: Stats,
    start: Stats,
    save: Stats,
    submit: Stats,
    /// (attempt, position, answer as shown) for every save the server acknowledged.
    acked: Vec<(i64, i64, Vec<usize>)>,
    started_at: Vec<Duration>,
}

fn timed(stats: &mut Stats, started: Instant, ok: bool) -> bool {
    if ok {
        stats.latencies.push(started.elapsed());
    } else {
        stats.errors += 1;
    }
    ok
}

async fn participant(base: String, round: i64, i: usize, args: (u64, (u64, u64)), t0: Instant) -> Outcome {
    // `i` already includes the run's offset.
    let (ramp, think) = args;
    let mut out = Outcome::default();
    let (delay, thinks): (u64, Vec<u64>) = {
        let mut rng = rand::thread_rng();
        (rng.gen_range(0..ramp.max(1) * 1000), (0..21).map(|_| rng.gen_range(think.0..=think.1)).collect())
    };
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let client = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(60)).build().unwrap();
    let t = Instant::now();
    let r = client.post(format!("{base}/api/v1/auth/login")).json(&json!({ "identifier": format!("thisinh{i}@bench.haiphong.gov.vn"), "password": PASSWORD })).send().await;
    if !timed(&mut out.login, t, matches!(&r, Ok(r) if r.status().is_success())) {
        return out;
    }
    let t = Instant::now();
    let view: Option<Value> = match client.post(format!("{base}/api/v1/rounds/{round}/attempts")).send().await {
        Ok(r) if r.status().is_success() => r.json().await.ok(),
        _ => None,
    };
    if !timed(&mut out.start, t, view.is_some()) {
        return out;
    }
    out.started_at.push(t0.elapsed());
    let view = view.unwrap();
    let attempt = view["id"].as_i64().unwrap();
    for (k, q) in view["questions"].as_array().unwrap().iter().enumerate() {
        tokio::time::sleep(Duration::from_millis(thinks[k % thinks.len()])).await;
        let position = q["position"].as_i64().unwrap();
        let options = q["options"].as_array().unwrap().len();
        let answer: Vec<usize> = {
            let mut rng = rand::thread_rng();
            if q["kind"] == "multiple" { vec![0, rng.gen_range(1..options)] } else { vec![rng.gen_range(0..options)] }
        };
        let t = Instant::now();
        let r = client.put(format!("{base}/api/v1/attempts/{attempt}/answers/{position}")).json(&json!({ "answer": answer })).send().await;
        if timed(&mut out.save, t, matches!(&r, Ok(r) if r.status().is_success())) {
            out.acked.push((attempt, position, answer));
        }
    }
    let _ = client.put(format!("{base}/api/v1/attempts/{attempt}/prediction")).json(&json!({ "value": 2000 })).send().await;
    let t = Instant::now();
    let r = client.post(format!("{base}/api/v1/attempts/{attempt}/submit")).send().await;
    timed(&mut out.submit, t, matches!(&r, Ok(r) if r.status().is_success()));
    out
}

pub async fn run(base: &str, round: i64, args: &RoundArgs, db: &app::infra::db::Db) {
    let t0 = Instant::now();
    let tasks: Vec<_> = (args.first..args.first + args.participants).map(|i| tokio::spawn(participant(base.to_string(), round, i, (args.ramp_secs, args.think_ms), t0))).collect();
    let mut total = Outcome::default();
    for t in tasks {
        let o = t.await.unwrap();
        total.login.merge(o.login);
        total.start.merge(o.start);
        total.save.merge(o.save);
        total.submit.merge(o.submit);
        total.acked.extend(o.acked);
        total.started_at.extend(o.started_at);
    }
    let elapsed = t0.elapsed();
    let last_start = total.started_at.iter().max().copied().unwrap_or_default();
    println!(
        "{} participants, ramp {} s, think {}–{} ms per answer; run took {:.1} s; {} attempts started, the last {:.1} s after the first arrival window opened",
        args.participants, args.ramp_secs, args.think_ms.0, args.think_ms.1, elapsed.as_secs_f64(), total.started_at.len(), last_start.as_secs_f64()
    );
    total.login.report("login (argon2id)", elapsed);
    total.start.report("start attempt (draw + store)", elapsed);
    total.save.report("save answer (durable ack)", elapsed);
    total.submit.report("submit (score)", elapsed);

    // Every acknowledged answer must be in the database, as acknowledged.
    let rows = sqlx::query_as::<_, (i64, i64, String, Option<String>)>("SELECT attempt_id, position, option_order, answer FROM attempt_items").fetch_all(&db.pool).await.unwrap();
    let stored: std::collections::HashMap<(i64, i64), Vec<usize>> = rows
        .into_iter()
        .map(|(a, p, order, answer)| {
            let order: Vec<usize> = serde_json::from_str(&order).unwrap();
            let answer: Vec<usize> = answer.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
            let mut shown: Vec<usize> = answer.iter().filter_map(|s| order.iter().position(|o| o == s)).collect();
            shown.sort_unstable();
            ((a, p), shown)
        })
        .collect();
    let lost = total.acked.iter().filter(|(a, p, answer)| stored.get(&(*a, *p)) != Some(answer)).count();
    println!("acknowledged answers: {}; found in the database: {}; lost: {lost}", total.acked.len(), total.acked.len() - lost);
}
