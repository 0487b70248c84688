//! The saturation sweep of the `deadline` scenario: clients saving without pause, more at each
//! step, spread over enough attempts to stay under the per-attempt limit; the highest rate held
//! with p99 ≤ 100 ms is the saturation point. Beside it, the raw ceiling of the database
//! measured in the same run: batched UPDATEs of the same table, one transaction (one fsync) per
//! batch, with no HTTP, sessions or checks.

use super::Stats;
use super::deadline_load::{client, now_ms};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// One step of the saturation sweep.
#[derive(serde::Serialize)]
pub struct Step {
    pub clients: usize,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: usize,
}

/// Clients saving without pause. Client `c` takes turns over the attempts `c, c + clients, …`
/// (each with its own session), so no attempt goes over its save limit.
pub async fn saturation(base: &str, attempts: &[(i64, String)], clients: usize, seconds: u64) -> Step {
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let mine: Vec<(i64, reqwest::Client)> = attempts.iter().skip(c).step_by(clients).map(|(id, cookie)| (*id, client(cookie))).collect();
            let base = base.to_string();
            tokio::spawn(async move {
                let mut stats = Stats::default();
                let mut k = 0usize;
                while Instant::now() < until && !mine.is_empty() {
                    let (attempt, client) = &mine[k % mine.len()];
                    let position = (k / mine.len()) % 10 + 1;
                    let t = Instant::now();
                    let body = json!({ "answer": [k % 2], "seq": now_ms() + (k % 1000) as i64 });
                    let r = client.put(format!("{base}/api/v1/attempts/{attempt}/answers/{position}")).json(&body).send().await;
                    match r {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            stats.latencies.push(t.elapsed());
                        }
                        _ => stats.errors += 1,
                    }
                    k += 1;
                }
                stats
            })
        })
        .collect();
    let mut total = Stats::default();
    for t in tasks {
        total.merge(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    let (p50, _, p99) = total.report(&format!("saving non-stop, {clients} clients"), elapsed);
    Step { clients, rate: total.latencies.len() as f64 / elapsed.as_secs_f64(), p50_ms: p50, p99_ms: p99, errors: total.errors }
}

/// Opens attempts for `cookies` (over HTTP, as people do) for the saturation sweep.
pub async fn open_attempts(base: &str, round: i64, cookies: &[String]) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    for chunk in cookies.chunks(64) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|cookie| {
                let (base, cookie) = (base.to_string(), cookie.clone());
                tokio::spawn(async move {
                    let view: Value = client(&cookie).post(format!("{base}/api/v1/rounds/{round}/attempts")).send().await.unwrap().json().await.unwrap();
                    (view["id"].as_i64().unwrap(), cookie)
                })
            })
            .collect();
        for t in tasks {
            out.push(t.await.unwrap());
        }
    }
    out
}

/// The database's own ceiling for this write: batches of `batch` UPDATEs of attempt answers,
/// one transaction (one fsync, with `synchronous=FULL`) per batch, for `seconds`; rows per
/// second. Runs on the server's database, with nothing else writing.
pub async fn raw_ceiling(db: &app::infra::db::Db, attempts: &[(i64, String)], batch: usize, seconds: u64) -> f64 {
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut rows = 0usize;
    let mut k = 0usize;
    while Instant::now() < until {
        let mut tx = db.begin_write().await.unwrap();
        for _ in 0..batch {
            let (attempt, _) = &attempts[k % attempts.len()];
            sqlx::query("UPDATE attempt_items SET answer = $1, answered_at_ms = $2 WHERE attempt_id = $3 AND position = $4")
                .bind(if k % 2 == 0 { "[0]" } else { "[1]" })
                .bind(now_ms())
                .bind(attempt)
                .bind((k / attempts.len()) as i64 % 10 + 1)
                .execute(&mut *tx)
                .await
                .unwrap();
            k += 1;
        }
        tx.commit().await.unwrap();
        rows += batch;
    }
    rows as f64 / started.elapsed().as_secs_f64()
}
