//! The `deadline` scenario: the last hour of a round, on one small server.
//!
//! People signed in earlier in the day (their sessions are opened directly, without hashing
//! their passwords; the sign-in storm is measured on its own, optionally at the same time with
//! `--logins-per-sec`). `--takers` of them start an attempt within `--ramp` seconds, answer
//! every question with `--think-ms` of thought before each, save a prediction and submit, as
//! the attempt page does (each save numbered). Every acknowledged answer is then looked up in
//! the database: an acknowledged answer that is not there is lost.
//!
//! Then the saturation sweep: clients saving without pause, more at each step, spread over
//! enough attempts to stay under the per-attempt limit; the highest rate held with p99 ≤
//! 100 ms is the saturation point. Beside it, the raw ceiling of the database measured in the
//! same run: batched UPDATEs of the same table, one transaction (one fsync) per batch, with no
//! HTTP, sessions or checks.

use super::Stats;
use super::cpu::Meter;
use app::infra::state::AppState;
use rand::Rng;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::fixture::PASSWORD;

pub struct DeadlineArgs {
    pub takers: usize,
    pub ramp_secs: u64,
    pub think_ms: (u64, u64),
    pub questions: usize,
    /// Sign-ins per second arriving meanwhile (argon2id each); 0 for none.
    pub logins_per_sec: f64,
    /// Clients saving without pause at each step of the saturation sweep.
    pub steps: Vec<usize>,
    pub step_secs: u64,
}

/// What the scenario prepared: the round, and a signed-in session cookie per person.
pub struct Prepared {
    pub round: i64,
    pub cookies: Vec<String>,
    /// Accounts for the sign-in stream (they sign in with their password).
    pub login_emails: Vec<String>,
}

/// An open round of `questions` questions and `people` accounts, each signed in (a session
/// opened directly), plus `logins` accounts that will sign in with their password.
pub async fn setup(state: &AppState, database_url: &str, people: usize, logins: usize, questions: usize) -> Prepared {
    let t = Instant::now();
    let round = super::fixture::open_round(state, "btc-deadline@bench.vn", "Hội thi đo tải hạn chót", "Đợt hạn chót", questions).await;
    let ids = super::fixture::participants(state, "hanchot", people + logins).await;
    let store = server::session_store::DbSessionStore::connect(&state.db, database_url).await.unwrap();
    let mut cookies = Vec::with_capacity(people);
    for id in &ids[..people] {
        cookies.push(format!("hp_session={}", store.open_session(*id, 6 * 3600).await.unwrap()));
    }
    let login_emails = (people..people + logins).map(|i| format!("hanchot{i}@bench.haiphong.gov.vn")).collect();
    println!("prepared {people} signed-in people and {logins} to sign in, a round of {questions} questions, in {:.1} s", t.elapsed().as_secs_f64());
    Prepared { round, cookies, login_emails }
}

pub fn client(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    reqwest::Client::builder().default_headers(headers).timeout(Duration::from_secs(60)).build().unwrap()
}

fn timed(stats: &mut Stats, started: Instant, ok: bool) -> bool {
    if ok {
        stats.latencies.push(started.elapsed());
    } else {
        stats.errors += 1;
    }
    ok
}

#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Outcome {
    start: Stats,
    save: Stats,
    submit: Stats,
    /// (attempt, position, answer as shown) for every save the server acknowledged as applied.
    acked: Vec<(i64, i64, Vec<usize>)>,
    /// Seconds after the run began at which each start and each save completed.
    started_at: Vec<f64>,
    saved_at: Vec<f64>,
    login: Stats,
    /// CPU seconds the generator process used.
    generator_cpu_s: f64,
}

/// What the generator process is asked to do.
#[derive(serde::Serialize, serde::Deserialize)]
struct Plan {
    base: String,
    round: i64,
    cookies: Vec<String>,
    ramp_secs: u64,
    think_ms: (u64, u64),
    logins_per_sec: f64,
    login_emails: Vec<String>,
}

/// The generator's side: every taker (and the sign-in stream), on a runtime of its own.
async fn drive(plan: Plan) -> Outcome {
    let t0 = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let logins = (plan.logins_per_sec > 0.0).then(|| tokio::spawn(login_stream(plan.base.clone(), plan.login_emails.clone(), plan.logins_per_sec, stop.clone())));
    let tasks: Vec<_> = plan.cookies.iter().map(|cookie| tokio::spawn(taker(plan.base.clone(), plan.round, cookie.clone(), plan.ramp_secs, plan.think_ms, t0))).collect();
    let mut total = Outcome::default();
    for t in tasks {
        let o = t.await.unwrap();
        total.start.merge(o.start);
        total.save.merge(o.save);
        total.submit.merge(o.submit);
        total.acked.extend(o.acked);
        total.started_at.extend(o.started_at);
        total.saved_at.extend(o.saved_at);
    }
    stop.store(true, Ordering::Relaxed);
    if let Some(l) = logins {
        total.login = l.await.unwrap();
    }
    total
}

