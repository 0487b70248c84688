//! Tiểu ban: panels of judges per stage and genre, balanced automatic assignment that never
//! gives a judge an entry of their own organisation, manual assignment, recusal with a
//! reason, each judge's progress, and closing a panel.

use super::model::*;
use super::repo::{panels as panel_rows, people, scores};
use super::setup;
use crate::accounts::model::CurrentUser;
use crate::codes::Code;
use crate::error::AppError;
use crate::infra::db::Db;
use crate::infra::state::AppState;
use crate::vn_time::now_secs;
use std::collections::{BTreeMap, BTreeSet};

/// Unit → parent, to tell whether two units belong to one organisation.
pub struct UnitTree(BTreeMap<i64, Option<i64>>);

impl UnitTree {
    pub async fn load(db: &Db) -> Result<UnitTree, AppError> {
        Ok(UnitTree(crate::units::repo::all(db).await?.into_iter().map(|u| (u.id, u.parent_id)).collect()))
    }

    fn is_within(&self, unit: i64, ancestor: i64) -> bool {
        let mut cur = Some(unit);
        let mut steps = 0;
        while let Some(u) = cur {
            if u == ancestor {
                return true;
            }
            steps += 1;
            if steps > 64 {
                return false;
            }
            cur = self.0.get(&u).copied().flatten();
        }
        false
    }

    /// A judge of unit `judge` has a conflict with an entry of unit `entry` when one unit is
    /// the other or contains it: a department's judge does not score its own sub-units' works.
    pub fn conflict(&self, judge: Option<i64>, entry: Option<i64>) -> bool {
        match (judge, entry) {
            (Some(j), Some(e)) => self.is_within(e, j) || self.is_within(j, e),
            _ => false,
        }
    }
}

/// The judges to add to an entry: the least loaded first, skipping those already on it (or
/// recused from it) and those in conflict. `load` is updated as judges are chosen.
pub fn pick_judges(candidates: &[(i64, Option<i64>)], excluded: &BTreeSet<i64>, entry_unit: Option<i64>, needed: usize, load: &mut BTreeMap<i64, i64>, tree: &UnitTree) -> Vec<i64> {
    let mut eligible: Vec<i64> = candidates.iter().filter(|(j, unit)| !excluded.contains(j) && !tree.conflict(*unit, entry_unit)).map(|(j, _)| *j).collect();
    eligible.sort_by_key(|j| (load.get(j).copied().unwrap_or(0), *j));
    let chosen: Vec<i64> = eligible.into_iter().take(needed).collect();
    for j in &chosen {
        *load.entry(*j).or_insert(0) += 1;
    }
    chosen
}

