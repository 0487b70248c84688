//! Load generator and benchmark of the platform foundation.
//!
//! It starts the real application (the same `server::build_app` the binary uses) on a fresh
//! SQLite file, seeds the unit tree and accounts, then drives HTTP load over loopback:
//!
//! - `pages`: the server-rendered registration page (all 137 units in the picker) and the
//!   JSON unit list, by `--concurrency` clients for `--seconds`;
//! - `login-storm`: `--concurrency` clients logging in as fast as they can (argon2id each),
//!   while a probe requests `/api/v1/units` every 50 ms: the bound on concurrent hashes must keep
//!   everyone else served.
//!
//! - `round`: `--participants` civil servants take one round (log in, start, answer with
//!   think time, submit), arriving over `--ramp` seconds; every acknowledged answer is then
//!   checked in the database (see `round_load.rs`).
//!
//! - `participation`: the city at full size (2,000 units, 250,000 on rosters, 200,000
//!   accounts, 4 rounds): the full report, a unit manager's page, and answer saves while
//!   reports run (see `participation_load.rs`).
//!
//! - `integrity`: the flags of proxy-taking for a round of `--entries` (200,000) entries, three
//!   times, and the whole report the integrity page shows (see `integrity_load.rs`).
//!
//! - `awards`: a 500 MB video upload (memory growth) and seeking in a 100 MB audio file by
//!   range requests (see `award_load.rs`).
//!
//! - `cluster` (PostgreSQL only): two app nodes (`--server PATH`) behind nginx with the shipped
//!   `deploy/` configuration, and what running several nodes must keep true (see
//!   `cluster_checks.rs`). `round --nodes N` runs the round scenario through nginx in front of
//!   N node processes instead of the benchmark's own in-process server.
//!
//! - `backup`: the participation city, then `server backup` and `server restore` (the binary at
//!   `--server`) timed, three runs each (see `backup_load.rs`).
//!
//! Run: `cargo run --release -p integration-tests --bin loadgen -- --scenario all`
//! and `cargo run --release -p integration-tests --bin loadgen -- --scenario round --participants 2000`
//! Every loop is bounded by time and count, and only loopback is contacted.

mod award_load;
mod backup_load;
mod cluster;
mod cluster_checks;
mod compare;
mod cpu;
mod crash;
mod deadline_load;
mod fixture;
mod integrity_load;
mod participation_load;
mod phases;
mod reference;
mod round_load;
mod saturation;

use std::time::{Duration, Instant};

