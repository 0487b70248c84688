//! The `integrity` scenario: how long the flags of a round of 200,000 entries take to compute
//! (the integrity page waits for it). The city is written directly: 200,000 accounts, each
//! with one submitted attempt (a realistic spread of times and scores, answer digests for those
//! with at least two mistakes), and their registration, sign-in, start and submission from a
//! device of their own behind one of 2,000 office addresses. A few dozen planted patterns
//! (shared phones, copied answer sheets, perfect scores in a minute, two devices at once,
//! phones that registered several accounts) must come out flagged.

use app::infra::state::AppState;
use app::integrity::digest::AnswerDigest;
use rand::Rng;
use serde_json::json;
use std::time::Instant;

pub struct Prepared {
    pub round: i64,
    pub organizer: app::accounts::model::CurrentUser,
    /// Attempts the planted patterns must flag.
    pub planted: Vec<i64>,
}

fn normal(rng: &mut impl Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.r#gen::<f64>().max(1e-12), rng.r#gen());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// Rows inserted many to a statement (one round trip per chunk).
async fn insert_rows(tx: &mut sqlx::Transaction<'static, sqlx::Any>, head: &str, width: usize, rows: &[Vec<Value>]) {
    for chunk in rows.chunks(200) {
        let marks: Vec<String> = (0..chunk.len()).map(|r| format!("({})", (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(", "))).collect();
        let sql = format!("{head} VALUES {}", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Int(i) => q.bind(*i),
                    Value::Text(t) => q.bind(t.clone()),
                    // PostgreSQL wants a NULL of the column's type.
                    Value::NullText => q.bind(None::<String>),
                    Value::NullInt => q.bind(None::<i64>),
                };
            }
        }
        q.execute(&mut **tx).await.unwrap();
    }
}

#[derive(Clone)]
enum Value {
    Int(i64),
    Text(String),
    NullText,
    NullInt,
}

