//! The `participation` scenario: the city at full size. 2,000 units in a 4-level tree, rosters
//! of 250,000 people, 200,000 of them with accounts, 4 rounds (three closed and frozen, one
//! open) with the entries of about 70% of them each. It measures the full participation report,
//! a unit manager's page, and how much a running report slows the people saving answers.

use app::infra::state::AppState;
use rand::Rng;
use serde_json::json;
use std::time::{Duration, Instant};

pub struct Sizes {
    pub units: usize,
    pub roster: usize,
    pub accounts: usize,
    pub rounds: usize,
}

const PASSWORD: &str = "mật khẩu đo tải";

/// Builds the data set directly in the database (the app's own services would hash 200,000
/// passwords). Returns (open round id, a level-3 unit with its manager's e-mail).
pub async fn setup(state: &AppState, sizes: &Sizes) -> (i64, i64, String) {
    use app::accounts::model::Role;
    let t = Instant::now();
    let now = app::vn_time::now_secs();
    let hash = state.hasher.hash(PASSWORD.into()).await.unwrap().0;
    // The tree: city → 20 → 200 → the rest.
    let mut tx = state.db.pool.begin().await.unwrap();
    let mut ids: Vec<(i64, usize)> = Vec::new();
    let insert = "INSERT INTO units (code, name, search_key, kind, block, parent_id, headcount, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 'active', $7, $7) RETURNING id";
    let root: i64 = sqlx::query_scalar(insert).bind("BENCH").bind("Thành phố đo tải").bind("thanh pho do tai").bind("city").bind("city").bind(None::<i64>).bind(now).fetch_one(&mut *tx).await.unwrap();
    ids.push((root, 1));
    for i in 1..sizes.units {
        let (level, parent) = if i <= 20 { (2, root) } else if i <= 220 { (3, ids[1 + (i - 21) % 20].0) } else { (4, ids[21 + (i - 221) % 200].0) };
        let block = match (level, i % 3) { (2, 0) => "so_nganh", (2, _) => "xa_phuong", _ => "su_nghiep" };
        let name = format!("Đơn vị đo tải cấp {level} số {i}");
        let id: i64 = sqlx::query_scalar(insert).bind(format!("B{i:05}")).bind(&name).bind(app::text::fold(&name)).bind("subordinate").bind(block).bind(parent).bind(now).fetch_one(&mut *tx).await.unwrap();
        ids.push((id, level));
    }
    tx.commit().await.unwrap();
    let unit_ids: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();

    // People: accounts and roster entries, matched by e-mail.
    let mut rng = rand::thread_rng();
    let mut person_unit = Vec::with_capacity(sizes.roster);
    let mut tx = state.db.pool.begin().await.unwrap();
    for k in 0..sizes.roster {
        let unit = unit_ids[1 + rng.gen_range(0..unit_ids.len() - 1)];
        person_unit.push(unit);
        let email = format!("p{k}@bench.haiphong.gov.vn");
        if k < sizes.accounts {
            sqlx::query("INSERT INTO users (full_name, search_key, email, position, unit_id, password_hash, status, created_at, updated_at) VALUES ('Cán Bộ Đo Tải', 'can bo do tai', $1, '', $2, $3, 'active', $4, $4)")
                .bind(&email)
                .bind(unit)
                .bind(&hash)
                .bind(now)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        sqlx::query("INSERT INTO roster_entries (roster_unit_id, unit_id, full_name, search_key, staff_code, email, position, status, created_at) VALUES ($1, $1, 'Cán Bộ Đo Tải', 'can bo do tai', $2, $3, '', 'active', $4)")
            .bind(unit)
            .bind(format!("BT-{k}"))
            .bind(&email)
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let first_user: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE email LIKE 'p%@bench.haiphong.gov.vn'").fetch_one(&state.db.pool).await.unwrap();

    // An organizer, a question bank and the rounds.
    let organizer_id = app::accounts::service::create_staff_account(state, "Ban Tổ Chức Đo Tải", "btc-part@bench.vn", PASSWORD.into(), &[(Role::Organizer, None)]).await.unwrap();
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await.unwrap().unwrap();
    app::quiz::bank::import(state, &organizer, app::quiz::bank::ImportFormat::Table, include_bytes!("../../server/seed/demo-questions-cchc.csv"), "", true).await.unwrap();
    let contest = app::rounds::setup::create_contest(state, &organizer, serde_json::from_value(json!({ "title": "Hội thi đo tải", "year": 2026 })).unwrap(), app::rounds::model::Visibility::Public).await.unwrap();
    let mut rounds = Vec::new();
    // Every round is open while its entries go in (so the server's sweeper leaves it alone);
    // all but the last then close, and their figures freeze.
    for r in 0..sizes.rounds {
        let (opens, closes) = (now - (40 - 10 * r as i64) * 86_400, now + 86_400);
        let input = serde_json::from_value(json!({ "title": format!("Đợt {}", r + 1), "opens_at": opens, "closes_at": closes, "draw_rules": [{ "count": 10 }], "time_limit_secs": 1200, "prediction_question": "Bao nhiêu lượt?" })).unwrap();
        rounds.push(app::rounds::setup::create_round(state, &organizer, contest.id, input, app::rounds::model::Visibility::Public).await.unwrap());
    }
    for round in &rounds {
        let mut tx = state.db.pool.begin().await.unwrap();
        for k in 0..sizes.accounts {
            if !rng.gen_bool(0.7) {
                continue;
            }
            let at = round.settings.opens_at * 1000 + 60_000;
            sqlx::query(
                "INSERT INTO attempts (round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, submitted_at_ms, submitted_by, prediction, score, max_score, correct_count, time_taken_ms)
                 VALUES ($1, $2, $3, 1, 'submitted', $4, $5, $5, 'participant', 100, $6, 1000, $7, 600000)",
            )
            .bind(round.id)
            .bind(first_user + k as i64)
            .bind(person_unit[k])
            .bind(at)
            .bind(at + 600_000)
            .bind(rng.gen_range(3..=10) * 100)
            .bind(5)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    // The people and entries went in directly: build the live counters once.
    let t_counts = Instant::now();
    app::counters::rebuild(&state.db).await.unwrap();
    println!("participation counters built in {:.1} s", t_counts.elapsed().as_secs_f64());
    for round in &rounds[..rounds.len() - 1] {
        sqlx::query("UPDATE rounds SET closes_at = $1 WHERE id = $2").bind(round.settings.opens_at + 7 * 86_400).bind(round.id).execute(&state.db.pool).await.unwrap();
        app::sweeper::close_round(state, round.id).await.unwrap();
    }
    // A unit manager of a level-3 unit (with its level-4 units below).
    let managed = ids.iter().find(|(_, level)| *level == 3).map(|(id, _)| *id).unwrap();
    app::accounts::service::create_staff_account(state, "Đầu Mối Đo Tải", "daumoi@bench.vn", PASSWORD.into(), &[(Role::UnitManager, Some(managed))]).await.unwrap();
    println!("data: {} units, {} roster entries, {} accounts, {} rounds, {} entries; built in {:.1} s",
        sizes.units, sizes.roster, sizes.accounts, sizes.rounds,
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM attempts").fetch_one(&state.db.pool).await.unwrap(), t.elapsed().as_secs_f64());
    (rounds.last().unwrap().id, managed, "daumoi@bench.vn".into())
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{name:<44} runs {:>3}  median {:>8.1} ms  max {:>8.1} ms", times.len(), ms(times[times.len() / 2]), ms(*times.last().unwrap()));
}

async fn login(base: &str, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let r = client.post(format!("{base}/api/v1/auth/login")).json(&json!({ "identifier": email, "password": PASSWORD })).send().await.unwrap();
    assert!(r.status().is_success(), "login {email}");
    client
}

fn median_ms(times: &[Duration]) -> f64 {
    let mut t = times.to_vec();
    t.sort();
    t[t.len() / 2].as_secs_f64() * 1000.0
}

/// The reports, then answer saves alone and while full reports run back to back: with think
/// time (people answering), and saturated (clients saving without pause). Returns the figures.
pub async fn run(base: &str, state: &AppState, database_url: &str, open_round: i64, managed: i64, manager_email: &str, steps: &[usize]) -> serde_json::Value {
    let organizer = login(base, "btc-part@bench.vn").await;
    let manager = login(base, manager_email).await;
    let mut full = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let r = organizer.get(format!("{base}/api/v1/participation/rounds/{open_round}")).send().await.unwrap();
        assert!(r.status().is_success());
        let _ = r.bytes().await.unwrap();
        full.push(t.elapsed());
    }
    summary("full report, open round (live, 2,000 units)", full.clone());
    let closed: i64 = sqlx::query_scalar("SELECT MIN(id) FROM rounds").fetch_one(&state.db.pool).await.unwrap();
    let mut frozen = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let _ = organizer.get(format!("{base}/api/v1/participation/rounds/{closed}")).send().await.unwrap().bytes().await.unwrap();
        frozen.push(t.elapsed());
    }
    summary("full report, closed round (frozen)", frozen.clone());
    let mut page = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let a = manager.get(format!("{base}/api/v1/participation/rounds/{open_round}")).send().await.unwrap();
        let b = manager.get(format!("{base}/api/v1/units/{managed}/non-participants?round={open_round}")).send().await.unwrap();
        assert!(a.status().is_success() && b.status().is_success());
        let _ = (a.bytes().await.unwrap(), b.bytes().await.unwrap());
        page.push(t.elapsed());
    }
    summary("unit manager page (rates + missing list)", page.clone());

    // Saturated saves: clients saving without pause over 1,000 attempts of people who had not
    // taken the round, alone and then while full reports run back to back.
    let fresh: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.email LIKE 'p%@bench.haiphong.gov.vn' AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.user_id = u.id AND a.round_id = $1) ORDER BY u.id LIMIT 1000",
    )
    .bind(open_round)
    .fetch_all(&state.db.pool)
    .await
    .unwrap();
    let store = server::session_store::DbSessionStore::connect(&state.db, database_url).await.unwrap();
    let mut cookies = Vec::new();
    for id in &fresh {
        cookies.push(format!("hp_session={}", store.open_session(*id, 6 * 3600).await.unwrap()));
    }
    let attempts = super::saturation::open_attempts(base, open_round, &cookies).await;
    let clients = steps.iter().copied().filter(|c| *c <= 128).max().unwrap_or(64);
    let alone = super::saturation::saturation(base, &attempts, clients, 10).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reporter = tokio::spawn(report_loop(base.to_string(), open_round, stop.clone()));
    let during = super::saturation::saturation(base, &attempts, clients, 10).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let reports = reporter.await.unwrap();
    let loss = (1.0 - during.rate / alone.rate) * 100.0;
    println!("answer saves, {clients} clients saving without pause: {:.0}/s alone, {:.0}/s while {reports} full reports ran back to back ({:+.1}%)", alone.rate, during.rate, -loss);
    serde_json::json!({
        "full_report_ms": median_ms(&full), "frozen_report_ms": median_ms(&frozen), "manager_page_ms": median_ms(&page),
        "saturated_alone": alone.rate, "saturated_during_reports": during.rate, "saturated_loss_pct": loss, "reports_during": reports,
    })
}

/// Requests the full report of `round` back to back until `stop`; returns how many completed.
pub async fn report_loop(base: String, round: i64, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> usize {
    let organizer = login(&base, "btc-part@bench.vn").await;
    let mut n = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        if organizer.get(format!("{base}/api/v1/participation/rounds/{round}")).send().await.map(|r| r.status().is_success()).unwrap_or(false) {
            n += 1;
        }
    }
    n
}