struct Args {
    scenario: String,
    seconds: u64,
    concurrency: usize,
    round: round_load::RoundArgs,
    deadline: deadline_load::DeadlineArgs,
    /// Concurrent password hashes (the server's `max_concurrent_hashes`); 0 keeps its default.
    hash_permits: usize,
    /// `postgres://…` to run on PostgreSQL (a fresh database is created and dropped);
    /// default: a fresh SQLite file.
    database: Option<String>,
    /// Where to write the headline figures as JSON (for `scripts/bench-check.sh`).
    json: Option<String>,
    /// A recorded run's JSON to compare the headline ratios with (see `compare.rs`).
    compare: Option<String>,
    /// The crash test (see `crash.rs`).
    crash: crash::CrashArgs,
    /// Node processes behind nginx (`cluster`, `round --nodes N`).
    cluster: cluster::ClusterArgs,
    /// Entries of the `integrity` scenario's round.
    entries: usize,
    /// Keep the run's database (and print where it is) to look at its queries afterwards.
    keep_database: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        scenario: "all".into(),
        seconds: 10,
        concurrency: 16,
        round: round_load::RoundArgs { participants: 2000, first: 0, ramp_secs: 60, think_ms: (2000, 8000) },
        deadline: deadline_load::DeadlineArgs { takers: 10_000, ramp_secs: 60, think_ms: (2000, 8000), questions: 20, logins_per_sec: 0.0, steps: vec![32, 64, 128, 256, 512], step_secs: 10 },
        hash_permits: 0,
        keep_database: false,
        database: None,
        json: None,
        compare: None,
        crash: crash::CrashArgs { cycles: 20, server: "target/release/server".into() },
        cluster: cluster::ClusterArgs::default(),
        entries: 200_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        let range = |v: &str| {
            let (lo, hi) = v.split_once('-').expect("MIN-MAX");
            (lo.parse().expect("MIN"), hi.parse().expect("MAX"))
        };
        match flag.as_str() {
            "--scenario" => args.scenario = value,
            "--seconds" => args.seconds = value.parse().expect("--seconds N"),
            "--concurrency" => args.concurrency = value.parse().expect("--concurrency N"),
            "--hash-permits" => args.hash_permits = value.parse().expect("--hash-permits N"),
            "--keep-database" => args.keep_database = matches!(value.as_str(), "1" | "yes" | "true"),
            "--participants" => args.round.participants = value.parse().expect("--participants N"),
            "--ramp" => {
                args.round.ramp_secs = value.parse().expect("--ramp SECONDS");
                args.deadline.ramp_secs = args.round.ramp_secs;
            }
            "--think-ms" => {
                args.round.think_ms = range(&value);
                args.deadline.think_ms = args.round.think_ms;
            }
            "--takers" => args.deadline.takers = value.parse().expect("--takers N"),
            "--questions" => args.deadline.questions = value.parse().expect("--questions N"),
            "--logins-per-sec" => args.deadline.logins_per_sec = value.parse().expect("--logins-per-sec R"),
            "--steps" => args.deadline.steps = value.split(',').map(|s| s.parse().expect("--steps N,N,…")).collect(),
            "--step-secs" => args.deadline.step_secs = value.parse().expect("--step-secs S"),
            "--database" => args.database = Some(value),
            "--json" => args.json = Some(value),
            "--compare" => args.compare = Some(value),
            "--cycles" => args.crash.cycles = value.parse().expect("--cycles N"),
            "--server" => args.crash.server = value,
            "--nodes" => args.cluster.nodes = value.parse().expect("--nodes N"),
            "--nginx" => args.cluster.nginx = value,
            "--site" => args.cluster.site = value,
            "--entries" => args.entries = value.parse().expect("--entries N"),
            other => panic!(
                "unknown flag {other}; use --scenario pages|login-storm|round|deadline|saturation|participation|integrity|awards|crash|cluster|backup|all --seconds N --concurrency N \
                 --participants N --takers N --questions N --ramp S --think-ms MIN-MAX --logins-per-sec R --steps N,N --step-secs S --database URL --keep-database 1 --json FILE --compare RECORDED.json --cycles N --server PATH --nodes N --nginx PATH --site DIR --entries N"
            ),
        }
    }
    args
}

#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Stats {
    latencies: Vec<Duration>,
    errors: usize,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
    }

    /// Prints the figures and returns (p50, p95, p99) in milliseconds.
    fn report(&mut self, name: &str, elapsed: Duration) -> (f64, f64, f64) {
        self.latencies.sort();
        let pct = |p: f64| {
            if self.latencies.is_empty() {
                return 0.0;
            }
            let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
            self.latencies[i].as_secs_f64() * 1000.0
        };
        println!(
            "{name:<28} {:>7} req  {:>8.1} req/s  p50 {:>7.1} ms  p95 {:>7.1} ms  p99 {:>7.1} ms  errors {}",
            self.latencies.len(),
            self.latencies.len() as f64 / elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.95),
            pct(0.99),
            self.errors
        );
        (pct(0.50), pct(0.95), pct(0.99))
    }
}

async fn hammer(client: reqwest::Client, url: String, until: Instant) -> Stats {
    let mut stats = Stats::default();
    while Instant::now() < until {
        let started = Instant::now();
        match client.get(&url).send().await {
            Ok(r) if r.status().is_success() => {
                let _ = r.bytes().await;
                stats.latencies.push(started.elapsed());
            }
            _ => stats.errors += 1,
        }
    }
    stats
}

