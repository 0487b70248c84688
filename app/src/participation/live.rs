//! Live participation figures read from the counters that `counts` keeps: a report reads a
//! few thousand rows whatever the size of the city. `matching` holds the definition these
//! figures must equal (computed from scratch), which the tests compare them with. The
//! statements are in `participation::repo::reports`.

use super::model::{AccountRef, DayCount, DoubleMatch, NonParticipant};
use super::rates::{Denominator, OwnFigures};
use super::repo::reports as repo;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::units::model::{Unit, UnitStatus};
use crate::units::repo as units_repo;
use std::collections::{BTreeMap, BTreeSet};

/// Active roster entries per unit (of `visible`, or all), as `counts` keeps them.
async fn roster_sizes(state: &AppState, visible: Option<&BTreeSet<i64>>) -> Result<BTreeMap<i64, i64>, AppError> {
    Ok(repo::roster_sizes(&state.db, visible).await?.into_iter().collect())
}

/// Each active unit's own figures from its roster size (or declared headcount) and counts.
fn figures(units: Vec<Unit>, sizes: &BTreeMap<i64, i64>, counts: &BTreeMap<i64, (i64, i64)>) -> Vec<OwnFigures> {
    units
        .into_iter()
        .map(|u| {
            let (roster, declared) = counts.get(&u.id).copied().unwrap_or((0, 0));
            let staff = super::rates::staff_count(u.headcount, sizes.get(&u.id).copied());
            let participated = match staff.source {
                Denominator::Roster => roster,
                Denominator::Declared => declared,
            };
            let (eligible, source) = (staff.count, staff.source);
            OwnFigures { unit_id: u.id, parent_id: u.parent_id, code: u.code, name: u.name, block: u.block, eligible, participated, source }
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
    let rows = repo::round_unit_counts(&state.db, round_id, visible).await?;
    let counts = rows.into_iter().map(|c| (c.unit_id, (c.roster_participated, c.declared_participated))).collect();
    Ok(figures(units, &sizes, &counts))
}

/// Each visible unit's own figures over a whole contest: roster entries matched to someone who
/// took part in any of its rounds, and people who took any of its rounds for the unit (once,
/// for the unit of their first round's entry).
pub async fn contest_figures(state: &AppState, contest_id: i64, visible: Option<&BTreeSet<i64>>) -> Result<Vec<OwnFigures>, AppError> {
    let units = active_units(state, visible).await?;
    let sizes = roster_sizes(state, visible).await?;
    let roster = repo::contest_roster_counts(&state.db, contest_id, visible).await?;
    let declared = repo::contest_declared_counts(&state.db, contest_id, visible).await?;
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
    let rows = repo::entries_per_day(&state.db, round_id, visible).await?;
    Ok(rows.into_iter().map(|(day, entries)| DayCount { day: crate::vn_time::day_iso(day), entries }).collect())
}

/// The roster entries of `units` matched to no one who took the round, by name.
pub async fn non_participants(state: &AppState, units: &BTreeSet<i64>, round_id: i64, names: &BTreeMap<i64, String>) -> Result<Vec<NonParticipant>, AppError> {
    let mut out: Vec<NonParticipant> = repo::non_participants(&state.db, units, round_id)
        .await?
        .into_iter()
        .map(|r| NonParticipant {
            roster_entry_id: r.id,
            full_name: r.full_name,
            position: r.position,
            unit_name: names.get(&r.unit_id).cloned().unwrap_or_default(),
            email: r.email,
            phone: r.phone.map(crate::accounts::personal::Phone::new),
            has_account: r.has_account == 1,
        })
        .collect();
    crate::text::sort_by_name(&mut out, |p| &p.full_name);
    Ok(out)
}

/// Participants of the round who took it for one of `units` but are on none of their rosters.
pub async fn unmatched_participants(state: &AppState, units: &BTreeSet<i64>, round_id: i64) -> Result<Vec<AccountRef>, AppError> {
    Ok(repo::unmatched_participants(&state.db, units, round_id).await?)
}

/// Roster entries of `units` matched to two or more accounts.
pub async fn double_matches(state: &AppState, units: &BTreeSet<i64>) -> Result<Vec<DoubleMatch>, AppError> {
    let mut out: Vec<DoubleMatch> = Vec::new();
    for (id, name, user) in repo::double_matches(&state.db, units).await? {
        match out.last_mut() {
            Some(d) if d.roster_entry_id == id => d.user_ids.push(user),
            _ => out.push(DoubleMatch { roster_entry_id: id, full_name: name, user_ids: vec![user] }),
        }
    }
    Ok(out)
}
