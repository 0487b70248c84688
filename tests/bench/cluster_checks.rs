//! `loadgen --scenario cluster --server target/debug/server --database postgres://…`: two app
//! nodes on one PostgreSQL behind nginx (the shipped `deploy/` configuration), and what a city
//! relies on when it runs them. Each check panics (the test command fails) when it does not hold:
//!
//! 1. the proxy speaks HTTPS with HTTP/2, sends plain HTTP to HTTPS and serves the bundles
//!    precompressed; the client address reaches the app as the proxy saw it (a client cannot
//!    choose it by sending `X-Forwarded-For`);
//! 2. a session started through node A continues on node B;
//! 3. answers saved alternately through A and B are all stored;
//! 4. the deadline sweeper (running on both nodes) submits every overdue attempt exactly once:
//!    the live participation counters count each once;
//! 5. a round's prediction value freezes exactly once;
//! 6. node A is killed (SIGKILL) mid-attempt: no acknowledged answer is lost, the participant
//!    carries on through the proxy, which sends everything to B, and no request fails;
//! 7. a rolling restart (SIGTERM, wait, start, then the other node) while people take a round
//!    through the proxy: no acknowledged answer lost, no request failed.

use super::cluster::{Cluster, ClusterArgs, client};
use super::fixture::PASSWORD;
use super::round_load;
use app::infra::state::AppState;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A signed-in person: the session cookie, sent to whichever address is given.
struct Person {
    cookie: String,
    http: reqwest13::Client,
}