async fn run_get(name: &str, url: String, args: &Args) {
    let until = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..args.concurrency).map(|_| tokio::spawn(hammer(reqwest::Client::new(), url.clone(), until))).collect();
    let mut total = Stats::default();
    for t in tasks {
        total.merge(t.await.unwrap());
    }
    total.report(name, started.elapsed());
}

async fn login_storm(base: &str, users: usize, args: &Args) {
    let until = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let logins: Vec<_> = (0..args.concurrency)
        .map(|worker| {
            let url = format!("{base}/api/v1/auth/login");
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut stats = Stats::default();
                let mut n = worker;
                while Instant::now() < until {
                    let body = serde_json::json!({ "identifier": format!("bench{}@haiphong.gov.vn", n % users), "password": "mật khẩu đo tải" });
                    let t = Instant::now();
                    match client.post(&url).json(&body).send().await {
                        Ok(r) if r.status().is_success() => stats.latencies.push(t.elapsed()),
                        _ => stats.errors += 1,
                    }
                    n += 7;
                }
                stats
            })
        })
        .collect();
    let probe_url = format!("{base}/api/v1/units");
    let probe = tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut stats = Stats::default();
        while Instant::now() < until {
            let t = Instant::now();
            match client.get(&probe_url).send().await {
                Ok(r) if r.status().is_success() => {
                    let _ = r.bytes().await;
                    stats.latencies.push(t.elapsed());
                }
                _ => stats.errors += 1,
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stats
    });
    let mut total = Stats::default();
    for t in logins {
        total.merge(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    total.report("login storm (argon2id)", elapsed);
    probe.await.unwrap().report("  unit list during storm", elapsed);
}

/// A fresh database for the run: a new PostgreSQL database next to `--database`, or a new
/// SQLite file. Returns its URL and, for PostgreSQL, the admin URL to drop it afterwards.
fn fresh_database(args: &Args, rt: &tokio::runtime::Runtime) -> (String, Option<(String, String)>) {
    let name = format!("hp_bench_{}", uuid::Uuid::new_v4().simple());
    match &args.database {
        Some(url) if url.starts_with("postgres") => {
            use sqlx::Connection;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(url).await.expect("PostgreSQL for --database");
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
            });
            let base = url.rsplit_once('/').map(|(b, _)| b.to_string()).expect("a database URL with a path");
            (format!("{base}/{name}"), Some((url.clone(), name)))
        }
        _ => (format!("sqlite://{}?mode=rwc", std::env::temp_dir().join(format!("{name}.db")).display()), None),
    }
}

