//! Live participation figures read from the counters that `counts` keeps: a report reads a
//! few thousand rows whatever the size of the city. `matching` holds the definition these
//! figures must equal (computed from scratch), which the tests compare them with.

use super::matching::in_clause;
use super::model::{AccountRef, DayCount, DoubleMatch, NonParticipant};
use super::rates::{Denominator, OwnFigures};
use crate::codes::Code;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::units::model::{Unit, UnitStatus};
use crate::units::repo as units_repo;
use std::collections::{BTreeMap, BTreeSet};

/// Active roster entries per unit (of `visible`, or all), as `counts` keeps them.
async fn roster_sizes(state: &AppState, visible: Option<&BTreeSet<i64>>) -> Result<BTreeMap<i64, i64>, AppError> {
    let scope = in_clause("unit_id", visible);
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!("SELECT unit_id, active_entries FROM unit_roster_sizes WHERE 1 = 1{scope}"))
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Each active unit's own figures from its roster size (or declared headcount) and counts.
fn figures(units: Vec<Unit>, sizes: &BTreeMap<i64, i64>, counts: &BTreeMap<i64, (i64, i64)>) -> Vec<OwnFigures> {
    units
        .into_iter()
        .map(|u| {
            let (roster, declared) = counts.get(&u.id).copied().unwrap_or((0, 0));
            let (eligible, participated, source) = match sizes.get(&u.id) {
                Some(size) => (*size, roster, Denominator::Roster),
                None => (u.headcount, declared, Denominator::Declared),
            };
            OwnFigures { unit_id: u.id, parent_id: u.parent_id, code: u.code, name: u.name, block: u.block.code().into(), eligible, participated, source }
        })
        .collect()
}

async fn active_units(state: &AppState, visible: Option<&BTreeSet<i64>>) -> Result<Vec<Unit>, AppError> {
    Ok(units_repo::all(&state.db).await?.into_iter().filter(|u| u.status == UnitStatus::Active && visible.is_none_or(|v| v.contains(&u.id))).collect())
}

/// Each visible unit's own figures for a round that is still live.
pub async fn own_figures(state: &AppState, round_id: i64, visible: Option<&BTreeSet<i64>>) -> Result<Vec<OwnFigures>, AppError> {
    let units = active_units(state, visible).await?;
    let sizes = roster_sizes(state, visible).await?;
    let scope = in_clause("unit_id", visible);
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!("SELECT unit_id, roster_participated, declared_participated FROM round_unit_counts WHERE round_id = $1{scope}"))
        .bind(round_id)
        .fetch_all(&state.db.pool)
        .await?;
    let counts = rows.into_iter().map(|(u, r, d)| (u, (r, d))).collect();
    Ok(figures(units, &sizes, &counts))
}

/// Each visible unit's own figures over a whole contest: roster entries matched to someone who
/// took part in any of its rounds, and people who took any of its rounds for the unit.
pub async fn contest_figures(state: &AppState, contest_id: i64, visible: Option<&BTreeSet<i64>>) -> Result<Vec<OwnFigures>, AppError> {
    let units = active_units(state, visible).await?;
    let sizes = roster_sizes(state, visible).await?;
    let rounds = "SELECT id FROM rounds WHERE contest_id = $1";
    let roster: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT e.unit_id, CAST(COUNT(*) AS BIGINT) FROM roster_entries e WHERE e.status = 'active'{} AND EXISTS (
             SELECT 1 FROM roster_matches m WHERE m.roster_entry_id = e.id
             AND EXISTS (SELECT 1 FROM round_participants p WHERE p.user_id = m.user_id AND p.round_id IN ({rounds})))
         GROUP BY e.unit_id",
        in_clause("e.unit_id", visible)
    ))
    .bind(contest_id)
    .fetch_all(&state.db.pool)
    .await?;
    // A person counts once for the unit of their first round's entry.
    let declared: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT p.unit_id, CAST(COUNT(DISTINCT p.user_id) AS BIGINT) FROM round_participants p WHERE p.round_id IN ({rounds}) AND p.unit_id IS NOT NULL{} AND NOT EXISTS (
             SELECT 1 FROM round_participants q WHERE q.user_id = p.user_id AND q.round_id IN ({rounds}) AND q.round_id < p.round_id)
         GROUP BY p.unit_id",
        in_clause("p.unit_id", visible)
    ))
    .bind(contest_id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut counts: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (unit, n) in roster {
        counts.entry(unit).or_default().0 = n;
    }
    for (unit, n) in declared {
        counts.entry(unit).or_default().1 = n;
    }
    Ok(figures(units, &sizes, &counts))
}

