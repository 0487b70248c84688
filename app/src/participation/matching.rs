//! Đối chiếu: who on a roster is which account, and who of them took part in a round.
//!
//! Matches by CCCD, e-mail or normalised phone are certain when the account belongs to the
//! roster's own subtree (the unit whose manager uploaded it, or one below). An identity match
//! with an account elsewhere is only a candidate for an organizer to confirm: otherwise a unit
//! manager could put another unit's participant on their roster and count them. A same-name
//! account in the same unit is a candidate for the unit manager. Decisions are stored.
//!
//! This module is the definition of the figures, computed from scratch from rosters, accounts,
//! decisions and attempts. The pages read the counters `crate::counters` keeps instead (a city's full
//! report from scratch takes seconds); the tests check the two agree after every kind of change.

use super::model::Candidate;
use super::rates::{Denominator, OwnFigures};
use crate::counters::repo::{ACCOUNT_IN_ROSTER_SUBTREE, identity_matches};
use crate::codes::Code;
use crate::error::AppError;
use crate::infra::state::AppState;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A roster entry with the accounts it matched.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub unit_id: i64,
    pub full_name: String,
    pub position: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub users: BTreeSet<i64>,
}

/// `AND <column> IN (…)` for a set of ids, or nothing for "all". The ids are integers from
/// the database, so writing them into the SQL is safe, and it lets a unit manager's query touch
/// only their subtree's rows instead of the city's.
pub fn in_clause(column: &str, ids: Option<&BTreeSet<i64>>) -> String {
    match ids {
        None => String::new(),
        Some(ids) if ids.is_empty() => " AND 1 = 0".into(),
        Some(ids) => format!(" AND {column} IN ({})", ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")),
    }
}

/// Active roster entries (of `units`, or all) with their certain and confirmed matches.
pub async fn entries(state: &AppState, units: Option<&BTreeSet<i64>>) -> Result<Vec<Entry>, AppError> {
    let scope = in_clause("r.unit_id", units);
    let rows = sqlx::query(&format!("SELECT r.id, r.unit_id, r.full_name, r.position, r.email, r.phone FROM roster_entries r WHERE r.status = 'active'{scope} ORDER BY r.id"))
        .fetch_all(&state.db.pool)
        .await?;
    let mut out: BTreeMap<i64, Entry> = rows
        .iter()
        .filter(|r| units.is_none_or(|u| u.contains(&r.get::<i64, _>("unit_id"))))
        .map(|r| {
            (r.get("id"), Entry {
                id: r.get("id"),
                unit_id: r.get("unit_id"),
                full_name: r.get("full_name"),
                position: r.get("position"),
                email: r.get("email"),
                phone: r.get("phone"),
                users: BTreeSet::new(),
            })
        })
        .collect();
    let certain = sqlx::query(&identity_matches(&format!("{ACCOUNT_IN_ROSTER_SUBTREE}{scope}"))).fetch_all(&state.db.pool).await?;
    let decisions = sqlx::query("SELECT roster_entry_id, user_id, decision FROM roster_decisions").fetch_all(&state.db.pool).await?;
    let rejected: HashSet<(i64, i64)> =
        decisions.iter().filter(|d| d.get::<String, _>("decision") == "rejected").map(|d| (d.get("roster_entry_id"), d.get("user_id"))).collect();
    for r in &certain {
        let (entry, user): (i64, i64) = (r.get(0), r.get(1));
        if let Some(e) = out.get_mut(&entry) {
            if !rejected.contains(&(entry, user)) {
                e.users.insert(user);
            }
        }
    }
    for d in decisions.iter().filter(|d| d.get::<String, _>("decision") == "confirmed") {
        if let Some(e) = out.get_mut(&d.get::<i64, _>("roster_entry_id")) {
            e.users.insert(d.get("user_id"));
        }
    }
    Ok(out.into_values().collect())
}

/// What "took part" is counted over: one round, or any round of a contest.
#[derive(Debug, Clone, Copy)]
pub enum Period {
    Round(i64),
    Contest(i64),
}

/// Users with a submitted attempt in the period, with the unit they took it for: everyone, or
/// only those who took it for one of `units` or are one of `users`.
pub async fn took_part(state: &AppState, period: Period, scope: Option<(&BTreeSet<i64>, &BTreeSet<i64>)>) -> Result<BTreeMap<i64, Option<i64>>, AppError> {
    let (rounds, id) = match period {
        Period::Round(id) => ("round_id = $1", id),
        Period::Contest(id) => ("round_id IN (SELECT id FROM rounds WHERE contest_id = $1)", id),
    };
    let filter = match scope {
        None => String::new(),
        Some((units, users)) => {
            let units = in_clause("unit_id", Some(units)).replacen(" AND ", "", 1);
            let users = in_clause("user_id", Some(users)).replacen(" AND ", "", 1);
            format!(" AND ({units} OR {users})")
        }
    };
    let rows = sqlx::query(&format!("SELECT DISTINCT user_id, unit_id FROM attempts WHERE {rounds} AND status = 'submitted'{filter}"))
        .bind(id)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows.iter().map(|r| (r.get("user_id"), r.get("unit_id"))).collect())
}

