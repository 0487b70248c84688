//! Throttling of sign-in and registration attempts, kept in the database so that several app
//! nodes share one count.
//!
//! Each attempt is counted *before* the password is checked, in one atomic statement per key
//! that also returns the count (`acquire`), so forty parallel guesses cannot all pass a check
//! made before any of them was counted. A successful attempt then gives its count back
//! (`release`) or clears the key (`clear`). A key over its limit is refused until its window,
//! which starts with its first counted attempt, has passed.
//!
//! Sign-in keys (see `accounts::service::authenticate`):
//! - the account *and* the source together (5 per 15 minutes): a stranger's wrong passwords
//!   lock the stranger out, not the owner, who signs in from elsewhere;
//! - the account from every source that is not a device the owner signed in from before
//!   (20 per hour): a distributed guesser is slowed down, while the owner's known phone or
//!   computer still gets in (OWASP's "device cookie" defence);
//! - the source alone (200 failures per 15 minutes: an office NAT puts hundreds behind one
//!   address). This one counts failures after the fact, as a crowd signing in at once from
//!   one office must not be counted in advance; its race is bounded by the hashing permits.
//!
//! Registration keys: every registration per source (300 per hour), and registrations from a
//! source answered "already registered" (5 per 15 minutes), so the answer a real person needs
//! ("this CCCD already has an account: sign in") cannot be used as a fast lookup.

use super::repo::throttle as repo;
use crate::error::AppError;
use crate::infra::db::Db;
use crate::vn_time::now_secs;

/// A limit: at most `max` counted attempts within `window_secs` of the first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// An account that exists (by id) or a name that does not (folded, so any spelling counts
/// once). Unknown names are throttled like real ones, so the answers reveal nothing.
pub fn account(user_id: Option<i64>, identifier: &str) -> String {
    match user_id {
        Some(id) => format!("user:{id}"),
        None => format!("acct:{}", crate::text::fold(identifier)),
    }
}

/// The account tried from one source (an address, or a known device).
pub fn account_from(account: &str, source: &str) -> String {
    format!("{account}|{source}")
}

pub fn ip(ip: &str) -> String {
    format!("ip:{ip}")
}

pub fn device(token_hash: &str) -> String {
    format!("dev:{token_hash}")
}

pub fn registrations(ip: &str) -> String {
    format!("reg:{ip}")
}

pub fn taken_answers(ip: &str) -> String {
    format!("reg-taken:{ip}")
}

/// A write transaction (the counts of one attempt are written together: one commit, one
/// fsync on SQLite, however many keys).
pub type Tx = crate::infra::db::WriteTx;

/// Counts one attempt against `key` and returns the count in the current window and the
/// seconds left in it. One statement: the count and the check cannot be raced.
async fn count(tx: &mut Tx, key: &str, window_secs: i64, at: i64) -> Result<(i64, i64), AppError> {
    let (failures, start) = repo::count(tx, key, window_secs, at).await?;
    Ok((failures, (start + window_secs - at).max(1)))
}

/// Counts one attempt against every key, in one transaction; when any key is over its limit,
/// the attempt is refused (`TooManyAttempts`, with the longest wait) and the keys still under
/// their limit get their count back, so a refused attempt only keeps the exceeded key locked.
pub async fn acquire(db: &Db, keys: &[(String, Limit)]) -> Result<(), AppError> {
    let at = now_secs();
    let mut tx = db.begin_write().await?;
    let mut within = Vec::new();
    let mut wait: Option<i64> = None;
    for (key, limit) in keys {
        let (n, left) = count(&mut tx, key, limit.window_secs, at).await?;
        if n > limit.max {
            wait = Some(wait.unwrap_or(0).max(left));
        } else {
            within.push(key);
        }
    }
    if wait.is_some() {
        for key in within {
            release(&mut tx, key).await?;
        }
    }
    tx.commit().await?;
    match wait {
        None => Ok(()),
        Some(retry_after_secs) => Err(AppError::TooManyAttempts { retry_after_secs }),
    }
}

/// For limits far above what one person does (an address shared by a whole office), where
/// counting in advance would count a crowd signing in at once: refuses when `key` is over its
/// limit now. The failure is counted afterwards with [`record_failure`].
pub async fn check(db: &Db, key: &str, limit: Limit) -> Result<(), AppError> {
    let at = now_secs();
    match repo::current(db, key).await? {
        Some((n, start)) if n >= limit.max && start + limit.window_secs > at => Err(AppError::TooManyAttempts { retry_after_secs: (start + limit.window_secs - at).max(1) }),
        _ => Ok(()),
    }
}

/// Counts a failure against `key` (see [`check`]).
pub async fn record_failure(db: &Db, key: &str, limit: Limit) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    count(&mut tx, key, limit.window_secs, now_secs()).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives back the attempt counted against `key` (it succeeded, or it was not of the kind the
/// key limits).
pub async fn release(tx: &mut Tx, key: &str) -> Result<(), AppError> {
    Ok(repo::give_back(tx, key).await?)
}

pub async fn clear(tx: &mut Tx, key: &str) -> Result<(), AppError> {
    Ok(repo::delete(tx, key).await?)
}