/// Sets a panel's judges (creating the panel). Judges must hold the judge role. A judge who
/// has already scored cannot be taken off; one who has not loses their assignments.
pub async fn set_judges(state: &AppState, actor: &CurrentUser, competition_id: i64, stage: Stage, genre: Genre, judge_ids: Vec<i64>) -> Result<Panel, AppError> {
    crate::policy::organizer(actor)?;
    let c = setup::get(state, competition_id).await?;
    if !c.settings.genres.contains(&genre) {
        return Err(AppError::field("genre", "err.award_genre"));
    }
    let allowed = match stage {
        Stage::Preliminary => matches!(c.phase, Phase::Entries | Phase::Preliminary),
        Stage::Final => matches!(c.phase, Phase::Entries | Phase::Preliminary | Phase::Final),
    };
    if !allowed {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let judges: BTreeSet<i64> = judge_ids.into_iter().collect();
    if judges.is_empty() {
        return Err(AppError::field("judges", "err.award_judges_required"));
    }
    let with_role = people::holding_judge_role(&state.db, &judges.iter().copied().collect::<Vec<_>>()).await?;
    if with_role.len() != judges.len() {
        return Err(AppError::field("judges", "err.award_not_judge"));
    }
    let mut tx = state.db.begin_write().await?;
    let panel_id = match panel_rows::find_tx(&mut tx, competition_id, stage, genre).await? {
        Some(p) if p.closed_at.is_some() => return Err(AppError::conflict("err.award_panel_closed")),
        Some(p) => p.id,
        None => panel_rows::insert(&mut tx, competition_id, stage, genre).await?,
    };
    let current = panel_rows::member_ids(&mut tx, panel_id).await?;
    for gone in current.iter().filter(|j| !judges.contains(j)) {
        let scored = scores::started_by_judge(&mut tx, panel_id, *gone).await?;
        if scored > 0 {
            return Err(AppError::field("judges", "err.award_judge_has_scores"));
        }
        scores::delete_unstarted_of_judge(&mut tx, panel_id, *gone).await?;
        panel_rows::remove_member(&mut tx, panel_id, *gone).await?;
    }
    for j in judges.iter().filter(|j| !current.contains(j)) {
        panel_rows::add_member(&mut tx, panel_id, *j).await?;
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.panel", "award_panel", Some(panel_id), serde_json::json!({ "stage": stage.code(), "genre": genre.code(), "judges": judges })).await?;
    tx.commit().await?;
    panels(state, competition_id).await?.into_iter().find(|p| p.id == panel_id).ok_or(AppError::NotFound)
}

/// Phân công tự động: tops every entry of the stage up to the planned number of judges from
/// its genre's panel, least-loaded judge first, never a judge of the entry's own organisation
/// nor one who recused from it. Most constrained entries are served first. Running it again
/// after recusals fills the gaps and changes nothing else.
pub async fn auto_assign(state: &AppState, actor: &CurrentUser, competition_id: i64, stage: Stage) -> Result<AssignmentReport, AppError> {
    crate::policy::organizer(actor)?;
    let c = setup::get(state, competition_id).await?;
    if c.phase != stage.phase() {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let tree = UnitTree::load(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    let panels = panel_rows::open_of_stage(&mut tx, competition_id, stage).await?;
    if panels.is_empty() {
        // "0 entries short of judges" would read as done: say what is missing instead.
        return Err(AppError::conflict("err.award_no_panels"));
    }
    let mut report = AssignmentReport { created: 0, short: vec![] };
    let t = now_secs();
    let per_entry = c.settings.judges_per_entry as usize;
    for p in panels {
        let panel_id = p.id;
        let judges = panel_rows::members_with_units(&mut tx, panel_id).await?;
        let entries = super::repo::entries::in_stage(&mut tx, competition_id, p.genre, stage).await?;
        let existing = scores::of_panel(&mut tx, panel_id).await?;
        let mut on_entry: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
        let mut active: BTreeMap<i64, usize> = BTreeMap::new();
        let mut load: BTreeMap<i64, i64> = BTreeMap::new();
        for a in &existing {
            on_entry.entry(a.entry_id).or_default().insert(a.judge_id);
            if a.status != AssignmentStatus::Recused {
                *active.entry(a.entry_id).or_insert(0) += 1;
                *load.entry(a.judge_id).or_insert(0) += 1;
            }
        }
        // Most constrained first: entries with the fewest judges free of conflict.
        let mut order: Vec<&(i64, Option<i64>)> = entries.iter().collect();
        order.sort_by_key(|(e, unit)| (judges.iter().filter(|(_, ju)| !tree.conflict(*ju, *unit)).count(), *e));
        for (entry_id, unit) in order {
            let have = active.get(entry_id).copied().unwrap_or(0);
            if have >= per_entry {
                continue;
            }
            let excluded = on_entry.get(entry_id).cloned().unwrap_or_default();
            let chosen = pick_judges(&judges, &excluded, *unit, per_entry - have, &mut load, &tree);
            for j in &chosen {
                scores::insert(&mut tx, panel_id, *entry_id, *j, t).await?;
            }
            report.created += chosen.len() as i64;
            if have + chosen.len() < per_entry {
                report.short.push(*entry_id);
            }
        }
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.auto_assign", "award_competition", Some(competition_id), serde_json::json!({ "stage": stage.code(), "created": report.created, "short": report.short })).await?;
    tx.commit().await?;
    Ok(report)
}

/// Phân công thủ công: one judge to one entry. Refused for a judge outside the entry's panel,
/// a conflict of interest, or a judge who recused from it.
pub async fn assign(state: &AppState, actor: &CurrentUser, entry_id: i64, stage: Stage, judge_id: i64) -> Result<i64, AppError> {
    crate::policy::organizer(actor)?;
    let entry = super::entries::load_one(&state.db, entry_id).await?;
    let c = setup::get(state, entry.competition_id).await?;
    if c.phase != stage.phase() {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    if entry.status != EntryStatus::Eligible || (stage == Stage::Final && !entry.finalist) {
        return Err(AppError::conflict("err.award_not_in_stage"));
    }
    let panel = panel_rows::find(&state.db, c.id, stage, entry.input.genre).await?.ok_or_else(|| AppError::conflict("err.award_no_panel"))?;
    let panel_id = panel.id;
    if panel.closed_at.is_some() {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    let judge_unit = panel_rows::member_unit(&state.db, panel_id, judge_id).await?.ok_or_else(|| AppError::field("judge_id", "err.award_not_in_panel"))?;
    if UnitTree::load(&state.db).await?.conflict(judge_unit, entry.input.unit_id) {
        return Err(AppError::conflict("err.award_conflict_unit"));
    }
    let mut tx = state.db.begin_write().await?;
    match scores::status_of(&mut tx, panel_id, entry_id, judge_id).await? {
        Some(AssignmentStatus::Recused) => return Err(AppError::conflict("err.award_recused_before")),
        Some(_) => return Err(AppError::conflict("err.award_already_assigned")),
        None => {}
    }
    let t = now_secs();
    let id = scores::insert(&mut tx, panel_id, entry_id, judge_id, t).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.assign", "award_assignment", Some(id), serde_json::json!({ "entry": entry_id, "judge": judge_id })).await?;
    tx.commit().await?;
    Ok(id)
}

/// Từ chối chấm: a judge steps back from an entry, with a reason kept for the record. The
/// entry then needs another judge (the organizer reruns the automatic assignment).
pub async fn recuse(state: &AppState, actor: &CurrentUser, assignment_id: i64, reason: &str) -> Result<(), AppError> {
    if reason.trim().chars().count() < 3 {
        return Err(AppError::field("reason", "err.reason_required"));
    }
    if crate::text::too_long(reason.trim(), crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("reason", "err.too_long"));
    }
    let mut tx = state.db.begin_write().await?;
    let target = scores::recusal_target(&mut tx, assignment_id).await?.ok_or(AppError::NotFound)?;
    crate::policy::assigned_judge(actor, target.judge_id)?;
    if target.closed_at.is_some() {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    if target.status.finished() {
        return Err(AppError::conflict("err.award_cannot_recuse"));
    }
    scores::recuse(&mut tx, assignment_id, reason.trim(), now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.recuse", "award_assignment", Some(assignment_id), serde_json::json!({ "reason": reason.trim() })).await?;
    tx.commit().await?;
    Ok(())
}

/// Every panel of an edition with its judges' progress. Counts only, never scores.
pub async fn panels(state: &AppState, competition_id: i64) -> Result<Vec<Panel>, AppError> {
    let c = setup::get(state, competition_id).await?;
    let mut out = vec![];
    for p in panel_rows::of_competition(&state.db, competition_id).await? {
        let judges = panel_rows::progress(&state.db, p.id).await?;
        let short = panel_rows::entries_short_of_judges(&state.db, &p, c.settings.judges_per_entry).await?;
        out.push(Panel { id: p.id, stage: p.stage, genre: p.genre, closed_at: p.closed_at, judges, entries_short_of_judges: short });
    }
    Ok(out)
}

/// Khóa tiểu ban: once every assignment is scored (or recused) and every entry has a score,
/// the panel closes, its scores become final and visible to the organizers. Closing the last
/// final panel hands the edition to the council.
pub async fn close_panel(state: &AppState, actor: &CurrentUser, panel_id: i64) -> Result<(), AppError> {
    crate::policy::organizer(actor)?;
    let mut tx = state.db.begin_write().await?;
    let p = panel_rows::get_tx(&mut tx, panel_id).await?.ok_or(AppError::NotFound)?;
    if p.closed_at.is_some() {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    let (competition_id, stage) = (p.competition_id, p.stage);
    if scores::unfinished_in_panel(&mut tx, panel_id).await? > 0 {
        return Err(AppError::conflict("err.award_panel_unfinished"));
    }
    if panel_rows::unscored_entries(&mut tx, &p).await? > 0 {
        return Err(AppError::conflict("err.award_entries_unscored"));
    }
    panel_rows::close(&mut tx, panel_id, now_secs()).await?;
    if stage == Stage::Final && panel_rows::open_count(&mut tx, competition_id, Stage::Final).await? == 0 {
        setup::advance(&mut tx, competition_id, Phase::Final, Phase::Council).await?;
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.close_panel", "award_panel", Some(panel_id), serde_json::json!({ "stage": stage.code() })).await?;
    tx.commit().await?;
    Ok(())
}

/// Recusals of an edition, for the organizers and the minutes.
pub async fn recusals(state: &AppState, competition_id: i64) -> Result<Vec<Recusal>, AppError> {
    scores::recusals(&state.db, competition_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> UnitTree {
        // 1 = Sở, 2 and 3 its sub-units; 10 = a ward with station 11.
        UnitTree([(1, None), (2, Some(1)), (3, Some(1)), (10, None), (11, Some(10))].into_iter().collect())
    }

    #[test]
    fn conflicts_follow_the_unit_tree() {
        let t = tree();
        // (judge unit, entry unit, conflict)
        for (j, e, want) in [(Some(1), Some(1), true), (Some(1), Some(2), true), (Some(2), Some(1), true), (Some(2), Some(3), false), (Some(1), Some(11), false), (None, Some(1), false), (Some(1), None, false)] {
            assert_eq!(t.conflict(j, e), want, "{j:?} {e:?}");
        }
    }

    #[test]
    fn picking_balances_load_and_skips_conflicts() {
        let t = tree();
        let judges = vec![(100, Some(1)), (101, Some(10)), (102, None), (103, Some(3))];
        let mut load = BTreeMap::new();
        // An entry of unit 2 (under 1): judge 100 (unit 1) is out.
        let a = pick_judges(&judges, &BTreeSet::new(), Some(2), 2, &mut load, &t);
        assert_eq!(a, vec![101, 102]);
        // Next entry of unit 11: judge 101 conflicts; 100 and 103 are the least loaded.
        let b = pick_judges(&judges, &BTreeSet::new(), Some(11), 2, &mut load, &t);
        assert_eq!(b, vec![100, 103]);
        // Already on it (or recused): skipped. Only 102 and 103 remain; 102 has load 1, 103 too.
        let c = pick_judges(&judges, &[100, 101].into_iter().collect(), None, 3, &mut load, &t);
        assert_eq!(c, vec![102, 103]);
        assert_eq!(load.values().sum::<i64>(), 6);
        // Over many entries the load stays within one of even.
        let mut load = BTreeMap::new();
        for _ in 0..10 {
            pick_judges(&judges, &BTreeSet::new(), None, 3, &mut load, &t);
        }
        let (min, max) = (load.values().min().unwrap(), load.values().max().unwrap());
        assert!(max - min <= 1, "{load:?}");
    }
}