/// Users matched by any of the entries.
pub fn matched_users(entries: &[Entry]) -> BTreeSet<i64> {
    entries.iter().flat_map(|e| e.users.iter().copied()).collect()
}

/// Candidates for roster entries of `units` that matched no account by identity.
pub async fn candidates(state: &AppState, units: &BTreeSet<i64>) -> Result<Vec<Candidate>, AppError> {
    let matched = entries(state, Some(units)).await?;
    let unmatched: BTreeSet<i64> = matched.iter().filter(|e| e.users.is_empty()).map(|e| e.id).collect();
    let rows = sqlx::query(
        "SELECT r.id AS entry, u.id AS user_id, u.full_name, u.email, un.name AS unit_name FROM roster_entries r
         JOIN users u ON u.unit_id = r.unit_id AND u.search_key = r.search_key JOIN units un ON un.id = r.unit_id
         WHERE r.status = 'active' AND NOT EXISTS (SELECT 1 FROM roster_decisions d WHERE d.roster_entry_id = r.id AND d.user_id = u.id)
         ORDER BY r.id, u.id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .iter()
        .filter(|r| unmatched.contains(&r.get::<i64, _>("entry")))
        .map(|r| Candidate { roster_entry_id: r.get("entry"), user_id: r.get("user_id"), full_name: r.get("full_name"), unit_name: r.get("unit_name"), email: r.get("email") })
        .collect())
}

/// Identity matches of roster entries of `units` with accounts outside the roster's subtree
/// that no one has decided on yet: an organizer confirms or rejects them.
pub async fn cross_unit(state: &AppState, units: &BTreeSet<i64>) -> Result<Vec<Candidate>, AppError> {
    let condition = format!(
        "NOT ({ACCOUNT_IN_ROSTER_SUBTREE}){} AND NOT EXISTS (SELECT 1 FROM roster_decisions d WHERE d.roster_entry_id = r.id AND d.user_id = u.id)",
        in_clause("r.unit_id", Some(units))
    );
    let rows = sqlx::query(&format!(
        "SELECT m.entry, m.user_id, u.full_name, u.email, COALESCE(un.name, '') AS unit_name FROM ({}) AS m
         JOIN users u ON u.id = m.user_id LEFT JOIN units un ON un.id = u.unit_id ORDER BY m.entry, m.user_id",
        identity_matches(&condition)
    ))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Candidate { roster_entry_id: r.get("entry"), user_id: r.get("user_id"), full_name: r.get("full_name"), unit_name: r.get("unit_name"), email: r.get("email") })
        .collect())
}

/// Each visible active unit's own figures over a period, computed from scratch: the definition
/// the live counters must equal.
pub async fn reference_figures(state: &AppState, period: Period, visible: Option<&BTreeSet<i64>>) -> Result<Vec<OwnFigures>, AppError> {
    use crate::units::model::UnitStatus;
    let units: Vec<_> = crate::units::repo::all(&state.db).await?.into_iter().filter(|u| u.status == UnitStatus::Active && visible.is_none_or(|v| v.contains(&u.id))).collect();
    let entries = entries(state, visible).await?;
    let users = matched_users(&entries);
    let took_part = took_part(state, period, visible.map(|v| (v, &users))).await?;
    let mut roster_size: BTreeMap<i64, i64> = BTreeMap::new();
    let mut roster_took_part: BTreeMap<i64, i64> = BTreeMap::new();
    for e in &entries {
        *roster_size.entry(e.unit_id).or_default() += 1;
        if e.users.iter().any(|u| took_part.contains_key(u)) {
            *roster_took_part.entry(e.unit_id).or_default() += 1;
        }
    }
    let mut by_unit: BTreeMap<i64, i64> = BTreeMap::new();
    for unit in took_part.values().flatten() {
        *by_unit.entry(*unit).or_default() += 1;
    }
    Ok(units
        .iter()
        .map(|u| {
            let (eligible, participated, source) = match roster_size.get(&u.id) {
                Some(size) => (*size, roster_took_part.get(&u.id).copied().unwrap_or(0), Denominator::Roster),
                None => (u.headcount, by_unit.get(&u.id).copied().unwrap_or(0), Denominator::Declared),
            };
            OwnFigures { unit_id: u.id, parent_id: u.parent_id, code: u.code.clone(), name: u.name.clone(), block: u.block.code().into(), eligible, participated, source }
        })
        .collect())
}
