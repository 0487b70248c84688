//! Throttling of failed logins, per account and per client IP, kept in the database so that
//! several app nodes share one count.
//!
//! After `max` failures inside the window the key is locked until the window has passed again;
//! the user is told when they may retry. A success clears the account's count (not the IP's,
//! or one valid account would let an attacker keep guessing others from the same address).

use crate::error::AppError;
use crate::infra::db::{Db, now};
use sqlx::Row;

pub fn account_key(identifier: &str) -> String {
    format!("acct:{}", crate::text::fold(identifier))
}

pub fn user_key(user_id: i64) -> String {
    format!("user:{user_id}")
}

pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Refuses with `TooManyAttempts` when any of the keys is locked.
pub async fn check(db: &Db, keys: &[&str]) -> Result<(), AppError> {
    let at = now();
    for key in keys {
        let locked: Option<i64> = sqlx::query("SELECT locked_until FROM login_throttle WHERE throttle_key = $1")
            .bind(*key)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| r.get("locked_until"));
        if let Some(until) = locked.filter(|until| *until > at) {
            return Err(AppError::TooManyAttempts { retry_after_secs: until - at });
        }
    }
    Ok(())
}

/// Counts one failure against `key`; locks it when the count reaches `max`.
pub async fn record_failure(db: &Db, key: &str, max: i64, window_secs: i64) -> Result<(), AppError> {
    let at = now();
    let failures: i64 = sqlx::query_scalar(
        "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0)
         ON CONFLICT (throttle_key) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_start + $3 < $2 THEN 1 ELSE login_throttle.failures + 1 END,
           window_start = CASE WHEN login_throttle.window_start + $3 < $2 THEN $2 ELSE login_throttle.window_start END
         RETURNING failures",
    )
    .bind(key)
    .bind(at)
    .bind(window_secs)
    .fetch_one(&db.pool)
    .await?;
    if failures >= max {
        sqlx::query("UPDATE login_throttle SET locked_until = $1 WHERE throttle_key = $2")
            .bind(at + window_secs)
            .bind(key)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1").bind(key).execute(&db.pool).await?;
    Ok(())
}