impl Person {
    async fn sign_in(base: &str, identifier: String) -> Person {
        let http = client();
        let r = http.post(format!("{base}/api/v1/auth/login")).json(&json!({ "identifier": identifier, "password": PASSWORD })).send().await.unwrap();
        assert!(r.status().is_success(), "sign-in of {identifier} through {base}: {}", r.status());
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("hp_session="))
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_string();
        Person { cookie, http }
    }

    async fn send(&self, method: reqwest13::Method, url: String, body: Option<Value>) -> reqwest13::Result<reqwest13::Response> {
        let mut req = self.http.request(method, url).header("cookie", &self.cookie);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await
    }

    async fn start(&self, base: &str, round: i64) -> Value {
        let r = self.send(reqwest13::Method::POST, format!("{base}/api/v1/rounds/{round}/attempts"), None).await.unwrap();
        assert!(r.status().is_success(), "start through {base}: {}", r.status());
        r.json().await.unwrap()
    }

    /// Saves `answer` with sequence number `seq`; `Ok(true)` when acknowledged as applied.
    async fn save(&self, base: &str, attempt: i64, position: i64, answer: usize, seq: i64) -> Result<bool, String> {
        match self.send(reqwest13::Method::PUT, format!("{base}/api/v1/attempts/{attempt}/answers/{position}"), Some(json!({ "answer": [answer], "seq": seq }))).await {
            Ok(r) if r.status().is_success() => {
                let ack: Value = r.json().await.map_err(|e| e.to_string())?;
                Ok(ack["applied"] == true && ack["seq"].as_i64() == Some(seq))
            }
            Ok(r) => Err(format!("status {}", r.status())),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Every (attempt, position) → the sequence number acknowledged must be stored, or a later one.
async fn missing(db: &app::infra::db::Db, acked: &[(i64, i64, i64)]) -> usize {
    let mut lost = 0;
    for (attempt, position, seq) in acked {
        let stored: Option<i64> = sqlx::query_scalar("SELECT answer_seq FROM attempt_items WHERE attempt_id = $1 AND position = $2").bind(attempt).bind(position).fetch_one(&db.pool).await.unwrap();
        if stored.unwrap_or(0) < *seq {
            eprintln!("LOST: attempt {attempt} question {position}: acknowledged {seq}, stored {stored:?}");
            lost += 1;
        }
    }
    lost
}

async fn scalar(db: &app::infra::db::Db, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(&db.pool).await.unwrap()
}

fn seq_now() -> i64 {
    super::deadline_load::now_ms()
}

pub async fn run(state: &AppState, database_url: &str, server: &str, args: &ClusterArgs) {
    let db = &state.db;
    // Participants `thisinh0..`, an open round of 10 questions (fixture), and rounds of our own.
    let round = round_load::setup(state, 200).await;
    let mut cluster = Cluster::start(server, database_url, &ClusterArgs { nodes: 2, nginx: args.nginx.clone(), site: args.site.clone() }).await;
    let (a, b, proxy) = (cluster.node_url(0), cluster.node_url(1), cluster.base.clone());
    let email = |i: usize| format!("thisinh{i}@bench.haiphong.gov.vn");

    // 1. The proxy itself.
    let http = client();
    let r = http.get(format!("{proxy}/healthz")).send().await.unwrap();
    assert!(r.status().is_success() && r.version() == reqwest13::Version::HTTP_2, "HTTPS with HTTP/2 through the proxy: {:?} {}", r.version(), r.status());
    let plain = reqwest13::Client::builder().redirect(reqwest13::redirect::Policy::none()).build().unwrap();
    let r = plain.get(format!("http://127.0.0.1:{}/thi", cluster.http_port)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 301, "plain HTTP is sent to HTTPS");
    assert!(r.headers()["location"].to_str().unwrap().starts_with("https://"), "the redirect goes to https");
    let css = std::path::Path::new(&args.site).join("pkg/app.css.br");
    if css.exists() {
        let r = http.get(format!("{proxy}/pkg/app.css")).header("accept-encoding", "br").send().await.unwrap();
        assert_eq!(r.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("br"), "bundles served precompressed (brotli_static)");
        println!("1. proxy: HTTPS + HTTP/2, HTTP → HTTPS redirect, bundles precompressed (brotli) from the site folder");
    } else {
        println!("1. proxy: HTTPS + HTTP/2, HTTP → HTTPS redirect (no built site at {}: precompressed bundles not checked)", args.site);
    }
    // The address the app records is the one nginx saw, whatever the client claims.
    let r = http.post(format!("{proxy}/api/v1/auth/login")).header("x-forwarded-for", "203.0.113.7").json(&json!({ "identifier": email(198), "password": "sai mật khẩu" })).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401, "a wrong password through the proxy");
    let keys: Vec<String> = sqlx::query_scalar("SELECT throttle_key FROM login_throttle WHERE throttle_key LIKE 'ip:%'").fetch_all(&db.pool).await.unwrap();
    assert_eq!(keys, vec!["ip:127.0.0.1".to_string()], "the failed sign-in counts against the address nginx saw, not the one the client sent");
    println!("   client address: a failed sign-in sending X-Forwarded-For: 203.0.113.7 counts against 127.0.0.1, the address nginx saw");

    // 2. A session started through A continues on B (sessions are in the database).
    let p = Person::sign_in(&a, email(0)).await;
    let me_a: Value = p.send(reqwest13::Method::GET, format!("{a}/api/v1/me"), None).await.unwrap().json().await.unwrap();
    let r = p.send(reqwest13::Method::GET, format!("{b}/api/v1/me"), None).await.unwrap();
    assert!(r.status().is_success(), "the session from node A is known on node B: {}", r.status());
    let me_b: Value = r.json().await.unwrap();
    assert_eq!(me_a["id"], me_b["id"], "the same person on both nodes");
    println!("2. a session started through node A continues on node B (person {})", me_b["id"]);

    // 3. Answers saved alternately through A and B.
    let view = p.start(&a, round).await;
    let attempt = view["id"].as_i64().unwrap();
    let positions: Vec<i64> = view["questions"].as_array().unwrap().iter().map(|q| q["position"].as_i64().unwrap()).collect();
    let mut acked = Vec::new();
    for (k, position) in positions.iter().enumerate() {
        let node = if k % 2 == 0 { &a } else { &b };
        let seq = seq_now();
        assert_eq!(p.save(node, attempt, *position, k % 2, seq).await, Ok(true), "save of question {position} through node {}", if k % 2 == 0 { "A" } else { "B" });
        acked.push((attempt, *position, seq));
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    let seen: Value = p.send(reqwest13::Method::GET, format!("{proxy}/api/v1/attempts/{attempt}"), None).await.unwrap().json().await.unwrap();
    let answered = seen["questions"].as_array().unwrap().iter().filter(|q| q["answer"].as_array().is_some_and(|a| !a.is_empty())).count();
    assert_eq!(answered, positions.len(), "every answer saved through A or B shows through the proxy");
    assert_eq!(missing(db, &acked).await, 0);
    println!("3. {} answers saved alternately through A and B: all stored, all shown through the proxy", acked.len());

    // 4. The sweeper on both nodes submits each overdue attempt exactly once.
    let sweep_round = super::fixture::extra_round(state, "Đợt kiểm tra hạn nộp", 600).await;
    let mut overdue = Vec::new();
    let late: Vec<Person> = futures_util::future::join_all((10..40).map(|i| Person::sign_in(&proxy, email(i)))).await;
    for q in &late {
        let v = q.start(&proxy, sweep_round).await;
        let id = v["id"].as_i64().unwrap();
        let first = v["questions"][0]["position"].as_i64().unwrap();
        assert_eq!(q.save(&proxy, id, first, 0, seq_now()).await, Ok(true));
        overdue.push(id);
    }
    let list = overdue.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    // Their time ran out a minute ago (the phones are gone): only the servers can submit them.
    sqlx::query(&format!("UPDATE attempts SET deadline_ms = $1 WHERE id IN ({list})")).bind(seq_now() - 60_000).execute(&db.pool).await.unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while scalar(db, "SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND status = 'open'", sweep_round).await > 0 {
        assert!(Instant::now() < until, "the sweeper did not submit the overdue attempts within 60 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Several more sweeps on both nodes.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let by_server = scalar(db, "SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND status = 'submitted' AND submitted_by = 'server'", sweep_round).await;
    let entries = scalar(db, "SELECT CAST(COALESCE(SUM(entries), 0) AS BIGINT) FROM round_day_counts WHERE round_id = $1", sweep_round).await;
    let participants = scalar(db, "SELECT COUNT(*) FROM round_participants WHERE round_id = $1", sweep_round).await;
    assert_eq!((by_server, entries, participants), (30, 30, 30), "30 overdue attempts: each submitted once by a server and counted once");
    let swept: usize = (0..2).map(|i| logged_sum(&cluster.node_log(i), "auto-submitted attempts", "submitted")).sum();
    println!("4. 30 overdue attempts submitted by the sweeper exactly once (counted once each; nodes' logs: {swept} submissions by A and B, the rest by the benchmark's own process)");

    // 5. The prediction value freezes exactly once: a round that closes in a few seconds.
    let closers: Vec<Person> = futures_util::future::join_all((40..45).map(|i| Person::sign_in(&proxy, email(i)))).await;
    let closing = super::fixture::extra_round(state, "Đợt kiểm tra đóng đợt", 20).await;
    for q in &closers {
        let v = q.start(&proxy, closing).await;
        let r = q.send(reqwest13::Method::POST, format!("{proxy}/api/v1/attempts/{}/submit", v["id"]), None).await.unwrap();
        assert!(r.status().is_success());
    }
    let until = Instant::now() + Duration::from_secs(60);
    while scalar(db, "SELECT COUNT(*) FROM rounds WHERE id = $1 AND truth_frozen_at IS NOT NULL", closing).await == 0 {
        assert!(Instant::now() < until, "the closed round's prediction value was not frozen within 60 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let freezes = scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'round.freeze_truth' AND entity_id = $1", closing).await;
    let truth = scalar(db, "SELECT prediction_truth FROM rounds WHERE id = $1", closing).await;
    assert_eq!(freezes, 1, "the prediction value froze once");
    println!("5. the closed round's prediction value froze exactly once (value {truth}, one audit entry, after several sweeps of both nodes)");

    // 6. Node A dies mid-attempt (SIGKILL).
    let takers: Vec<Person> = futures_util::future::join_all((50..58).map(|i| Person::sign_in(&proxy, email(i)))).await;
    let mut attempts = Vec::new();
    for t in &takers {
        let v = t.start(&proxy, round).await;
        attempts.push((v["id"].as_i64().unwrap(), v["questions"].as_array().unwrap().iter().map(|q| q["position"].as_i64().unwrap()).collect::<Vec<_>>()));
    }
    let mut acked = Vec::new();
    let mut failed = Vec::new();
    let t0 = Instant::now();
    let mut killed = false;
    let mut step = 0usize;
    let through = proxy.as_str();
    while t0.elapsed() < Duration::from_secs(6) {
        if !killed && t0.elapsed() > Duration::from_secs(2) {
            cluster.kill_node(0);
            killed = true;
        }
        let saves = takers.iter().zip(&attempts).map(|(t, (id, positions))| {
            let position = positions[step % positions.len()];
            let seq = seq_now();
            async move { ((*id, position, seq), t.save(through, *id, position, step % 2, seq).await) }
        });
        for (key, outcome) in futures_util::future::join_all(saves).await {
            match outcome {
                Ok(true) => acked.push(key),
                Ok(false) => {}
                Err(e) => failed.push(e),
            }
        }
        step += 1;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert_eq!(missing(db, &acked).await, 0, "no acknowledged answer lost when node A died");
    assert!(failed.is_empty(), "requests through the proxy failed while node A died: {failed:?}");
    for (t, (id, _)) in takers.iter().zip(&attempts) {
        let r = t.send(reqwest13::Method::POST, format!("{proxy}/api/v1/attempts/{id}/submit"), None).await.unwrap();
        assert!(r.status().is_success(), "submission through the proxy after node A died: {}", r.status());
    }
    println!("6. node A killed mid-attempt: {} saves acknowledged through the proxy, 0 lost, 0 failed; the 8 people submitted through node B", acked.len());
    cluster.start_node(0).await;

    // 7. A rolling restart while people take a round through the proxy.
    let load = round_load::RoundArgs { participants: 60, first: 100, ramp_secs: 4, think_ms: (300, 900) };
    let proxy_for_load = proxy.clone();
    let db_for_load = db.clone();
    let running = tokio::spawn(async move { round_load::run(&proxy_for_load, round, &load, &db_for_load).await });
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut drains = Vec::new();
    for i in 0..2 {
        drains.push(cluster.stop_node(i).await);
        cluster.start_node(i).await;
        // As deploy/rolling-restart.sh: longer than the proxy's fail_timeout (2 s), so the
        // proxy uses the node again before the other one stops.
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    let outcome = running.await.unwrap();
    assert_eq!(outcome.lost, 0, "no acknowledged answer lost in the rolling restart");
    assert_eq!(outcome.failed, 0, "no request failed in the rolling restart (the proxy retries on the other node)");
    assert!(outcome.acked > 0);
    println!(
        "7. rolling restart (SIGTERM, drained in {:.2} s and {:.2} s, started again) under 60 people taking the round: {} answers acknowledged, 0 lost, 0 requests failed",
        drains[0].as_secs_f64(),
        drains[1].as_secs_f64(),
        outcome.acked
    );
    let errors = cluster.proxy_errors();
    let placed_nowhere = errors.lines().filter(|l| l.contains("no live upstreams")).count();
    assert_eq!(placed_nowhere, 0, "the proxy found no node for some requests:\n{errors}");
    drop(cluster);
}

/// The sum of `field` over a node's JSON log lines whose message starts with `message` (each
/// sweep that did something logs its counts).
fn logged_sum(log: &str, message: &str, field: &str) -> usize {
    log.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["fields"]["message"].as_str().is_some_and(|m| m.starts_with(message)))
        .filter_map(|l| l["fields"][field].as_u64())
        .sum::<u64>() as usize
}
