//! The matching of rosters to accounts computed from scratch (the definition the counters must
//! equal): active entries, identity matches within the roster's subtree, decisions, who took
//! part in a period, and the candidates a manager or an organizer decides on.

use super::in_clause;
use crate::counters::repo::{ACCOUNT_IN_ROSTER_SUBTREE, identity_matches};
use crate::infra::db::Db;
use crate::participation::model::{Candidate, MatchDecision};
use std::collections::BTreeSet;

/// What "took part" is counted over: one round, or any round of a contest.
#[derive(Debug, Clone, Copy)]
pub enum Period {
    Round(i64),
    Contest(i64),
}

/// An active roster entry, before its matches are known: which unit it counts for.
#[derive(Debug, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub unit_id: i64,
}

/// Active roster entries of `units` (or all), by id.
pub async fn active_entries(db: &Db, units: Option<&BTreeSet<i64>>) -> sqlx::Result<Vec<EntryRow>> {
    let scope = in_clause("r.unit_id", units);
    sqlx::query_as(&format!("SELECT r.id, r.unit_id FROM roster_entries r WHERE r.status = 'active'{scope} ORDER BY r.id"))
        .fetch_all(&db.pool)
        .await
}

/// (entry, account) identity matches of the active entries of `units` (or all) with accounts
/// of the roster's own subtree, rejected ones included.
pub async fn identity_matches_in_subtree(db: &Db, units: Option<&BTreeSet<i64>>) -> sqlx::Result<Vec<(i64, i64)>> {
    let scope = in_clause("r.unit_id", units);
    sqlx::query_as(&identity_matches(&format!("{ACCOUNT_IN_ROSTER_SUBTREE}{scope}"))).fetch_all(&db.pool).await
}

#[derive(Debug, sqlx::FromRow)]
pub struct DecisionRow {
    pub roster_entry_id: i64,
    pub user_id: i64,
    pub decision: MatchDecision,
}

/// Every decision taken on a candidate match.
pub async fn decisions(db: &Db) -> sqlx::Result<Vec<DecisionRow>> {
    sqlx::query_as("SELECT roster_entry_id, user_id, decision FROM roster_decisions").fetch_all(&db.pool).await
}

/// (account, unit taken for) of each submitted attempt in the period: everyone, or only those
/// who took it for one of `units` or are one of `users`.
pub async fn took_part(db: &Db, period: Period, scope: Option<(&BTreeSet<i64>, &BTreeSet<i64>)>) -> sqlx::Result<Vec<(i64, Option<i64>)>> {
    let (rounds, id) = match period {
        Period::Round(id) => ("round_id = $1", id),
        Period::Contest(id) => ("round_id IN (SELECT id FROM rounds WHERE contest_id = $1 AND audience = 'staff')", id),
    };
    let filter = match scope {
        None => String::new(),
        Some((units, users)) => {
            let units = in_clause("unit_id", Some(units)).replacen(" AND ", "", 1);
            let users = in_clause("user_id", Some(users)).replacen(" AND ", "", 1);
            format!(" AND ({units} OR {users})")
        }
    };
    sqlx::query_as(&format!("SELECT DISTINCT user_id, unit_id FROM attempts WHERE {rounds} AND status = 'submitted'{filter}")).bind(id).fetch_all(&db.pool).await
}

/// Same-name accounts of the entry's own unit, for every active entry, not decided on yet.
pub async fn same_name_candidates(db: &Db) -> sqlx::Result<Vec<Candidate>> {
    sqlx::query_as(
        "SELECT r.id AS roster_entry_id, u.id AS user_id, u.full_name, u.email, un.name AS unit_name FROM roster_entries r
         JOIN users u ON u.unit_id = r.unit_id AND u.search_key = r.search_key JOIN units un ON un.id = r.unit_id
         WHERE r.status = 'active' AND NOT EXISTS (SELECT 1 FROM roster_decisions d WHERE d.roster_entry_id = r.id AND d.user_id = u.id)
         ORDER BY r.id, u.id",
    )
    .fetch_all(&db.pool)
    .await
}

/// Identity matches of the active entries of `units` with accounts outside the roster's
/// subtree, not decided on yet.
pub async fn cross_unit_candidates(db: &Db, units: &BTreeSet<i64>) -> sqlx::Result<Vec<Candidate>> {
    let condition = format!(
        "NOT ({ACCOUNT_IN_ROSTER_SUBTREE}){} AND NOT EXISTS (SELECT 1 FROM roster_decisions d WHERE d.roster_entry_id = r.id AND d.user_id = u.id)",
        in_clause("r.unit_id", Some(units))
    );
    sqlx::query_as(&format!(
        "SELECT m.entry AS roster_entry_id, m.user_id, u.full_name, u.email, COALESCE(un.name, '') AS unit_name FROM ({}) AS m
         JOIN users u ON u.id = m.user_id LEFT JOIN units un ON un.id = u.unit_id ORDER BY m.entry, m.user_id",
        identity_matches(&condition)
    ))
    .fetch_all(&db.pool)
    .await
}
