//! The crash test: clients save answers through the API while the server process is killed
//! with SIGKILL at random moments and started again. After each kill, every answer the server
//! acknowledged must be in the database: the acknowledged one, or a later one the client sent
//! for the same question (sequence numbers only grow, so the check is "the stored number is
//! at least the acknowledged one, and is one the client sent").
//!
//! `loadgen --scenario crash --cycles N --server target/release/server [--database postgres://…]`
//! The test command runs about 20 cycles on each backend with the debug server; the benchmark
//! runs 1,000.

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct CrashArgs {
    pub cycles: usize,
    /// The server binary to start and kill.
    pub server: String,
}

/// What every client sent and what the server acknowledged, per (attempt, position).
#[derive(Default)]
struct Ledger {
    sent: BTreeMap<(i64, i64), BTreeSet<i64>>,
    acked: BTreeMap<(i64, i64), i64>,
    acks: usize,
    refused: usize,
}

#[derive(serde::Serialize)]
pub struct Figures {
    pub cycles: usize,
    pub acknowledged_saves: usize,
    pub questions_checked: usize,
    pub lost: usize,
    pub kills_mid_batch_window_ms: (u64, u64),
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(args: &CrashArgs, database_url: &str, port: u16) -> Child {
    Command::new(&args.server)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("APP_BIND", format!("127.0.0.1:{port}"))
        .env("APP_SITE_ROOT", std::env::temp_dir())
        .env("APP_FILES_DIR", std::env::temp_dir().join("hp-crash-files"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary (--server PATH)")
}

async fn wait_healthy(base: &str) {
    let client = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the server did not come back within 60 s");
}

/// One client: saves random answers to its attempt, numbered upwards, until `stop`.
async fn client(base: String, attempt: i64, cookie: String, questions: i64, ledger: Arc<Mutex<Ledger>>, stop: Arc<AtomicBool>, n: usize) {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    let http = reqwest::Client::builder().default_headers(headers).timeout(Duration::from_secs(5)).build().unwrap();
    let mut last = 0i64;
    let mut k = n as i64;
    while !stop.load(Ordering::Relaxed) {
        k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let position = 1 + (k >> 33).rem_euclid(questions);
        let seq = (super::deadline_load::now_ms()).max(last + 1);
        last = seq;
        ledger.lock().unwrap().sent.entry((attempt, position)).or_default().insert(seq);
        let answer = json!({ "answer": [((k >> 40) & 1) as usize], "seq": seq });
        match http.put(format!("{base}/api/v1/attempts/{attempt}/answers/{position}")).json(&answer).send().await {
            Ok(r) if r.status().is_success() => {
                let ack: Value = r.json().await.unwrap_or(Value::Null);
                let mut l = ledger.lock().unwrap();
                if ack["applied"] == true && ack["seq"].as_i64() == Some(seq) {
                    l.acks += 1;
                    let e = l.acked.entry((attempt, position)).or_insert(seq);
                    *e = (*e).max(seq);
                }
            }
            Ok(_) => ledger.lock().unwrap().refused += 1,
            // The server is down (killed): wait a moment and go on.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
}

/// Every acknowledged answer must be stored, or a later one this client sent. Runs while the
/// server is down: no acknowledgement can arrive between the query and the comparison.
async fn check(db: &app::infra::db::Db, attempts: &[(i64, String)], ledger: &Mutex<Ledger>) -> usize {
    let list = attempts.iter().map(|(a, _)| a.to_string()).collect::<Vec<_>>().join(",");
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!("SELECT attempt_id, position, answer_seq FROM attempt_items WHERE attempt_id IN ({list})"))
        .fetch_all(&db.pool)
        .await
        .unwrap();
    let stored: BTreeMap<(i64, i64), i64> = rows.into_iter().map(|(a, p, s)| ((a, p), s)).collect();
    let ledger = ledger.lock().unwrap();
    let mut lost = 0;
    for (key, acked) in &ledger.acked {
        let s = stored.get(key).copied().unwrap_or(0);
        let ours = ledger.sent.get(key).is_some_and(|sent| sent.contains(&s));
        if s < *acked || !ours {
            lost += 1;
            eprintln!("LOST: attempt {} question {}: acknowledged seq {acked}, stored {s}", key.0, key.1);
        }
    }
    lost
}

pub async fn run(db: &app::infra::db::Db, database_url: &str, attempts: &[(i64, String)], questions: i64, args: &CrashArgs) -> Figures {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(args, database_url, port);
    wait_healthy(&base).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = attempts
        .iter()
        .enumerate()
        .map(|(n, (attempt, cookie))| tokio::spawn(client(base.clone(), *attempt, cookie.clone(), questions, ledger.clone(), stop.clone(), n)))
        .collect();
    let window = (100u64, 1500u64);
    let mut lost = 0;
    let done = AtomicUsize::new(0);
    let mut k = 7u64;
    let t0 = Instant::now();
    for cycle in 0..args.cycles {
        k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let up = window.0 + (k >> 33) % (window.1 - window.0);
        tokio::time::sleep(Duration::from_millis(up)).await;
        // SIGKILL: no shutdown, no flush; whatever the server acknowledged must already be on disk.
        server.kill().expect("kill the server");
        server.wait().unwrap();
        lost += check(db, attempts, &ledger).await;
        done.fetch_add(1, Ordering::Relaxed);
        server = start(args, database_url, port);
        wait_healthy(&base).await;
        if (cycle + 1) % 50 == 0 {
            let acks = ledger.lock().unwrap().acks;
            println!("  {} cycles, {acks} acknowledged saves, {lost} lost, {:.0} s", cycle + 1, t0.elapsed().as_secs_f64());
        }
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        let _ = c.await;
    }
    let _ = server.kill();
    let _ = server.wait();
    lost += check(db, attempts, &ledger).await;
    let l = ledger.lock().unwrap();
    println!(
        "crash test: {} SIGKILLs at random moments ({}–{} ms after each start); {} saves acknowledged over {} questions, {} refused while down or over the limit; lost: {lost}",
        done.load(Ordering::Relaxed),
        window.0,
        window.1,
        l.acks,
        l.acked.len(),
        l.refused
    );
    Figures { cycles: done.load(Ordering::Relaxed), acknowledged_saves: l.acks, questions_checked: l.acked.len(), lost, kills_mid_batch_window_ms: window }
}