fn main() {
    // `loadgen --generate PLAN OUTCOME`: the simulated phones of the deadline scenario, in a
    // process of their own (see `deadline_load::spawn_generator`).
    let raw: Vec<String> = std::env::args().collect();
    if raw.get(1).map(String::as_str) == Some("--generate") {
        deadline_load::generate(&raw[2], &raw[3]);
        return;
    }
    let args = parse_args();
    let phases = phases::install();
    // The server and thousands of simulated phones share this process: each connection is two
    // open files here. Root may raise the hard limit; otherwise the soft one goes up to it.
    let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, 65_536, 65_536);
    println!("open-file limit: {}", server::raise_open_file_limit());
    // Errors of the application show up on standard error, with their request ids.
    let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("error")).with_writer(std::io::stderr).try_init();
    // The app gets its own runtime (like the real binary), the load its own; their threads are
    // named so the CPU each side uses can be told apart (see `cpu.rs`).
    let server_rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("srv").enable_all().build().unwrap();
    let (database_url, drop_after) = fresh_database(&args, &server_rt);
    let files_dir = std::env::temp_dir().join(format!("hp-bench-files-{}", uuid::Uuid::new_v4().simple())).display().to_string();
    let (base, state) = server_rt.block_on(async {
        let mut config = server::config::Config { database_url: database_url.clone(), files_dir: files_dir.clone(), ..Default::default() };
        // Generous login limits: the storm reuses a few accounts from one address.
        config.login.max_failures_per_ip = 1_000_000;
        // Thousands of participants at once: enough connections for readers beside the writer.
        config.max_connections = 32;
        if args.hash_permits > 0 {
            config.max_concurrent_hashes = args.hash_permits;
        }
        let db = server::connect(&config).await.unwrap();
        let (router, state) = server::build_app(&config, db).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
        });
        server::seed::seed_units(&state).await.unwrap();
        (format!("http://{addr}"), state)
    });
    let load_rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("gen").enable_all().build().unwrap();
    let backend = state.db.backend.name();
    println!("benchmark — scenario {}, {backend}, {} CPU cores", args.scenario, std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0));
    let reference = load_rt.block_on(reference::measure(&state.db));
    let mut record = serde_json::json!({ "backend": backend, "scenario": args.scenario, "reference": reference });
    let mut crash_lost = 0;
    if args.scenario == "pages" || args.scenario == "all" {
        load_rt.block_on(run_get("GET /register (SSR)", format!("{base}/register"), &args));
        load_rt.block_on(run_get("GET /api/v1/units (JSON)", format!("{base}/api/v1/units"), &args));
    }
    if args.scenario == "login-storm" || args.scenario == "all" {
        const USERS: usize = 20;
        server_rt.block_on(async {
            for i in 0..USERS {
                app::accounts::service::create_staff_account(&state, "Cán Bộ Đo Tải", &format!("bench{i}@haiphong.gov.vn"), "mật khẩu đo tải".into(), &[(app::accounts::model::Role::Participant, None)])
                    .await
                    .unwrap();
            }
        });
        load_rt.block_on(login_storm(&base, USERS, &args));
    }
    if args.scenario == "awards" {
        load_rt.block_on(award_load::run(&base, &state));
    }
    if args.scenario == "deadline" || args.scenario == "saturation" {
        let d = &args.deadline;
        let takers = if args.scenario == "deadline" { d.takers } else { 0 };
        // The sweep uses attempts of its own, opened after the deadline run.
        let sweepers = 2_000;
        let logins = if d.logins_per_sec > 0.0 { (d.logins_per_sec * (d.ramp_secs as f64 + 12.0 * d.think_ms.1 as f64 / 1000.0)) as usize + 10 } else { 0 };
        let prepared = server_rt.block_on(deadline_load::setup(&state, &database_url, takers + sweepers, logins, d.questions));
        let _ = phases::report(&phases, "server time by phase, while preparing");
        if takers > 0 {
            let figures = load_rt.block_on(deadline_load::run(&base, &prepared, 0..takers, d, &state.db));
            record["deadline"] = serde_json::to_value(&figures).unwrap();
            record["deadline_phases"] = phases::report(&phases, "server time by phase, deadline run");
        }
        let attempts = load_rt.block_on(saturation::open_attempts(&base, prepared.round, &prepared.cookies[takers..]));
        let mut steps = Vec::new();
        for clients in &d.steps {
            let meter = cpu::Meter::start();
            steps.push(load_rt.block_on(saturation::saturation(&base, &attempts, *clients, d.step_secs)));
            meter.report("  step");
            phases::report(&phases, "  server time by phase");
        }
        let held = steps.iter().filter(|s| s.p99_ms <= 100.0 && s.errors == 0).map(|s| s.rate).fold(0.0, f64::max);
        let ceiling = load_rt.block_on(saturation::raw_ceiling(&state.db, &attempts, 256, 5));
        println!("saturation point (highest save rate held with p99 ≤ 100 ms): {held:.0}/s; raw {backend} ceiling (batches of 256 UPDATEs, one transaction each): {ceiling:.0} rows/s; ratio {:.3}", held / ceiling);
        record["saturation"] = serde_json::json!({ "steps": steps, "held": held, "ceiling": ceiling });
    }
    if args.scenario == "participation" {
        let sizes = participation_load::Sizes { units: 2000, roster: 250_000, accounts: 200_000, rounds: 4 };
        let (open, managed, manager) = server_rt.block_on(participation_load::setup(&state, &sizes));
        let figures = load_rt.block_on(participation_load::run(&base, &state, &database_url, open, managed, &manager, &args.deadline.steps));
        record["participation"] = figures;
        // The contest-round benchmark (people answering with think time) alone, then while
        // full reports of the big round run back to back.
        let takers = round_load::RoundArgs { participants: 1000, first: 0, ramp_secs: 15, think_ms: (1000, 3000) };
        let round = server_rt.block_on(round_load::setup(&state, 2 * takers.participants));
        println!("-- round benchmark alone --");
        load_rt.block_on(round_load::run(&base, round, &takers, &state.db));
        println!("-- round benchmark while full participation reports run back to back --");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reports = load_rt.spawn(participation_load::report_loop(base.clone(), open, stop.clone()));
        load_rt.block_on(round_load::run(&base, round, &round_load::RoundArgs { first: takers.participants, ..takers }, &state.db));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        println!("full reports completed meanwhile: {}", load_rt.block_on(reports).unwrap());
    }
    if args.scenario == "integrity" {
        let prepared = server_rt.block_on(integrity_load::setup(&state, args.entries));
        record["integrity"] = server_rt.block_on(integrity_load::run(&state, &prepared));
    }
    if args.scenario == "crash" {
        // 16 people mid-attempt on 20 questions, saving about 8 answers a second each.
        let prepared = server_rt.block_on(deadline_load::setup(&state, &database_url, 16, 0, 20));
        let attempts = load_rt.block_on(saturation::open_attempts(&base, prepared.round, &prepared.cookies));
        let figures = load_rt.block_on(crash::run(&state.db, &database_url, &attempts, 20, &args.crash));
        crash_lost = figures.lost;
        record["crash"] = serde_json::to_value(&figures).unwrap();
    }
    if args.scenario == "round" {
        let round = server_rt.block_on(round_load::setup(&state, args.round.participants));
        if args.cluster.nodes > 0 {
            let nodes = load_rt.block_on(cluster::Cluster::start(&args.crash.server, &database_url, &args.cluster));
            println!("through nginx ({}) in front of {} node processes", nodes.base, args.cluster.nodes);
            load_rt.block_on(round_load::run(&nodes.base.clone(), round, &args.round, &state.db));
        } else {
            load_rt.block_on(round_load::run(&base, round, &args.round, &state.db));
        }
    }
    if args.scenario == "backup" {
        record["backup"] = load_rt.block_on(backup_load::run(&state, &database_url, &args.crash.server));
    }
    let mut cluster_failed = false;
    if args.scenario == "cluster" {
        assert!(database_url.starts_with("postgres"), "--scenario cluster runs on PostgreSQL: give --database postgres://…");
        let checks = std::panic::AssertUnwindSafe(|| load_rt.block_on(cluster_checks::run(&state, &database_url, &args.crash.server, &args.cluster)));
        cluster_failed = std::panic::catch_unwind(checks).is_err();
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&record).unwrap()).expect("--json FILE");
        println!("figures written to {path}");
    }
    let compared_ok = match &args.compare {
        Some(path) => compare::compare(&record, &serde_json::from_slice(&std::fs::read(path).expect("--compare FILE")).expect("--compare: JSON")),
        None => true,
    };
    drop(state);
    // A SQLite run leaves up to a gigabyte (database and WAL): delete it as PostgreSQL's is
    // dropped, or repeated runs fill the disk.
    if args.keep_database {
        println!("database kept: {database_url}");
    } else if let Some(path) = database_url.strip_prefix("sqlite://").and_then(|rest| rest.split('?').next()) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let _ = std::fs::remove_dir_all(&files_dir);
    if let Some((admin, name)) = drop_after.filter(|_| !args.keep_database) {
        use sqlx::Connection;
        load_rt.block_on(async {
            // The app's pool is still open: end its connections with the database.
            if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
            }
        });
    }
    if !compared_ok {
        std::process::exit(3);
    }
    if cluster_failed {
        eprintln!("a check of the two-node setup failed (above)");
        std::process::exit(5);
    }
    if crash_lost > 0 {
        eprintln!("the crash test lost {crash_lost} acknowledged answers");
        std::process::exit(4);
    }
}