pub async fn setup(state: &AppState, entries: usize) -> Prepared {
    let t = Instant::now();
    let round = crate::fixture::open_round(state, "integrity-organizer@bench.haiphong.gov.vn", "Hội thi đo tải: dấu hiệu thi hộ", "Đợt đo tải", 10).await;
    let organizer_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'integrity-organizer@bench.haiphong.gov.vn'").fetch_one(&state.db.pool).await.unwrap();
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await.unwrap().unwrap();
    let users = crate::fixture::participants(state, "integrity", entries).await;
    println!("  {entries} accounts in {:.1} s", t.elapsed().as_secs_f64());
    let questions: Vec<i64> = sqlx::query_scalar("SELECT id FROM questions ORDER BY id").fetch_all(&state.db.pool).await.unwrap();
    let mut rng = rand::thread_rng();
    let opens = (app::vn_time::now_secs() - 7 * 86_400) * 1000;
    let span = 7 * 86_400_000i64;
    let mut attempts = Vec::with_capacity(entries);
    // (user, started, taken, score, digest)
    let mut facts = Vec::with_capacity(entries);
    for user in &users {
        let ability = if rng.gen_bool(0.7) { rng.gen_range(0.8..1.0) } else { rng.gen_range(0.35..0.8) };
        let taken = ((480.0 * (0.45 * normal(&mut rng)).exp()).clamp(60.0, 1200.0) * 1000.0) as i64;
        let started = opens + (rng.r#gen::<f64>().cbrt() * (span - taken) as f64) as i64;
        let mut digest = AnswerDigest::default();
        let mut right = 0;
        let mut drawn = questions.clone();
        for _ in 0..10.min(drawn.len()) {
            let question = drawn.swap_remove(rng.gen_range(0..drawn.len()));
            let ok = rng.gen_bool(ability);
            right += ok as i64;
            digest.add(question, &[if ok { 0 } else { rng.gen_range(1..4) }], ok);
        }
        facts.push((*user, started, taken, right * 100, digest.finish(2)));
    }
    // Planted: a copied sheet submitted two minutes after the original (20 pairs), and perfect
    // scores in about a minute (10).
    let mut planted_users = Vec::new();
    for pair in 0..20 {
        let (a, b) = (1000 + pair * 2, 1001 + pair * 2);
        let digest = format!("3:planted{pair}");
        let started = facts[a].1;
        facts[a].4 = Some(digest.clone());
        facts[a].3 = 700;
        facts[b] = (facts[b].0, started + 120_000, facts[a].2, 700, Some(digest));
        planted_users.extend([facts[a].0, facts[b].0]);
    }
    for k in 0..10 {
        let f = &mut facts[2000 + k];
        f.2 = 55_000 + k as i64 * 1000;
        f.3 = 1000;
        planted_users.push(f.0);
    }
    let t = Instant::now();
    let mut tx = state.db.begin_write().await.unwrap();
    let rows: Vec<Vec<Value>> = facts
        .iter()
        .map(|(user, started, taken, score, digest)| {
            vec![
                Value::Int(round),
                Value::Int(*user),
                Value::Int(1),
                Value::Text("submitted".into()),
                Value::Int(*started),
                Value::Int(started + 1_200_000),
                Value::Int(started + taken),
                Value::Text("participant".into()),
                Value::Int(*score),
                Value::Int(1000),
                Value::Int(score / 100),
                Value::Int(*taken),
                digest.clone().map(Value::Text).unwrap_or(Value::NullText),
            ]
        })
        .collect();
    insert_rows(&mut tx, "INSERT INTO attempts (round_id, user_id, number, status, started_at_ms, deadline_ms, submitted_at_ms, submitted_by, score, max_score, correct_count, time_taken_ms, answer_digest)", 13, &rows).await;
    tx.commit().await.unwrap();
    let ids: Vec<(i64, i64)> = sqlx::query_as("SELECT user_id, id FROM attempts WHERE round_id = $1").bind(round).fetch_all(&state.db.pool).await.unwrap();
    let attempt_of: std::collections::HashMap<i64, i64> = ids.into_iter().collect();
    for (user, ..) in &facts {
        attempts.push(attempt_of[user]);
    }

    // Events: each person on a device of their own, behind one of 2,000 office addresses.
    let mut events: Vec<Vec<Value>> = Vec::with_capacity(4 * entries);
    let event = |kind: &str, user: i64, attempt: Option<i64>, device: String, ip: &str, at: i64| {
        vec![
            Value::Text(kind.into()),
            Value::Int(user),
            attempt.map(|_| Value::Int(round)).unwrap_or(Value::NullInt),
            attempt.map(Value::Int).unwrap_or(Value::NullInt),
            Value::Text(device),
            Value::Text(ip.into()),
            Value::Int(at),
        ]
    };
    for (k, (user, started, taken, ..)) in facts.iter().enumerate() {
        let ip = format!("113.160.{}.{}", k % 2000 / 250, k % 250);
        let device = app::accounts::devices::hash(&format!("bench-device-{k}"));
        let attempt = Some(attempts[k]);
        events.push(event("register", *user, None, device.clone(), &ip, opens - 86_400_000));
        events.push(event("sign_in", *user, None, device.clone(), &ip, started - 30_000));
        // One in five starts on the phone and finishes on the computer: a hand-over, not a flag.
        if k % 5 == 0 {
            events.push(event("start", *user, attempt, app::accounts::devices::hash(&format!("bench-phone-{k}")), &ip, *started));
            events.push(event("sign_in", *user, None, device.clone(), &ip, started + 30_000));
        } else {
            events.push(event("start", *user, attempt, device.clone(), &ip, *started));
        }
        events.push(event("submit", *user, attempt, device, &ip, started + taken));
    }
    // Planted: ten phones each used by four accounts; ten accounts active on two devices at
    // once; five phones that registered three accounts each.
    for phone in 0..10 {
        let device = app::accounts::devices::hash(&format!("bench-shared-phone-{phone}"));
        for k in 3000 + phone * 4..3004 + phone * 4 {
            events.push(event("start", facts[k].0, Some(attempts[k]), device.clone(), "113.160.9.9", facts[k].1 + 1));
            planted_users.push(facts[k].0);
        }
    }
    for k in 4000..4010 {
        let at = facts[k].1 + facts[k].2 / 2;
        events.push(event("sign_in", facts[k].0, None, app::accounts::devices::hash(&format!("bench-second-{k}")), "113.160.9.10", at));
        planted_users.push(facts[k].0);
    }
    for phone in 0..5 {
        let device = app::accounts::devices::hash(&format!("bench-registrar-{phone}"));
        for k in 5000 + phone * 3..5003 + phone * 3 {
            events.push(event("register", facts[k].0, None, device.clone(), "113.160.9.11", opens - 3_600_000));
            planted_users.push(facts[k].0);
        }
    }
    let mut tx = state.db.begin_write().await.unwrap();
    insert_rows(&mut tx, "INSERT INTO device_events (kind, user_id, round_id, attempt_id, device_hash, client_ip, at_ms)", 7, &events).await;
    tx.commit().await.unwrap();
    // Statistics for the planner, and on SQLite the bulk insert's write-ahead log copied into
    // the database file, as a database that has run for a while has them (otherwise every read
    // looks each page up in a log of hundreds of megabytes first).
    sqlx::query("ANALYZE").execute(&state.db.pool).await.unwrap();
    if state.db.backend == app::infra::db::Backend::Sqlite {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&state.db.pool).await.unwrap();
    }
    println!("  {} attempts and {} device events in {:.1} s", entries, events.len(), t.elapsed().as_secs_f64());
    let planted = planted_users.iter().map(|u| attempt_of[u]).collect();
    Prepared { round, organizer, planted }
}

