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

use crate::infra::db::Db;

type Tx = crate::infra::db::WriteTx;

/// The condition (on roster entry `r` and account `u`) that the account belongs to the
/// subtree of the roster's owner: the owner is the account's unit or one of its ancestors
/// (a walk up the tree, a few levels, per pair).
pub const ACCOUNT_IN_ROSTER_SUBTREE: &str = "r.roster_unit_id IN (WITH RECURSIVE up(id, parent_id) AS (
    SELECT x.id, x.parent_id FROM units x WHERE x.id = u.unit_id UNION ALL SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id) SELECT id FROM up)";

/// Identity matches (`entry`, `user_id`) of active entries, by CCCD, e-mail or phone, that
/// satisfy `condition` (on `r` and `u`). Three indexed joins instead of one OR-join, which no
/// index can serve.
pub fn identity_matches(condition: &str) -> String {
    format!(
        "SELECT r.id AS entry, u.id AS user_id FROM roster_entries r JOIN users u ON u.cccd = r.cccd WHERE r.status = 'active' AND r.cccd IS NOT NULL AND {condition}
         UNION SELECT r.id, u.id FROM roster_entries r JOIN users u ON u.email = r.email WHERE r.status = 'active' AND r.email IS NOT NULL AND {condition}
         UNION SELECT r.id, u.id FROM roster_entries r JOIN users u ON u.phone = r.phone WHERE r.status = 'active' AND r.phone IS NOT NULL AND {condition}"
    )
}

/// Counter updates of one round are serialised on PostgreSQL (SQLite's single writer already
/// serialises them): two people matched to the same roster entry submitting at the same moment
/// must not both count it.
const ROUND_LOCK: i64 = 727_200_000;