/// Entries submitted per day (Vietnam dates), for the units in view.
pub async fn per_day(state: &AppState, round_id: i64, visible: Option<&BTreeSet<i64>>) -> Result<Vec<DayCount>, AppError> {
    let scope = in_clause("unit_id", visible);
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT day, CAST(SUM(entries) AS BIGINT) FROM round_day_counts WHERE round_id = $1{scope} GROUP BY day ORDER BY day"
    ))
    .bind(round_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows.into_iter().map(|(day, entries)| DayCount { day: crate::vn_time::day_iso(day), entries }).collect())
}

/// The roster entries of `units` matched to no one who took the round.
///
/// The subqueries are nested, not joined, on purpose: as a join, SQLite walked the round's
/// participants (140,000 at city size) for every roster entry, and a unit manager's page took
/// 13 s; nested, each entry looks up its own matches, then each match by key, and the page
/// takes about 80 ms (README, "Deadline day").
pub async fn non_participants(state: &AppState, units: &BTreeSet<i64>, round_id: i64, names: &BTreeMap<i64, String>) -> Result<Vec<NonParticipant>, AppError> {
    let rows: Vec<(i64, i64, String, String, Option<String>, Option<String>, i64)> = sqlx::query_as(&format!(
        "SELECT e.id, e.unit_id, e.full_name, e.position, e.email, e.phone,
                CASE WHEN EXISTS (SELECT 1 FROM roster_matches m WHERE m.roster_entry_id = e.id) THEN 1 ELSE 0 END
         FROM roster_entries e WHERE e.status = 'active'{} AND NOT EXISTS (
             SELECT 1 FROM roster_matches m WHERE m.roster_entry_id = e.id
             AND EXISTS (SELECT 1 FROM round_participants p WHERE p.round_id = $1 AND p.user_id = m.user_id))",
        in_clause("e.unit_id", Some(units))
    ))
    .bind(round_id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut out: Vec<NonParticipant> = rows
        .into_iter()
        .map(|(id, unit, full_name, position, email, phone, has_account)| NonParticipant {
            roster_entry_id: id,
            full_name,
            position,
            unit_name: names.get(&unit).cloned().unwrap_or_default(),
            email,
            phone,
            has_account: has_account == 1,
        })
        .collect();
    crate::text::sort_by_name(&mut out, |p| &p.full_name);
    Ok(out)
}

/// Participants of the round who took it for one of `units` but are on none of their rosters.
pub async fn unmatched_participants(state: &AppState, units: &BTreeSet<i64>, round_id: i64) -> Result<Vec<AccountRef>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT u.id, u.full_name, u.email FROM round_participants p JOIN users u ON u.id = p.user_id
         WHERE p.round_id = $1{} AND NOT EXISTS (
             SELECT 1 FROM roster_matches m JOIN roster_entries e ON e.id = m.roster_entry_id AND e.status = 'active'{} WHERE m.user_id = p.user_id)
         ORDER BY u.id",
        in_clause("p.unit_id", Some(units)),
        in_clause("e.unit_id", Some(units))
    ))
    .bind(round_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows.into_iter().map(|(user_id, full_name, email)| AccountRef { user_id, full_name, email }).collect())
}

/// Roster entries of `units` matched to two or more accounts.
pub async fn double_matches(state: &AppState, units: &BTreeSet<i64>) -> Result<Vec<DoubleMatch>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT e.id, e.full_name, m.user_id FROM roster_entries e JOIN roster_matches m ON m.roster_entry_id = e.id
         WHERE e.status = 'active'{} AND (SELECT COUNT(*) FROM roster_matches o WHERE o.roster_entry_id = e.id) > 1 ORDER BY e.id, m.user_id",
        in_clause("e.unit_id", Some(units))
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut out: Vec<DoubleMatch> = Vec::new();
    for (id, name, user) in rows {
        match out.last_mut() {
            Some(d) if d.roster_entry_id == id => d.user_ids.push(user),
            _ => out.push(DoubleMatch { roster_entry_id: id, full_name: name, user_ids: vec![user] }),
        }
    }
    Ok(out)
}
