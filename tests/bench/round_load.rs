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

use super::fixture::PASSWORD;

/// An open round of 20 questions from the demo bank, and `n` participant accounts
/// (`thisinh{i}`).
pub async fn setup(state: &app::infra::state::AppState, n: usize) -> i64 {
    let round = super::fixture::open_round(state, "btc-bench@haiphong.gov.vn", "Hội thi đo tải", "Đợt đo tải", 20).await;
    super::fixture::participants(state, "thisinh", n).await;
    round
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
    /// What each failed save got: the status, or the connection error.
    failures: Vec<String>,
}

fn failure(r: &reqwest13::Result<reqwest13::Response>) -> String {
    match r {
        Ok(r) => format!("status {}", r.status()),
        Err(e) => format!("{e:?}").chars().take(160).collect(),
    }
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
    // `https://` when the round runs through the proxy (`--nodes`), with the run's own certificate.
    let client = reqwest13::Client::builder().cookie_store(true).tls_danger_accept_invalid_certs(true).timeout(Duration::from_secs(60)).build().unwrap();
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
        } else {
            out.failures.push(failure(&r));
        }
    }
    let _ = client.put(format!("{base}/api/v1/attempts/{attempt}/prediction")).json(&json!({ "value": 2000 })).send().await;
    let t = Instant::now();
    let r = client.post(format!("{base}/api/v1/attempts/{attempt}/submit")).send().await;
    timed(&mut out.submit, t, matches!(&r, Ok(r) if r.status().is_success()));
    out
}

/// What a run left: answers acknowledged, of those not found in the database, requests failed.
pub struct RoundOutcome {
    pub acked: usize,
    pub lost: usize,
    pub failed: usize,
}

pub async fn run(base: &str, round: i64, args: &RoundArgs, db: &app::infra::db::Db) -> RoundOutcome {
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
        total.failures.extend(o.failures);
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
    let lost = super::fixture::lost_answers(db, &total.acked).await;
    println!("acknowledged answers: {}; found in the database: {}; lost: {lost}", total.acked.len(), total.acked.len() - lost);
    let mut kinds = std::collections::BTreeMap::new();
    for f in &total.failures {
        *kinds.entry(f.as_str()).or_insert(0) += 1;
    }
    for (kind, n) in kinds {
        println!("  failed save ×{n}: {kind}");
    }
    let failed = total.login.errors + total.start.errors + total.save.errors + total.submit.errors;
    RoundOutcome { acked: total.acked.len(), lost, failed }
}