/// `loadgen --generate PLAN OUTCOME`: reads the plan, drives the load, writes the outcome with
/// the CPU this process used. Thousands of connections are as many open files on each side:
/// apart, the server and the phones each stay under the machine's per-process limit.
pub fn generate(plan_path: &str, outcome_path: &str) {
    let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, 65_536, 65_536);
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let plan: Plan = serde_json::from_slice(&std::fs::read(plan_path).unwrap()).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("gen").enable_all().build().unwrap();
    let mut outcome = rt.block_on(drive(plan));
    outcome.generator_cpu_s = super::cpu::own_process_s();
    std::fs::write(outcome_path, serde_json::to_vec(&outcome).unwrap()).unwrap();
}

/// Runs the generator in a child process and waits for its outcome.
fn spawn_generator(plan: &Plan) -> Outcome {
    let dir = std::env::temp_dir();
    let id = uuid::Uuid::new_v4().simple().to_string();
    let (plan_path, outcome_path) = (dir.join(format!("hp-plan-{id}.json")), dir.join(format!("hp-outcome-{id}.json")));
    std::fs::write(&plan_path, serde_json::to_vec(plan).unwrap()).unwrap();
    let status = std::process::Command::new(std::env::current_exe().unwrap()).arg("--generate").arg(&plan_path).arg(&outcome_path).status().expect("the generator process");
    assert!(status.success(), "the generator failed: {status}");
    let outcome = serde_json::from_slice(&std::fs::read(&outcome_path).unwrap()).unwrap();
    let _ = (std::fs::remove_file(plan_path), std::fs::remove_file(outcome_path));
    outcome
}

async fn taker(base: String, round: i64, cookie: String, ramp: u64, think: (u64, u64), t0: Instant) -> Outcome {
    let mut out = Outcome::default();
    let (delay, thinks): (u64, Vec<u64>) = {
        let mut rng = rand::thread_rng();
        (rng.gen_range(0..ramp.max(1) * 1000), (0..64).map(|_| rng.gen_range(think.0..=think.1)).collect())
    };
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let client = client(&cookie);
    let t = Instant::now();
    let view: Option<Value> = match client.post(format!("{base}/api/v1/rounds/{round}/attempts")).send().await {
        Ok(r) if r.status().is_success() => r.json().await.ok(),
        _ => None,
    };
    if !timed(&mut out.start, t, view.is_some()) {
        return out;
    }
    out.started_at.push(t0.elapsed().as_secs_f64());
    let view = view.unwrap();
    let attempt = view["id"].as_i64().unwrap();
    // The page numbers each choice with the server's clock as it estimates it.
    let offset = view["server_now_ms"].as_i64().unwrap() - now_ms();
    for (k, q) in view["questions"].as_array().unwrap().iter().enumerate() {
        tokio::time::sleep(Duration::from_millis(thinks[k % thinks.len()])).await;
        let position = q["position"].as_i64().unwrap();
        let options = q["options"].as_array().unwrap().len();
        let answer: Vec<usize> = {
            let mut rng = rand::thread_rng();
            if q["kind"] == "multiple" { vec![0, rng.gen_range(1..options)] } else { vec![rng.gen_range(0..options)] }
        };
        let t = Instant::now();
        let body = json!({ "answer": answer, "seq": now_ms() + offset });
        let r = client.put(format!("{base}/api/v1/attempts/{attempt}/answers/{position}")).json(&body).send().await;
        let applied = match r {
            Ok(r) if r.status().is_success() => r.json::<Value>().await.ok().and_then(|a| a["applied"].as_bool()),
            _ => None,
        };
        if timed(&mut out.save, t, applied.is_some()) {
            out.saved_at.push(t0.elapsed().as_secs_f64());
            if applied == Some(true) {
                out.acked.push((attempt, position, answer));
            }
        }
    }
    let _ = client.put(format!("{base}/api/v1/attempts/{attempt}/prediction")).json(&json!({ "value": 2000, "seq": now_ms() + offset })).send().await;
    let t = Instant::now();
    let r = client.post(format!("{base}/api/v1/attempts/{attempt}/submit")).send().await;
    timed(&mut out.submit, t, matches!(&r, Ok(r) if r.status().is_success()));
    out
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// Saves per second and their p99 in each 20-second window of the run: where it is slow.
fn timeline(at: &[f64], latencies: &[Duration]) {
    let mut windows: std::collections::BTreeMap<u64, Vec<f64>> = std::collections::BTreeMap::new();
    for (t, d) in at.iter().zip(latencies) {
        windows.entry((*t / 20.0) as u64).or_default().push(d.as_secs_f64() * 1000.0);
    }
    let line: Vec<String> = windows
        .into_iter()
        .map(|(w, mut ms)| {
            ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
            format!("{}–{} s: {:.0}/s p99 {:.0} ms", w * 20, w * 20 + 20, ms.len() as f64 / 20.0, ms[((ms.len() - 1) as f64 * 0.99) as usize])
        })
        .collect();
    println!("saves by 20-second window: {}", line.join("; "));
}

/// The highest number of events in any `window`-second span, per second.
fn peak_rate(times: &mut [f64], window: f64) -> f64 {
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] > window {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best as f64 / window
}

/// Sign-ins at `per_sec` until `stop`, each a real login with argon2id.
async fn login_stream(base: String, emails: Vec<String>, per_sec: f64, stop: Arc<AtomicBool>) -> Stats {
    let mut tasks = Vec::new();
    let gap = Duration::from_secs_f64(1.0 / per_sec.max(0.001));
    for email in emails {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(120)).build().unwrap();
            let t = Instant::now();
            let r = client.post(format!("{base}/api/v1/auth/login")).json(&json!({ "identifier": email, "password": PASSWORD })).send().await;
            (t.elapsed(), matches!(r, Ok(r) if r.status().is_success()))
        }));
        tokio::time::sleep(gap).await;
    }
    let mut stats = Stats::default();
    for t in tasks {
        let (d, ok) = t.await.unwrap();
        if ok {
            stats.latencies.push(d);
        } else {
            stats.errors += 1;
        }
    }
    stats
}