/// Records a submission, inside the transaction that submitted the attempt.
pub async fn on_submitted(db: &Db, tx: &mut Tx, round_id: i64, user_id: i64, unit_id: Option<i64>, submitted_at_ms: i64) -> sqlx::Result<()> {
    db.lock_key(tx, ROUND_LOCK + round_id).await?;
    sqlx::query(
        "INSERT INTO round_day_counts (round_id, unit_id, day, entries) VALUES ($1, $2, $3, 1)
         ON CONFLICT (round_id, unit_id, day) DO UPDATE SET entries = round_day_counts.entries + 1",
    )
    .bind(round_id)
    .bind(unit_id.unwrap_or(0))
    .bind(crate::vn_time::day_of_ms(submitted_at_ms))
    .execute(&mut **tx)
    .await?;
    let first = sqlx::query("INSERT INTO round_participants (round_id, user_id, unit_id) VALUES ($1, $2, $3) ON CONFLICT (round_id, user_id) DO NOTHING")
        .bind(round_id)
        .bind(user_id)
        .bind(unit_id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1;
    if !first {
        // A second attempt of someone already counted changes no one's participation.
        return Ok(());
    }
    if let Some(unit) = unit_id {
        sqlx::query(
            "INSERT INTO round_unit_counts (round_id, unit_id, roster_participated, declared_participated) VALUES ($1, $2, 0, 1)
             ON CONFLICT (round_id, unit_id) DO UPDATE SET declared_participated = round_unit_counts.declared_participated + 1",
        )
        .bind(round_id)
        .bind(unit)
        .execute(&mut **tx)
        .await?;
    }
    // The roster entries this person is, that nobody else matched to them has already counted.
    sqlx::query(
        "INSERT INTO round_unit_counts (round_id, unit_id, roster_participated, declared_participated)
         SELECT $1, e.unit_id, COUNT(*), 0 FROM roster_matches m JOIN roster_entries e ON e.id = m.roster_entry_id AND e.status = 'active'
         WHERE m.user_id = $2 AND NOT EXISTS (
             SELECT 1 FROM roster_matches o JOIN round_participants p ON p.round_id = $1 AND p.user_id = o.user_id
             WHERE o.roster_entry_id = m.roster_entry_id AND o.user_id <> $2)
         GROUP BY e.unit_id
         ON CONFLICT (round_id, unit_id) DO UPDATE SET roster_participated = round_unit_counts.roster_participated + excluded.roster_participated",
    )
    .bind(round_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The certain matches (`entry_id`, `user_id`) of the active entries selected by `entries` (an
/// SQL condition on the roster entry `r` or the account `u`): identity matches with accounts
/// of the roster's own subtree (`ACCOUNT_IN_ROSTER_SUBTREE`), without those a unit
/// manager rejected.
fn certain_matches(entries: &str) -> String {
    let not_rejected = "NOT EXISTS (SELECT 1 FROM roster_decisions d WHERE d.roster_entry_id = r.id AND d.user_id = u.id AND d.decision = 'rejected')";
    let condition = format!("{entries} AND {not_rejected} AND {}", ACCOUNT_IN_ROSTER_SUBTREE);
    format!("SELECT entry AS entry_id, user_id FROM ({}) AS i", identity_matches(&condition))
}

/// Inserts the matches selected by `select` (columns `entry_id`, `user_id`). The `WHERE` keeps
/// SQLite from reading `ON CONFLICT` as a join constraint.
fn insert_matches(select: &str) -> String {
    format!("INSERT INTO roster_matches (roster_entry_id, user_id) SELECT entry_id, user_id FROM ({select}) AS m WHERE 1 = 1 ON CONFLICT (roster_entry_id, user_id) DO NOTHING")
}

/// A roster of `roster_unit` was replaced: the new entries' matches, and the figures of every
/// unit under it (old and new entries may sit in any of its sub-units).
pub async fn on_roster_replaced(tx: &mut Tx, roster_unit: i64, subtree: &[i64]) -> sqlx::Result<()> {
    sqlx::query(&insert_matches(&certain_matches(&format!("r.roster_unit_id = {roster_unit}")))).execute(&mut **tx).await?;
    resize_rosters(tx, subtree).await?;
    recount_units(tx, subtree).await
}

/// Recounts the active roster entries of `units` (a unit with none has no row: its
/// denominator is then its declared headcount).
async fn resize_rosters(tx: &mut Tx, units: &[i64]) -> sqlx::Result<()> {
    if units.is_empty() {
        return Ok(());
    }
    // The ids are integers from the database: writing them into the SQL is safe.
    let list = units.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(",");
    sqlx::query(&format!("DELETE FROM unit_roster_sizes WHERE unit_id IN ({list})")).execute(&mut **tx).await?;
    sqlx::query(&format!(
        "INSERT INTO unit_roster_sizes (unit_id, active_entries) SELECT unit_id, COUNT(*) FROM roster_entries WHERE status = 'active' AND unit_id IN ({list}) GROUP BY unit_id"
    ))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new account: the roster entries it is. (It has taken no round yet, so no figure moves.)
pub async fn on_account_created(tx: &mut Tx, user_id: i64) -> sqlx::Result<()> {
    sqlx::query(&insert_matches(&certain_matches(&format!("u.id = {user_id}")))).execute(&mut **tx).await?;
    Ok(())
}

/// A unit manager confirmed or rejected that a roster entry is an account.
pub async fn on_decision(tx: &mut Tx, roster_entry_id: i64, user_id: i64, confirmed: bool) -> sqlx::Result<()> {
    if confirmed {
        sqlx::query("INSERT INTO roster_matches (roster_entry_id, user_id) VALUES ($1, $2) ON CONFLICT (roster_entry_id, user_id) DO NOTHING")
            .bind(roster_entry_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    } else {
        sqlx::query("DELETE FROM roster_matches WHERE roster_entry_id = $1 AND user_id = $2").bind(roster_entry_id).bind(user_id).execute(&mut **tx).await?;
    }
    let unit: Option<i64> = sqlx::query_scalar("SELECT unit_id FROM roster_entries WHERE id = $1").bind(roster_entry_id).fetch_optional(&mut **tx).await?;
    recount_units(tx, &unit.into_iter().collect::<Vec<_>>()).await
}

/// Rounds whose figures are still live (not frozen into snapshots).
const LIVE_ROUNDS: &str = "SELECT r.id FROM rounds r WHERE NOT EXISTS (SELECT 1 FROM round_unit_snapshots s WHERE s.round_id = r.id)";

/// Recomputes the roster part of `units`' figures in every live round.
async fn recount_units(tx: &mut Tx, units: &[i64]) -> sqlx::Result<()> {
    if units.is_empty() {
        return Ok(());
    }
    // The ids are integers from the database: writing them into the SQL is safe.
    let list = units.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(",");
    sqlx::query(&format!("UPDATE round_unit_counts SET roster_participated = 0 WHERE unit_id IN ({list}) AND round_id IN ({LIVE_ROUNDS})")).execute(&mut **tx).await?;
    sqlx::query(&format!(
        "INSERT INTO round_unit_counts (round_id, unit_id, roster_participated, declared_participated)
         SELECT p.round_id, e.unit_id, COUNT(DISTINCT e.id), 0 FROM roster_entries e
         JOIN roster_matches m ON m.roster_entry_id = e.id JOIN round_participants p ON p.user_id = m.user_id
         WHERE e.status = 'active' AND e.unit_id IN ({list}) AND p.round_id IN ({LIVE_ROUNDS})
         GROUP BY p.round_id, e.unit_id
         ON CONFLICT (round_id, unit_id) DO UPDATE SET roster_participated = excluded.roster_participated"
    ))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Recomputes every stored figure from the source tables: after bulk loads that bypass the
/// services (demo data, benchmarks), and at start when the tables are new.
pub async fn rebuild(db: &Db) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    rebuild_in(&mut tx).await?;
    tx.commit().await
}

/// The unit tree changed (a move or a merge): which accounts belong to which roster's subtree
/// may have changed with it, so every match and figure is recomputed, in the change's own
/// transaction. Tree changes are rare; at city size this takes a few seconds.
pub async fn on_tree_changed(tx: &mut Tx) -> sqlx::Result<()> {
    rebuild_in(tx).await
}

async fn rebuild_in(tx: &mut Tx) -> sqlx::Result<()> {
    for table in ["roster_matches", "round_participants", "round_unit_counts", "round_day_counts", "unit_roster_sizes"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut **tx).await?;
    }
    sqlx::query("INSERT INTO unit_roster_sizes (unit_id, active_entries) SELECT unit_id, COUNT(*) FROM roster_entries WHERE status = 'active' GROUP BY unit_id")
        .execute(&mut **tx)
        .await?;
    let confirmed = "SELECT d.roster_entry_id, d.user_id FROM roster_decisions d JOIN roster_entries r ON r.id = d.roster_entry_id WHERE d.decision = 'confirmed' AND r.status = 'active'";
    sqlx::query(&insert_matches(&format!("{} UNION {confirmed}", certain_matches("1 = 1")))).execute(&mut **tx).await?;
    // Each participant once, with the unit of their first submitted attempt.
    sqlx::query(
        "INSERT INTO round_participants (round_id, user_id, unit_id)
         SELECT a.round_id, a.user_id, a.unit_id FROM attempts a WHERE a.status = 'submitted' AND NOT EXISTS (
             SELECT 1 FROM attempts b WHERE b.round_id = a.round_id AND b.user_id = a.user_id AND b.status = 'submitted'
             AND (b.submitted_at_ms < a.submitted_at_ms OR (b.submitted_at_ms = a.submitted_at_ms AND b.id < a.id)))",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO round_unit_counts (round_id, unit_id, roster_participated, declared_participated)
         SELECT p.round_id, p.unit_id, 0, COUNT(*) FROM round_participants p WHERE p.unit_id IS NOT NULL GROUP BY p.round_id, p.unit_id",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO round_unit_counts (round_id, unit_id, roster_participated, declared_participated)
         SELECT p.round_id, e.unit_id, COUNT(DISTINCT e.id), 0 FROM roster_entries e
         JOIN roster_matches m ON m.roster_entry_id = e.id JOIN round_participants p ON p.user_id = m.user_id
         WHERE e.status = 'active' GROUP BY p.round_id, e.unit_id
         ON CONFLICT (round_id, unit_id) DO UPDATE SET roster_participated = excluded.roster_participated",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO round_day_counts (round_id, unit_id, day, entries)
         SELECT round_id, unit, day, COUNT(*) FROM (
           SELECT round_id, COALESCE(unit_id, 0) AS unit, (submitted_at_ms + $1) / 86400000 AS day FROM attempts WHERE status = 'submitted'
         ) s GROUP BY round_id, unit, day",
    )
    // The Vietnam-time day (see `vn_time::day_of_ms`).
    .bind(crate::vn_time::VN_OFFSET_SECS * 1000)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rebuilds when the counters are missing while there is something to count (the first start
/// after the migration that created them, or after a restore that left them out).
pub async fn rebuild_if_missing(db: &Db) -> sqlx::Result<bool> {
    let missing: bool = sqlx::query_scalar::<_, i64>(
        "SELECT CASE WHEN (EXISTS (SELECT 1 FROM attempts WHERE status = 'submitted') AND NOT EXISTS (SELECT 1 FROM round_participants))
              OR (EXISTS (SELECT 1 FROM roster_decisions WHERE decision = 'confirmed') AND NOT EXISTS (SELECT 1 FROM roster_matches)) THEN 1 ELSE 0 END",
    )
    .fetch_one(&db.pool)
    .await?
        == 1;
    let certain_missing = !missing
        && sqlx::query_scalar::<_, i64>("SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM roster_matches) THEN 1 ELSE 0 END").fetch_one(&db.pool).await? == 1
        && sqlx::query_scalar::<_, Option<i64>>(&format!("SELECT 1 FROM ({}) AS m LIMIT 1", certain_matches("1 = 1"))).fetch_optional(&db.pool).await?.flatten().is_some();
    if missing || certain_missing {
        rebuild(db).await?;
        return Ok(true);
    }
    Ok(false)
}
