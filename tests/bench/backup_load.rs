//! `loadgen --scenario backup --server target/release/server [--database postgres://…]`: how long
//! `server backup` and `server restore` take on the participation benchmark's city (2,000 units,
//! 250,000 people on rosters, 200,000 accounts, four rounds with their entries). Each is run
//! three times by the real binary, as an operator would; the median is reported, and every
//! restored copy must hold the same number of rows as the original in the large tables.

use std::process::Command;
use std::time::Instant;

const TABLES: &[&str] = &["users", "units", "roster_entries", "attempts", "attempt_items", "round_participants", "audit_log"];

async fn counts(db: &app::infra::db::Db) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(&db.pool).await.unwrap());
    }
    out
}

fn timed_command(server: &str, database_url: &str, args: &[&str]) -> f64 {
    let t = Instant::now();
    let out = Command::new(server).args(args).env("DATABASE_URL", database_url).env("RUST_LOG", "warn").output().expect("the server binary (--server PATH)");
    assert!(out.status.success(), "server {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    t.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub async fn run(state: &app::infra::state::AppState, database_url: &str, server: &str) -> serde_json::Value {
    let sizes = super::participation_load::Sizes { units: 2000, roster: 250_000, accounts: 200_000, rounds: 4 };
    super::participation_load::setup(state, &sizes).await;
    // The city's entries with their answers, as a real year leaves them: 20 answered questions
    // per entry (the participation scenario itself needs only the entries).
    let t = Instant::now();
    let question: i64 = sqlx::query_scalar("SELECT MIN(id) FROM questions").fetch_one(&state.db.pool).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE pos(p) AS (SELECT 1 UNION ALL SELECT p + 1 FROM pos WHERE p < 20)
         INSERT INTO attempt_items (attempt_id, position, question_id, version, option_order, answer, answered_at_ms, points, answer_seq)
         SELECT a.id, pos.p, $1, 1, '[0,1,2,3]', '[1]', a.started_at_ms + pos.p * 20000, 100, a.started_at_ms + pos.p * 20000 FROM attempts a CROSS JOIN pos",
    )
    .bind(question)
    .execute(&state.db.pool)
    .await
    .unwrap();
    println!("answers added (20 per entry) in {:.1} s", t.elapsed().as_secs_f64());
    let original = counts(&state.db).await;
    println!("city: {} rows in {TABLES:?}", original.iter().map(i64::to_string).collect::<Vec<_>>().join(" / "));
    let dir = std::env::temp_dir().join(format!("hp-backup-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let postgres = database_url.starts_with("postgres");
    let (mut backups, mut restores, mut size) = (Vec::new(), Vec::new(), 0);
    for run in 0..3 {
        let file = dir.join(format!("backup{run}"));
        backups.push(timed_command(server, database_url, &["backup", "--output", file.to_str().unwrap()]));
        size = std::fs::metadata(&file).unwrap().len();
        let target = if postgres {
            let name = format!("hp_restore_{}", uuid::Uuid::new_v4().simple());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&state.db.pool).await.unwrap();
            let (base, _) = database_url.rsplit_once('/').unwrap();
            format!("{base}/{name}")
        } else {
            format!("sqlite://{}?mode=rwc", dir.join(format!("restored{run}.db")).display())
        };
        restores.push(timed_command(server, &target, &["restore", "--input", file.to_str().unwrap()]));
        let restored = app::infra::db::Db::connect(&target, 2).await.unwrap();
        assert_eq!(counts(&restored).await, original, "the restored copy holds every row");
        restored.pool.close().await;
        if postgres {
            let name = target.rsplit('/').next().unwrap();
            sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&state.db.pool).await.unwrap();
        }
        let _ = std::fs::remove_file(&file);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (b, r) = (median(backups.clone()), median(restores.clone()));
    println!("backup: median {b:.1} s of {backups:.1?}, {:.0} MB; restore into an empty database: median {r:.1} s of {restores:.1?}; every restored copy complete", size as f64 / 1e6);
    serde_json::json!({ "backup_s": b, "restore_s": r, "bytes": size })
}