/// Results a run prints and records.
#[derive(Default, serde::Serialize)]
pub struct Figures {
    pub takers: usize,
    pub saves: usize,
    pub save_rate_peak: f64,
    pub save_p50_ms: f64,
    pub save_p99_ms: f64,
    pub save_errors: usize,
    pub start_p99_ms: f64,
    pub start_errors: usize,
    pub last_start_s: f64,
    pub lost: usize,
    pub login_p99_ms: f64,
    pub logins: usize,
    pub server_cpu_s: f64,
    pub generator_cpu_s: f64,
    pub database_cpu_s: f64,
}

pub async fn run(base: &str, prepared: &Prepared, takers: std::ops::Range<usize>, args: &DeadlineArgs, db: &app::infra::db::Db) -> Figures {
    let t0 = Instant::now();
    let meter = Meter::start();
    let n = takers.len();
    let plan = Plan {
        base: base.to_string(),
        round: prepared.round,
        cookies: prepared.cookies[takers].to_vec(),
        ramp_secs: args.ramp_secs,
        think_ms: args.think_ms,
        logins_per_sec: args.logins_per_sec,
        login_emails: prepared.login_emails.clone(),
    };
    let mut total = tokio::task::spawn_blocking(move || spawn_generator(&plan)).await.unwrap();
    let elapsed = t0.elapsed();
    let (cpu, wall) = meter.stop();
    println!(
        "deadline run: CPU server {:.1} s ({:.2} cores), generator (its own process) {:.1} s ({:.2} cores), database {:.1} s ({:.2} cores), over {wall:.1} s",
        cpu.server_s, cpu.server_s / wall, total.generator_cpu_s, total.generator_cpu_s / wall, cpu.database_s, cpu.database_s / wall
    );
    let last_start = total.started_at.iter().cloned().fold(0.0, f64::max);
    timeline(&total.saved_at, &total.save.latencies);
    let peak = peak_rate(&mut total.saved_at, 10.0);
    println!(
        "{n} takers arriving over {} s, {}–{} ms of thought per answer; run took {:.1} s; {} attempts started, the last {:.1} s after the start; saves at the busiest 10 s: {peak:.0}/s",
        args.ramp_secs, args.think_ms.0, args.think_ms.1, elapsed.as_secs_f64(), total.started_at.len(), last_start
    );
    let (_, _, s99) = total.start.report("start attempt (draw + store)", elapsed);
    let (v50, _, v99) = total.save.report("save answer (durable ack)", elapsed);
    total.submit.report("submit (score)", elapsed);
    let login_p99 = if args.logins_per_sec > 0.0 { total.login.report("sign-in meanwhile (argon2id)", elapsed).2 } else { 0.0 };
    let lost = super::fixture::lost_answers(db, &total.acked).await;
    println!("acknowledged answers: {}; found in the database: {}; lost: {lost}", total.acked.len(), total.acked.len() - lost);
    Figures {
        takers: n,
        saves: total.save.latencies.len(),
        save_rate_peak: peak,
        save_p50_ms: v50,
        save_p99_ms: v99,
        save_errors: total.save.errors,
        start_p99_ms: s99,
        start_errors: total.start.errors,
        last_start_s: last_start,
        lost,
        login_p99_ms: login_p99,
        logins: total.login.latencies.len(),
        server_cpu_s: cpu.server_s,
        generator_cpu_s: total.generator_cpu_s,
        database_cpu_s: cpu.database_s,
    }
}

