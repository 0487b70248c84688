//! The SQL of the participation counters: the tables `roster_matches`, `round_participants`,
//! `round_unit_counts`, `round_day_counts` and `unit_roster_sizes`, and the conditions that say
//! which account a roster entry is (shared with `participation::repo::matching`, which
//! computes the same figures from scratch). When each statement runs is decided in
//! `counters`.
//!
//! Unit and account ids written into statements (`IN (…)`, `= {id}`) are integers from the
//! database, never user text.

use crate::infra::db::{Db, WriteTx};

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

/// `a,b,c` for an `IN (…)` of ids.
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(",")
}

/// Counts one submission on `day` (a Vietnam-time day number) for the unit (0: none).
pub async fn count_day_entry(tx: &mut WriteTx, round_id: i64, unit: i64, day: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO round_day_counts (round_id, unit_id, day, entries) VALUES ($1, $2, $3, 1)
         ON CONFLICT (round_id, unit_id, day) DO UPDATE SET entries = round_day_counts.entries + 1",
    )
    .bind(round_id)
    .bind(unit)
    .bind(day)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds the account to the round's participants; false when it already was one.
pub async fn add_participant(tx: &mut WriteTx, round_id: i64, user_id: i64, unit_id: Option<i64>) -> sqlx::Result<bool> {
    let done = sqlx::query("INSERT INTO round_participants (round_id, user_id, unit_id) VALUES ($1, $2, $3) ON CONFLICT (round_id, user_id) DO NOTHING")
        .bind(round_id)
        .bind(user_id)
        .bind(unit_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One more person who took the round for `unit`.
pub async fn count_declared_participant(tx: &mut WriteTx, round_id: i64, unit: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO round_unit_counts (round_id, unit_id, roster_participated, declared_participated) VALUES ($1, $2, 0, 1)
         ON CONFLICT (round_id, unit_id) DO UPDATE SET declared_participated = round_unit_counts.declared_participated + 1",
    )
    .bind(round_id)
    .bind(unit)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Counts the roster entries `user_id` is, that nobody else matched to them has already
/// counted in the round.
pub async fn count_roster_entries_of(tx: &mut WriteTx, round_id: i64, user_id: i64) -> sqlx::Result<()> {
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

/// Stores the certain matches of the active entries of `roster_unit`'s roster.
pub async fn match_roster(tx: &mut WriteTx, roster_unit: i64) -> sqlx::Result<()> {
    sqlx::query(&insert_matches(&certain_matches(&format!("r.roster_unit_id = {roster_unit}")))).execute(&mut **tx).await?;
    Ok(())
}

/// Stores the certain matches of the account `user_id`.
pub async fn match_account(tx: &mut WriteTx, user_id: i64) -> sqlx::Result<()> {
    sqlx::query(&insert_matches(&certain_matches(&format!("u.id = {user_id}")))).execute(&mut **tx).await?;
    Ok(())
}

pub async fn add_match(tx: &mut WriteTx, roster_entry_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO roster_matches (roster_entry_id, user_id) VALUES ($1, $2) ON CONFLICT (roster_entry_id, user_id) DO NOTHING")
        .bind(roster_entry_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn remove_match(tx: &mut WriteTx, roster_entry_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM roster_matches WHERE roster_entry_id = $1 AND user_id = $2").bind(roster_entry_id).bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

/// The unit a roster entry sits in.
pub async fn entry_unit(tx: &mut WriteTx, roster_entry_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT unit_id FROM roster_entries WHERE id = $1").bind(roster_entry_id).fetch_optional(&mut **tx).await
}

/// Recounts the active roster entries of `units` (not empty); a unit with none gets no row.
pub async fn resize_rosters(tx: &mut WriteTx, units: &[i64]) -> sqlx::Result<()> {
    let list = id_list(units);
    sqlx::query(&format!("DELETE FROM unit_roster_sizes WHERE unit_id IN ({list})")).execute(&mut **tx).await?;
    sqlx::query(&format!(
        "INSERT INTO unit_roster_sizes (unit_id, active_entries) SELECT unit_id, COUNT(*) FROM roster_entries WHERE status = 'active' AND unit_id IN ({list}) GROUP BY unit_id"
    ))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rounds whose figures are still live (not frozen into snapshots).
const LIVE_ROUNDS: &str = "SELECT r.id FROM rounds r WHERE NOT EXISTS (SELECT 1 FROM round_unit_snapshots s WHERE s.round_id = r.id)";

/// Recomputes the roster part of `units`' (not empty) figures in every live round.
pub async fn recount_roster_figures(tx: &mut WriteTx, units: &[i64]) -> sqlx::Result<()> {
    let list = id_list(units);
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

/// Empties every counter table and fills it again from the source tables.
pub async fn recompute_all(tx: &mut WriteTx) -> sqlx::Result<()> {
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

/// Whether there are submissions but no participants, or confirmed decisions but no matches.
pub async fn counts_missing(db: &Db) -> sqlx::Result<bool> {
    let missing: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN (EXISTS (SELECT 1 FROM attempts WHERE status = 'submitted') AND NOT EXISTS (SELECT 1 FROM round_participants))
              OR (EXISTS (SELECT 1 FROM roster_decisions WHERE decision = 'confirmed') AND NOT EXISTS (SELECT 1 FROM roster_matches)) THEN 1 ELSE 0 END",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(missing == 1)
}

/// Whether no match is stored although some roster entry certainly is some account.
pub async fn certain_matches_missing(db: &Db) -> sqlx::Result<bool> {
    let none_stored = sqlx::query_scalar::<_, i64>("SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM roster_matches) THEN 1 ELSE 0 END").fetch_one(&db.pool).await? == 1;
    Ok(none_stored && sqlx::query_scalar::<_, Option<i64>>(&format!("SELECT 1 FROM ({}) AS m LIMIT 1", certain_matches("1 = 1"))).fetch_optional(&db.pool).await?.flatten().is_some())
}