/// Computes the round's flags three times (median), then the whole report the page shows.
pub async fn run(state: &AppState, p: &Prepared) -> serde_json::Value {
    let thresholds = app::integrity::model::Thresholds::default();
    let mut times = Vec::new();
    let mut flagged = 0;
    let mut missed = 0;
    for run in 1..=3 {
        let t = Instant::now();
        let computed = app::integrity::service::compute(&state.db, p.round, &thresholds).await.unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let found: std::collections::BTreeSet<i64> = computed.flags.iter().map(|f| f.attempt_id).collect();
        flagged = found.len();
        missed = p.planted.iter().filter(|a| !found.contains(a)).count();
        println!("  run {run}: flags of {} entries computed in {ms:.0} ms ({flagged} flagged, {missed} planted ones missed)", computed.checked);
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    // Where the time goes: each load, then the rules.
    let step = Instant::now();
    let attempts = app::integrity::repo::submitted_attempts(&state.db, p.round).await.unwrap();
    let load_attempts = step.elapsed().as_secs_f64() * 1000.0;
    let step = Instant::now();
    let round_events = app::integrity::repo::shared_device_events(&state.db, p.round, thresholds.shared_device_accounts as i64).await.unwrap();
    let shared = step.elapsed().as_secs_f64() * 1000.0;
    let step = Instant::now();
    let device_stretches = app::integrity::repo::multi_device_stretches(&state.db, p.round).await.unwrap();
    let windows = step.elapsed().as_secs_f64() * 1000.0;
    let step = Instant::now();
    let registrations = app::integrity::repo::shared_registrations(&state.db, p.round, thresholds.registrations_per_device as i64).await.unwrap();
    let registered = step.elapsed().as_secs_f64() * 1000.0;
    let input = app::integrity::signals::Input { attempts, round_events, device_stretches, registrations };
    let step = Instant::now();
    let _ = app::integrity::signals::assess(&input, &thresholds);
    let rules = step.elapsed().as_secs_f64() * 1000.0;
    println!(
        "  by step: submitted attempts {load_attempts:.0} ms, shared devices {shared:.0} ms ({} rows), devices in attempt windows {windows:.0} ms ({} device stretches), registrations {registered:.0} ms ({} rows), the rules {rules:.0} ms",
        input.round_events.len(), input.device_stretches.len(), input.registrations.len()
    );
    let t = Instant::now();
    let report = app::integrity::service::report(state, &p.organizer, p.round).await.unwrap();
    let page_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "integrity flags for a round of {} entries: median {:.0} ms of 3 (min {:.0}, max {:.0}); the whole report with names {page_ms:.0} ms; {} flagged, {missed} of {} planted missed",
        report.attempts_checked, times[1], times[0], times[2], report.flagged.len(), p.planted.len()
    );
    assert_eq!(missed, 0, "every planted pattern is flagged");
    json!({ "entries": report.attempts_checked, "median_ms": times[1], "steps_ms": { "attempts": load_attempts, "shared_devices": shared, "windows": windows, "registrations": registered, "rules": rules }, "runs_ms": times, "report_ms": page_ms, "flagged": flagged, "planted": p.planted.len() })
}
