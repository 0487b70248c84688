//! The sign-in and registration throttle's counts (`login_throttle`), one row per key. The
//! rules (which keys, which limits, when a count is given back) are in `accounts::throttle`.

use crate::infra::db::{Db, WriteTx};

/// Counts one attempt against `key` at `at` and returns the count in the current window and
/// the window's start. One statement, so the count and the check cannot be raced: a window
/// older than `window_secs` starts again at 1.
pub async fn count(tx: &mut WriteTx, key: &str, window_secs: i64, at: i64) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0)
         ON CONFLICT (throttle_key) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_start + $3 <= $2 THEN 1 ELSE login_throttle.failures + 1 END,
           window_start = CASE WHEN login_throttle.window_start + $3 <= $2 THEN $2 ELSE login_throttle.window_start END
         RETURNING failures, window_start",
    )
    .bind(key)
    .bind(at)
    .bind(window_secs)
    .fetch_one(&mut **tx)
    .await
}

/// The count and window start of `key`, if it has any.
pub async fn current(db: &Db, key: &str) -> sqlx::Result<Option<(i64, i64)>> {
    sqlx::query_as("SELECT failures, window_start FROM login_throttle WHERE throttle_key = $1").bind(key).fetch_optional(&db.pool).await
}

/// Takes one attempt off `key`'s count.
pub async fn give_back(tx: &mut WriteTx, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = $1 AND failures > 0").bind(key).execute(&mut **tx).await?;
    Ok(())
}

pub async fn delete(tx: &mut WriteTx, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1").bind(key).execute(&mut **tx).await?;
    Ok(())
}
