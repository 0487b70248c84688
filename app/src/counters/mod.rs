//! Số liệu tham gia cập nhật liên tục: the live participation figures of every round, kept as
//! counters. They sit below every domain that changes what they count (accounts, units,
//! rosters, submissions), so none of those needs the participation reports above them.
//!
//! Matching 250,000 roster entries against 200,000 accounts on three identity fields at every
//! view took seconds, and a report running on the deadline took a core from the people
//! answering. Instead, what the figures are made of is stored and changed in the same
//! transaction as what changes it:
//! - `roster_matches`: who on a roster is which account (certain matches minus rejections,
//!   plus confirmations), changed by roster uploads, new accounts and unit managers' decisions;
//! - `round_participants`: each account with a submitted attempt in a round, once;
//! - `round_unit_counts` and `round_day_counts`: per unit, active roster entries matched to a
//!   participant and participants who took the round for the unit; per day, submissions.
//!
//! The counters are exact, not estimates: `rebuild` recomputes everything from the source
//! tables, and the integration tests compare the counters after each kind of change with the
//! definition in `participation::matching` computed from scratch.
//!
//! This module decides when each counter changes; the statements are in `counters::repo`.

pub mod repo;

use crate::infra::db::Db;

type Tx = crate::infra::db::WriteTx;

/// Counter updates of one round are serialised on PostgreSQL (SQLite's single writer already
/// serialises them): two people matched to the same roster entry submitting at the same moment
/// must not both count it.
const ROUND_LOCK: i64 = 727_200_000;

/// Records a submission, inside the transaction that submitted the attempt.
pub async fn on_submitted(db: &Db, tx: &mut Tx, round_id: i64, user_id: i64, unit_id: Option<i64>, submitted_at_ms: i64) -> sqlx::Result<()> {
    db.lock_key(tx, ROUND_LOCK + round_id).await?;
    repo::count_day_entry(tx, round_id, unit_id.unwrap_or(0), crate::vn_time::day_of_ms(submitted_at_ms)).await?;
    if !repo::add_participant(tx, round_id, user_id, unit_id).await? {
        // A second attempt of someone already counted changes no one's participation.
        return Ok(());
    }
    if let Some(unit) = unit_id {
        repo::count_declared_participant(tx, round_id, unit).await?;
    }
    // The roster entries this person is, that nobody else matched to them has already counted.
    repo::count_roster_entries_of(tx, round_id, user_id).await
}

/// A roster of `roster_unit` was replaced: the new entries' matches, and the figures of every
/// unit under it (old and new entries may sit in any of its sub-units).
pub async fn on_roster_replaced(tx: &mut Tx, roster_unit: i64, subtree: &[i64]) -> sqlx::Result<()> {
    repo::match_roster(tx, roster_unit).await?;
    resize_rosters(tx, subtree).await?;
    recount_units(tx, subtree).await
}

/// One entry was added to a roster in `unit` (a registered person the unit manager put on it;
/// its match to the account is stored by [`on_decision`]): the unit's roster size and figures.
pub async fn on_entry_added(tx: &mut Tx, unit: i64) -> sqlx::Result<()> {
    resize_rosters(tx, &[unit]).await?;
    recount_units(tx, &[unit]).await
}

/// Recounts the active roster entries of `units` (a unit with none has no row: its
/// denominator is then its declared headcount).
async fn resize_rosters(tx: &mut Tx, units: &[i64]) -> sqlx::Result<()> {
    if units.is_empty() {
        return Ok(());
    }
    repo::resize_rosters(tx, units).await
}

/// A new account: the roster entries it is. (It has taken no round yet, so no figure moves.)
pub async fn on_account_created(tx: &mut Tx, user_id: i64) -> sqlx::Result<()> {
    repo::match_account(tx, user_id).await
}

/// A unit manager confirmed or rejected that a roster entry is an account.
pub async fn on_decision(tx: &mut Tx, roster_entry_id: i64, user_id: i64, confirmed: bool) -> sqlx::Result<()> {
    if confirmed {
        repo::add_match(tx, roster_entry_id, user_id).await?;
    } else {
        repo::remove_match(tx, roster_entry_id, user_id).await?;
    }
    let unit = repo::entry_unit(tx, roster_entry_id).await?;
    recount_units(tx, &unit.into_iter().collect::<Vec<_>>()).await
}

/// Recomputes the roster part of `units`' figures in every live round.
async fn recount_units(tx: &mut Tx, units: &[i64]) -> sqlx::Result<()> {
    if units.is_empty() {
        return Ok(());
    }
    repo::recount_roster_figures(tx, units).await
}

/// Recomputes every stored figure from the source tables: after bulk loads that bypass the
/// services (demo data, benchmarks), and at start when the tables are new.
pub async fn rebuild(db: &Db) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    repo::recompute_all(&mut tx).await?;
    tx.commit().await
}

/// The unit tree changed (a move or a merge): which accounts belong to which roster's subtree
/// may have changed with it, so every match and figure is recomputed, in the change's own
/// transaction. Tree changes are rare; at city size this takes a few seconds.
pub async fn on_tree_changed(tx: &mut Tx) -> sqlx::Result<()> {
    repo::recompute_all(tx).await
}

/// Rebuilds when the counters are missing while there is something to count (the first start
/// after the migration that created them, or after a restore that left them out).
pub async fn rebuild_if_missing(db: &Db) -> sqlx::Result<bool> {
    let missing = repo::counts_missing(db).await?;
    if missing || repo::certain_matches_missing(db).await? {
        rebuild(db).await?;
        return Ok(true);
    }
    Ok(false)
}
