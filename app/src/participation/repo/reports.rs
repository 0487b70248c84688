//! The live participation reports, read from the counters `crate::counters` keeps: roster
//! sizes, per-unit and per-day counts, and the lists a unit manager works from. `visible` or
//! `units` restrict a query to a manager's subtree (see [`in_clause`]).

use super::in_clause;
use crate::infra::db::Db;
use crate::participation::model::AccountRef;
use std::collections::BTreeSet;

/// Active roster entries per unit (of `visible`, or all): (unit, entries).
pub async fn roster_sizes(db: &Db, visible: Option<&BTreeSet<i64>>) -> sqlx::Result<Vec<(i64, i64)>> {
    let scope = in_clause("unit_id", visible);
    sqlx::query_as(&format!("SELECT unit_id, active_entries FROM unit_roster_sizes WHERE 1 = 1{scope}")).fetch_all(&db.pool).await
}

/// A unit's counts in a period: roster entries matched to a participant, and participants who
/// took part for the unit.
#[derive(Debug, sqlx::FromRow)]
pub struct UnitCounts {
    pub unit_id: i64,
    pub roster_participated: i64,
    pub declared_participated: i64,
}

/// The round's counts per unit (of `visible`, or all).
pub async fn round_unit_counts(db: &Db, round_id: i64, visible: Option<&BTreeSet<i64>>) -> sqlx::Result<Vec<UnitCounts>> {
    let scope = in_clause("unit_id", visible);
    sqlx::query_as(&format!("SELECT unit_id, roster_participated, declared_participated FROM round_unit_counts WHERE round_id = $1{scope}"))
        .bind(round_id)
        .fetch_all(&db.pool)
        .await
}

/// The rounds of a contest (`$1`).
// Staff rounds only: a civil servant who also took a public round is not counted for their
// unit by it (public rounds are counted per commune, in `citizens`).
const CONTEST_ROUNDS: &str = "SELECT id FROM rounds WHERE contest_id = $1 AND audience = 'staff'";

/// Per unit: active roster entries matched to someone who took part in any round of the
/// contest.
pub async fn contest_roster_counts(db: &Db, contest_id: i64, visible: Option<&BTreeSet<i64>>) -> sqlx::Result<Vec<(i64, i64)>> {
    let sql = format!(
        "SELECT e.unit_id, CAST(COUNT(*) AS BIGINT) FROM roster_entries e WHERE e.status = 'active'{} AND EXISTS (
             SELECT 1 FROM roster_matches m WHERE m.roster_entry_id = e.id
             AND EXISTS (SELECT 1 FROM round_participants p WHERE p.user_id = m.user_id AND p.round_id IN ({CONTEST_ROUNDS})))
         GROUP BY e.unit_id",
        in_clause("e.unit_id", visible)
    );
    counts_of_contest(db, &sql, contest_id).await
}

/// (unit, count) rows of a statement whose one parameter is the contest.
async fn counts_of_contest(db: &Db, sql: &str, contest_id: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(sql).bind(contest_id).fetch_all(&db.pool).await
}

/// Per unit: people who took a round of the contest for it, each counted once, for the unit
/// of their first round's entry.
pub async fn contest_declared_counts(db: &Db, contest_id: i64, visible: Option<&BTreeSet<i64>>) -> sqlx::Result<Vec<(i64, i64)>> {
    let sql = format!(
        "SELECT p.unit_id, CAST(COUNT(DISTINCT p.user_id) AS BIGINT) FROM round_participants p WHERE p.round_id IN ({CONTEST_ROUNDS}) AND p.unit_id IS NOT NULL{} AND NOT EXISTS (
             SELECT 1 FROM round_participants q WHERE q.user_id = p.user_id AND q.round_id IN ({CONTEST_ROUNDS}) AND q.round_id < p.round_id)
         GROUP BY p.unit_id",
        in_clause("p.unit_id", visible)
    );
    counts_of_contest(db, &sql, contest_id).await
}

/// Entries submitted per day (a Vietnam-time day number), for the units in view, by day.
pub async fn entries_per_day(db: &Db, round_id: i64, visible: Option<&BTreeSet<i64>>) -> sqlx::Result<Vec<(i64, i64)>> {
    let scope = in_clause("unit_id", visible);
    sqlx::query_as(&format!("SELECT day, CAST(SUM(entries) AS BIGINT) FROM round_day_counts WHERE round_id = $1{scope} GROUP BY day ORDER BY day"))
        .bind(round_id)
        .fetch_all(&db.pool)
        .await
}

/// An active roster entry matched to no one who took the round.
#[derive(Debug, sqlx::FromRow)]
pub struct NonParticipantRow {
    pub id: i64,
    pub unit_id: i64,
    pub full_name: String,
    pub position: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// 1 when the entry is matched to some account.
    pub has_account: i64,
}

/// The roster entries of `units` matched to no one who took the round.
///
/// The subqueries are nested, not joined, on purpose: as a join, SQLite walked the round's
/// participants (140,000 at city size) for every roster entry, and a unit manager's page took
/// 13 s; nested, each entry looks up its own matches, then each match by key, and the page
/// takes about 80 ms (README, "Deadline day").
pub async fn non_participants(db: &Db, units: &BTreeSet<i64>, round_id: i64) -> sqlx::Result<Vec<NonParticipantRow>> {
    sqlx::query_as(&format!(
        "SELECT e.id, e.unit_id, e.full_name, e.position, e.email, e.phone,
                CASE WHEN EXISTS (SELECT 1 FROM roster_matches m WHERE m.roster_entry_id = e.id) THEN 1 ELSE 0 END AS has_account
         FROM roster_entries e WHERE e.status = 'active'{} AND NOT EXISTS (
             SELECT 1 FROM roster_matches m WHERE m.roster_entry_id = e.id
             AND EXISTS (SELECT 1 FROM round_participants p WHERE p.round_id = $1 AND p.user_id = m.user_id))",
        in_clause("e.unit_id", Some(units))
    ))
    .bind(round_id)
    .fetch_all(&db.pool)
    .await
}

/// Participants of the round who took it for one of `units` but are on none of their rosters.
pub async fn unmatched_participants(db: &Db, units: &BTreeSet<i64>, round_id: i64) -> sqlx::Result<Vec<AccountRef>> {
    sqlx::query_as(&format!(
        "SELECT u.id AS user_id, u.full_name, u.email FROM round_participants p JOIN users u ON u.id = p.user_id
         WHERE p.round_id = $1{} AND NOT EXISTS (
             SELECT 1 FROM roster_matches m JOIN roster_entries e ON e.id = m.roster_entry_id AND e.status = 'active'{} WHERE m.user_id = p.user_id)
         ORDER BY u.id",
        in_clause("p.unit_id", Some(units)),
        in_clause("e.unit_id", Some(units))
    ))
    .bind(round_id)
    .fetch_all(&db.pool)
    .await
}

/// (entry, name, account) for each account of the active entries of `units` matched to two or
/// more accounts, by entry and account.
pub async fn double_matches(db: &Db, units: &BTreeSet<i64>) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(&format!(
        "SELECT e.id, e.full_name, m.user_id FROM roster_entries e JOIN roster_matches m ON m.roster_entry_id = e.id
         WHERE e.status = 'active'{} AND (SELECT COUNT(*) FROM roster_matches o WHERE o.roster_entry_id = e.id) > 1 ORDER BY e.id, m.user_id",
        in_clause("e.unit_id", Some(units))
    ))
    .fetch_all(&db.pool)
    .await
}
