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
//! The statements are in `participation::repo::matching`.

use super::model::{Candidate, MatchDecision};
use super::rates::{Denominator, OwnFigures};
use super::repo::matching as repo;
use crate::error::AppError;
use crate::infra::state::AppState;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub use repo::Period;

/// A roster entry (of a unit) with the accounts it matched.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub unit_id: i64,
    pub users: BTreeSet<i64>,
}

/// Active roster entries (of `units`, or all) with their certain and confirmed matches.
pub async fn entries(state: &AppState, units: Option<&BTreeSet<i64>>) -> Result<Vec<Entry>, AppError> {
    let rows = repo::active_entries(&state.db, units).await?;
    let mut out: BTreeMap<i64, Entry> = rows
        .into_iter()
        .filter(|r| units.is_none_or(|u| u.contains(&r.unit_id)))
        .map(|r| (r.id, Entry { id: r.id, unit_id: r.unit_id, users: BTreeSet::new() }))
        .collect();
    let certain = repo::identity_matches_in_subtree(&state.db, units).await?;
    let decisions = repo::decisions(&state.db).await?;
    let rejected: HashSet<(i64, i64)> = decisions.iter().filter(|d| d.decision == MatchDecision::Rejected).map(|d| (d.roster_entry_id, d.user_id)).collect();
    for (entry, user) in certain {
        if let Some(e) = out.get_mut(&entry) {
            if !rejected.contains(&(entry, user)) {
                e.users.insert(user);
            }
        }
    }
    for d in decisions.iter().filter(|d| d.decision == MatchDecision::Confirmed) {
        if let Some(e) = out.get_mut(&d.roster_entry_id) {
            e.users.insert(d.user_id);
        }
    }
    Ok(out.into_values().collect())
}

/// Users with a submitted attempt in the period, with the unit they took it for: everyone, or
/// only those who took it for one of `units` or are one of `users`.
pub async fn took_part(state: &AppState, period: Period, scope: Option<(&BTreeSet<i64>, &BTreeSet<i64>)>) -> Result<BTreeMap<i64, Option<i64>>, AppError> {
    Ok(repo::took_part(&state.db, period, scope).await?.into_iter().collect())
}

/// Users matched by any of the entries.
pub fn matched_users(entries: &[Entry]) -> BTreeSet<i64> {
    entries.iter().flat_map(|e| e.users.iter().copied()).collect()
}

/// Candidates for roster entries of `units` that matched no account by identity.
pub async fn candidates(state: &AppState, units: &BTreeSet<i64>) -> Result<Vec<Candidate>, AppError> {
    let matched = entries(state, Some(units)).await?;
    let unmatched: BTreeSet<i64> = matched.iter().filter(|e| e.users.is_empty()).map(|e| e.id).collect();
    Ok(repo::same_name_candidates(&state.db).await?.into_iter().filter(|c| unmatched.contains(&c.roster_entry_id)).collect())
}

/// Identity matches of roster entries of `units` with accounts outside the roster's subtree
/// that no one has decided on yet: an organizer confirms or rejects them.
pub async fn cross_unit(state: &AppState, units: &BTreeSet<i64>) -> Result<Vec<Candidate>, AppError> {
    Ok(repo::cross_unit_candidates(&state.db, units).await?)
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
            OwnFigures { unit_id: u.id, parent_id: u.parent_id, code: u.code.clone(), name: u.name.clone(), block: u.block, eligible, participated, source }
        })
        .collect())
}
