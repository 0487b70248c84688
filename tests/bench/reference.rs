//! A fixed amount of CPU work, timed in the same run as every benchmark, so figures from two
//! machines (or two runs on a shared, noisy one) can be compared as ratios: a report that takes
//! 30 times the reference here should take about 30 times it anywhere.

use std::time::Instant;

/// The reference query: a recursive count to one million and its sum, in an in-memory SQLite
/// database (CPU only, no disk). Median of 7 runs, in milliseconds.
pub async fn cpu_query_ms() -> f64 {
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let sum: i64 = sqlx::query_scalar("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT SUM(x) FROM c")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(sum, 500_000_500_000);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    times[times.len() / 2]
}

pub async fn measure(_db: &app::infra::db::Db) -> serde_json::Value {
    let ms = cpu_query_ms().await;
    println!("reference: fixed CPU-bound query (SQLite, in memory, 1,000,000 rows) {ms:.1} ms, median of 7");
    serde_json::json!({ "cpu_query_ms": ms })
}
